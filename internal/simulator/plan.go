package simulator

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/sports-data/sports-data/internal/league"
)

// side is home or away.
type side int

const (
	home side = iota
	away
)

// leagueSpec is what the simulator knows of a league beyond the registry:
// ESPN's league ids and names, and how long its periods are.
type leagueSpec struct {
	reg          league.League
	id           string // ESPN league id: "28"
	uidPrefix    string // "s:20~l:28"
	fullName     string // "National Football League"
	slug         string
	calendarType string // "list" (NFL weeks) or "day"
	idDigit      int    // second digit of the simulated event ids
	periodWord   string // "Quarter" / "Period"
	clockLen     int    // game seconds in a regulation period
	otClockLen   int    // game seconds in an overtime period
	teams        []*team
}

func newLeagueSpec(key string) (*leagueSpec, error) {
	reg, ok := league.Lookup(key)
	if !ok {
		return nil, fmt.Errorf("simulator: unknown league %q", key)
	}
	var s *leagueSpec
	switch reg.Key {
	case "nfl":
		s = &leagueSpec{reg: reg, id: "28", uidPrefix: "s:20~l:28", fullName: "National Football League",
			slug: "nfl", calendarType: "list", idDigit: 1, periodWord: "Quarter", clockLen: 900, otClockLen: 600}
	case "nhl":
		s = &leagueSpec{reg: reg, id: "90", uidPrefix: "s:70~l:90", fullName: "National Hockey League",
			slug: "nhl", calendarType: "day", idDigit: 2, periodWord: "Period", clockLen: 1200, otClockLen: 300}
	case "mls":
		// Halves of 45 game minutes plus stoppage time; extra time of two
		// 15-minute halves in a match that must have a winner.
		s = &leagueSpec{reg: reg, id: "770", uidPrefix: "s:600~l:770", fullName: "Major League Soccer",
			slug: "usa.1", calendarType: "day", idDigit: 3, periodWord: "Half", clockLen: 2700, otClockLen: 900}
	default:
		return nil, fmt.Errorf("simulator: league %q is not simulated (nfl, nhl, mls)", key)
	}
	teams, err := loadTeams(reg.Key)
	if err != nil {
		return nil, err
	}
	s.teams = teams
	return s, nil
}

func (l *leagueSpec) nfl() bool { return l.reg.Key == "nfl" }

// soccer leagues count the clock up in minutes, end level as draws and
// settle cup ties with a penalty shoot-out.
func (l *leagueSpec) soccer() bool { return l.reg.Draws() }

// segKind is what the scoreboard shows during one stretch of a game.
type segKind int

const (
	segPlay     segKind = iota // in progress, the clock runs down
	segHold                    // in progress, the clock stopped (after the last play, before the final)
	segBreak                   // STATUS_END_PERIOD between periods
	segHalftime                // STATUS_HALFTIME (NFL)
	segShootout                // NHL shootout, period 5
)

// segment is one stretch of a game's timeline. Segments of a game are
// contiguous from kickoff to the final.
type segment struct {
	kind     segKind
	period   int
	from, to time.Time
	clockLen int           // segPlay: game seconds on the clock at the period's start
	scale    time.Duration // segPlay: simulated time per game second
	hold     int           // segHold: the stopped clock
}

// clockAt is the game clock (seconds remaining) at t inside the segment.
func (s *segment) clockAt(t time.Time) int {
	switch s.kind {
	case segPlay:
		c := s.clockLen - int(t.Sub(s.from)/s.scale)
		if c < 0 {
			c = 0
		}
		return c
	case segHold:
		return s.hold
	}
	return 0
}

// scoreEvent is one change of the score: a scoring play, a conversion, an
// overturned score (negative points) or the shootout's deciding goal.
type scoreEvent struct {
	at     time.Time
	period int
	clock  int
	side   side
	points int
	kind   string
	text   string
	// home and away are the score after this event.
	home, away int
}

// gamePlan is everything that will happen in one game, fixed at New. The
// state at any moment is a pure function of the plan and the time.
type gamePlan struct {
	lg         *leagueSpec
	seq        int
	id         string
	home, away *team
	season     int
	seasonType int
	week       int // NFL only
	broadcasts []string
	spread     float64 // home line; negative when the home team is favoured
	overUnder  float64
	seed       uint64 // per-game randomness for texts and situations

	scheduled time.Time // the start first announced
	start     time.Time // when play begins; zero when the game is never played
	// listedFrom, when set, hides the game before it: a replay under a new
	// id only exists once it is announced.
	listedFrom time.Time
	// postponedAt is when the game was called off; zero if it never was.
	postponedAt time.Time
	// movedAt is when a postponed game got its new date under the same id;
	// from then on it is listed on its new day only.
	movedAt  time.Time
	replayOf string // the postponed game this one replays (new id)
	replayID string // the game that replays this postponed one (new id)
	scenario string

	segments []segment
	events   []scoreEvent
	end      time.Time // the final; zero when never played
	final    finalInfo
}

type finalInfo struct {
	period     int
	detail     string // "Final", "Final/OT", "Final/SO"
	altDetail  string
	home, away int
	winner     side
	tie        bool
	otLoss     bool // NHL: the loser gets an overtime loss

	// Soccer: the last clock shown and, after a shoot-out, its score
	// (winner is then the shoot-out's winner while tie stays true: level
	// in the table).
	soccer             bool
	clock              int
	displayClock       string
	pens               bool
	pensHome, pensAway int
}

// dateAt is the event date ESPN lists at time t.
func (p *gamePlan) dateAt(t time.Time) time.Time {
	if !p.movedAt.IsZero() && !t.Before(p.movedAt) {
		return p.start
	}
	return p.scheduled
}

func (p *gamePlan) listedAt(t time.Time) bool {
	return p.listedFrom.IsZero() || !t.Before(p.listedFrom)
}

// begunAt reports whether the game is no longer to come at t: under way,
// over or postponed.
func (p *gamePlan) begunAt(t time.Time) bool { return p.stateAt(t).status.state != phasePre }

// neverPlayed reports a postponed game that got no new date in the window.
func (p *gamePlan) neverPlayed() bool { return p.start.IsZero() }

// overAt is when nothing more will change: the final, or the postponement
// of a game that is never replayed under its id.
func (p *gamePlan) overAt() time.Time {
	if p.neverPlayed() {
		return p.postponedAt
	}
	return p.end
}

// seedFor derives an independent stream for one purpose, so that adding a
// draw in one place never shifts the draws of another.
func seedFor(seed int64, parts ...any) uint64 {
	h := fnv.New64a()
	fmt.Fprint(h, seed)
	for _, p := range parts {
		fmt.Fprint(h, "|", p)
	}
	return h.Sum64()
}

func rngFor(seed int64, parts ...any) *rand.Rand {
	s := seedFor(seed, parts...)
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}

// mix is a stateless hash for values derived from the time (situations,
// last plays), so that concurrent requests need no shared generator.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// sortPlans orders games as ESPN lists them: by date, then id.
func sortPlans(ps []*gamePlan, t time.Time) {
	sort.SliceStable(ps, func(i, j int) bool {
		di, dj := ps[i].dateAt(t), ps[j].dateAt(t)
		if !di.Equal(dj) {
			return di.Before(dj)
		}
		return ps[i].id < ps[j].id
	})
}
