package history_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

func openSQLite(t testing.TB) store.Store { return historytest.SQLite(t) }

func leagues(t testing.TB, keys ...string) []league.League {
	t.Helper()
	out := make([]league.League, 0, len(keys))
	for _, k := range keys {
		l, ok := league.Lookup(k)
		require.True(t, ok, k)
		out = append(out, l)
	}
	return out
}

func write(t testing.TB, s store.Store, points ...store.Point) {
	t.Helper()
	require.NoError(t, s.Write(context.Background(), points))
}

// recordingReader passes reads to a real store and remembers what it was
// asked. With a gate set, every read first waits for the gate to close.
type recordingReader struct {
	r store.Reader

	mu        sync.Mutex
	games     []store.GameQuery
	timelines [][2]string
	gate      chan struct{}
	arrived   chan struct{}
}

func (r *recordingReader) Games(ctx context.Context, q store.GameQuery) ([]store.Point, error) {
	r.mu.Lock()
	r.games = append(r.games, q)
	gate, arrived := r.gate, r.arrived
	r.mu.Unlock()
	if err := r.wait(ctx, gate, arrived); err != nil {
		return nil, err
	}
	return r.r.Games(ctx, q)
}

func (r *recordingReader) Timeline(ctx context.Context, leagueKey, gameID string) ([]store.Point, error) {
	r.mu.Lock()
	r.timelines = append(r.timelines, [2]string{leagueKey, gameID})
	gate, arrived := r.gate, r.arrived
	r.mu.Unlock()
	if err := r.wait(ctx, gate, arrived); err != nil {
		return nil, err
	}
	return r.r.Timeline(ctx, leagueKey, gameID)
}

func (r *recordingReader) wait(ctx context.Context, gate, arrived chan struct{}) error {
	if gate == nil {
		return nil
	}
	if arrived != nil {
		arrived <- struct{}{}
	}
	select {
	case <-gate:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *recordingReader) gamesCalls() []store.GameQuery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]store.GameQuery(nil), r.games...)
}

func (r *recordingReader) timelineCalls() [][2]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][2]string(nil), r.timelines...)
}

func (r *recordingReader) calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.games) + len(r.timelines)
}

func newService(t testing.TB, r history.Reader, o history.Options) *history.Service {
	t.Helper()
	if o.Leagues == nil {
		o.Leagues = leagues(t, "nfl", "nhl")
	}
	return history.New(r, newResolver(t), o)
}
