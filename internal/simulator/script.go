package simulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// planned is a scoring event before it has a time: at a game clock in a
// period, or a fixed simulated delay after the previous event (a
// conversion, a review, an answer seconds later).
type planned struct {
	period int
	clock  int
	after  time.Duration
	side   side
	points int
	kind   string
	text   string
}

// ending says how a game goes past regulation.
type ending int

const (
	endRegulation  ending = iota
	endSuddenDeath        // one overtime score ends it
	endTie                // NFL: overtime without a score
	endShootout           // NHL: no overtime goal; a shootout decides
)

// script is a game's scoring before the timeline gives it times.
type script struct {
	reg      []planned
	ot       *planned // the sudden-death score
	ending   ending
	shootout side // the shootout's winner
}

const (
	kindTouchdown  = "touchdown"
	kindExtraPoint = "extra point"
	kindTwoPoint   = "two-point conversion"
	kindFieldGoal  = "field goal"
	kindSafety     = "safety"
	kindOverturned = "overturned"
	kindGoal       = "goal"
	kindShootout   = "shootout"

	conversionDelay = 40 * time.Second  // a try follows its touchdown
	reviewDelay     = 100 * time.Second // a replay review takes a score back
)

// scriptGame draws or looks up the game's scoring and lays out its timeline.
func scriptGame(p *gamePlan, seed int64) error {
	r := rngFor(seed, p.lg.reg.Key, "script", p.seq)
	if p.lg.soccer() {
		var ss soccerScript
		switch p.scenario {
		case ScenarioDraw:
			ss = soccerDrawScript(r)
		case ScenarioPenalties:
			ss = soccerPenaltiesScript(r)
		default:
			ss = randomSoccer(p, r)
		}
		if err := buildSoccerTimeline(p, ss); err != nil {
			return fmt.Errorf("simulator: game %s (%s @ %s, %q): %w", p.id, p.away.abbr, p.home.abbr, p.scenario, err)
		}
		return nil
	}
	var s script
	switch {
	case p.lg.nfl() && p.scenario == ScenarioOvertime:
		s = nflOvertimeScript()
	case p.lg.nfl() && p.scenario == ScenarioTie:
		s = nflTieScript()
	case p.lg.nfl() && p.scenario == ScenarioQuick:
		s = nflQuickScript()
	case p.lg.nfl() && p.scenario == ScenarioOverturned:
		s = nflOverturnedScript()
	case p.lg.nfl():
		s = randomNFL(p, r)
	case p.scenario == ScenarioOvertime:
		s = nhlOvertimeScript()
	case p.scenario == ScenarioShootout:
		s = nhlShootoutScript()
	case p.scenario == ScenarioQuick:
		s = nhlQuickOverturnedScript()
	default:
		s = randomNHL(p, r)
	}
	if err := buildTimeline(p, s, r); err != nil {
		return fmt.Errorf("simulator: game %s (%s @ %s, %q): %w", p.id, p.away.abbr, p.home.abbr, p.scenario, err)
	}
	return nil
}

// td appends a touchdown and, unless it ends the game in overtime, its try.
func td(ev []planned, period, clock int, s side, text string, try string) []planned {
	ev = append(ev, planned{period: period, clock: clock, side: s, points: 6, kind: kindTouchdown, text: text})
	switch try {
	case "xp":
		ev = append(ev, planned{after: conversionDelay, side: s, points: 1, kind: kindExtraPoint})
	case "2pt":
		ev = append(ev, planned{after: conversionDelay, side: s, points: 2, kind: kindTwoPoint})
	}
	return ev
}

func fg(ev []planned, period, clock int, s side) []planned {
	return append(ev, planned{period: period, clock: clock, side: s, points: 3, kind: kindFieldGoal})
}

func goal(ev []planned, period, clock int, s side) []planned {
	return append(ev, planned{period: period, clock: clock, side: s, points: 1, kind: kindGoal})
}

// nflOvertimeScript: 17-17 after a touchdown with 0:38 left, the away team
// wins with a field goal at 0:09 of overtime (Final/OT, period 5). In the
// Sunday night slot (20:20 ET) the game ends after midnight Eastern.
func nflOvertimeScript() script {
	var e []planned
	e = fg(e, 1, 492, home)
	e = td(e, 2, 640, away, "", "xp")
	e = td(e, 2, 115, home, "", "xp")
	e = fg(e, 3, 270, away)
	e = td(e, 4, 543, home, "", "xp")
	e = td(e, 4, 38, away, "", "xp")
	return script{reg: e, ending: endSuddenDeath, ot: &planned{period: 5, clock: 9, side: away, points: 3, kind: kindFieldGoal}}
}

// nflTieScript: 10-10 after regulation and after a scoreless overtime
// (Final/OT, no winner; both records gain a tie).
func nflTieScript() script {
	var e []planned
	e = td(e, 1, 380, away, "", "xp")
	e = fg(e, 2, 722, home)
	e = td(e, 3, 468, home, "", "xp")
	e = fg(e, 4, 130, away)
	return script{reg: e, ending: endTie}
}

// nflQuickScript: the home team scores twice in a row (field goal, then
// touchdown); in the 3rd quarter a home field goal is answered by an away
// kickoff return touchdown 8 simulated seconds later; a safety and a
// two-point conversion follow. Final 23-17.
func nflQuickScript() script {
	var e []planned
	e = td(e, 1, 554, away, "", "xp")
	e = fg(e, 2, 800, home)
	e = td(e, 2, 245, home, "", "xp")
	e = fg(e, 3, 380, home)
	e = append(e, planned{after: 8 * time.Second, side: away, points: 6, kind: kindTouchdown, text: "kickoff return for a TOUCHDOWN"})
	e = append(e, planned{after: conversionDelay, side: away, points: 1, kind: kindExtraPoint})
	e = append(e, planned{period: 4, clock: 692, side: home, points: 2, kind: kindSafety})
	e = td(e, 4, 192, home, "", "2pt")
	e = fg(e, 4, 4, away)
	return script{reg: e}
}

// nflOverturnedScript: an away touchdown (7-6) is overturned on review
// 100 simulated seconds later (7-0); final 13-10 on a field goal at 0:03.
func nflOverturnedScript() script {
	var e []planned
	e = td(e, 1, 631, home, "", "xp")
	e = append(e, planned{period: 2, clock: 435, side: away, points: 6, kind: kindTouchdown})
	e = append(e, planned{after: reviewDelay, side: away, points: -6, kind: kindOverturned})
	e = fg(e, 2, 302, away)
	e = fg(e, 3, 580, home)
	e = td(e, 4, 355, away, "", "xp")
	e = fg(e, 4, 3, home)
	return script{reg: e}
}

// nhlOvertimeScript: 2-2 on a goal with 1:12 left in the 3rd, the home team
// wins at 2:31 of overtime (Final/OT, period 4).
func nhlOvertimeScript() script {
	var e []planned
	e = goal(e, 1, 862, home)
	e = goal(e, 2, 370, away)
	e = goal(e, 3, 705, away)
	e = goal(e, 3, 72, home)
	return script{reg: e, ending: endSuddenDeath, ot: &planned{period: 4, clock: 151, side: home, points: 1, kind: kindGoal}}
}

// nhlShootoutScript: 1-1 after overtime, the away team wins the shootout
// (Final/SO, period 5, 1-2).
func nhlShootoutScript() script {
	var e []planned
	e = goal(e, 1, 482, away)
	e = goal(e, 2, 940, home)
	return script{reg: e, ending: endShootout, shootout: away}
}

// nhlQuickOverturnedScript: a home goal answered by an away goal 6
// simulated seconds later; an away goal overturned on a challenge 100
// simulated seconds after it; the home team then scores twice in a row.
// Final 4-2.
func nhlQuickOverturnedScript() script {
	var e []planned
	e = goal(e, 1, 730, home)
	e = append(e, planned{after: 6 * time.Second, side: away, points: 1, kind: kindGoal})
	e = goal(e, 2, 570, away)
	e = append(e, planned{after: reviewDelay, side: away, points: -1, kind: kindOverturned})
	e = goal(e, 2, 185, home)
	e = goal(e, 3, 1004, home)
	e = goal(e, 3, 260, away)
	e = append(e, planned{period: 3, clock: 45, side: home, points: 1, kind: kindGoal, text: "empty-net goal"})
	return script{reg: e}
}

// homeShare is the chance that a score goes to the home team.
func homeShare(p *gamePlan, edge float64) float64 {
	return p.home.strength/(p.home.strength+p.away.strength) + edge
}

func pickSide(r *rand.Rand, pHome float64) side {
	if r.Float64() < pHome {
		return home
	}
	return away
}

// spacedClocks draws n game clocks in [lo, hi], at least gap apart, from
// the latest clock (earliest play) down; fewer when they do not fit.
func spacedClocks(r *rand.Rand, n, lo, hi, gap int) []int {
	for ; n > 0; n-- {
		for try := 0; try < 50; try++ {
			cs := make([]int, n)
			for i := range cs {
				cs[i] = lo + r.IntN(hi-lo+1)
			}
			sort.Sort(sort.Reverse(sort.IntSlice(cs)))
			ok := true
			for i := 1; i < n; i++ {
				if cs[i-1]-cs[i] < gap {
					ok = false
					break
				}
			}
			if ok {
				return cs
			}
		}
	}
	return nil
}

func totals(ev []planned) (h, a int) {
	for _, e := range ev {
		if e.side == home {
			h += e.points
		} else {
			a += e.points
		}
	}
	return h, a
}

// randomNFL: zero to three scoring plays a quarter; touchdowns (with an
// extra point, a missed kick or a two-point try), field goals and rare
// safeties; a tie after regulation goes to a sudden-death overtime score.
func randomNFL(p *gamePlan, r *rand.Rand) script {
	pHome := homeShare(p, 0.03)
	var e []planned
	for q := 1; q <= 4; q++ {
		x := r.Float64()
		n := 0
		switch {
		case x < 0.15:
		case x < 0.5:
			n = 1
		case x < 0.85:
			n = 2
		default:
			n = 3
		}
		for _, c := range spacedClocks(r, n, 75, 870, 120) {
			s := pickSide(r, pHome)
			switch k := r.Float64(); {
			case k < 0.02:
				e = append(e, planned{period: q, clock: c, side: s, points: 2, kind: kindSafety})
			case k < 0.42:
				e = fg(e, q, c, s)
			default:
				try := "xp"
				switch t := r.Float64(); {
				case t < 0.03:
					try = "" // missed kick: no change
				case t < 0.06:
					if r.IntN(2) == 0 {
						try = "2pt"
					} else {
						try = ""
					}
				}
				e = td(e, q, c, s, "", try)
			}
		}
	}
	s := script{reg: e}
	if h, a := totals(e); h == a {
		s.ending = endSuddenDeath
		side := pickSide(r, pHome)
		if r.Float64() < 0.6 {
			s.ot = &planned{period: 5, clock: 60 + r.IntN(481), side: side, points: 3, kind: kindFieldGoal}
		} else {
			// An overtime touchdown ends the game without a try.
			s.ot = &planned{period: 5, clock: 60 + r.IntN(481), side: side, points: 6, kind: kindTouchdown}
		}
	}
	return s
}

func poisson(r *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l || k >= 8 {
			return k
		}
		k++
	}
}

// randomNHL: goals drawn per team from the strengths; a tie after
// regulation is settled in overtime (60 %) or by a shootout.
func randomNHL(p *gamePlan, r *rand.Rand) script {
	type g struct {
		period int
		side   side
	}
	var goals []g
	for _, sd := range []side{home, away} {
		t := p.home
		if sd == away {
			t = p.away
		}
		for i, n := 0, poisson(r, 1.2+3.5*t.strength); i < n; i++ {
			goals = append(goals, g{period: 1 + r.IntN(3), side: sd})
		}
	}
	var e []planned
	for per := 1; per <= 3; per++ {
		var sides []side
		for _, x := range goals {
			if x.period == per {
				sides = append(sides, x.side)
			}
		}
		r.Shuffle(len(sides), func(i, j int) { sides[i], sides[j] = sides[j], sides[i] })
		for i, c := range spacedClocks(r, len(sides), 15, 1185, 25) {
			e = goal(e, per, c, sides[i])
		}
	}
	s := script{reg: e}
	if h, a := totals(e); h == a {
		side := pickSide(r, homeShare(p, 0.02))
		if r.Float64() < 0.6 {
			s.ending = endSuddenDeath
			s.ot = &planned{period: 4, clock: 15 + r.IntN(271), side: side, points: 1, kind: kindGoal}
		} else {
			s.ending = endShootout
			s.shootout = side
		}
	}
	return s
}

// Breaks between periods, in simulated time. ESPN's wording for them was
// never captured; docs/espn.md lists the names other clients key on.
const (
	nflQuarterBreak = 2 * time.Minute
	nflHalftime     = 13 * time.Minute
	nflBeforeOT     = 3 * time.Minute
	nhlIntermission = 18 * time.Minute
	nhlBeforeOT     = 2 * time.Minute
	nhlBeforeSO     = time.Minute
	nhlShootoutLen  = 6 * time.Minute
	finalAfter      = time.Minute // the last whistle to "Final"
)

// buildTimeline turns the script into segments and timed score events.
func buildTimeline(p *gamePlan, s script, r *rand.Rand) error {
	lg := p.lg
	// Simulated time per game second: NFL quarters take 44-50 minutes,
	// NHL periods 33-38 minutes.
	var scale time.Duration
	if lg.nfl() {
		scale = time.Duration(2930+r.IntN(401)) * time.Millisecond
	} else {
		scale = time.Duration(1650+r.IntN(251)) * time.Millisecond
	}
	regPeriods := lg.reg.Periods
	t := p.start
	var segs []segment
	push := func(sg segment) {
		segs = append(segs, sg)
		t = sg.to
	}
	for per := 1; per <= regPeriods; per++ {
		push(segment{kind: segPlay, period: per, from: t, to: t.Add(time.Duration(lg.clockLen) * scale), clockLen: lg.clockLen, scale: scale})
		if per == regPeriods {
			break
		}
		switch {
		case lg.nfl() && per == 2:
			push(segment{kind: segHalftime, period: per, from: t, to: t.Add(nflHalftime)})
		case lg.nfl():
			push(segment{kind: segBreak, period: per, from: t, to: t.Add(nflQuarterBreak)})
		default:
			push(segment{kind: segBreak, period: per, from: t, to: t.Add(nhlIntermission)})
		}
	}
	events, err := placeEvents(segs, s.reg)
	if err != nil {
		return err
	}
	h, a := 0, 0
	for _, e := range events {
		if e.side == home {
			h += e.points
		} else {
			a += e.points
		}
	}
	if (h == a) != (s.ending != endRegulation) {
		return fmt.Errorf("regulation ends %d-%d but the script's ending is %d", h, a, s.ending)
	}
	fin := finalInfo{period: regPeriods, detail: "Final"}
	otPeriod := regPeriods + 1
	beforeOT := nflBeforeOT
	if !lg.nfl() {
		beforeOT = nhlBeforeOT
	}
	switch s.ending {
	case endRegulation:
		push(segment{kind: segHold, period: regPeriods, from: t, to: t.Add(finalAfter)})
	case endSuddenDeath, endTie, endShootout:
		if s.ending == endTie && !lg.nfl() || s.ending == endShootout && lg.nfl() {
			return fmt.Errorf("ending %d does not exist in %s", s.ending, lg.reg.Key)
		}
		push(segment{kind: segBreak, period: regPeriods, from: t, to: t.Add(beforeOT)})
		ot := segment{kind: segPlay, period: otPeriod, from: t, to: t.Add(time.Duration(lg.otClockLen) * scale), clockLen: lg.otClockLen, scale: scale}
		fin.period, fin.detail, fin.altDetail = otPeriod, "Final/OT", "OT"
		if s.ending == endSuddenDeath {
			if s.ot == nil || s.ot.period != otPeriod || s.ot.after != 0 || s.ot.clock <= 0 || s.ot.clock >= lg.otClockLen {
				return fmt.Errorf("sudden-death score missing or outside overtime")
			}
			ot.to = ot.from.Add(time.Duration(lg.otClockLen-s.ot.clock) * scale)
			push(ot)
			e := s.ot
			events = append(events, scoreEvent{at: ot.to, period: otPeriod, clock: e.clock, side: e.side, points: e.points, kind: e.kind, text: e.text})
			push(segment{kind: segHold, period: otPeriod, from: t, to: t.Add(finalAfter), hold: e.clock})
			break
		}
		push(ot)
		if s.ending == endTie {
			push(segment{kind: segHold, period: otPeriod, from: t, to: t.Add(finalAfter)})
			break
		}
		push(segment{kind: segBreak, period: otPeriod, from: t, to: t.Add(nhlBeforeSO)})
		push(segment{kind: segShootout, period: otPeriod + 1, from: t, to: t.Add(nhlShootoutLen)})
		// ESPN counts the shootout as one goal for its winner.
		events = append(events, scoreEvent{at: t, period: otPeriod + 1, side: s.shootout, points: 1, kind: kindShootout})
		fin.period, fin.detail, fin.altDetail = otPeriod+1, "Final/SO", "SO"
	}
	if err := scoreEvents(p, events); err != nil {
		return err
	}
	if err := settle(&fin, events, s.ending); err != nil {
		return err
	}
	fin.otLoss = !lg.nfl() && fin.period > regPeriods
	p.segments = segs
	p.events = events
	p.end = t
	p.final = fin
	return nil
}

// scoreEvents gives each event the running score and its text; the score
// never goes below zero and the events come one after the other.
func scoreEvents(p *gamePlan, events []scoreEvent) error {
	h, a := 0, 0
	for i := range events {
		e := &events[i]
		if e.side == home {
			h += e.points
		} else {
			a += e.points
		}
		if h < 0 || a < 0 {
			return fmt.Errorf("score below zero after event %d", i)
		}
		if i > 0 && !e.at.After(events[i-1].at) {
			return fmt.Errorf("event %d is not after event %d", i, i-1)
		}
		e.home, e.away = h, a
		e.text = eventText(p, e, i)
	}
	return nil
}

// settle sets the final score and its winner from the last event.
func settle(fin *finalInfo, events []scoreEvent, end ending) error {
	if n := len(events); n > 0 {
		fin.home, fin.away = events[n-1].home, events[n-1].away
	}
	h, a := fin.home, fin.away
	switch {
	case h == a:
		if end != endTie {
			return fmt.Errorf("final %d-%d is tied", h, a)
		}
		fin.tie = true
	case h > a:
		fin.winner = home
	default:
		fin.winner = away
	}
	return nil
}

// placeEvents gives regulation events their times.
func placeEvents(segs []segment, ev []planned) ([]scoreEvent, error) {
	play := map[int]*segment{}
	for i := range segs {
		if segs[i].kind == segPlay {
			play[segs[i].period] = &segs[i]
		}
	}
	out := make([]scoreEvent, 0, len(ev))
	for i, e := range ev {
		var sg *segment
		var t time.Time
		period := e.period
		if e.after > 0 {
			if i == 0 {
				return nil, fmt.Errorf("event %d follows nothing", i)
			}
			period = out[i-1].period
			sg = play[period]
			t = out[i-1].at.Add(e.after)
		} else {
			sg = play[period]
			if sg == nil {
				return nil, fmt.Errorf("event %d in period %d, which is not regulation", i, period)
			}
			if e.clock <= 0 || e.clock >= sg.clockLen {
				return nil, fmt.Errorf("event %d at clock %d, outside the period", i, e.clock)
			}
			t = sg.from.Add(time.Duration(sg.clockLen-e.clock) * sg.scale)
		}
		if t.Before(sg.from) || !t.Before(sg.to) {
			return nil, fmt.Errorf("event %d falls outside period %d", i, period)
		}
		if i > 0 && !t.After(out[i-1].at) {
			return nil, fmt.Errorf("event %d is not after event %d", i, i-1)
		}
		out = append(out, scoreEvent{at: t, period: period, clock: sg.clockAt(t), side: e.side, points: e.points, kind: e.kind, text: e.text})
	}
	return out, nil
}
