package hadiscovery

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/teams"
)

// Components are the Home Assistant platforms of one team's device, in the
// order they are announced.
var components = []string{"sensor", "binary_sensor", "event"}

// EventTypes are the event entity's types: the game events.
var EventTypes = []string{events.GameStart, events.ScoreChange, events.GameEnd}

// Availability payloads of the service's status topic (Home Assistant's
// defaults, so the configurations need not name them).
const (
	Online  = "online"
	Offline = "offline"
)

// team is one announced team.
type team struct {
	ID     string // "nfl-ne": the object id of its entities
	League string // "nfl"
	Abbr   string // "NE"
	Name   string // "New England Patriots"
	match  teams.Match
}

// topics names every topic from the two prefixes.
type topics struct {
	discovery string // MQTT_DISCOVERY_PREFIX
	base      string // MQTT_TOPIC_PREFIX
	node      string // the node id of discovery topics: base made topic-safe
}

var unsafeNode = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

func newTopics(discoveryPrefix, topicPrefix string) topics {
	return topics{discovery: discoveryPrefix, base: topicPrefix, node: unsafeNode.ReplaceAllString(topicPrefix, "_")}
}

func (t topics) status() string { return t.base + "/status" }
func (t topics) birth() string  { return t.discovery + "/status" }

// config is a component's discovery topic for one team.
func (t topics) config(component, teamID string) string {
	return t.discovery + "/" + component + "/" + t.node + "/" + teamID + "/config"
}

// configs matches every discovery topic of this service on the broker.
func (t topics) configs() string { return t.discovery + "/+/" + t.node + "/+/config" }

// objectOf is the team id of one of this service's discovery topics, or "".
func (t topics) objectOf(topic string) string {
	parts := strings.Split(strings.TrimPrefix(topic, t.discovery+"/"), "/")
	if len(parts) != 4 || parts[1] != t.node || parts[3] != "config" {
		return ""
	}
	return teamOfObject(parts[2])
}

func (t topics) state(teamID string) string      { return t.base + "/" + teamID + "/state" }
func (t topics) attributes(teamID string) string { return t.base + "/" + teamID + "/attributes" }
func (t topics) live(teamID string) string       { return t.base + "/" + teamID + "/live" }
func (t topics) event(teamID string) string      { return t.base + "/" + teamID + "/event" }

// stateTopics are a team's retained state topics, cleared when it is
// unfollowed.
func (t topics) stateTopics(teamID string) []string {
	return []string{t.state(teamID), t.attributes(teamID), t.live(teamID)}
}

// icons per sport of the league, for the sensor.
var icons = map[string]string{
	"nfl": "mdi:football", "ncaaf": "mdi:football",
	"nhl": "mdi:hockey-puck",
	"nba": "mdi:basketball", "wnba": "mdi:basketball", "ncaam": "mdi:basketball", "ncaaw": "mdi:basketball",
	"mlb": "mdi:baseball",
	"mls": "mdi:soccer", "nwsl": "mdi:soccer",
}

// sportIcons are the icons of the leagues of athletes and of cricket by
// their sport, as TeamTracker shows them (custom leagues included).
var sportIcons = map[string]string{
	league.Tennis: "mdi:tennis", league.MMA: "mdi:karate", league.Golf: "mdi:golf-tee",
	league.Racing: "mdi:flag-checkered", league.Cricket: "mdi:cricket",
}

// icon is the sensor's icon for a league: its own, else its sport's.
func icon(leagueKey string) (string, bool) {
	if i, ok := icons[leagueKey]; ok {
		return i, true
	}
	l, ok := league.Lookup(leagueKey)
	if !ok {
		return "", false
	}
	i, ok := sportIcons[l.Sport]
	return i, ok
}

// model is the device's model: "NFL team", "ATP athlete".
func model(tm team) string {
	if tm.match.Team.Athlete {
		return strings.ToUpper(tm.League) + " athlete"
	}
	return strings.ToUpper(tm.League) + " team"
}

// discoveryConfig is the retained configuration of one component of a
// team's device. Full key names, not abbreviations, so that the payloads
// read like Home Assistant's documentation of MQTT discovery.
func (t topics) discoveryConfig(component string, tm team, version string) []byte {
	dev := map[string]any{
		"identifiers":  []string{t.node + "_" + tm.ID},
		"name":         tm.Name,
		"manufacturer": "sports-data",
		"model":        model(tm),
		"sw_version":   version,
	}
	cfg := map[string]any{
		"unique_id":          t.node + "_" + tm.ID + "_" + component,
		"availability_topic": t.status(),
		"device":             dev,
		"origin":             map[string]any{"name": "sports-data", "sw_version": version},
	}
	switch component {
	case "sensor":
		cfg["name"] = "Game"
		cfg["state_topic"] = t.state(tm.ID)
		cfg["json_attributes_topic"] = t.attributes(tm.ID)
		if icon, ok := icon(tm.League); ok {
			cfg["icon"] = icon
		}
	case "binary_sensor":
		cfg["name"] = "Live"
		cfg["state_topic"] = t.live(tm.ID)
		cfg["payload_on"] = "ON"
		cfg["payload_off"] = "OFF"
	case "event":
		cfg["name"] = "Game event"
		cfg["state_topic"] = t.event(tm.ID)
		cfg["event_types"] = EventTypes
		cfg["qos"] = 1
	}
	b, _ := json.Marshal(cfg)
	return b
}
