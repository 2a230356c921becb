package simulator

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Soccer (MLS): two halves of 45 game minutes, each with stoppage time
// drawn per game, a 15-minute halftime, and the clock counting up in
// minutes ("23'", "45'+2'"). A level score at full time is a draw, except
// in the penalties scenario: two halves of extra time (15 minutes each)
// and a penalty shoot-out whose score ESPN sends beside the score
// (shootoutScore), which stays level. Statuses of the halves and of full
// time are the ones the MLS capture shows; the wording of extra time, the
// shoot-out and their finals (STATUS_FINAL_PEN, "FT-Pens") was never
// captured and follows what other ESPN clients report.

const (
	soccerHalftime    = 15 * time.Minute
	soccerBeforeET    = 5 * time.Minute
	soccerETBreak     = time.Minute
	soccerBeforePens  = 3 * time.Minute
	soccerShootoutLen = 8 * time.Minute
)

// soccerScript is a match before its timeline: goals at match minutes,
// the stoppage minutes of each half and, for a shoot-out, its score.
type soccerScript struct {
	goals    []soccerGoal
	added    [4]int // stoppage minutes of periods 1-4
	pens     bool
	pensHome int
	pensAway int
}

type soccerGoal struct {
	period int
	minute int // of the period, 1-based: minute 23 of the 1st half is "23'"
	side   side
}

// regMinutes is the regulation length of a soccer period.
func regMinutes(period int) int {
	if period <= 2 {
		return 45
	}
	return 15
}

// baseMinute is the match minute a period starts at: 0, 45, 90, 105.
func baseMinute(period int) int {
	switch period {
	case 1:
		return 0
	case 2:
		return 45
	case 3:
		return 90
	}
	return 105
}

// soccerClock is ESPN's soccer clock in a period: elapsed match seconds
// and the display ("67'", "45'+2'").
func soccerClock(period, elapsed int) (int, string) {
	if period < 1 {
		return 0, "0'"
	}
	reg := regMinutes(period) * 60
	base := baseMinute(period)
	total := base*60 + elapsed
	if elapsed < reg {
		return total, strconv.Itoa(base+elapsed/60+1) + "'"
	}
	over := (elapsed-reg)/60 + 1
	return total, strconv.Itoa(base+regMinutes(period)) + "'+" + strconv.Itoa(over) + "'"
}

// fullTime is ESPN's clock once a period's time is up: the clock stops
// at the period's end (5400 at full time) and the display keeps the
// stoppage played ("90'+8'").
func fullTime(period, added int) (int, string) {
	end := baseMinute(period) + regMinutes(period)
	if added <= 0 {
		return end * 60, strconv.Itoa(end) + "'"
	}
	return end * 60, strconv.Itoa(end) + "'+" + strconv.Itoa(added) + "'"
}

// soccerDrawScript: 1-0 at 23', 1-1 at 67', a draw.
func soccerDrawScript(r *rand.Rand) soccerScript {
	return soccerScript{added: [4]int{2 + r.IntN(3), 3 + r.IntN(4)},
		goals: []soccerGoal{{1, 23, home}, {2, 22, away}}}
}

// soccerPenaltiesScript: 0-1 at 30', 1-1 at 78', extra time without a
// goal, the away side wins the shoot-out 3-4.
func soccerPenaltiesScript(r *rand.Rand) soccerScript {
	return soccerScript{added: [4]int{1 + r.IntN(3), 3 + r.IntN(4), 1, 2},
		goals: []soccerGoal{{1, 30, away}, {2, 33, home}}, pens: true, pensHome: 3, pensAway: 4}
}

// randomSoccer: goals per side from the strengths, each in a random
// minute of either half (stoppage time included); a level score is a draw.
func randomSoccer(p *gamePlan, r *rand.Rand) soccerScript {
	s := soccerScript{added: [4]int{1 + r.IntN(4), 2 + r.IntN(6)}}
	for _, sd := range []side{home, away} {
		t := p.home
		if sd == away {
			t = p.away
		}
		for i, n := 0, poisson(r, 0.5+1.8*t.strength); i < n; i++ {
			per := 1 + r.IntN(2)
			s.goals = append(s.goals, soccerGoal{period: per, minute: 1 + r.IntN(45+s.added[per-1]), side: sd})
		}
	}
	return s
}

// buildSoccerTimeline lays out the halves (and extra time and penalties
// when scripted) and the goals. A segment's clock counts down the game
// seconds left in the period including its stoppage time, as the other
// sports' do; soccerClock turns it into ESPN's minutes.
func buildSoccerTimeline(p *gamePlan, s soccerScript) error {
	t := p.start
	var segs []segment
	push := func(sg segment) {
		segs = append(segs, sg)
		t = sg.to
	}
	play := func(per int) {
		n := regMinutes(per)*60 + s.added[per-1]*60
		push(segment{kind: segPlay, period: per, from: t, to: t.Add(time.Duration(n) * time.Second), clockLen: n, scale: time.Second})
	}
	play(1)
	push(segment{kind: segHalftime, period: 1, from: t, to: t.Add(soccerHalftime)})
	play(2)
	last := 2
	if s.pens {
		push(segment{kind: segBreak, period: 2, from: t, to: t.Add(soccerBeforeET)})
		play(3)
		push(segment{kind: segBreak, period: 3, from: t, to: t.Add(soccerETBreak)})
		play(4)
		push(segment{kind: segBreak, period: 4, from: t, to: t.Add(soccerBeforePens)})
		push(segment{kind: segShootout, period: 5, from: t, to: t.Add(soccerShootoutLen)})
		last = 5
	} else {
		push(segment{kind: segHold, period: 2, from: t, to: t.Add(finalAfter)})
	}

	var goals []planned
	for _, g := range sortGoals(s.goals) {
		n := regMinutes(g.period)*60 + s.added[g.period-1]*60
		elapsed := (g.minute-1)*60 + 30
		if g.minute < 1 || elapsed >= n {
			return fmt.Errorf("goal at minute %d outside period %d", g.minute, g.period)
		}
		goals = append(goals, planned{period: g.period, clock: n - elapsed, side: g.side, points: 1, kind: kindGoal})
	}
	events, err := placeEvents(segs, goals)
	if err != nil {
		return err
	}
	h, a := 0, 0
	for i := range events {
		e := &events[i]
		if e.side == home {
			h++
		} else {
			a++
		}
		e.home, e.away = h, a
		e.text = eventText(p, e, i)
	}
	fin := finalInfo{period: 2, detail: "FT", home: h, away: a, soccer: true}
	fin.clock, fin.displayClock = fullTime(2, s.added[1])
	switch {
	case s.pens:
		if h != a {
			return fmt.Errorf("a shoot-out after %d-%d", h, a)
		}
		if s.pensHome == s.pensAway {
			return fmt.Errorf("a level shoot-out")
		}
		fin.period, fin.detail, fin.pens = last, "FT-Pens", true
		fin.pensHome, fin.pensAway = s.pensHome, s.pensAway
		fin.clock, fin.displayClock = fullTime(4, s.added[3])
		// Level in the table, won on penalties.
		fin.tie = true
		fin.winner = home
		if s.pensAway > s.pensHome {
			fin.winner = away
		}
	case h == a:
		fin.tie = true
	case h > a:
		fin.winner = home
	default:
		fin.winner = away
	}
	p.segments = segs
	p.events = events
	p.end = t
	p.final = fin
	return nil
}

// sortGoals orders goals by period and minute, as they happen.
func sortGoals(gs []soccerGoal) []soccerGoal {
	out := append([]soccerGoal(nil), gs...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && (out[j].period < out[j-1].period || out[j].period == out[j-1].period && out[j].minute < out[j-1].minute); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	// Two goals in one minute: the later one a minute on, so that each has
	// its own moment.
	for i := 1; i < len(out); i++ {
		if out[i].period == out[i-1].period && out[i].minute <= out[i-1].minute {
			out[i].minute = out[i-1].minute + 1
		}
	}
	return out
}

// soccerLiveStatus is the status of a match under way.
func soccerLiveStatus(sg *segment, clock int) statusType {
	_, minute := soccerClock(sg.period, sg.clockLen-clock)
	live := func(id, name, description, detail, short string) statusType {
		return statusType{id: id, name: name, state: phaseIn, description: description, detail: detail, shortDetail: short}
	}
	switch sg.kind {
	case segPlay, segHold:
		switch sg.period {
		case 1:
			return live("22", "STATUS_FIRST_HALF", "First Half", minute, minute)
		case 2:
			return live("26", "STATUS_SECOND_HALF", "Second Half", minute, minute)
		}
		return live("41", "STATUS_OVERTIME", "Extra Time", minute, minute)
	case segHalftime:
		return live("23", "STATUS_HALFTIME", "Halftime", "HT", "HT")
	case segBreak:
		return live("24", "STATUS_END_OF_PERIOD", "End of Period", "End of "+ordinal(sg.period)+" Half", "End "+ordinal(sg.period))
	}
	return live("46", "STATUS_SHOOTOUT", "Penalties", "Penalties", "PENS")
}

// soccerStatusClock is ESPN's clock and display of a match at st.
func (p *gamePlan) soccerStatusClock(st gameState) (int, string) {
	switch {
	case st.status.state == phasePost && st.status.completed:
		return p.final.clock, p.final.displayClock
	case st.seg == nil:
		return 0, "0'"
	case st.seg.kind == segPlay || st.seg.kind == segHold:
		return soccerClock(st.seg.period, st.seg.clockLen-st.clock)
	case st.seg.kind == segShootout:
		return fullTime(4, 0)
	}
	// A break: the clock stands at the end of the period before it.
	return fullTime(st.seg.period, 0)
}

// eventClock is the clock shown at a score: "12:34" left, or a soccer
// minute ("67'").
func (p *gamePlan) eventClock(e scoreEvent) string {
	if !p.lg.soccer() {
		return displayClock(e.clock)
	}
	for i := range p.segments {
		if sg := &p.segments[i]; sg.kind == segPlay && sg.period == e.period {
			_, m := soccerClock(e.period, sg.clockLen-e.clock)
			return m
		}
	}
	return ""
}
