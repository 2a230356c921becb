package simulator

import (
	"fmt"
	"math"
	"time"
)

// The play texts below are generic: the captures carry no rosters the
// simulator could reuse, so plays name teams, never players.

func (p *gamePlan) sideTeam(s side) *team {
	if s == home {
		return p.home
	}
	return p.away
}

// eventText is the last-play text of a score event; e.text, when set, is
// a fragment the script chose ("kickoff return for a TOUCHDOWN").
func eventText(p *gamePlan, e *scoreEvent, i int) string {
	t := p.sideTeam(e.side).shortDisplayName
	h := mix(p.seed ^ uint64(i+1)<<32)
	clock := "(" + displayClock(e.clock) + ") "
	switch e.kind {
	case kindTouchdown:
		if e.text != "" {
			return clock + t + " " + e.text
		}
		yards := 1 + int(h%45)
		if h>>8%2 == 0 {
			return fmt.Sprintf("%s%s %d-yard touchdown pass", clock, t, yards)
		}
		return fmt.Sprintf("%s%s %d-yard touchdown run", clock, t, yards%20+1)
	case kindExtraPoint:
		return t + " extra point is GOOD"
	case kindTwoPoint:
		return t + " two-point conversion ATTEMPT SUCCEEDS"
	case kindFieldGoal:
		return fmt.Sprintf("%s%s %d-yard field goal is GOOD", clock, t, 22+int(h%33))
	case kindSafety:
		return clock + "SAFETY, " + t + " score two points"
	case kindOverturned:
		if p.lg.nfl() {
			return "After review, the " + t + " touchdown is overturned"
		}
		return "Goal by " + t + " overturned after a challenge (offside)"
	case kindGoal:
		if e.text != "" {
			return "Goal scored by " + t + " (" + e.text + ")"
		}
		return "Goal scored by " + t
	case kindShootout:
		return t + " win the shootout"
	}
	return t + " score"
}

func playType(kind string, nfl bool) (id, text string) {
	switch kind {
	case kindTouchdown:
		return "68", "Passing Touchdown"
	case kindExtraPoint, kindTwoPoint:
		return "59", "Extra Point Good"
	case kindFieldGoal:
		return "59", "Field Goal Good"
	case kindSafety:
		return "20", "Safety"
	case kindOverturned:
		if nfl {
			return "57", "Official Timeout"
		}
		return "516", "Challenge"
	case kindGoal, kindShootout:
		return "505", "Goal"
	}
	return "0", "Play"
}

var nflPlays = []struct {
	typeID, typeText, format string
	minYards, maxYards       int
}{
	{"24", "Pass Reception", "%s pass short right for %d yards", 2, 24},
	{"5", "Rush", "%s run up the middle for %d yards", 1, 9},
	{"3", "Pass Incompletion", "%s pass incomplete deep left", 0, 0},
	{"52", "Punt", "%s punts %d yards, fair catch", 34, 56},
	{"7", "Sack", "%s sacked for a loss of %d yards", 2, 11},
	{"5", "Rush", "%s run to the left end for %d yards", 2, 16},
}

var nhlPlays = []struct{ typeID, typeText, format string }{
	{"502", "Faceoff", "Faceoff won by %s"},
	{"506", "Shot", "Shot on goal by %s saved"},
	{"507", "Blocked Shot", "Shot blocked by %s"},
	{"503", "Hit", "Hit by %s"},
	{"516", "Takeaway", "Takeaway by %s"},
	{"504", "Giveaway", "Giveaway by %s"},
	{"509", "Penalty", "Penalty to %s 2 minutes for Tripping"},
}

// recentScore is the last score event if it happened within d before t.
func (p *gamePlan) recentScore(st gameState, t time.Time, d time.Duration) *scoreEvent {
	if st.n == 0 {
		return nil
	}
	e := &p.events[st.n-1]
	if t.Sub(e.at) <= d {
		return e
	}
	return nil
}

// situation builds ESPN's competitions[0].situation for a game in progress.
func (p *gamePlan) situation(st gameState, t time.Time) any {
	if p.lg.nfl() {
		return p.nflSituation(st, t)
	}
	return nhlSituationJSON{LastPlay: p.nhlLastPlay(st, t)}
}

func (p *gamePlan) nflSituation(st gameState, t time.Time) nflSituationJSON {
	sit := nflSituationJSON{HomeTimeouts: 3, AwayTimeouts: 3}
	sg := st.seg
	tick := uint64(t.Sub(sg.from) / (40 * time.Second))
	h := mix(p.seed ^ uint64(sg.period)<<40 ^ tick)
	sit.HomeTimeouts = 3 - int(h>>50%2)
	sit.AwayTimeouts = 3 - int(h>>52%2)
	if sg.kind != segPlay && sg.kind != segHold {
		sit.LastPlay = lastPlayJSON{ID: p.id + "9" + fmt.Sprint(sg.period), Type: playTypeJSON{ID: "2", Text: "End Period", Abbreviation: "EP"},
			Text: "END " + upper(p.periodLong(sg.period)), Probability: p.probability(st)}
		return sit
	}
	// Drives change every six simulated minutes; after a score the other
	// team receives the kickoff.
	drive := uint64(t.Sub(p.start) / (6 * time.Minute))
	poss := side(mix(p.seed^drive) % 2)
	if e := p.recentScore(st, t, 6*time.Minute); e != nil && e.points > 0 {
		poss = 1 - e.side
	}
	holder, other := p.sideTeam(poss), p.sideTeam(1-poss)
	sit.Possession = holder.id
	sit.Down = 1 + int(h%4)
	sit.Distance = 1 + int(h>>8%10)
	yl := 1 + int(h>>16%49)
	spot := holder
	if h>>24%2 == 0 {
		spot = other
	}
	sit.YardLine = yl
	if spot == other {
		sit.YardLine = 100 - yl
		sit.IsRedZone = yl <= 20
	}
	sit.DownDistanceText = fmt.Sprintf("%s & %d at %s %d", ordinal(sit.Down), sit.Distance, spot.abbr, yl)
	sit.ShortDownDistanceText = fmt.Sprintf("%s & %d", ordinal(sit.Down), sit.Distance)
	sit.PossessionText = fmt.Sprintf("%s %d", spot.abbr, yl)

	if e := p.recentScore(st, t, 90*time.Second); e != nil {
		id, text := playType(e.kind, true)
		sit.LastPlay = lastPlayJSON{ID: p.id + fmt.Sprint(st.n), Type: playTypeJSON{ID: id, Text: text}, Text: e.text,
			ScoreValue: max(e.points, 0), Team: &idJSON{ID: p.sideTeam(e.side).id}, Probability: p.probability(st)}
		return sit
	}
	pl := nflPlays[int(h>>32%uint64(len(nflPlays)))]
	text := "(" + displayClock(st.clock) + ") " + pl.format
	if pl.maxYards > 0 {
		yards := pl.minYards + int(h>>40%uint64(pl.maxYards-pl.minYards+1))
		text = fmt.Sprintf(text, holder.shortDisplayName, yards)
	} else {
		text = fmt.Sprintf(text, holder.shortDisplayName)
	}
	sit.LastPlay = lastPlayJSON{ID: p.id + fmt.Sprint(1000+tick), Type: playTypeJSON{ID: pl.typeID, Text: pl.typeText}, Text: text,
		Team: &idJSON{ID: holder.id}, Probability: p.probability(st)}
	return sit
}

func (p *gamePlan) nhlLastPlay(st gameState, t time.Time) lastPlayJSON {
	if e := p.recentScore(st, t, 2*time.Minute); e != nil {
		id, text := playType(e.kind, false)
		return lastPlayJSON{ID: p.id + fmt.Sprint(st.n), Type: playTypeJSON{ID: id, Text: text, Abbreviation: "goal"}, Text: e.text,
			ScoreValue: max(e.points, 0), Team: &idJSON{ID: p.sideTeam(e.side).id}}
	}
	sg := st.seg
	if sg.kind == segShootout {
		return lastPlayJSON{ID: p.id + "95", Type: playTypeJSON{ID: "521", Text: "Shootout", Abbreviation: "shootout"}, Text: "Shootout in progress"}
	}
	if sg.kind != segPlay && sg.kind != segHold {
		return lastPlayJSON{ID: p.id + "9" + fmt.Sprint(sg.period), Type: playTypeJSON{ID: "520", Text: "End Period", Abbreviation: "end-period"},
			Text: "End of " + p.periodLong(sg.period)}
	}
	tick := uint64(t.Sub(sg.from) / (30 * time.Second))
	h := mix(p.seed ^ uint64(sg.period)<<40 ^ tick)
	pl := nhlPlays[int(h%uint64(len(nhlPlays)))]
	who := p.sideTeam(side(h >> 8 % 2))
	return lastPlayJSON{ID: p.id + fmt.Sprint(1000+tick), Type: playTypeJSON{ID: pl.typeID, Text: pl.typeText}, Text: fmt.Sprintf(pl.format, who.shortDisplayName),
		Team: &idJSON{ID: who.id}}
}

// probability is a home win chance from the margin and the time left, in
// ESPN's fractions.
func (p *gamePlan) probability(st gameState) *probabilityJSON {
	left := 0
	reg := p.lg.reg.Periods
	if st.period <= reg {
		left = (reg-st.period)*p.lg.clockLen + st.clock
	} else {
		left = st.clock
	}
	frac := float64(left)/float64(reg*p.lg.clockLen) + 0.02
	margin := float64(st.home-st.away) + 2.5*(p.home.strength-p.away.strength)/0.3
	x := margin / (13 * math.Sqrt(frac))
	hw := 1 / (1 + math.Exp(-1.7*x))
	hw = math.Round(hw*1000) / 1000
	return &probabilityJSON{TiePercentage: 0, HomeWinPercentage: hw, AwayWinPercentage: math.Round((1-hw)*1000) / 1000, SecondsLeft: left}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
