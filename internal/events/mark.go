package events

import (
	"strconv"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// What a score_change means differs by sport (README, Leagues). In team
// sports and tennis it is the score (points, goals, runs; sets won). Where
// the score changes too often to be news, or says nothing until the end,
// a mark of progress decides instead, and a score_change is a change of
// the mark:
//
//   - MMA: the rounds finished (round 2 under way: round 1 finished);
//     the result itself is the game_end;
//   - golf and racing: the first three of the field, in order (a place in
//     the top three changed hands);
//   - cricket: the wickets fallen on each side.
//
// Team sports have no mark ("" always), so their detection and their
// event ids are what they always were.

// markRule is how a sport's score_change is decided.
type markRule int

const (
	byScore  markRule = iota // the score: team sports, tennis
	byRounds                 // MMA: rounds finished, while the bout is on
	byMark                   // golf, racing, cricket: live or at the end
)

// rule is the rule of the game's league.
func rule(g *game.Game) markRule {
	if g.Cricket != nil || len(g.Field) > 0 {
		return byMark
	}
	l, ok := league.Lookup(g.LeagueKey())
	if !ok {
		return byScore
	}
	switch {
	case l.Sport == league.MMA:
		return byRounds
	case l.Field() || l.Sport == league.Cricket:
		return byMark
	}
	return byScore
}

// markOf is the game's mark under r; "" for byScore.
func markOf(r markRule, g *game.Game) string {
	switch r {
	case byRounds:
		if g.Status != game.StatusLive {
			return "0"
		}
		return strconv.Itoa(max(g.Period.Current-1, 0))
	case byMark:
		if g.Cricket != nil {
			return strconv.Itoa(g.Cricket.Wickets.Home) + "-" + strconv.Itoa(g.Cricket.Wickets.Away)
		}
		return g.Podium()
	}
	return ""
}

// markChange is the score_change of a game scored by a mark, when its
// mark changed: changes counts the game's mark changes so far (persisted,
// so that a place that goes back and forth gives each change an id of its
// own); it returns the count after next.
func markChange(r markRule, prev snapshot, next *game.Game, lk string, changes int, mk func(typ, id string) Event) ([]Event, int) {
	m := markOf(r, next)
	if m == prev.Mark || prev.Mark == "" {
		// Unchanged, or nothing known to compare with (a game seeded from
		// the store, which keeps no marks): the first mark is no change.
		return nil, changes
	}
	live := next.Status == game.StatusLive
	toFinal := next.Status == game.StatusFinal && prev.Status != game.StatusFinal
	switch {
	case r == byRounds && (!live || m == "0"):
		return nil, changes
	case r == byMark && !live && !toFinal:
		return nil, changes
	}
	changes++
	return []Event{mk(ScoreChange, eventID(lk, next.ID, ScoreChange, "mark", prev.Mark, m, strconv.Itoa(changes)))}, changes
}
