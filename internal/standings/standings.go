// Package standings keeps every followed league's table: it asks ESPN for
// a league's standings once a day and again after each final of the
// league (one request for the whole league, never one per team), stores
// every table that changed (so a table can be asked for a past date),
// and answers the table, a team's place in it for the sensors, and the
// standings route.
package standings

import (
	"context"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/retry"
	"github.com/sports-data/sports-data/internal/store"
)

// Fetcher asks ESPN for a league's table (espn.Client.Standings).
type Fetcher interface {
	Standings(ctx context.Context, l league.League) (game.Table, error)
}

// Enqueuer takes points for writing without waiting for the store.
type Enqueuer interface {
	Enqueue(points ...store.Point)
}

// Reader reads stored tables and the games the form comes from.
type Reader interface {
	Standings(ctx context.Context, league string, from, to time.Time) ([]store.Point, error)
	Games(ctx context.Context, q store.GameQuery) ([]store.Point, error)
}

// Options configure a Service. Zero values take the defaults in brackets.
type Options struct {
	// Every is the time between two tables of a league [24h].
	Every time.Duration
	// AfterFinal is how long after a final of the league its table is
	// asked again: ESPN updates its tables a little after the game [10m].
	AfterFinal time.Duration
	// Retry is the first wait after a failed request; it doubles up to
	// Every [15m].
	Retry time.Duration
	// QueryTimeout bounds each store read [5s].
	QueryTimeout time.Duration
	Now          func() time.Time
	Logger       *slog.Logger
}

// Service keeps the tables. It is safe for concurrent use; Run owns its
// one goroutine.
type Service struct {
	f       Fetcher
	w       Enqueuer // nil while storage is off
	r       Reader   // nil while storage is off
	leagues []league.League
	o       Options
	log     *slog.Logger
	wake    chan struct{}
	// version moves whenever a table in memory changes.
	version atomic.Uint64

	mu      sync.RWMutex
	current map[string]game.Table // by league key
	due     map[string]time.Time  // when each league is asked next
	fails   map[string]int        // failed requests in a row
	finals  map[string]map[string]time.Time
	polled  map[string]bool // leagues whose first poll was seen
}

// New builds a Service over the followed leagues. w and r may be nil
// (storage off): tables are then kept in memory only.
func New(f Fetcher, w Enqueuer, r Reader, leagues []league.League, o Options) *Service {
	if o.Every <= 0 {
		o.Every = 24 * time.Hour
	}
	if o.AfterFinal <= 0 {
		o.AfterFinal = 10 * time.Minute
	}
	if o.Retry <= 0 {
		o.Retry = 15 * time.Minute
	}
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{f: f, w: w, r: r, leagues: leagues, o: o, log: o.Logger, wake: make(chan struct{}, 1),
		current: map[string]game.Table{}, due: map[string]time.Time{}, fails: map[string]int{},
		finals: map[string]map[string]time.Time{}, polled: map[string]bool{}}
}

// Version changes whenever a table in memory changes.
func (s *Service) Version() uint64 { return s.version.Load() }

// Current is the newest table of a league, and whether there is one.
func (s *Service) Current(leagueKey string) (game.Table, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.current[leagueKey]
	return t, ok
}

// Observe is a poller observer: a game of the league seen final for the
// first time (after the league's first poll, whose finals are old news)
// brings the league's next table forward to AfterFinal from now.
func (s *Service) Observe(leagueKey string, games []game.Game) {
	now := s.o.Now()
	s.mu.Lock()
	seen := s.finals[leagueKey]
	if seen == nil {
		seen = map[string]time.Time{}
		s.finals[leagueKey] = seen
	}
	first := !s.polled[leagueKey]
	s.polled[leagueKey] = true
	fresh := false
	for i := range games {
		g := &games[i]
		if g.Status != game.StatusFinal {
			continue
		}
		if _, ok := seen[g.ID]; !ok {
			seen[g.ID] = now
			fresh = fresh || !first
		}
	}
	for id, at := range seen {
		if now.Sub(at) > 3*24*time.Hour {
			delete(seen, id)
		}
	}
	if due, ok := s.due[leagueKey]; fresh && (!ok || due.After(now.Add(s.o.AfterFinal))) {
		s.due[leagueKey] = now.Add(s.o.AfterFinal)
		fresh = true
	} else {
		fresh = false
	}
	s.mu.Unlock()
	if fresh {
		s.poke()
	}
}

func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run loads each league's newest stored table, then asks ESPN for every
// table that is due, until ctx ends. A table younger than Every is not
// asked for again at start.
func (s *Service) Run(ctx context.Context) {
	s.load(ctx)
	for {
		next := s.refreshDue(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := max(next.Sub(s.o.Now()), time.Second)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// load reads each league's newest table of the last Every from the store;
// a league with one is next asked for when it is Every old.
func (s *Service) load(ctx context.Context) {
	now := s.o.Now()
	for _, l := range s.leagues {
		due := now
		if s.r != nil {
			qctx, cancel := context.WithTimeout(ctx, s.o.QueryTimeout)
			pts, err := s.r.Standings(qctx, l.Key, now.Add(-s.o.Every), now.Add(time.Minute))
			cancel()
			switch {
			case err != nil:
				s.log.Warn("stored table not read; asking ESPN", "league", l.Key, "err", err)
			case len(pts) > 0:
				t := FromPoints(l.Key, pts)
				s.set(t)
				due = t.TakenAt.Add(s.o.Every)
			}
		}
		s.mu.Lock()
		if _, ok := s.due[l.Key]; !ok {
			s.due[l.Key] = due
		}
		s.mu.Unlock()
	}
}

// refreshDue asks for every table that is due, one league after the
// other (the ESPN client paces them), and returns when the next is due.
func (s *Service) refreshDue(ctx context.Context) time.Time {
	for _, l := range s.leagues {
		s.mu.RLock()
		due := s.due[l.Key]
		s.mu.RUnlock()
		if due.After(s.o.Now()) {
			continue
		}
		t, err := s.f.Standings(ctx, l)
		if ctx.Err() != nil {
			return s.o.Now()
		}
		s.mu.Lock()
		if err != nil {
			s.fails[l.Key]++
			wait := retry.Backoff{Base: s.o.Retry, Max: s.o.Every}.Ceiling(s.fails[l.Key] - 1)
			s.due[l.Key] = s.o.Now().Add(wait)
			s.mu.Unlock()
			s.log.Warn("standings not refreshed", "league", l.Key, "err", err, "next_in", wait.Round(time.Second))
			continue
		}
		s.fails[l.Key] = 0
		s.due[l.Key] = s.o.Now().Add(s.o.Every)
		s.mu.Unlock()
		s.keep(t)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	next := s.o.Now().Add(s.o.Every)
	for _, l := range s.leagues {
		if d, ok := s.due[l.Key]; ok && d.Before(next) {
			next = d
		}
	}
	return next
}

// keep makes a fetched table the league's current one and stores it,
// unless it is the table already kept (ESPN answering the same table
// again stores nothing).
func (s *Service) keep(t game.Table) {
	if t.League == "" || len(t.Entries) == 0 {
		return
	}
	if cur, ok := s.Current(t.League); ok && cur.Season == t.Season && reflect.DeepEqual(cur.Entries, t.Entries) {
		return
	}
	s.set(t)
	if s.w != nil {
		s.w.Enqueue(Points(t)...)
	}
	s.log.Info("standings refreshed", "league", t.League, "season", t.Season, "teams", len(t.Entries))
}

func (s *Service) set(t game.Table) {
	s.mu.Lock()
	s.current[t.League] = t
	s.mu.Unlock()
	s.version.Add(1)
}

// Points are the stored rows of a table: one per team, at the time it was
// taken.
func Points(t game.Table) []store.Point {
	out := make([]store.Point, 0, len(t.Entries))
	for i := range t.Entries {
		e := t.Entries[i]
		out = append(out, store.Point{Series: store.SeriesStandings, League: t.League, Time: t.TakenAt.UTC(), Season: t.Season, Standing: &e})
	}
	return out
}

// FromPoints is the table stored rows make (the rows of one table, as
// the store answers them: by group and position).
func FromPoints(leagueKey string, pts []store.Point) game.Table {
	t := game.Table{League: leagueKey}
	for _, p := range pts {
		if p.Standing == nil {
			continue
		}
		t.Season, t.TakenAt = p.Season, p.Time.UTC()
		t.Entries = append(t.Entries, *p.Standing)
	}
	return t
}
