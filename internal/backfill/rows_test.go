package backfill_test

import (
	"context"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/backfill"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/recorder"
	"github.com/sports-data/sports-data/internal/store"
)

// collected is an Enqueuer that keeps what the recorder hands over.
type collected struct {
	mu     sync.Mutex
	points []store.Point
}

func (c *collected) Enqueue(points ...store.Point) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.points = append(c.points, points...)
}

// filled lists the fields of p that hold a value, ObservedAt aside (when
// a row was written differs by design).
func filled(p store.Point) []string {
	var out []string
	v := reflect.ValueOf(p)
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		if name != "ObservedAt" && !v.Field(i).IsZero() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// The games row of a game is the same whether backfill or the recorder
// (fed by the schedule refresher) stored it: the same fields, filled with
// the same values, in a real SQLite store. The two once differed (backfill
// left out the status detail).
func TestBackfillAndRecorderWriteTheSameGamesRows(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, schedulePath("12"), kcCapture)
	ctx := context.Background()

	backfilled := historytest.SQLite(t)
	_, err := backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), backfilled,
		options(t, backfill.Options{Team: "KC", StateDir: t.TempDir()}))
	require.NoError(t, err)

	// The recorder sees the same answer, as the schedule refresher hands it
	// over, and its rows go to another store.
	games, err := newClient(srv).TeamSchedule(ctx, nfl(t), "12", 2023)
	require.NoError(t, err)
	q := &collected{}
	rec := recorder.New(q, func() time.Time { return after2023 }, nil)
	rec.Observe("nfl", games)
	recorded := historytest.SQLite(t)
	require.NoError(t, recorded.Write(ctx, q.points))

	want, err := backfilled.Games(ctx, store.GameQuery{League: "nfl"})
	require.NoError(t, err)
	got, err := recorded.Games(ctx, store.GameQuery{League: "nfl"})
	require.NoError(t, err)
	require.Len(t, want, 17)
	require.Len(t, got, len(want))
	for i := range want {
		b, r := want[i], got[i]
		require.Equal(t, b.GameID, r.GameID)
		assert.Equal(t, filled(b), filled(r), "fields of game %s", b.GameID)
		b.ObservedAt, r.ObservedAt = time.Time{}, time.Time{}
		assert.Equal(t, b, r, "game %s", b.GameID)
	}
	assert.Contains(t, filled(want[0]), "StatusDetail")
	assert.Contains(t, filled(want[0]), "Venue")
}
