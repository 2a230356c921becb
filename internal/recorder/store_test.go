package recorder

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/sqlite"
	"github.com/sports-data/sports-data/internal/store/writer"
)

// The whole path on real parts: captured polls and a derived change go
// through the recorder and the batch writer into a SQLite file; a
// restarted recorder seeded from that file writes nothing until a game
// changes again.
func TestRestartSeededFromSQLiteWritesNoDuplicates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "sports.db"), sqlite.Options{})
	require.NoError(t, err)
	defer db.Close()
	w, err := writer.New(db, writer.Options{SpoolDir: filepath.Join(dir, "spool")})
	require.NoError(t, err)
	c := fakeclock.New(time.Date(2022, 9, 25, 21, 40, 0, 0, time.UTC))
	rec := New(w, c.Now, nil)

	nhl := parse(t, nhlLiveOT)
	nfl := parse(t, nflLive)
	rec.Observe("nhl", nhl)
	rec.Observe("nfl", nfl)
	c.Add(15 * time.Second)
	rec.Observe("nhl", nhl) // nothing new
	c.Add(15 * time.Second)
	goal := next(nhl, anaAri, func(g *game.Game) { g.Score.Away++ }) // derived: ANA scores
	rec.Observe("nhl", goal)
	require.NoError(t, w.Close(ctx))

	timeline, err := db.Timeline(ctx, "nhl", anaAri)
	require.NoError(t, err)
	require.Len(t, timeline, 2, "first sight and the goal")
	assert.Equal(t, [2]int{1, 3}, [2]int{timeline[0].HomeScore, timeline[0].AwayScore})
	assert.Equal(t, [2]int{1, 4}, [2]int{timeline[1].HomeScore, timeline[1].AwayScore})
	rows, err := db.Games(ctx, store.GameQuery{League: "nhl"})
	require.NoError(t, err)
	require.Len(t, rows, len(nhl))

	// Restart: seed from what the store says, as the service does.
	q := &queue{}
	restarted := New(q, c.Now, nil)
	for _, lk := range []string{"nhl", "nfl"} {
		unfinished, err := db.Unfinished(ctx, lk, time.Time{})
		require.NoError(t, err)
		require.NotEmpty(t, unfinished)
		games, err := db.Games(ctx, store.GameQuery{League: lk})
		require.NoError(t, err)
		restarted.Seed(lk, append(unfinished, games...))
	}
	c.Add(10 * time.Minute)
	restarted.Observe("nhl", goal)
	restarted.Observe("nfl", nfl)
	assert.Empty(t, q.take(), "a restart writes nothing for games that did not change")

	c.Add(15 * time.Second)
	restarted.Observe("nhl", next(goal, anaAri, func(g *game.Game) { g.Score.Home++ }))
	got := q.take()
	require.Len(t, got, 2)
	assert.Equal(t, [2]int{2, 4}, [2]int{got[0].HomeScore, got[0].AwayScore})
}
