package teamtracker

import (
	"strconv"
	"strings"

	"github.com/sports-data/sports-data/internal/espnjson"
)

// TeamTracker's rules for the sports of athletes and for cricket, applied
// whatever the state, after the rules every sport shares: what "score",
// "rank", "clock" and "last_play" mean in a tennis match, a bout, a golf
// tournament, a race session and a cricket match.

// individualValues applies the competition's sport's rules; ti and oi are
// the followed competitor's and the opponent's indexes in comp.
func individualValues(a map[string]any, ev *espnjson.Event, comp *espnjson.Competition, ti, oi int, state string, c context) {
	team, opp := &comp.Competitors[ti], &comp.Competitors[oi]
	switch c.sport {
	case "tennis":
		tennisValues(a, ev, comp, team, opp, state)
	case "mma":
		mmaValues(a, ev, team, opp)
	case "golf":
		var period espnjson.Value
		switch {
		case comp.Status != nil && present(comp.Status.Period):
			period = comp.Status.Period
		case ev.Status != nil:
			period = ev.Status.Period
		}
		golfValues(a, comp, period, ti, oi, state)
	case "racing":
		racingValues(a, ev, comp, ti, oi, state)
	case "cricket":
		cricketValues(a, comp, team, opp)
	}
}

// linescore is x's i-th linescore (negative: from the end); nil when it
// has none there.
func linescore(x *espnjson.Competitor, i int) *espnjson.Linescore {
	if i < 0 {
		i += len(x.Linescores)
	}
	if i < 0 || i >= len(x.Linescores) {
		return nil
	}
	return &x.Linescores[i]
}

// lsValue is a linescore's value as TeamTracker's int() reads it, 0 when
// absent.
func lsValue(x *espnjson.Competitor, i int) float64 {
	if ls := linescore(x, i); ls != nil {
		if f, ok := number(ls.Value); ok {
			return f
		}
	}
	return 0
}

// tennisValues: the court, round and draw; seeds as ranks; the current
// set's games as the score (sets won once the match is over); tie-break
// points; every set in the last play; sets won before the current set.
func tennisValues(a map[string]any, ev *espnjson.Event, comp *espnjson.Competition, team, opp *espnjson.Competitor, state string) {
	a["location"], a["down_distance_text"], a["overunder"] = nil, nil, nil
	if comp.Venue != nil {
		a["location"] = value(comp.Venue.Court)
	}
	if comp.Round != nil {
		a["down_distance_text"] = value(comp.Round.DisplayName)
	}
	if comp.Type != nil {
		a["overunder"] = value(comp.Type.Text)
	}
	a["team_rank"], a["opponent_rank"] = value(team.TournamentSeed), value(opp.TournamentSeed)
	switch {
	case comp.Status != nil:
		a["clock"] = value(comp.Status.Type.Detail)
	case ev.Status != nil:
		a["clock"] = value(ev.Status.Type.ShortDetail)
	default:
		a["clock"] = nil
	}
	last := func(x *espnjson.Competitor, pick func(*espnjson.Linescore) espnjson.Value) any {
		if ls := linescore(x, -1); ls != nil {
			return value(pick(ls))
		}
		return nil
	}
	a["team_score"] = last(team, func(l *espnjson.Linescore) espnjson.Value { return l.Value })
	a["opponent_score"] = last(opp, func(l *espnjson.Linescore) espnjson.Value { return l.Value })
	a["team_shots_on_target"] = last(team, func(l *espnjson.Linescore) espnjson.Value { return l.Tiebreak })
	a["opponent_shots_on_target"] = last(opp, func(l *espnjson.Linescore) espnjson.Value { return l.Tiebreak })
	n := len(team.Linescores)
	if state == StatePost {
		t, o := 0, 0
		for x := range n {
			if int(lsValue(team, x)) > int(lsValue(opp, x)) {
				t++
			} else {
				o++
			}
		}
		a["team_score"], a["opponent_score"] = itoa(t), itoa(o)
	}
	short := func(x *espnjson.Competitor) string {
		switch {
		case x.Athlete != nil && present(x.Athlete.ShortName):
			return pyStr(x.Athlete.ShortName)
		case x.Roster != nil && present(x.Roster.ShortDisplayName):
			return pyStr(x.Roster.ShortDisplayName)
		}
		return "{shortName}"
	}
	var b strings.Builder
	for x := range n {
		b.WriteString(" Set " + itoa(x+1) + ": " + short(team) + " " + itoa(int(lsValue(team, x))) + " " + short(opp) + " " + itoa(int(lsValue(opp, x))) + "; ")
	}
	a["last_play"] = b.String()
	t, o := 0, 0
	for x := 0; x < n-1; x++ {
		if lsValue(team, x) > lsValue(opp, x) {
			t++
		} else {
			o++
		}
	}
	a["team_sets_won"], a["opponent_sets_won"] = itoa(t), itoa(o)
}

// mmaValues: the card's name; the judges' cards won as the score, or W
// and L after a finish; the card's finished bouts as the last play.
func mmaValues(a map[string]any, ev *espnjson.Event, team, opp *espnjson.Competitor) {
	a["event_name"] = value(ev.Name)
	cards := func(x *espnjson.Competitor) []espnjson.Value {
		ls := linescore(x, -1)
		if ls == nil {
			return nil
		}
		out := make([]espnjson.Value, len(ls.Linescores))
		for i := range ls.Linescores {
			out[i] = ls.Linescores[i].Value
		}
		return out
	}
	tc, oc := cards(team), cards(opp)
	card := func(cs []espnjson.Value, i int) float64 {
		if i < len(cs) {
			if f, ok := number(cs[i]); ok {
				return f
			}
		}
		return 0
	}
	t, o := 0, 0
	for i := range tc {
		switch tv, ov := card(tc, i), card(oc, i); {
		case tv > ov:
			t++
		case tv < ov:
			o++
		}
		a["team_score"], a["opponent_score"] = itoa(t), itoa(o)
	}
	if t == o {
		if won(team.Winner) {
			a["team_score"], a["opponent_score"] = "W", "L"
		}
		if won(opp.Winner) {
			a["team_score"], a["opponent_score"] = "L", "W"
		}
	}
	a["last_play"] = priorFights(ev)
}

// won is a winner flag as Python's truth reads it: true, or any
// non-empty string ("false" included).
func won(v espnjson.Value) bool {
	if s, ok := text(v); ok {
		return s != ""
	}
	return string(v) == "true" || (present(v) && string(v) != "false" && string(v) != "null" && string(v) != "0")
}

// priorFights lists a card's finished bouts: "1. *WINNER v. loser (Dec:
// 3-0); " with the winner in capitals, or the round and time of a finish.
func priorFights(ev *espnjson.Event) string {
	var b strings.Builder
	n := 1
	for i := range ev.Competitions {
		comp := &ev.Competitions[i]
		if comp.Status == nil || strings.ToUpper(comp.Status.Type.State) != "POST" {
			continue
		}
		at := func(k int) *espnjson.Competitor {
			if k < len(comp.Competitors) {
				return &comp.Competitors[k]
			}
			return &espnjson.Competitor{}
		}
		name := func(x *espnjson.Competitor) string {
			if x.Athlete != nil && present(x.Athlete.ShortName) {
				return pyStr(x.Athlete.ShortName)
			}
			return "{shortName}"
		}
		b.WriteString(strconv.Itoa(n) + ". ")
		if c0 := at(0); won(c0.Winner) {
			b.WriteString("*" + strings.ToUpper(name(c0)))
		} else {
			b.WriteString(name(c0))
		}
		b.WriteString(" v. ")
		if c1 := at(1); won(c1.Winner) {
			b.WriteString(strings.ToUpper(name(c1)) + "*")
		} else {
			b.WriteString(name(c1))
		}
		judge := func(x *espnjson.Competitor, k int) int {
			ls := linescore(x, 0)
			if ls == nil || k >= len(ls.Linescores) {
				return 0
			}
			f, _ := number(ls.Linescores[k].Value)
			return int(f)
		}
		f1, f2, t := 0, 0, 0
		if ls := linescore(at(0), 0); ls != nil {
			for k := range ls.Linescores {
				switch v0, v1 := judge(at(0), k), judge(at(1), k); {
				case v0 > v1:
					f1++
				case v0 < v1:
					f2++
				default:
					t++
				}
			}
		}
		if f1 == 0 && f2 == 0 && t == 0 {
			b.WriteString(" (KO/TKO/Sub: R" + orText(comp.Status.Period, "{period}") + "@" + orText(comp.Status.DisplayClock, "{displayClock}"))
		} else {
			b.WriteString(" (Dec: " + itoa(f1) + "-" + itoa(f2))
			if t != 0 {
				b.WriteString("-" + itoa(t))
			}
		}
		b.WriteString("); ")
		n++
	}
	return b.String()
}

// orText is Python's str() of a value, or def when it was not sent.
func orText(v espnjson.Value, def string) string {
	if !present(v) {
		return def
	}
	return pyStr(v)
}

// golfScore is a competitor's score for comparing places, with
// TeamTracker's stand-ins for a competitor that is not there.
func golfScore(comp *espnjson.Competition, i int, def string) string {
	if i < 0 || i >= len(comp.Competitors) || !present(comp.Competitors[i].Score) {
		return def
	}
	return string(comp.Competitors[i].Score)
}

// golfPosition is the place of the competitor at index in ESPN's order,
// "T" before it when it shares its score with the one before or after.
func golfPosition(comp *espnjson.Competition, index int) string {
	t, tie := 0, ""
	for x := 1; x <= index; x++ {
		if golfScore(comp, x, "\x00a") == golfScore(comp, t, "\x00b") {
			tie = "T"
		} else {
			tie, t = "", x
		}
	}
	if golfScore(comp, index, "\x00a") == golfScore(comp, index+1, "\x00b") {
		tie = "T"
	}
	return tie + itoa(t+1)
}

// golfValues: places as ranks, the current round's strokes and holes
// played as shots, and the top ten with their scores as the last play.
func golfValues(a map[string]any, comp *espnjson.Competition, period espnjson.Value, ti, oi int, state string) {
	a["team_rank"], a["opponent_rank"] = nil, nil
	if state != StateIn && state != StatePost {
		return
	}
	a["team_rank"], a["opponent_rank"] = golfPosition(comp, ti), golfPosition(comp, oi)
	round := 0
	if n, ok := pyInt(period); ok && n != 0 {
		round = n - 1
	}
	shots := func(x *espnjson.Competitor) (any, int) {
		ls := linescore(x, round)
		if round < 0 || ls == nil {
			return 0, 0
		}
		return orValue(ls.Value, 0), len(ls.Linescores)
	}
	a["team_total_shots"], a["team_shots_on_target"] = shots(&comp.Competitors[ti])
	a["opponent_total_shots"], a["opponent_shots_on_target"] = shots(&comp.Competitors[oi])
	var b strings.Builder
	for x := range 10 {
		b.WriteString(golfPosition(comp, x) + ". ")
		if x < len(comp.Competitors) {
			c := &comp.Competitors[x]
			switch {
			case c.Athlete != nil && present(c.Athlete.ShortName):
				b.WriteString(pyStr(c.Athlete.ShortName))
			case c.Team != nil && present(c.Team.ShortDisplayName):
				b.WriteString(pyStr(c.Team.ShortDisplayName))
			}
			b.WriteString(" (" + orText(c.Score, "") + "),   ")
		} else {
			b.WriteString(" (),   ")
		}
	}
	lp := b.String()
	a["last_play"] = lp[:len(lp)-1]
}

// racingValues: the circuit's city and country, the places in ESPN's
// order as scores (and ranks before the start), the lap as shots, the
// session as the quarter, and the first ten as the last play.
func racingValues(a map[string]any, ev *espnjson.Event, comp *espnjson.Competition, ti, oi int, state string) {
	var city, country *string
	if ev.Circuit != nil && ev.Circuit.Address != nil {
		city, country = ev.Circuit.Address.City, ev.Circuit.Address.Country
	}
	switch {
	case city != nil:
		c := "None"
		if country != nil {
			c = *country
		}
		a["location"] = *city + ", " + c
	case country != nil:
		a["location"] = *country
	default:
		a["location"] = nil
	}
	a["team_score"], a["opponent_score"] = itoa(ti+1), itoa(oi+1)
	if state == StatePre {
		a["team_rank"], a["opponent_rank"] = itoa(ti+1), itoa(oi+1)
	}
	if comp.Status != nil && present(comp.Status.Period) {
		a["team_total_shots"] = value(comp.Status.Period)
	}
	a["quarter"] = nil
	if comp.Type != nil {
		a["quarter"] = value(comp.Type.Abbreviation)
	}
	var b strings.Builder
	for x := range 10 {
		order, name := itoa(x), "{shortName}"
		if x < len(comp.Competitors) {
			c := &comp.Competitors[x]
			order = orText(c.Order, itoa(x))
			if c.Athlete != nil && present(c.Athlete.ShortName) {
				name = pyStr(c.Athlete.ShortName)
			}
		}
		b.WriteString(order + ". " + name + ",   ")
	}
	lp := b.String()
	a["last_play"] = lp[:len(lp)-1]
}

// cricketValues: the match's format as the odds, its status as the clock,
// the session as the quarter, the side batting as the possession and
// ESPN's summary as the last play.
func cricketValues(a map[string]any, comp *espnjson.Competition, team, opp *espnjson.Competitor) {
	a["odds"] = nil
	if comp.Class != nil {
		a["odds"] = value(comp.Class.GeneralClassCard)
	}
	a["clock"], a["quarter"], a["last_play"] = nil, nil, nil
	if st := comp.Status; st != nil {
		a["clock"] = value(st.Type.Description)
		a["quarter"] = value(st.Session)
		a["last_play"] = value(st.Summary)
	}
	for _, x := range []*espnjson.Competitor{team, opp} {
		if ls := linescore(x, -1); ls != nil && won(ls.IsBatting) {
			a["possession"] = value(x.ID)
		}
	}
}
