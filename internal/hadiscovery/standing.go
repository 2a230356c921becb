package hadiscovery

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/sports-data/sports-data/internal/standings"
	"github.com/sports-data/sports-data/internal/teams"
)

// Standings gives a team's line in its league's current table
// (standings.Service.Team).
type Standings interface {
	Team(m teams.Match) (standings.TeamStanding, bool)
}

// The Standing sensor is a second sensor of a team's device: its place in
// its league's table as the state, its line (group, points or games
// behind, record, form of the table) as attributes. Its discovery object
// id is the team's with standingSuffix; team ids never hold "_".
const standingSuffix = "_standing"

func (t topics) standingConfig(teamID string) string {
	return t.config("sensor", teamID+standingSuffix)
}
func (t topics) standing(teamID string) string { return t.base + "/" + teamID + "/standing" }
func (t topics) standingAttributes(teamID string) string {
	return t.base + "/" + teamID + "/standing/attributes"
}

// teamOfObject is the team id of a discovery object id: the Standing
// sensor's is the team's with standingSuffix.
func teamOfObject(objectID string) string { return strings.TrimSuffix(objectID, standingSuffix) }

// standingConfig is the Standing sensor's retained configuration.
func (t topics) standingDiscovery(tm team, version string) []byte {
	var cfg map[string]any
	_ = json.Unmarshal(t.discoveryConfig("sensor", tm, version), &cfg)
	cfg["unique_id"] = t.node + "_" + tm.ID + standingSuffix
	cfg["name"] = "Standing"
	cfg["state_topic"] = t.standing(tm.ID)
	cfg["json_attributes_topic"] = t.standingAttributes(tm.ID)
	cfg["icon"] = "mdi:format-list-numbered"
	b, _ := json.Marshal(cfg)
	return b
}

// announceStanding publishes a team's Standing sensor once its league has
// a table that lists it.
func (p *Publisher) announceStanding(tm team) {
	if p.o.Standings == nil {
		return
	}
	ts, ok := p.o.Standings.Team(tm.match)
	if !ok {
		return
	}
	attrs, err := json.Marshal(ts)
	if err != nil {
		p.log.Warn("standing not encodable", "team", tm.ID, "err", err)
		return
	}
	p.retain(p.t.standingConfig(tm.ID), p.t.standingDiscovery(tm, p.o.Version))
	p.retain(p.t.standingAttributes(tm.ID), attrs)
	p.retain(p.t.standing(tm.ID), []byte(strconv.Itoa(ts.Position)))
}

// standingTopics are the Standing sensor's retained topics, cleared when
// the team is unfollowed.
func (t topics) standingTopics(teamID string) []string {
	return []string{t.standingConfig(teamID), t.standing(teamID), t.standingAttributes(teamID)}
}
