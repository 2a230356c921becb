package history

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

type outcome int

const (
	win outcome = iota
	loss
	tie
	otLoss
)

var streakLetters = map[outcome]string{win: "W", loss: "L", tie: "T", otLoss: "OT"}

// soccerLetters name a draw as soccer does.
var soccerLetters = map[outcome]string{win: "W", loss: "L", tie: "D", otLoss: "OT"}

type tally struct{ w, l, t, otl int }

func (t *tally) add(o outcome) {
	switch o {
	case win:
		t.w++
	case loss:
		t.l++
	case tie:
		t.t++
	case otLoss:
		t.otl++
	}
}

// TeamStatistics computes a team's record from games of one league.
//
// Only final games count: scheduled, live, postponed, suspended and canceled
// games never do, and a game id seen twice counts once (a postponed game
// replayed under the same id is one game, its latest row). A loss after
// regulation (period above the league's regulation periods) is an overtime
// loss in leagues whose records carry them (NHL), and a plain loss
// elsewhere. Equal final scores are a tie.
//
// Records read "W-L" ("W-L-T" once the team has a tie) and "W-L-OTL" in
// overtime-loss leagues. Streak is the current run of one result: "W3",
// "L1", "T1", "OT2" (overtime losses), "" before the first final game.
// WinPercentage is (W + T/2) / GP to three places, the NFL's definition.
// Form is the last five results, oldest first, a letter each: W, L, T
// (D in soccer), O for an overtime loss.
//
// Golf and racing are stored as each entrant against the field's leader
// (game.Game.Entries): the lower score (strokes to par, place) wins, and
// only an entrant's own entries count for it.
//
// Soccer counts as league tables do: a level score is a draw (a shoot-out
// decides a cup tie but not the record), records read "W-D-L" and streaks
// "D2"; Points (3 per win, 1 per draw) and GoalDifference are set.
func TeamStatistics(l league.League, team string, season *int, games []HistoricalGame) Statistics {
	team = strings.ToUpper(team)
	st := Statistics{Team: team, Season: season}

	sorted := make([]*HistoricalGame, 0, len(games))
	seen := make(map[string]bool, len(games))
	for i := range games {
		g := &games[i]
		if g.Status != game.StatusFinal || seen[g.GameID] {
			continue
		}
		if g.HomeTeam != team && (g.AwayTeam != team || l.Field()) {
			continue
		}
		seen[g.GameID] = true
		sorted = append(sorted, g)
	}
	slices.SortStableFunc(sorted, func(a, b *HistoricalGame) int { return a.start.Compare(b.start) })

	var home, away, all tally
	var results []outcome
	for _, g := range sorted {
		us, them := g.HomeScore, g.AwayScore
		rec := &home
		if g.HomeTeam != team {
			us, them = them, us
			rec = &away
		}
		var o outcome
		switch {
		case us == them:
			o = tie
		case (us > them) != l.Field():
			// In golf and racing the lower score wins: strokes to par,
			// places.
			o = win
		case l.OTLosses && l.Periods > 0 && g.Period > l.Periods:
			o = otLoss
		default:
			o = loss
		}
		rec.add(o)
		all.add(o)
		results = append(results, o)
		st.PointsFor += us
		st.PointsAgainst += them
	}

	st.Wins, st.Losses, st.Ties, st.OTLosses = all.w, all.l, all.t, all.otl
	st.GamesPlayed = len(sorted)
	st.PointDifferential = st.PointsFor - st.PointsAgainst
	if st.GamesPlayed > 0 {
		pct := (float64(st.Wins) + float64(st.Ties)/2) / float64(st.GamesPlayed)
		st.WinPercentage = math.Round(pct*1000) / 1000
	}
	st.HomeRecord = formatRecord(l, home, all.t > 0)
	st.AwayRecord = formatRecord(l, away, all.t > 0)
	letters := streakLetters
	if l.Draws() {
		letters = soccerLetters
		points, gd := 3*st.Wins+st.Ties, st.PointDifferential
		st.Points, st.GoalDifference = &points, &gd
	}
	st.Streak = streak(results, letters)
	st.Form = form(results, letters, 5)
	return st
}

// form is the letters of the last n results, oldest first.
func form(results []outcome, letters map[outcome]string, n int) string {
	var b strings.Builder
	for _, o := range results[max(0, len(results)-n):] {
		b.WriteString(letters[o][:1])
	}
	return b.String()
}

func formatRecord(l league.League, t tally, withTies bool) string {
	switch {
	case l.Draws():
		return fmt.Sprintf("%d-%d-%d", t.w, t.t, t.l)
	case l.OTLosses:
		return fmt.Sprintf("%d-%d-%d", t.w, t.l, t.otl)
	case withTies:
		return fmt.Sprintf("%d-%d-%d", t.w, t.l, t.t)
	}
	return fmt.Sprintf("%d-%d", t.w, t.l)
}

func streak(results []outcome, letters map[outcome]string) string {
	if len(results) == 0 {
		return ""
	}
	last := results[len(results)-1]
	n := 0
	for i := len(results) - 1; i >= 0 && results[i] == last; i-- {
		n++
	}
	return fmt.Sprintf("%s%d", letters[last], n)
}
