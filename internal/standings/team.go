package standings

import (
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/teams"
)

// TeamStanding is one team's line in its league's current table.
type TeamStanding struct {
	League  string    `json:"league"` // "NFL"
	Season  int       `json:"season"`
	Group   string    `json:"group"`
	TakenAt time.Time `json:"taken_at"`
	Entry
}

// Team is the team's line in the current table of its league, found by
// its ESPN id (else its abbreviation); false when the league has no table
// or the table does not list the team.
func (s *Service) Team(m teams.Match) (TeamStanding, bool) {
	t, ok := s.Current(m.League.Key)
	if !ok {
		return TeamStanding{}, false
	}
	for _, e := range t.Entries {
		if (m.Team.ESPNID != "" && e.TeamID == m.Team.ESPNID) ||
			(m.Team.ESPNID == "" && strings.EqualFold(e.Team, m.Team.Abbreviation)) {
			return TeamStanding{League: m.League.Name, Season: t.Season, Group: e.Group, TakenAt: t.TakenAt,
				Entry: entryOf(m.League, e, "")}, true
		}
	}
	return TeamStanding{}, false
}

// SensorAttributes are the TeamTracker sensor's extra attributes of the
// team's standing (TeamTracker has none of these): its position and
// group, its points where the league ranks by points, else games behind
// and win percentage, and its record. Nil without a standing.
func (s *Service) SensorAttributes(m teams.Match) map[string]any {
	ts, ok := s.Team(m)
	if !ok {
		return nil
	}
	a := map[string]any{
		"standing_position": ts.Position,
		"standing_group":    ts.Group,
		"standing_record":   ts.Record,
	}
	if byPoints(m.League) {
		a["standing_points"] = *ts.Points
	} else {
		a["standing_games_back"] = *ts.GamesBehind
		a["standing_win_percent"] = *ts.WinPercent
	}
	return a
}
