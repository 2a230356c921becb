package simulator

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// slot is a kickoff time on a weekday, with the networks ESPN lists for it.
type slot struct {
	weekday    time.Weekday
	hh, mm     int
	broadcasts []string
}

// nflWeekSlots is one NFL week in ESPN's Wednesday-to-Tuesday order: a
// Thursday night game, eight early and five late Sunday games, Sunday
// night and Monday night: sixteen games, every team once. The networks are
// the ones the captures show for those windows.
var nflWeekSlots = func() []slot {
	s := []slot{{time.Thursday, 20, 15, []string{"PRIME VIDEO"}}}
	for i := 0; i < 8; i++ {
		n := "CBS"
		if i%2 == 1 {
			n = "FOX"
		}
		s = append(s, slot{time.Sunday, 13, 0, []string{n}})
	}
	s = append(s,
		slot{time.Sunday, 16, 5, []string{"FOX"}},
		slot{time.Sunday, 16, 5, []string{"FOX"}},
		slot{time.Sunday, 16, 25, []string{"CBS"}},
		slot{time.Sunday, 16, 25, []string{"CBS"}},
		slot{time.Sunday, 16, 25, []string{"CBS"}},
		slot{time.Sunday, 20, 20, []string{"NBC", "Peacock"}},
		slot{time.Monday, 20, 15, []string{"ESPN", "ABC"}},
	)
	return s
}()

// nhlDaySlots are the puck drops of an NHL day by weekday (Eastern). Every
// day has games at 22:00 or later, which end after midnight Eastern.
var nhlDaySlots = map[time.Weekday][][2]int{
	time.Monday:    {{19, 0}, {19, 0}, {19, 30}, {20, 0}, {22, 0}, {22, 30}},
	time.Tuesday:   {{19, 0}, {19, 0}, {19, 0}, {19, 30}, {20, 0}, {20, 0}, {21, 0}, {22, 0}, {22, 30}},
	time.Wednesday: {{19, 30}, {20, 0}, {22, 0}, {22, 30}},
	time.Thursday:  {{19, 0}, {19, 0}, {19, 0}, {19, 30}, {19, 30}, {20, 0}, {21, 0}, {22, 0}, {22, 0}, {22, 30}},
	time.Friday:    {{19, 0}, {19, 30}, {20, 0}, {21, 0}, {22, 0}},
	time.Saturday:  {{13, 0}, {15, 30}, {16, 0}, {19, 0}, {19, 0}, {19, 0}, {19, 30}, {20, 0}, {21, 0}, {22, 0}, {22, 30}, {22, 30}},
	time.Sunday:    {{12, 30}, {15, 0}, {17, 0}, {19, 0}, {20, 0}, {22, 0}},
}

// nhlNetworks rotate over NHL games; the captures show these names and
// also an empty list.
var nhlNetworks = [][]string{{}, {"ESPN+"}, {"NHL NET"}, {}}

// mlsDaySlots are MLS kick-offs by weekday (Eastern): most clubs on
// Saturday evening, a few on Sunday and midweek; other days have none.
var mlsDaySlots = map[time.Weekday][][2]int{
	time.Wednesday: {{19, 30}, {19, 30}, {20, 30}, {22, 30}},
	time.Saturday:  {{13, 0}, {15, 30}, {17, 0}, {19, 30}, {19, 30}, {19, 30}, {19, 30}, {20, 30}, {21, 30}, {22, 30}, {22, 30}},
	time.Sunday:    {{14, 0}, {17, 0}, {19, 0}},
}

// mlsNetworks rotate over MLS matches, as the MLS capture lists them.
var mlsNetworks = [][]string{{"MLS Season Pass"}, {"FOX", "MLS Season Pass"}, {"MLS Season Pass"}}

// window is the simulated stretch of days.
type window struct {
	start time.Time // Options.Start
	days  []time.Time
}

func (w window) contains(day time.Time) bool {
	d := dayOf(day)
	return !d.Before(w.days[0]) && !d.After(w.days[len(w.days)-1])
}

// buildLeague lays out one league's games for the window, gives them their
// scenarios and scripts, and returns them ordered by id.
func buildLeague(lg *leagueSpec, w window, seed int64) ([]*gamePlan, error) {
	strengths := rngFor(seed, lg.reg.Key, "strength")
	for _, t := range lg.teams {
		t.strength = 0.35 + 0.3*strengths.Float64()
	}
	var plans []*gamePlan
	switch {
	case lg.nfl():
		plans = nflSchedule(lg, w, seed)
	case lg.soccer():
		plans = daySchedule(lg, w, seed, mlsDaySlots, mlsNetworks)
	default:
		plans = daySchedule(lg, w, seed, nhlDaySlots, nhlNetworks)
	}
	sort.SliceStable(plans, func(i, j int) bool {
		if !plans[i].scheduled.Equal(plans[j].scheduled) {
			return plans[i].scheduled.Before(plans[j].scheduled)
		}
		return plans[i].home.abbr < plans[j].home.abbr
	})
	for i, p := range plans {
		p.seq = i + 1
		p.id = eventID(lg, p.seq)
		p.seed = seedFor(seed, lg.reg.Key, "game", p.seq)
		p.start = p.scheduled
		p.seasonType = 2
		p.season = lg.reg.SeasonFor(p.scheduled.In(eastern).Year(), int(p.scheduled.In(eastern).Month()))
		if lg.nfl() {
			p.week = nflWeek(p.scheduled, p.season)
		}
		p.spread, p.overUnder = line(lg, p)
	}
	replays := assignScenarios(lg, plans, w, seed)
	plans = append(plans, replays...)
	for _, p := range plans {
		if p.neverPlayed() {
			continue
		}
		if err := scriptGame(p, seed); err != nil {
			return nil, err
		}
	}
	return plans, nil
}

func eventID(lg *leagueSpec, seq int) string {
	return fmt.Sprintf("9%d%07d", lg.idDigit, seq)
}

// nflSchedule pairs all teams once per NFL week and puts the pairs in the
// week's slots; slots outside the window are left out.
func nflSchedule(lg *leagueSpec, w window, seed int64) []*gamePlan {
	var plans []*gamePlan
	weeks := map[int]bool{}
	for _, d := range w.days {
		weeks[nflWeekIndex(d)] = true
	}
	idx := make([]int, 0, len(weeks))
	for k := range weeks {
		idx = append(idx, k)
	}
	sort.Ints(idx)
	epoch := time.Date(2000, time.January, 5, 0, 0, 0, 0, eastern)
	for _, wk := range idx {
		r := rngFor(seed, "nfl", "pairs", wk)
		order := r.Perm(len(lg.teams))
		wed := addDays(epoch, 7*wk)
		for i, sl := range nflWeekSlots {
			if 2*i+1 >= len(order) {
				break
			}
			offset := (int(sl.weekday) - int(time.Wednesday) + 7) % 7
			day := addDays(wed, offset)
			if !w.contains(day) {
				continue
			}
			plans = append(plans, &gamePlan{
				lg:         lg,
				home:       lg.teams[order[2*i]],
				away:       lg.teams[order[2*i+1]],
				scheduled:  at(day, sl.hh, sl.mm),
				broadcasts: sl.broadcasts,
			})
		}
	}
	return plans
}

// daySchedule fills each day's slots with teams, rested teams first.
func daySchedule(lg *leagueSpec, w window, seed int64, daySlots map[time.Weekday][][2]int, networks [][]string) []*gamePlan {
	var plans []*gamePlan
	played := map[*team]int{}
	yesterday := map[*team]bool{}
	for di, day := range w.days {
		r := rngFor(seed, lg.reg.Key, "day", day.Format("20060102"))
		slots := daySlots[day.Weekday()]
		cands := append([]*team(nil), lg.teams...)
		keys := make(map[*team]float64, len(cands))
		for _, t := range cands {
			keys[t] = r.Float64()
		}
		sort.SliceStable(cands, func(i, j int) bool {
			a, b := cands[i], cands[j]
			if yesterday[a] != yesterday[b] {
				return !yesterday[a]
			}
			if played[a] != played[b] {
				return played[a] < played[b]
			}
			return keys[a] < keys[b]
		})
		n := len(slots)
		if 2*n > len(cands) {
			n = len(cands) / 2
		}
		picked := cands[:2*n]
		r.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
		today := map[*team]bool{}
		for i := 0; i < n; i++ {
			h, a := picked[2*i], picked[2*i+1]
			today[h], today[a] = true, true
			played[h]++
			played[a]++
			plans = append(plans, &gamePlan{
				lg:         lg,
				home:       h,
				away:       a,
				scheduled:  at(day, slots[i][0], slots[i][1]),
				broadcasts: networks[(di+i)%len(networks)],
			})
		}
		yesterday = today
	}
	return plans
}

// line is the pre-game betting line from the teams' strengths.
func line(lg *leagueSpec, p *gamePlan) (spread, overUnder float64) {
	r := rngFor(int64(p.seed), "line")
	diff := p.home.strength - p.away.strength
	if lg.nfl() {
		// Half points keep a line off zero ("EVEN").
		spread = -math.Round(diff*40+1.5) - 0.5
		overUnder = 38.5 + float64(r.IntN(14))
		return spread, overUnder
	}
	return 0, 5.5 + float64(r.IntN(2))
}

// scenario is a scripted game every simulated week holds when the window
// has a game that fits it.
type scenario struct {
	name string
	// prefer lists predicates tried in order; the first game that starts
	// late enough and fits one gets the scenario.
	prefer []func(p *gamePlan) bool
	// lead is how long after the simulation starts the game must begin, so
	// that a client sees it before anything happens.
	lead time.Duration
}

func startsAt(wd time.Weekday, minHour int) func(*gamePlan) bool {
	return func(p *gamePlan) bool {
		e := p.scheduled.In(eastern)
		return e.Weekday() == wd && e.Hour() >= minHour
	}
}

func startsFrom(minHour int) func(*gamePlan) bool {
	return func(p *gamePlan) bool { return p.scheduled.In(eastern).Hour() >= minHour }
}

func anyGame(*gamePlan) bool { return true }

func isSundayEarly(p *gamePlan) bool {
	e := p.scheduled.In(eastern)
	return e.Weekday() == time.Sunday && e.Hour() == 13
}

func isSundayLate(p *gamePlan) bool {
	e := p.scheduled.In(eastern)
	return e.Weekday() == time.Sunday && e.Hour() == 16 && e.Minute() == 25
}

// Scenario names, as Truth reports them.
const (
	ScenarioOvertime    = "overtime"     // NFL: tied after regulation, won in OT; NHL: won in OT
	ScenarioTie         = "tie"          // NFL: tied after OT
	ScenarioShootout    = "shootout"     // NHL
	ScenarioQuick       = "quick-scores" // both teams score seconds apart; one team scores twice in a row
	ScenarioOverturned  = "overturned"   // NFL: a touchdown taken back on review
	ScenarioPostponed   = "postponed"    // called off before the start
	ScenarioReplay      = "replay"       // NHL: the postponed game's replay under a new id
	ScenarioDraw        = "draw"         // soccer: level at full time
	ScenarioPenalties   = "penalties"    // soccer: level after extra time, decided on penalties
	ScenarioRandom      = ""             // a game drawn from the seed
	nflPostponeLead     = 20 * time.Minute
	nhlPostponeLead     = 2 * time.Hour
	rescheduleAfter     = 4 * time.Hour
	replayMinDaysLater  = 2
	replayHour          = 19
	scenarioMinimumLead = 30 * time.Minute
)

func scenariosFor(lg *leagueSpec) []scenario {
	if lg.soccer() {
		return []scenario{
			{name: ScenarioDraw, prefer: []func(*gamePlan) bool{anyGame}},
			{name: ScenarioPenalties, prefer: []func(*gamePlan) bool{anyGame}},
		}
	}
	if lg.nfl() {
		return []scenario{
			{name: ScenarioOvertime, prefer: []func(*gamePlan) bool{startsAt(time.Sunday, 20), startsFrom(20), anyGame}},
			{name: ScenarioTie, prefer: []func(*gamePlan) bool{startsAt(time.Monday, 20), startsFrom(20), anyGame}},
			{name: ScenarioPostponed, prefer: []func(*gamePlan) bool{isSundayEarly, anyGame}, lead: nflPostponeLead},
			{name: ScenarioQuick, prefer: []func(*gamePlan) bool{isSundayEarly, anyGame}},
			{name: ScenarioOverturned, prefer: []func(*gamePlan) bool{isSundayLate, anyGame}},
		}
	}
	return []scenario{
		{name: ScenarioOvertime, prefer: []func(*gamePlan) bool{anyGame}},
		{name: ScenarioShootout, prefer: []func(*gamePlan) bool{anyGame}},
		// One NHL script holds the quick answer, the overturned goal and a
		// team scoring twice in a row.
		{name: ScenarioQuick, prefer: []func(*gamePlan) bool{anyGame}},
		{name: ScenarioPostponed, prefer: []func(*gamePlan) bool{anyGame}, lead: nhlPostponeLead},
	}
}

// assignScenarios gives each scenario the earliest fitting game of the
// window and sets up postponements; it returns the replays that get new ids.
func assignScenarios(lg *leagueSpec, plans []*gamePlan, w window, seed int64) []*gamePlan {
	var replays []*gamePlan
	for _, sc := range scenariosFor(lg) {
		var chosen *gamePlan
		for _, pred := range sc.prefer {
			for _, p := range plans {
				if p.scenario != "" || p.scheduled.Sub(w.start) < scenarioMinimumLead+sc.lead {
					continue
				}
				if pred(p) {
					chosen = p
					break
				}
			}
			if chosen != nil {
				break
			}
		}
		if chosen == nil {
			continue
		}
		chosen.scenario = sc.name
		if sc.name == ScenarioPostponed {
			if r := postpone(lg, chosen, plans, w, sc.lead); r != nil {
				replays = append(replays, r)
			}
		}
	}
	for i, r := range replays {
		r.seq = len(plans) + i + 1
		r.id = eventID(lg, r.seq)
		r.seed = seedFor(seed, lg.reg.Key, "game", r.seq)
		r.spread, r.overUnder = line(lg, r)
		for _, p := range plans {
			if p.id == r.replayOf {
				p.replayID = r.id
			}
		}
	}
	return replays
}

// postpone calls a game off lead before its start and finds it a new date
// at 19:00 Eastern, announced four hours after the postponement: the first
// day at least two days later, inside the window, on which neither team
// plays. An NFL game keeps its id and moves (ESPN keeps event ids when it
// reschedules NFL games); an NHL game stays listed as postponed and its
// replay is a new event. NHL teams play every other day or so, so the NHL
// replay takes the first such day and a team that is idle that day takes
// the place of either team in its game there. Without a day in the window
// the game is never replayed.
func postpone(lg *leagueSpec, p *gamePlan, plans []*gamePlan, w window, lead time.Duration) *gamePlan {
	p.postponedAt = p.scheduled.Add(-lead)
	announce := p.postponedAt.Add(rescheduleAfter)
	for _, day := range w.days {
		newStart := at(day, replayHour, 0)
		if day.Before(addDays(dayOf(p.scheduled), replayMinDaysLater)) || !newStart.After(announce) {
			continue
		}
		if lg.nfl() {
			if len(clashes(p, plans, day)) > 0 {
				continue
			}
			p.movedAt = announce
			p.start = newStart
			p.week = nflWeek(newStart, p.season)
			return nil
		}
		freeDay(lg, p, plans, day)
		p.start = time.Time{}
		return &gamePlan{
			lg:         lg,
			home:       p.home,
			away:       p.away,
			season:     lg.reg.SeasonFor(newStart.In(eastern).Year(), int(newStart.In(eastern).Month())),
			seasonType: p.seasonType,
			broadcasts: p.broadcasts,
			scheduled:  newStart,
			start:      newStart,
			listedFrom: announce,
			replayOf:   p.id,
			scenario:   ScenarioReplay,
		}
	}
	p.start = time.Time{}
	return nil
}

// clashes lists the games on day, other than p, of either of p's teams.
func clashes(p *gamePlan, plans []*gamePlan, day time.Time) []*gamePlan {
	var out []*gamePlan
	for _, q := range plans {
		if q == p || !dayOf(q.scheduled).Equal(day) {
			continue
		}
		if q.home == p.home || q.home == p.away || q.away == p.home || q.away == p.away {
			out = append(out, q)
		}
	}
	return out
}

// freeDay hands p's teams' games on day to teams idle that day, the ones
// with the fewest games in the window first.
func freeDay(lg *leagueSpec, p *gamePlan, plans []*gamePlan, day time.Time) {
	games := map[*team]int{}
	busy := map[*team]bool{p.home: true, p.away: true}
	for _, q := range plans {
		games[q.home]++
		games[q.away]++
		if dayOf(q.scheduled).Equal(day) {
			busy[q.home], busy[q.away] = true, true
		}
	}
	idle := func() *team {
		var best *team
		for _, t := range lg.teams {
			if !busy[t] && (best == nil || games[t] < games[best]) {
				best = t
			}
		}
		if best != nil {
			busy[best] = true
		}
		return best
	}
	for _, q := range clashes(p, plans, day) {
		if q.home == p.home || q.home == p.away {
			if t := idle(); t != nil {
				q.home = t
			}
		}
		if q.away == p.home || q.away == p.away {
			if t := idle(); t != nil {
				q.away = t
			}
		}
		q.spread, q.overUnder = line(lg, q)
	}
}
