package simulator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/sports-data/sports-data/internal/league"
)

// Individual sports (see contest_render.go for their answers): the
// simulator plays one contest of each league it is given of them, a tennis
// match (atp), a UFC bout (ufc) and a race (f1), each one event of ESPN's
// with one competition, at a fixed distance from Options.Start:
//
//   - atp: a best-of-three match from Start+20min, a game every 4
//     simulated minutes, 2 minutes between sets; set scores drawn (6-x,
//     7-5, 7-6 with a tie-break).
//   - ufc: a three-round bout from Start+30min, rounds of 5 minutes and a
//     minute between them, decided on the judges' three cards.
//   - f1: a 30-lap race from Start+25min, a lap every 100 simulated
//     seconds; places change hands on drawn laps, the first three at
//     least three laps apart and never on the last.
//
// Their athletes are derived from captures (data/athletes.json: players of
// the Roland Garros capture, the fighters and drivers of TeamTracker's
// test scoreboard, names as written there). A contest is a list of frames,
// each what ESPN shows from its moment on; what an answer holds is the
// frame at the simulated time, a pure function of the plan.

// athlete is one simulated competitor.
type athlete struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	ShortName   string `json:"shortName"`
	Flag        string `json:"flag"`
	FlagAlt     string `json:"flagAlt"`
	Record      string `json:"record"`
}

func loadAthletes() (map[string][]athlete, error) {
	raw, err := dataFS.ReadFile("data/athletes.json")
	if err != nil {
		return nil, err
	}
	var out map[string][]athlete
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("simulator: athletes: %w", err)
	}
	return out, nil
}

// frame is what a contest shows from at on.
type frame struct {
	at     time.Time
	state  string // pre, in, post
	period int
	clock  string // MMA: the round's time
	// lines are each competitor's linescores: tennis games per set, the
	// judges' cards of a bout (set at the end).
	lines [][]int
	// setWinner marks each finished set's winner (tennis): 0 or 1, -1
	// while the set is played.
	setWinner []int
	tiebreak  [][]int // tennis: tie-break points of a set, per competitor
	order     []int   // racing: competitor indexes in running order
	winner    int     // post: the winning competitor's index, -1 none
}

// contestPlan is one simulated contest.
type contestPlan struct {
	lg        contestLeague
	eventID   string
	id        string
	name      string // the event's name
	short     string
	kind      string // the competition's type: "Men's Singles", "Middleweight", "Race"
	start     time.Time
	end       time.Time
	athletes  []athlete
	frames    []frame
	changes   []ContestChange
	regPeriod int
}

// contestLeague is what the simulator knows of a league of athletes.
type contestLeague struct {
	reg       league.League
	uidPrefix string
	name      string
	abbr      string
}

var contestLeagues = map[string]contestLeague{
	"atp": {uidPrefix: "s:850~l:851", name: "ATP", abbr: "ATP"},
	"ufc": {uidPrefix: "s:3301~l:3321", name: "UFC", abbr: "UFC"},
	"f1":  {uidPrefix: "s:2000~l:2030", name: "Formula 1", abbr: "F1"},
}

// frameAt is the contest's frame at t.
func (p *contestPlan) frameAt(t time.Time) *frame {
	i := sort.Search(len(p.frames), func(i int) bool { return p.frames[i].at.After(t) })
	if i == 0 {
		return &p.frames[0]
	}
	return &p.frames[i-1]
}

// ContestChange is one change the service reports as a score_change: a
// set won, a round finished, the first three of a race changing.
type ContestChange struct {
	At     time.Time
	Kind   string   // "set", "round", "podium"
	Detail []string // the set's winner; the round; the first three, in order
}

// ContestTruth is one simulated contest as a test sees it.
type ContestTruth struct {
	League   string
	ID       string // the competition's id, the service's game id
	EventID  string
	Start    time.Time
	End      time.Time
	Athletes []string // display names, in ESPN's order at the start
	Changes  []ContestChange
	Winner   string // display name
}

// Contests lists the simulated contests, by league key.
func (s *Sim) Contests() []ContestTruth {
	var out []ContestTruth
	for _, p := range s.contests {
		tr := ContestTruth{League: p.lg.reg.Key, ID: p.id, EventID: p.eventID, Start: p.start, End: p.end, Changes: p.changes}
		for _, a := range p.athletes {
			tr.Athletes = append(tr.Athletes, a.DisplayName)
		}
		if last := p.frames[len(p.frames)-1]; last.winner >= 0 {
			tr.Winner = p.athletes[last.winner].DisplayName
		}
		out = append(out, tr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].League < out[j].League })
	return out
}

// buildContest plans the league's contest.
func buildContest(key string, start time.Time, seed int64, athletes map[string][]athlete) (*contestPlan, error) {
	cl, ok := contestLeagues[key]
	if !ok {
		return nil, fmt.Errorf("simulator: league %q is not simulated", key)
	}
	cl.reg, _ = league.Lookup(key)
	r := rngFor(seed, "contest", key)
	p := &contestPlan{lg: cl}
	switch key {
	case "atp":
		p.athletes = pickAthletes(r, athletes[key], 2)
		p.eventID, p.id, p.name, p.short, p.kind = "9901-2026", "9901001", "Simulated Open", "Simulated Open", "Men's Singles"
		p.start, p.regPeriod = start.Add(20*time.Minute), 3
		tennisFrames(p, r)
	case "ufc":
		p.athletes = pickAthletes(r, athletes[key], 2)
		p.eventID, p.id = "9902001", "9902101"
		p.name = "UFC Fight Night: " + lastName(p.athletes[0]) + " vs. " + lastName(p.athletes[1]) + " (simulated)"
		p.short, p.kind = "UFC Fight Night", "Middleweight"
		p.start, p.regPeriod = start.Add(30*time.Minute), 3
		boutFrames(p, r)
	case "f1":
		p.athletes = append([]athlete(nil), athletes[key]...)
		p.eventID, p.id, p.name, p.short, p.kind = "9903001", "9903101", "Simulated Grand Prix", "Simulated GP", "Race"
		p.start, p.regPeriod = start.Add(25*time.Minute), 30
		raceFrames(p, r)
	}
	if len(p.athletes) < 2 {
		return nil, fmt.Errorf("simulator: too few athletes for %s", key)
	}
	p.end = p.frames[len(p.frames)-1].at
	return p, nil
}

func pickAthletes(r *rand.Rand, from []athlete, n int) []athlete {
	idx := r.Perm(len(from))
	out := make([]athlete, 0, n)
	for _, i := range idx[:min(n, len(from))] {
		out = append(out, from[i])
	}
	return out
}

func lastName(a athlete) string {
	for i := len(a.DisplayName) - 1; i >= 0; i-- {
		if a.DisplayName[i] == ' ' {
			return a.DisplayName[i+1:]
		}
	}
	return a.DisplayName
}

// tennisFrames plays a best-of-three match: a frame at the start, after
// every game, and at the end.
func tennisFrames(p *contestPlan, r *rand.Rand) {
	const game, setBreak = 4 * time.Minute, 2 * time.Minute
	p.frames = []frame{{at: time.Time{}, state: "pre", winner: -1}}
	t := p.start
	won := [2]int{}
	cur := frame{at: t, state: "in", period: 1, lines: [][]int{{0}, {0}}, setWinner: []int{-1}, tiebreak: [][]int{{0}, {0}}, winner: -1}
	p.frames = append(p.frames, cloneFrame(cur))
	for won[0] < 2 && won[1] < 2 {
		setW := r.IntN(2)
		loserGames := r.IntN(7)
		wGames := 6
		if loserGames >= 5 {
			wGames = 7 // 7-5, or 7-6 after a tie-break
		}
		// The games in an order that reaches the set's score and no
		// other end before it: the loser's games alternate with the
		// winner's, the winner's last ones close the set.
		seq := make([]int, 0, wGames+loserGames)
		for i := 0; i < loserGames; i++ {
			seq = append(seq, 1-setW)
			if i < wGames-1 {
				seq = append(seq, setW)
			}
		}
		for len(seq) < wGames+loserGames {
			seq = append(seq, setW)
		}
		s := len(cur.lines[0]) - 1
		for k, g := range seq {
			t = t.Add(game)
			cur.at = t
			cur.lines[g][s]++
			if loserGames == 6 && k == len(seq)-1 {
				cur.tiebreak[setW][s], cur.tiebreak[1-setW][s] = 7, 2+r.IntN(4)
			}
			p.frames = append(p.frames, cloneFrame(cur))
		}
		cur.setWinner[s] = setW
		won[setW]++
		p.frames[len(p.frames)-1].setWinner[s] = setW
		p.changes = append(p.changes, ContestChange{At: t, Kind: "set", Detail: []string{p.athletes[setW].DisplayName}})
		if won[setW] == 2 {
			fin := cloneFrame(cur)
			fin.at, fin.state, fin.winner = t, "post", setW
			p.frames[len(p.frames)-1] = fin
			return
		}
		t = t.Add(setBreak)
		cur.at = t
		cur.period++
		cur.lines[0], cur.lines[1] = append(cur.lines[0], 0), append(cur.lines[1], 0)
		cur.tiebreak[0], cur.tiebreak[1] = append(cur.tiebreak[0], 0), append(cur.tiebreak[1], 0)
		cur.setWinner = append(cur.setWinner, -1)
		p.frames = append(p.frames, cloneFrame(cur))
	}
}

// boutFrames plays three rounds, a frame every simulated minute of each,
// and a decision on the judges' cards.
func boutFrames(p *contestPlan, r *rand.Rand) {
	p.frames = []frame{{state: "pre", winner: -1}}
	t := p.start
	for round := 1; round <= 3; round++ {
		for m := 0; m < 5; m++ {
			p.frames = append(p.frames, frame{at: t, state: "in", period: round, clock: fmt.Sprintf("%d:00", m), winner: -1})
			t = t.Add(time.Minute)
		}
		p.frames = append(p.frames, frame{at: t, state: "in", period: round, clock: "5:00", winner: -1})
		if round < 3 {
			t = t.Add(time.Minute)
			// The next round under way: this one is finished.
			p.changes = append(p.changes, ContestChange{At: t, Kind: "round", Detail: []string{fmt.Sprint(round)}})
		}
	}
	w := r.IntN(2)
	cards := [2][]int{{29, 29, 29}, {28, 28, 28}}
	if r.IntN(2) == 0 { // a split decision
		cards[0][2], cards[1][2] = 28, 29
	}
	lines := [][]int{cards[0], cards[1]}
	if w == 1 {
		lines = [][]int{cards[1], cards[0]}
	}
	p.frames = append(p.frames, frame{at: t.Add(time.Minute), state: "post", period: 3, clock: "5:00", lines: lines, winner: w})
}

// raceFrames runs a 30-lap race: a frame a lap; places change on drawn
// laps.
func raceFrames(p *contestPlan, r *rand.Rand) {
	const lap = 100 * time.Second
	n := len(p.athletes)
	order := r.Perm(n)
	p.frames = []frame{{state: "pre", order: append([]int(nil), order...), winner: -1}}
	t := p.start
	lastTop := -10
	for l := 1; l <= p.regPeriod; l++ {
		if l > 1 && l < p.regPeriod {
			// A pass in the top three now and then, and further back
			// every lap.
			if l-lastTop >= 3 && r.IntN(3) == 0 {
				i := r.IntN(3)
				order[i], order[i+1] = order[i+1], order[i]
				lastTop = l
				top := make([]string, 3)
				for k := range top {
					top[k] = p.athletes[order[k]].DisplayName
				}
				p.changes = append(p.changes, ContestChange{At: t, Kind: "podium", Detail: top})
			}
			j := 3 + r.IntN(n-4)
			order[j], order[j+1] = order[j+1], order[j]
		}
		p.frames = append(p.frames, frame{at: t, state: "in", period: l, order: append([]int(nil), order...), winner: -1})
		t = t.Add(lap)
	}
	p.frames = append(p.frames, frame{at: t, state: "post", period: p.regPeriod, order: append([]int(nil), order...), winner: order[0]})
}

func cloneFrame(f frame) frame {
	c := f
	c.lines = make([][]int, len(f.lines))
	for i := range f.lines {
		c.lines[i] = append([]int(nil), f.lines[i]...)
	}
	c.tiebreak = make([][]int, len(f.tiebreak))
	for i := range f.tiebreak {
		c.tiebreak[i] = append([]int(nil), f.tiebreak[i]...)
	}
	c.setWinner = append([]int(nil), f.setWinner...)
	c.order = append([]int(nil), f.order...)
	return c
}
