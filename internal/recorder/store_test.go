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

// A game's schedule history rides on its row, through a real SQLite file
// and a restart: the version rises when ESPN moves the game, calls it off
// or changes its venue, not when its score or clock changes; after a
// restart the next move counts on from the stored version.
func TestScheduleHistoryOnTheRowAcrossARestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "sports.db"), sqlite.Options{})
	require.NoError(t, err)
	defer db.Close()
	flush := func(rec func(w *writer.Writer)) {
		t.Helper()
		w, err := writer.New(db, writer.Options{SpoolDir: filepath.Join(dir, "spool")})
		require.NoError(t, err)
		rec(w)
		require.NoError(t, w.Close(ctx))
	}
	row := func() store.Point {
		t.Helper()
		rows, err := db.Games(ctx, store.GameQuery{League: "nfl"})
		require.NoError(t, err)
		for _, p := range rows {
			if p.GameID == nygTen {
				return p
			}
		}
		t.Fatalf("no row of %s", nygTen)
		return store.Point{}
	}
	c := fakeclock.New(time.Date(2022, 9, 1, 12, 0, 0, 0, time.UTC))
	first := c.Now()
	games := parse(t, nflLive)
	flush(func(w *writer.Writer) {
		rec := New(w, c.Now, nil)
		rec.Observe("nfl", games)
		c.Add(time.Hour)
		rec.Observe("nfl", next(games, nygTen, func(g *game.Game) { g.StatusDetail = "changed" })) // a detail only
	})
	p := row()
	assert.Equal(t, 0, p.ScheduleVersion)
	assert.Equal(t, first, p.ScheduleChangedAt, "the game's first sighting")

	c.Add(time.Hour)
	moved := c.Now()
	flush(func(w *writer.Writer) {
		rec := New(w, c.Now, nil)
		rows, err := db.Games(ctx, store.GameQuery{League: "nfl"})
		require.NoError(t, err)
		rec.Seed("nfl", rows)
		rec.Observe("nfl", next(games, nygTen, func(g *game.Game) { g.Start = g.Start.Add(3 * time.Hour) })) // derived: moved
	})
	p = row()
	assert.Equal(t, 1, p.ScheduleVersion)
	assert.Equal(t, moved, p.ScheduleChangedAt)

	c.Add(time.Hour)
	flush(func(w *writer.Writer) {
		rec := New(w, c.Now, nil)
		rows, err := db.Games(ctx, store.GameQuery{League: "nfl"})
		require.NoError(t, err)
		rec.Seed("nfl", rows)
		again := next(games, nygTen, func(g *game.Game) { g.Start = g.Start.Add(3 * time.Hour) })
		c.Add(time.Minute)
		rec.Observe("nfl", next(again, nygTen, func(g *game.Game) { g.Status = game.StatusPostponed }))
	})
	p = row()
	assert.Equal(t, 2, p.ScheduleVersion, "a postponement after the move, counted on after the restart")
	assert.Equal(t, c.Now(), p.ScheduleChangedAt)
	assert.Equal(t, "postponed", p.Status)
}
