package writer

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/sqlite"
)

// reopening is the SQLite store behind a handle that survives the
// database being closed and opened again, the way the service sees a
// store that goes away and comes back.
type reopening struct {
	mu   sync.Mutex
	path string
	db   *sqlite.Store
}

func openReopening(t testing.TB) *reopening {
	r := &reopening{path: filepath.Join(t.TempDir(), "sports.db")}
	r.up(t)
	t.Cleanup(func() { r.down(t) })
	return r
}

func (r *reopening) Write(ctx context.Context, points []store.Point) error {
	r.mu.Lock()
	db := r.db
	r.mu.Unlock()
	return db.Write(ctx, points)
}

func (r *reopening) up(t testing.TB) {
	db, err := sqlite.Open(r.path, sqlite.Options{})
	require.NoError(t, err)
	r.mu.Lock()
	r.db = db
	r.mu.Unlock()
}

// down closes the database: writes fail with store.ErrUnavailable.
func (r *reopening) down(t testing.TB) {
	r.mu.Lock()
	defer r.mu.Unlock()
	require.NoError(t, r.db.Close())
}

func (r *reopening) store() *sqlite.Store {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.db
}

// gameStory is one NHL game told as the recorder writes it: a score point
// and a rewrite of the games row per change.
func gameStory(changes int) []store.Point {
	start := time.Date(2022, 9, 25, 23, 0, 0, 0, time.UTC)
	var out []store.Point
	for i := range changes {
		at := start.Add(time.Duration(i) * time.Minute)
		status := "live"
		if i == changes-1 {
			status = "finished"
		}
		common := store.Point{
			League: "nhl", GameID: "401458982", Season: 2023, SeasonType: 1,
			HomeTeam: "BOS", AwayTeam: "PHI", Status: status,
			HomeScore: i / 2, AwayScore: i - i/2, Period: 1 + i*3/changes,
		}
		sp := common
		sp.Series, sp.Time, sp.TimeRemaining = store.SeriesScores, at, fmt.Sprintf("%d:00", 19-i%20)
		gp := common
		gp.Series, gp.Time, gp.ObservedAt = store.SeriesGames, start, at
		gp.HomeTeamName, gp.AwayTeamName, gp.Venue = "Boston Bruins", "Philadelphia Flyers", "TD Garden"
		out = append(out, sp, gp)
	}
	return out
}

func TestSQLiteOutageRestartAndReplay(t *testing.T) {
	db := openReopening(t)
	o := testOptions(t)
	o.BreakerFailures = 2
	story := gameStory(40) // 80 points
	ctx := context.Background()

	w1, err := New(db, o)
	require.NoError(t, err)
	w1.Enqueue(story[:20]...)
	require.NoError(t, w1.Flush(ctx))

	db.down(t) // the database goes away mid-game
	w1.Enqueue(story[20:50]...)
	err = w1.Flush(ctx)
	require.ErrorIs(t, err, store.ErrUnavailable)
	w1.Enqueue(story[50:60]...)
	require.Error(t, w1.Flush(ctx))
	assert.Equal(t, "open", w1.Stats().Breaker)
	w1.Enqueue(story[60:70]...) // still in memory when the service stops
	require.NoError(t, w1.Close(ctx))
	assert.Equal(t, 50, w1.Stats().Spooled)

	db.up(t) // service and database come back
	w2 := newWriter(t, db, o)
	w2.Enqueue(story[70:]...)
	require.NoError(t, w2.Flush(ctx))
	assert.Zero(t, w2.Stats().Spooled)
	assert.Zero(t, w2.Stats().Dropped)

	timeline, err := db.store().Timeline(ctx, "nhl", "401458982")
	require.NoError(t, err)
	require.Len(t, timeline, 40, "every score point once")
	for i, p := range timeline {
		assert.Equal(t, story[2*i].Time.UnixNano(), p.Time.UnixNano())
		assert.Equal(t, story[2*i].HomeScore, p.HomeScore)
	}
	// The games row is rewritten at every change: only an in-order replay
	// leaves the last one standing.
	games, err := db.store().Games(ctx, store.GameQuery{League: "nhl"})
	require.NoError(t, err)
	require.Len(t, games, 1)
	last := story[len(story)-1]
	assert.Equal(t, "finished", games[0].Status)
	assert.Equal(t, last.ObservedAt.UnixNano(), games[0].ObservedAt.UnixNano())
	assert.Equal(t, [2]int{last.HomeScore, last.AwayScore}, [2]int{games[0].HomeScore, games[0].AwayScore})
}

func TestSQLiteRejectsInvalidPointForGood(t *testing.T) {
	db := openReopening(t)
	o := testOptions(t)
	o.BreakerFailures = 1
	w := newWriter(t, db, o)
	ctx := context.Background()

	bad := gameStory(2)
	bad[1].GameID = "" // no store can keep this
	w.Enqueue(bad...)
	err := w.Flush(ctx)
	require.Error(t, err)
	require.NotErrorIs(t, err, store.ErrUnavailable)
	st := w.Stats()
	assert.Equal(t, int64(4), st.Dropped)
	assert.Equal(t, "closed", st.Breaker)
	assert.Zero(t, st.Spooled)

	w.Enqueue(gameStory(3)...)
	require.NoError(t, w.Flush(ctx))
	timeline, err := db.store().Timeline(ctx, "nhl", "401458982")
	require.NoError(t, err)
	assert.Len(t, timeline, 3)
}

// A closed database costs BreakerFailures attempts; then the breaker
// keeps the writer away from it and points go straight to the spool.
func TestSQLiteBreakerSparesAClosedDatabase(t *testing.T) {
	db := openReopening(t)
	o := testOptions(t)
	o.BreakerFailures = 3
	var mu sync.Mutex
	attempts := 0
	o.OnWrite = func(int, time.Duration, error) {
		mu.Lock()
		attempts++
		mu.Unlock()
	}
	w := newWriter(t, db, o)
	db.down(t)
	for i := range 6 {
		w.Enqueue(pts(i, 1, "live")...)
		require.Error(t, w.Flush(context.Background()))
	}
	mu.Lock()
	assert.Equal(t, 3, attempts)
	mu.Unlock()
	assert.Equal(t, 6, w.Stats().Spooled)
	db.up(t)
}
