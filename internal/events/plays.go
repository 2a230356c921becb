package events

import (
	"github.com/sports-data/sports-data/internal/game"
)

// scoringPlays are the plays of ESPN's answer that made this score change,
// or nil when the answer cannot say which they were: a payload carries
// the plays ESPN describes, never a guess.
//
// A soccer match's details list every goal so far, so the goals of this
// change are the last ones, as many as the change added, when the list
// holds exactly one goal per goal of the score (details that lag behind
// the score would name an older goal). Elsewhere the play is ESPN's last
// play when it scored, for a side whose score went up by at least its
// points: a later play (a kick-off after a touchdown) leaves it absent.
func (ev Event) scoringPlays() []game.ScoringPlay {
	g := &ev.Game
	plays := g.ScoringPlays
	hd, ad := g.Score.Home-ev.Previous.Home, g.Score.Away-ev.Previous.Away
	if len(plays) == 0 || hd < 0 || ad < 0 || hd+ad == 0 {
		return nil
	}
	if g.Soccer != nil {
		if len(plays) != g.Score.Home+g.Score.Away {
			return nil
		}
		return append([]game.ScoringPlay(nil), plays[len(plays)-(hd+ad):]...)
	}
	last := plays[len(plays)-1]
	rose := func(abbr string, diff int) bool {
		return abbr != "" && last.Team == abbr && diff > 0 && last.Points <= diff
	}
	if rose(g.HomeTeam.Abbreviation, hd) || rose(g.AwayTeam.Abbreviation, ad) {
		return []game.ScoringPlay{last}
	}
	return nil
}
