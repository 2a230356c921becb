package simulator

import (
	"sort"
	"strconv"
	"time"
)

// phase is ESPN's status.type.state.
type phase string

const (
	phasePre  phase = "pre"
	phaseIn   phase = "in"
	phasePost phase = "post"
)

// statusType is ESPN's status.type.
type statusType struct {
	id          string
	name        string
	state       phase
	completed   bool
	description string
	detail      string
	shortDetail string
	altDetail   string
}

// gameState is what the scoreboard shows of a game at one moment.
type gameState struct {
	date   time.Time
	status statusType
	period int
	clock  int
	seg    *segment // nil unless in progress
	// n is how many score events have happened.
	n          int
	home, away int
}

// stateAt is the game at time t: a pure function of the plan and t.
func (p *gamePlan) stateAt(t time.Time) gameState {
	st := gameState{date: p.dateAt(t)}
	st.n = sort.Search(len(p.events), func(i int) bool { return p.events[i].at.After(t) })
	if st.n > 0 {
		st.home, st.away = p.events[st.n-1].home, p.events[st.n-1].away
	}
	switch {
	case !p.postponedAt.IsZero() && !t.Before(p.postponedAt) && (p.movedAt.IsZero() || t.Before(p.movedAt)):
		st.status = statusType{id: "6", name: "STATUS_POSTPONED", state: phasePost, description: "Postponed", detail: "Postponed", shortDetail: "Postponed"}
		return st
	case p.neverPlayed() || t.Before(p.start):
		st.status = statusType{id: "1", name: "STATUS_SCHEDULED", state: phasePre, description: "Scheduled",
			detail: preDetail(st.date), shortDetail: preShortDetail(st.date)}
		return st
	case !t.Before(p.end):
		f := p.final
		st.status = statusType{id: "3", name: "STATUS_FINAL", state: phasePost, completed: true, description: "Final",
			detail: f.detail, shortDetail: f.detail, altDetail: f.altDetail}
		if f.soccer {
			st.status = statusType{id: "28", name: "STATUS_FULL_TIME", state: phasePost, completed: true, description: "Full Time", detail: f.detail, shortDetail: f.detail}
			if f.pens {
				st.status.id, st.status.name, st.status.description = "47", "STATUS_FINAL_PEN", "Final Score - After Penalties"
			}
		}
		st.period = f.period
		return st
	}
	i := sort.Search(len(p.segments), func(i int) bool { return p.segments[i].to.After(t) })
	sg := &p.segments[i]
	st.seg = sg
	st.period = sg.period
	st.clock = sg.clockAt(t)
	st.status = p.liveStatus(sg, st.clock)
	return st
}

func (p *gamePlan) liveStatus(sg *segment, clock int) statusType {
	inProgress := func(detail, short string) statusType {
		return statusType{id: "2", name: "STATUS_IN_PROGRESS", state: phaseIn, description: "In Progress", detail: detail, shortDetail: short}
	}
	if p.lg.soccer() {
		return soccerLiveStatus(sg, clock)
	}
	switch sg.kind {
	case segPlay, segHold:
		c := displayClock(clock)
		return inProgress(c+" - "+p.periodLong(sg.period), c+" - "+p.periodShort(sg.period))
	case segHalftime:
		return statusType{id: "23", name: "STATUS_HALFTIME", state: phaseIn, description: "Halftime", detail: "Halftime", shortDetail: "Halftime"}
	case segBreak:
		return statusType{id: "22", name: "STATUS_END_PERIOD", state: phaseIn, description: "End of Period",
			detail: "End of " + p.periodLong(sg.period), shortDetail: "End of " + p.periodShort(sg.period)}
	default: // segShootout
		return inProgress("Shootout", "SO")
	}
}

// periodShort is "2nd" or "OT"; periodLong is "2nd Quarter", "3rd Period" or "OT".
func (p *gamePlan) periodShort(period int) string {
	switch {
	case period <= p.lg.reg.Periods:
		return ordinal(period)
	case period == p.lg.reg.Periods+1:
		return "OT"
	}
	return "SO"
}

func (p *gamePlan) periodLong(period int) string {
	if period <= p.lg.reg.Periods {
		return ordinal(period) + " " + p.lg.periodWord
	}
	return p.periodShort(period)
}

// lines is each team's points per period so far (ESPN's linescores).
func (p *gamePlan) lines(st gameState) (h, a []int) {
	n := st.period
	for _, e := range p.events[:st.n] {
		if e.period > n {
			n = e.period
		}
	}
	if n == 0 {
		return nil, nil
	}
	h, a = make([]int, n), make([]int, n)
	for _, e := range p.events[:st.n] {
		if e.side == home {
			h[e.period-1] += e.points
		} else {
			a[e.period-1] += e.points
		}
	}
	return h, a
}

// scoreString is the scoreboard's string form of a score.
func scoreString(n int) string { return strconv.Itoa(n) }
