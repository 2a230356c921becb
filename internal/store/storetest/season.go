package storetest

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/sports-data/sports-data/internal/store"
)

// SeasonSpec describes a simulated season. The simulation is deterministic:
// the same spec always gives the same points.
type SeasonSpec struct {
	League     string
	Season     int    // 0: 2024
	SeasonType int    // 0: 2 (regular season)
	Teams      []Team // nil: Teams(League)
	// Games is the number of games per team (one fewer for a team with a
	// bye when the number of teams is odd); 0: 17 NFL, 82 NHL, 10 otherwise.
	Games int
	// Start is the first game day; zero: the league's usual opening day of
	// Season (NFL: the first Thursday from 4 September; NHL: 8 October of
	// the year before, as ESPN numbers NHL seasons by the year they end).
	Start time.Time
	// Now cuts the season: nothing observed after Now is returned, so games
	// after Now are only scheduled and a game under way at Now is live.
	// Zero: every game has been played.
	Now time.Time
	// Seed varies the scores; 0 derives one from league and season.
	Seed uint64
}

// Season simulates a regular season of league in which every team plays
// `games` games (the season defaults of SeasonSpec otherwise). Teams nil
// means all teams of the league.
func Season(leagueKey string, teams []Team, games int) []store.Point {
	return SeasonSpec{League: leagueKey, Teams: teams, Games: games}.Points()
}

func (s SeasonSpec) withDefaults() SeasonSpec {
	if s.Season == 0 {
		s.Season = 2024
	}
	if s.SeasonType == 0 {
		s.SeasonType = 2
	}
	if s.Teams == nil {
		s.Teams = Teams(s.League)
	}
	if s.Games == 0 {
		switch s.League {
		case "nfl":
			s.Games = 17
		case "nhl":
			s.Games = 82
		default:
			s.Games = 10
		}
	}
	if s.Start.IsZero() {
		switch s.League {
		case "nfl", "ncaaf":
			d := time.Date(s.Season, time.September, 4, 0, 0, 0, 0, time.UTC)
			for d.Weekday() != time.Thursday {
				d = d.AddDate(0, 0, 1)
			}
			s.Start = d
		case "nhl", "nba":
			s.Start = time.Date(s.Season-1, time.October, 8, 0, 0, 0, 0, time.UTC)
		default:
			s.Start = time.Date(s.Season, time.April, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	if s.Seed == 0 {
		h := fnv.New64a()
		fmt.Fprintf(h, "%s/%d/%d", s.League, s.Season, s.SeasonType)
		s.Seed = h.Sum64()
	}
	return s
}

// Schedule lists the games of the season in schedule order: a round robin
// (circle method) with one round per NFL week or every other day in the NHL,
// home and away alternating, kickoffs spread over the usual slots.
func (s SeasonSpec) Schedule() []Game {
	s = s.withDefaults()
	n := len(s.Teams)
	if n < 2 || s.Games <= 0 {
		return nil
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if n%2 == 1 {
		idx = append(idx, -1) // bye
	}
	m := len(idx)
	perRound := m / 2
	width := len(fmt.Sprint(s.Games*perRound)) + 1
	width = max(width, 4)
	football := s.League == "nfl" || s.League == "ncaaf"

	var games []Game
	for r := 0; r < s.Games; r++ {
		rot := r % (m - 1)
		arr := make([]int, m)
		arr[0] = idx[0]
		for i := 1; i < m; i++ {
			arr[i] = idx[1+(i-1+rot)%(m-1)]
		}
		var round [][2]int
		for i := 0; i < perRound; i++ {
			a, b := arr[i], arr[m-1-i]
			if a < 0 || b < 0 {
				continue
			}
			// The left side of the circle is home in even rounds: every
			// team alternates, except when it crosses sides.
			if r%2 == 1 {
				a, b = b, a
			}
			round = append(round, [2]int{a, b})
		}
		for j, pair := range round {
			home, away := s.Teams[pair[0]], s.Teams[pair[1]]
			g := Game{
				League:     s.League,
				ID:         fmt.Sprintf("4%02d%d%d%0*d", s.Season%100, s.SeasonType, leagueDigit(s.League), width, len(games)+1),
				Season:     s.Season,
				SeasonType: s.SeasonType,
				Start:      kickoff(s.League, s.Start, r, j, len(round)),
				Home:       home,
				Away:       away,
				Venue:      home.Venue,
			}
			if g.Venue == "" {
				g.Venue = venueName(s.League, home)
			}
			if football {
				g.Week = r + 1
			}
			games = append(games, g)
		}
	}
	return games
}

func leagueDigit(leagueKey string) int {
	switch leagueKey {
	case "nfl":
		return 1
	case "nhl":
		return 2
	}
	h := fnv.New32a()
	h.Write([]byte(leagueKey))
	return 3 + int(h.Sum32()%7)
}

// kickoff places game j of round r (of n games) in a realistic slot.
func kickoff(leagueKey string, start time.Time, r, j, n int) time.Time {
	switch leagueKey {
	case "nfl", "ncaaf":
		week := start.AddDate(0, 0, 7*r) // a Thursday
		switch {
		case j == 0:
			return week.Add(24*time.Hour + 15*time.Minute) // Thursday night
		case j == n-1 && n > 2:
			return week.Add(5*24*time.Hour + 15*time.Minute) // Monday night
		case j == n-2 && n > 3:
			return week.Add(4*24*time.Hour + 20*time.Minute) // Sunday night
		case j >= n-6 && n > 7:
			if j%2 == 0 {
				return week.Add(3*24*time.Hour + 20*time.Hour + 5*time.Minute)
			}
			return week.Add(3*24*time.Hour + 20*time.Hour + 25*time.Minute)
		}
		return week.Add(3*24*time.Hour + 17*time.Hour)
	case "nhl", "nba":
		day := start.AddDate(0, 0, 2*r+r/5)
		slots := []time.Duration{23 * time.Hour, 23*time.Hour + 30*time.Minute, 24 * time.Hour,
			25 * time.Hour, 26 * time.Hour, 26*time.Hour + 30*time.Minute}
		return day.Add(slots[j%len(slots)])
	}
	return start.AddDate(0, 0, 3*r).Add(19*time.Hour + time.Duration(j%4)*time.Hour)
}

// Points simulates the season: for every game the rows of the games series
// (scheduled when the schedule is published, live at kickoff, finished at
// the end) and the points of the scores series (first sighting on the
// scoreboard, kickoff, every period start, every score, the final), sorted
// by when they were observed, which is the order a poller writes them in.
func (s SeasonSpec) Points() []store.Point {
	s = s.withDefaults()
	games := s.Schedule()
	published := s.Start.AddDate(0, 0, -30)
	var out []store.Point
	for i, g := range games {
		rng := rand.New(rand.NewPCG(s.Seed, uint64(i)))
		out = append(out, simulate(g, rng, published)...)
	}
	if !s.Now.IsZero() {
		kept := out[:0]
		for _, p := range out {
			if !observedAt(p).After(s.Now) {
				kept = append(kept, p)
			}
		}
		out = kept
	}
	sort.SliceStable(out, func(i, j int) bool { return observedAt(out[i]).Before(observedAt(out[j])) })
	return out
}

func observedAt(p store.Point) time.Time {
	if p.Series == store.SeriesGames {
		return p.ObservedAt
	}
	return p.Time
}

type scoring struct {
	period int
	left   time.Duration // clock left in the period
	home   bool
	points int
}

// simulate plays one game.
func simulate(g Game, rng *rand.Rand, published time.Time) []store.Point {
	periods, length := regulation(g.League)
	events, last := playGame(g, rng, periods, length)

	// Wall-clock layout: how long a period and the breaks take.
	periodWall, breakWall, half := 40*time.Minute, 2*time.Minute, 15*time.Minute
	firstSeen := g.Start.AddDate(0, 0, -6)
	if g.League == "nhl" {
		periodWall, breakWall, half = 35*time.Minute, 18*time.Minute, 18*time.Minute
		firstSeen = g.Start.AddDate(0, 0, -2)
	}
	periodStart := make([]time.Time, last+2)
	t := g.Start.Add(time.Duration(2+rng.IntN(6)) * time.Minute) // kickoff or puck drop
	for p := 1; p <= last+1; p++ {
		periodStart[p] = t
		t = t.Add(periodWall)
		switch {
		case g.League == "nfl" && p == 2:
			t = t.Add(half)
		case g.League == "nhl" && p < periods:
			t = t.Add(breakWall)
		default:
			t = t.Add(2 * time.Minute)
		}
	}
	at := func(period int, left time.Duration) time.Time {
		plen := periodLength(g.League, period, periods, length, g.SeasonType)
		elapsed := 1.0
		if plen > 0 {
			elapsed = 1 - float64(left)/float64(plen)
		}
		d := time.Duration(elapsed * float64(periodWall))
		return periodStart[period].Add(d + time.Duration(rng.IntN(15))*time.Second).Truncate(time.Second)
	}

	var pts []store.Point
	prev := time.Time{}
	add := func(p store.Point) {
		if !p.Time.After(prev) {
			p.Time = prev.Add(time.Second)
		}
		prev = p.Time
		pts = append(pts, p)
	}

	add(ScorePoint(g, firstSeen, Scheduled, 0, 0, 0))
	home, away := 0, 0
	ei := 0
	for p := 1; p <= last; p++ {
		plen := periodLength(g.League, p, periods, length, g.SeasonType)
		start := ScorePoint(g, periodStart[p], Live, home, away, p)
		start.TimeRemaining = Clock(plen)
		start.StatusDetail = Detail(g.League, start.TimeRemaining, p)
		add(start)
		for ; ei < len(events) && events[ei].period == p; ei++ {
			e := events[ei]
			if e.home {
				home += e.points
			} else {
				away += e.points
			}
			sp := ScorePoint(g, at(p, e.left), Live, home, away, p)
			sp.TimeRemaining = Clock(e.left)
			sp.StatusDetail = Detail(g.League, sp.TimeRemaining, p)
			add(sp)
		}
	}
	end := periodStart[last+1].Add(time.Minute)
	add(ScorePoint(g, end, Finished, home, away, last))

	kick := pts[1].Time
	scheduledRow := GamePoint(g, published, Scheduled, 0, 0)
	liveRow := GamePoint(g, kick, Live, 0, 0)
	finalRow := GamePoint(g, prev, Finished, home, away)
	finalRow.Period = last
	return append([]store.Point{scheduledRow, liveRow, finalRow}, pts...)
}

// periodLength is the clock length of period p: regulation, or the
// overtime length (NFL regular season 10:00, NHL regular season 5:00).
func periodLength(leagueKey string, p, periods int, length time.Duration, seasonType int) time.Duration {
	if p <= periods || seasonType == 3 {
		return length
	}
	switch leagueKey {
	case "nfl":
		return 10 * time.Minute
	case "nhl":
		if p > periods+1 {
			return 0 // the shootout has no clock
		}
		return 5 * time.Minute
	}
	return length / 2
}

// playGame draws the scoring events of a game and returns them in game
// order with the last period played.
func playGame(g Game, rng *rand.Rand, periods int, length time.Duration) ([]scoring, int) {
	var events []scoring
	clockIn := func(plen time.Duration) time.Duration {
		return time.Duration(1+rng.IntN(int(plen/time.Second)-1)) * time.Second
	}
	homeSide := func() bool { return rng.IntN(100) < 52 } // a little home advantage
	total := func() (int, int) {
		h, a := 0, 0
		for _, e := range events {
			if e.home {
				h += e.points
			} else {
				a += e.points
			}
		}
		return h, a
	}

	switch g.League {
	case "nhl":
		for _, home := range []bool{true, false} {
			for range poisson(rng, 3.0) {
				events = append(events, scoring{period: 1 + rng.IntN(periods), left: clockIn(length), home: home, points: 1})
			}
		}
	default:
		weights := []int{5, 25, 40, 25, 5} // scoring plays per period: 0..4
		for p := 1; p <= periods; p++ {
			k := pick(rng, weights)
			for range k {
				events = append(events, scoring{period: p, left: clockIn(length), home: homeSide(), points: footballPoints(rng)})
			}
		}
	}
	sortEvents(events)

	last := periods
	playoff := g.SeasonType == 3
	for {
		if h, a := total(); h != a {
			break
		}
		switch {
		case g.League == "nhl" && !playoff && last == periods+1:
			// Regular-season shootout: ESPN counts it as one more goal in period 5.
			last++
			events = append(events, scoring{period: last, left: 0, home: homeSide(), points: 1})
			return events, last
		case g.League == "nfl" && !playoff && last == periods+1:
			return events, last // a regular-season tie
		}
		last++
		plen := periodLength(g.League, last, periods, length, g.SeasonType)
		var pts, chance int
		switch g.League {
		case "nfl":
			pts, chance = 3, 75
			if rng.IntN(100) < 40 {
				pts = 6 // a touchdown ends overtime before the extra point
			}
		case "nhl":
			pts, chance = 1, 60
		default:
			pts, chance = 1+rng.IntN(3), 100
		}
		if rng.IntN(100) < chance {
			events = append(events, scoring{period: last, left: clockIn(plen), home: homeSide(), points: pts})
		}
	}
	return events, last
}

func sortEvents(events []scoring) {
	sort.SliceStable(events, func(i, j int) bool {
		if events[i].period != events[j].period {
			return events[i].period < events[j].period
		}
		return events[i].left > events[j].left // the clock counts down
	})
}

func footballPoints(rng *rand.Rand) int {
	switch r := rng.IntN(100); {
	case r < 58:
		return 7
	case r < 88:
		return 3
	case r < 93:
		return 6
	case r < 97:
		return 8
	}
	return 2
}

func pick(rng *rand.Rand, weights []int) int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	r := rng.IntN(sum)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

// poisson draws from a Poisson distribution (Knuth's method; fine for small means).
func poisson(rng *rand.Rand, mean float64) int {
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
