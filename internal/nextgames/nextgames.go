// Package nextgames lists a followed team's next games, from the games
// the service holds in memory: the scoreboards' and the stored season
// schedule's (team schedules, a soccer club's fixtures), so the list
// reaches days and weeks ahead, not only the scoreboard's days. It is the
// next_games attribute of the TeamTracker sensor, game-status and MQTT.
package nextgames

import (
	"sort"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/kickoff"
)

// Count is how many games the attribute lists.
const Count = 5

// Game is one coming game seen from the team.
type Game struct {
	// Date is the start in RFC 3339 (UTC); TimeTBD is true when ESPN
	// marks the time a placeholder.
	Date         string  `json:"date"`
	TimeTBD      bool    `json:"time_tbd"`
	League       string  `json:"league"` // "NFL"
	GameID       string  `json:"game_id"`
	Opponent     string  `json:"opponent"` // abbreviation
	OpponentName string  `json:"opponent_name"`
	HomeAway     string  `json:"home_away"` // home or away
	Venue        *string `json:"venue"`
	TV           *string `json:"tv"`
}

// Side tells which side of a game the followed team is: home, away, or
// neither (ok false). A club followed in several competitions is one team
// with an id in each.
type Side func(g *game.Game) (home, ok bool)

// TeamIDs is the Side of a team known by its ids ("epl-ars", "cl-ars").
func TeamIDs(ids ...string) Side {
	return func(g *game.Game) (bool, bool) {
		for _, id := range ids {
			switch id {
			case g.HomeTeam.ID:
				return true, true
			case g.AwayTeam.ID:
				return false, true
			}
		}
		return false, false
	}
}

// Of is the team's next n games among games (several sources may list a
// game; the first listing counts): scheduled games not yet begun, or
// begun so recently that ESPN may still start them (kickoff.LateStart),
// by start time. Never nil.
func Of(games []*game.Game, side Side, now time.Time, n int) []Game {
	type cand struct {
		g    *game.Game
		home bool
	}
	var cands []cand
	seen := map[string]bool{}
	for _, g := range games {
		if g.Status != game.StatusScheduled || g.Start.IsZero() || now.Sub(g.Start) > kickoff.LateStart {
			continue
		}
		key := g.League + "|" + g.ID
		home, ok := side(g)
		if !ok || seen[key] {
			continue
		}
		seen[key] = true
		cands = append(cands, cand{g, home})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].g.Start.Before(cands[j].g.Start) })
	out := make([]Game, 0, min(n, len(cands)))
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, of(c.g, c.home))
	}
	return out
}

func of(g *game.Game, home bool) Game {
	opp, ha := g.AwayTeam, "home"
	if !home {
		opp, ha = g.HomeTeam, "away"
	}
	out := Game{
		Date: g.Start.UTC().Format(time.RFC3339), TimeTBD: !g.TimeValid, League: g.League, GameID: g.ID,
		Opponent: strings.ToUpper(opp.Abbreviation), OpponentName: opp.Name, HomeAway: ha,
	}
	if v := strings.TrimSpace(g.Venue); v != "" {
		out.Venue = &v
	}
	if len(g.Broadcasts) > 0 {
		tv := strings.Join(g.Broadcasts, ", ")
		out.TV = &tv
	}
	return out
}
