package simulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configure a simulation. Everything it serves is a function of
// these options and the simulated clock.
type Options struct {
	// Leagues to simulate: "nfl", "nhl", "mls" (default nfl and nhl).
	Leagues []string
	// Start is the simulated clock when New returns, e.g. a Sunday 12:00
	// ET (see SundayNoonET). Zero means SundayNoonET(time.Now()), which is
	// not reproducible.
	Start time.Time
	// Speed is simulated seconds per real second: 1 is real time, 60 a
	// minute per second, 3600 an hour per second. Zero means 1.
	Speed float64
	// Seed drives every draw: same options, same games, same bytes.
	Seed int64
	// Days is how many Eastern days of games, from Start's day (default 7,
	// at most 366).
	Days int
	// Faults injected on every ESPN-like request (changeable with SetFaults).
	Faults Faults
	Logger *slog.Logger
}

// Faults are injected per request, drawn from a generator seeded with
// Options.Seed. The rates are fractions of requests and must add up to at
// most 1.
type Faults struct {
	// ErrorRate answers 500 with ESPN's error JSON.
	ErrorRate float64
	// TimeoutRate holds the request until Timeout has passed (then 504),
	// the client gives up, or the simulator closes. A zero Timeout holds it
	// until the client gives up or the simulator closes.
	TimeoutRate float64
	// InvalidJSONRate answers 200 with the first half of the real body.
	InvalidJSONRate float64
	Timeout         time.Duration
}

// Validate reports rates outside [0, 1], rates adding up to more than 1,
// and a negative timeout.
func (f Faults) Validate() error {
	for _, r := range []struct {
		name string
		v    float64
	}{{"ErrorRate", f.ErrorRate}, {"TimeoutRate", f.TimeoutRate}, {"InvalidJSONRate", f.InvalidJSONRate}} {
		if math.IsNaN(r.v) || r.v < 0 || r.v > 1 {
			return fmt.Errorf("simulator: fault %s %v outside [0, 1]", r.name, r.v)
		}
	}
	if sum := f.ErrorRate + f.TimeoutRate + f.InvalidJSONRate; sum > 1+1e-9 {
		return fmt.Errorf("simulator: fault rates add up to %v, more than 1", sum)
	}
	if f.Timeout < 0 {
		return fmt.Errorf("simulator: fault timeout %v is negative", f.Timeout)
	}
	return nil
}

// ErrClosed is returned by Start after Close.
var ErrClosed = errors.New("simulator: closed")

// Sim is a running simulation: an ESPN-compatible server over a schedule
// of games fixed at New. It is safe for concurrent use.
type Sim struct {
	log     *slog.Logger
	start   time.Time
	speed   float64
	leagues []*leagueSpec
	byKey   map[string]*leagueSpec
	byPath  map[string]*leagueSpec // "soccer/usa.1": ESPN's path of the league
	plans   map[string][]*gamePlan // by league key, in id order
	books   map[string]*recordBook
	teams   map[string][]byte // the teams answer by league key
	// contests are the leagues of athletes' contests, by league key
	// (contest.go).
	contests map[string]*contestPlan
	over     time.Time // when the last game is over
	window   window

	realStart time.Time
	realNow   func() time.Time

	mu     sync.Mutex
	faults Faults
	rng    *rand.Rand
	srv    *http.Server

	closed    chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
}

// New lays out the whole schedule and every game in it. The simulated
// clock starts running when New returns.
func New(o Options) (*Sim, error) {
	if len(o.Leagues) == 0 {
		o.Leagues = []string{"nfl", "nhl"}
	}
	switch {
	case o.Speed == 0:
		o.Speed = 1
	case math.IsNaN(o.Speed) || math.IsInf(o.Speed, 0) || o.Speed < 0:
		return nil, fmt.Errorf("simulator: speed %v must be a positive number", o.Speed)
	}
	switch {
	case o.Days == 0:
		o.Days = 7
	case o.Days < 0 || o.Days > 366:
		return nil, fmt.Errorf("simulator: days %d outside 1..366", o.Days)
	}
	if o.Start.IsZero() {
		o.Start = SundayNoonET(time.Now())
	}
	if err := o.Faults.Validate(); err != nil {
		return nil, err
	}
	s := &Sim{
		log:      o.Logger,
		start:    o.Start,
		speed:    o.Speed,
		byKey:    map[string]*leagueSpec{},
		byPath:   map[string]*leagueSpec{},
		plans:    map[string][]*gamePlan{},
		books:    map[string]*recordBook{},
		teams:    map[string][]byte{},
		contests: map[string]*contestPlan{},
		faults:   o.Faults,
		rng:      rngFor(o.Seed, "faults"),
		realNow:  time.Now,
		closed:   make(chan struct{}),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	day0 := dayOf(o.Start)
	s.window = window{start: o.Start}
	for i := 0; i < o.Days; i++ {
		s.window.days = append(s.window.days, addDays(day0, i))
	}
	for _, name := range o.Leagues {
		key := strings.ToLower(strings.TrimSpace(name))
		if _, ok := contestLeagues[key]; ok {
			if err := s.addContest(key, o); err != nil {
				return nil, err
			}
			continue
		}
		lg, err := newLeagueSpec(key)
		if err != nil {
			return nil, err
		}
		if s.byKey[lg.reg.Key] != nil {
			continue
		}
		plans, err := buildLeague(lg, s.window, o.Seed)
		if err != nil {
			return nil, err
		}
		raw, err := teamsFile(lg.reg.Key)
		if err != nil {
			return nil, err
		}
		s.teams[lg.reg.Key] = markBody(raw)
		s.leagues = append(s.leagues, lg)
		s.byKey[lg.reg.Key] = lg
		s.byPath[lg.reg.Sport+"/"+lg.reg.ESPNLeague] = lg
		s.plans[lg.reg.Key] = plans
		s.books[lg.reg.Key] = newRecordBook(lg, plans, o.Seed, o.Start)
		for _, p := range plans {
			if p.overAt().After(s.over) {
				s.over = p.overAt()
			}
		}
	}
	s.realStart = s.realNow()
	s.log.Info("season simulator ready", "start", o.Start, "speed", o.Speed, "days", o.Days, "seed", o.Seed,
		"games", s.gameCount(), "all_over_at", s.over)
	return s, nil
}

// addContest plans the contest of a league of athletes.
func (s *Sim) addContest(key string, o Options) error {
	if s.contests[key] != nil {
		return nil
	}
	athletes, err := loadAthletes()
	if err != nil {
		return err
	}
	p, err := buildContest(key, o.Start, o.Seed, athletes)
	if err != nil {
		return err
	}
	s.contests[key] = p
	if p.end.After(s.over) {
		s.over = p.end
	}
	return nil
}

func (s *Sim) gameCount() int {
	n := 0
	for _, ps := range s.plans {
		n += len(ps)
	}
	return n
}

// markBody puts the simulation marker in front of a captured JSON object.
func markBody(raw []byte) []byte {
	i := strings.IndexByte(string(raw), '{')
	if i < 0 {
		return raw
	}
	head := fmt.Sprintf("{%q:true,%q:%q,", markerKey, "x-sports-data-note", markerNote)
	out := make([]byte, 0, len(raw)+len(head))
	out = append(out, head...)
	return append(out, raw[i+1:]...)
}

// Now is the simulated clock: Start + Speed × real time since New.
func (s *Sim) Now() time.Time {
	return s.simAt(s.realNow())
}

func (s *Sim) simAt(real time.Time) time.Time {
	elapsed := float64(real.Sub(s.realStart)) * s.speed
	if elapsed >= math.MaxInt64 {
		return s.start.Add(math.MaxInt64)
	}
	return s.start.Add(time.Duration(elapsed))
}

// SetFaults changes the injected faults from the next request on.
func (s *Sim) SetFaults(f Faults) error {
	if err := f.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
	return nil
}

// Done reports whether every game of the schedule is over: final, or
// postponed without a replay under its id.
func (s *Sim) Done() bool {
	return !s.Now().Before(s.over)
}

// OverAt is the simulated time at which Done becomes true.
func (s *Sim) OverAt() time.Time { return s.over }

// Handler serves ESPN's site API paths below the base URL:
// /{sport}/{league}/scoreboard, /{sport}/{league}/teams and
// /{sport}/{league}/teams/{id}/schedule (a leading /apis/site/v2/sports is
// accepted too).
func (s *Sim) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Start listens on 127.0.0.1 on a free port and serves Handler until ctx
// ends or Close is called. The base URL it returns takes the place of
// https://site.api.espn.com/apis/site/v2/sports.
func (s *Sim) Start(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closed:
		return "", ErrClosed
	default:
	}
	if s.srv != nil {
		return "", errors.New("simulator: already started")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("simulator: listen: %w", err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	s.srv = srv
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("simulator server stopped", "err", err)
		}
	}()
	go func() {
		defer s.wg.Done()
		select {
		case <-ctx.Done():
			s.stop()
		case <-s.closed:
		}
	}()
	base := "http://" + ln.Addr().String()
	s.log.Info("season simulator serving", "base_url", base)
	return base, nil
}

// stop ends serving and releases held requests, without waiting.
func (s *Sim) stop() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.mu.Lock()
		srv := s.srv
		s.mu.Unlock()
		if srv != nil {
			_ = srv.Close()
		}
	})
}

// Close stops the server started by Start and waits for its goroutines.
// It may be called more than once.
func (s *Sim) Close() error {
	s.stop()
	s.wg.Wait()
	return nil
}

// fault is what one request gets.
type fault int

const (
	faultNone fault = iota
	faultError
	faultTimeout
	faultInvalidJSON
)

func (s *Sim) drawFault() (fault, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	if f.ErrorRate == 0 && f.TimeoutRate == 0 && f.InvalidJSONRate == 0 {
		return faultNone, 0
	}
	u := s.rng.Float64()
	switch {
	case u < f.ErrorRate:
		return faultError, 0
	case u < f.ErrorRate+f.TimeoutRate:
		return faultTimeout, f.Timeout
	case u < f.ErrorRate+f.TimeoutRate+f.InvalidJSONRate:
		return faultInvalidJSON, 0
	}
	return faultNone, 0
}
