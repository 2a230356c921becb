// Package teamtracker builds the Home Assistant sensor that the
// TeamTracker integration (ha-teamtracker) shows, from the scoreboard events
// ESPN sent: the same state, the same attribute names, types and formats,
// so that ha-teamtracker-card and every template written for TeamTracker
// work on this service's data. The README's "TeamTracker sensor" section
// lists where the sensor deliberately differs.
package teamtracker

import (
	"time"
)

// States of the sensor, as TeamTracker names them.
const (
	StatePre      = "PRE"
	StateIn       = "IN"
	StatePost     = "POST"
	StateBye      = "BYE"
	StateNotFound = "NOT_FOUND"
)

// Sensor is one team's sensor: {"state": ..., "attributes": {...}}.
type Sensor struct {
	State string `json:"state"`
	// Attributes holds every TeamTracker attribute, null where the game
	// has no value, with ESPN's JSON types.
	Attributes map[string]any `json:"attributes"`
	// Team is the service's team id ("nfl-kc"); League the league's name.
	Team   string `json:"team"`
	League string `json:"league"`
	// UpdatedAt is when the league's games were last published.
	UpdatedAt string `json:"updated_at"`
}

// AttributeNames are TeamTracker's attributes, all present in every sensor.
var AttributeNames = []string{
	"api_message", "api_url", "balls", "clock", "date", "down_distance_text",
	"event_id", "event_name", "event_stream", "event_url", "kickoff_in",
	"last_play", "last_update", "league", "league_logo", "league_name",
	"league_path", "location", "odds", "on_first", "on_second", "on_third",
	"opponent_abbr", "opponent_colors", "opponent_conference_id",
	"opponent_homeaway", "opponent_id", "opponent_logo", "opponent_long_name",
	"opponent_name", "opponent_rank", "opponent_record", "opponent_score",
	"opponent_sets_won", "opponent_shots_on_target", "opponent_stream",
	"opponent_timeouts", "opponent_total_shots", "opponent_url",
	"opponent_win_probability", "opponent_winner", "outs", "overunder",
	"possession", "private_fast_refresh", "quarter", "season",
	"series_summary", "sport", "sport_path", "strikes", "team_abbr",
	"team_colors", "team_conference_id", "team_homeaway", "team_id",
	"team_logo", "team_long_name", "team_name", "team_rank", "team_record",
	"team_score", "team_sets_won", "team_shots_on_target", "team_stream",
	"team_timeouts", "team_total_shots", "team_url", "team_win_probability",
	"team_winner", "tv_network", "venue",
}

// DefaultLogo is TeamTracker's (v0.17.6) logo for a league or team ESPN
// gave none.
const DefaultLogo = "https://cdn0.iconfinder.com/data/icons/shift-interfaces/32/Error-512.png"

// defaultWinProbability is TeamTracker's win probability before ESPN gives one.
const defaultWinProbability = 0.0

// lastUpdateLayout is how TeamTracker writes last_update.
const lastUpdateLayout = "2006-01-02 15:04:05-07:00"

// espnDate reads ESPN's event dates ("2022-09-08T22:45Z", seconds optional).
func espnDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04Z07:00", "2006-01-02T15:04:05Z07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func newAttributes() map[string]any {
	a := make(map[string]any, len(AttributeNames))
	for _, n := range AttributeNames {
		a[n] = nil
	}
	return a
}
