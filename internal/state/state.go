// Package state holds the latest known games of every followed league in
// memory. The poller replaces a league's games after each poll; the HTTP
// handlers and Home Assistant views read immutable snapshots, so a read never
// waits for a poll.
package state

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sports-data/sports-data/internal/game"
)

// Snapshot is one league's games at one moment. It is never modified after
// it is published.
type Snapshot struct {
	League    string      // registry key: "nfl"
	Games     []game.Game // ordered by start time, then id
	UpdatedAt time.Time
}

// State is safe for concurrent use.
type State struct {
	mu      sync.Mutex // serialises writers; readers use the atomic pointers
	leagues map[string]*atomic.Pointer[Snapshot]
	order   []string
	all     atomic.Pointer[[]game.Game]
	version atomic.Uint64
}

// New creates an empty state for the given league keys.
func New(leagueKeys ...string) *State {
	s := &State{leagues: map[string]*atomic.Pointer[Snapshot]{}}
	for _, k := range leagueKeys {
		p := &atomic.Pointer[Snapshot]{}
		p.Store(&Snapshot{League: k})
		s.leagues[k] = p
		s.order = append(s.order, k)
	}
	empty := []game.Game{}
	s.all.Store(&empty)
	return s
}

// Replace publishes a league's games. games is owned by the state afterwards.
func (s *State) Replace(leagueKey string, games []game.Game, at time.Time) {
	sort.SliceStable(games, func(i, j int) bool {
		if !games[i].Start.Equal(games[j].Start) {
			return games[i].Start.Before(games[j].Start)
		}
		return games[i].ID < games[j].ID
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.leagues[leagueKey]
	if !ok {
		return
	}
	p.Store(&Snapshot{League: leagueKey, Games: games, UpdatedAt: at})
	var all []game.Game
	for _, k := range s.order {
		all = append(all, s.leagues[k].Load().Games...)
	}
	if all == nil {
		all = []game.Game{}
	}
	s.all.Store(&all)
	s.version.Add(1)
}

// Version changes whenever any league's games are replaced, so readers can
// keep answers derived from the games until it moves.
func (s *State) Version() uint64 { return s.version.Load() }

// League returns one league's snapshot; nil for a league not followed.
func (s *State) League(leagueKey string) *Snapshot {
	p, ok := s.leagues[leagueKey]
	if !ok {
		return nil
	}
	return p.Load()
}

// All returns every game of every league, leagues in configuration order.
// The slice must not be modified.
func (s *State) All() []game.Game { return *s.all.Load() }

// Leagues lists the followed league keys in configuration order.
func (s *State) Leagues() []string { return s.order }
