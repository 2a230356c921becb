package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

var sunday = time.Date(2024, time.September, 15, 17, 0, 0, 0, time.UTC)

func mustWrite(t testing.TB, s *Store, points []store.Point) {
	t.Helper()
	for i := 0; i < len(points); i += 500 {
		require.NoError(t, s.Write(context.Background(), points[i:min(i+500, len(points))]))
	}
}

func TestSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "sports-data.db") // the directory is created too
	points := storetest.Season("nfl", storetest.TeamsByAbbr("nfl", "NE", "BUF", "MIA", "NYJ"), 6)

	s, err := Open(path, Options{})
	require.NoError(t, err)
	mustWrite(t, s, points)
	q := store.GameQuery{League: "nfl", Team: "NE"}
	before, err := s.Games(t.Context(), q)
	require.NoError(t, err)
	require.Len(t, before, 6)
	require.NoError(t, s.Close())
	_, err = os.Stat(path + "-wal")
	require.True(t, errors.Is(err, os.ErrNotExist), "closing checkpoints the WAL into the file")

	s, err = Open(path, Options{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	after, err := s.Games(t.Context(), q)
	require.NoError(t, err)
	require.Equal(t, before, after)
	require.Equal(t, storetest.ExpectGames(points, q), after)
	id := before[3].GameID
	tl, err := s.Timeline(t.Context(), "nfl", id)
	require.NoError(t, err)
	require.Equal(t, storetest.ExpectTimeline(points, "nfl", id), tl)

	// Writing on after the restart.
	g := storetest.NewGame("nfl", "401999001", sunday.AddDate(1, 0, 0), "NE", "MIA")
	require.NoError(t, s.Write(t.Context(), []store.Point{storetest.GamePoint(g, sunday, storetest.Scheduled, 0, 0)}))
	got, err := s.Games(t.Context(), q)
	require.NoError(t, err)
	require.Len(t, got, 7)
}

func TestCloseTwiceAndUseAfterClose(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "x.db"), Options{RetentionDays: 30})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())

	g := storetest.NewGame("nfl", "1", sunday, "NE", "BUF")
	err = s.Write(t.Context(), []store.Point{storetest.GamePoint(g, sunday, storetest.Scheduled, 0, 0)})
	require.ErrorIs(t, err, store.ErrUnavailable)
	_, err = s.Games(t.Context(), store.GameQuery{League: "nfl"})
	require.ErrorIs(t, err, store.ErrUnavailable)
	_, err = s.Timeline(t.Context(), "nfl", "1")
	require.ErrorIs(t, err, store.ErrUnavailable)
	_, err = s.Unfinished(t.Context(), "nfl", time.Time{})
	require.ErrorIs(t, err, store.ErrUnavailable)
	require.ErrorIs(t, s.Prune(t.Context(), time.Now()), store.ErrUnavailable)
	require.Equal(t, "sqlite", s.Info(t.Context()).Kind, "Info still answers for /health")
}

func TestPrune(t *testing.T) {
	s := openTemp(t, Options{})
	cut := sunday
	old := storetest.NewGame("nfl", "401000001", cut.AddDate(0, 0, -7), "NE", "BUF")
	straddling := storetest.NewGame("nfl", "401000002", cut.Add(-time.Hour), "KC", "LV")
	recent := storetest.NewGame("nfl", "401000003", cut.Add(3*time.Hour), "SF", "SEA")
	straddleLate := storetest.ScorePoint(straddling, cut.Add(time.Hour), storetest.Live, 7, 0, 2)
	recentPoints := []store.Point{
		storetest.ScorePoint(recent, cut.Add(-24*time.Hour), storetest.Scheduled, 0, 0, 0), // seen before the cut
		storetest.ScorePoint(recent, cut.Add(3*time.Hour), storetest.Live, 0, 0, 1),
	}
	recentRow := storetest.GamePoint(recent, cut.AddDate(0, 0, -20), storetest.Scheduled, 0, 0)
	mustWrite(t, s, []store.Point{
		storetest.GamePoint(old, old.Start, storetest.Finished, 10, 7),
		storetest.ScorePoint(old, old.Start, storetest.Live, 0, 0, 1),
		storetest.ScorePoint(old, old.Start.Add(3*time.Hour), storetest.Finished, 10, 7, 4),
		storetest.GamePoint(straddling, cut, storetest.Live, 0, 0),
		storetest.ScorePoint(straddling, cut.Add(-50*time.Minute), storetest.Live, 0, 0, 1),
		straddleLate,
		recentRow,
		recentPoints[0], recentPoints[1],
	})
	require.NoError(t, s.Prune(t.Context(), cut))

	games, err := s.Games(t.Context(), store.GameQuery{League: "nfl"})
	require.NoError(t, err)
	require.Equal(t, []store.Point{recentRow}, games, "games go by start time")
	tl, err := s.Timeline(t.Context(), "nfl", old.ID)
	require.NoError(t, err)
	require.Empty(t, tl)
	tl, err = s.Timeline(t.Context(), "nfl", straddling.ID)
	require.NoError(t, err)
	require.Equal(t, []store.Point{straddleLate}, tl, "score points go by their own time")
	tl, err = s.Timeline(t.Context(), "nfl", recent.ID)
	require.NoError(t, err)
	require.Equal(t, recentPoints[1:], tl)

	require.NoError(t, s.Prune(t.Context(), cut), "pruning again is a no-op")
}

func TestRetentionPrunesOnOpenAndPeriodically(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sports-data.db")
	now := time.Now().UTC().Truncate(time.Second)
	old := storetest.NewGame("nhl", "401000010", now.AddDate(0, 0, -40), "BOS", "TOR")
	fresh := storetest.NewGame("nhl", "401000011", now.AddDate(0, 0, -2), "NYR", "NJ")
	oldRow := storetest.GamePoint(old, old.Start, storetest.Finished, 2, 1)
	freshRow := storetest.GamePoint(fresh, fresh.Start, storetest.Finished, 4, 3)

	s, err := Open(path, Options{})
	require.NoError(t, err)
	mustWrite(t, s, []store.Point{oldRow, freshRow, storetest.ScorePoint(old, old.Start, storetest.Live, 0, 0, 1)})
	require.NoError(t, s.Close())

	s, err = Open(path, Options{RetentionDays: 30, PruneInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	gamesNow := func() []store.Point {
		got, err := s.Games(t.Context(), store.GameQuery{League: "nhl"})
		require.NoError(t, err)
		return got
	}
	require.Eventually(t, func() bool { return len(gamesNow()) == 1 }, 5*time.Second, 10*time.Millisecond)
	require.Equal(t, []store.Point{freshRow}, gamesNow())
	tl, err := s.Timeline(t.Context(), "nhl", old.ID)
	require.NoError(t, err)
	require.Empty(t, tl)

	// Old points written later go on the next round.
	older := storetest.NewGame("nhl", "401000012", now.AddDate(0, 0, -60), "SEA", "VAN")
	mustWrite(t, s, []store.Point{storetest.GamePoint(older, older.Start, storetest.Finished, 1, 0)})
	require.Eventually(t, func() bool { return len(gamesNow()) == 1 }, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, s.Close(), "Close stops the pruner")
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "not-a-dir")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	garbage := filepath.Join(dir, "garbage.db")
	require.NoError(t, os.WriteFile(garbage, []byte(strings.Repeat("this is not a database file ", 200)), 0o644))

	cases := []struct {
		name, path, want string
	}{
		{"parent is a file", filepath.Join(file, "sports-data.db"), "create directory"},
		{"path is a directory", dir, "is a directory"},
		{"not a database", garbage, "not an SQLite database"},
		{"empty path", "", "no path given"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Open(c.path, Options{})
			require.Error(t, err)
			require.Nil(t, s)
			var oe *OpenError
			require.ErrorAs(t, err, &oe)
			require.Contains(t, err.Error(), c.want)
			if c.path != "" {
				require.Contains(t, err.Error(), c.path, "the message names the file")
			}
		})
	}

	t.Run("name too long", func(t *testing.T) {
		path := filepath.Join(dir, strings.Repeat("x", 300)+".db")
		_, err := Open(path, Options{})
		var oe *OpenError
		require.ErrorAs(t, err, &oe)
		require.Contains(t, err.Error(), "cannot open "+path)
	})

	t.Run("newer schema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "newer.db")
		s, err := Open(path, Options{})
		require.NoError(t, err)
		_, err = s.write.Exec("PRAGMA user_version = 99")
		require.NoError(t, err)
		require.NoError(t, s.Close())
		_, err = Open(path, Options{})
		require.ErrorContains(t, err, "schema version 99")
	})

	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "read-only")
		require.NoError(t, os.Mkdir(ro, 0o555))
		_, err := Open(filepath.Join(ro, "sports-data.db"), Options{})
		require.Error(t, err)
		require.Contains(t, err.Error(), "writable")
	}
}

func TestPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a ?b#c%20d")
	path := filepath.Join(dir, "sports data.db")
	s, err := Open(path, Options{})
	require.NoError(t, err)
	g := storetest.NewGame("nfl", "1", sunday, "NE", "BUF")
	require.NoError(t, s.Write(t.Context(), []store.Point{storetest.GamePoint(g, sunday, storetest.Scheduled, 0, 0)}))
	require.NoError(t, s.Close())
	fi, err := os.Stat(path)
	require.NoError(t, err, "the file is where it was asked to be")
	require.Positive(t, fi.Size())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no stray files from a misread path")
}

func TestInvalidInputIsTyped(t *testing.T) {
	s := openTemp(t, Options{})
	g := storetest.NewGame("nfl", "1", sunday, "NE", "BUF")
	p := storetest.GamePoint(g, sunday, storetest.Scheduled, 0, 0)
	p.League = "NFL"
	err := s.Write(t.Context(), []store.Point{storetest.GamePoint(g, sunday, storetest.Scheduled, 0, 0), p})
	var ip *InvalidPointError
	require.ErrorAs(t, err, &ip)
	require.Equal(t, 1, ip.Index)
	require.Contains(t, err.Error(), `"NFL"`)

	_, err = s.Games(t.Context(), store.GameQuery{League: "NFL"})
	var iq *InvalidQueryError
	require.ErrorAs(t, err, &iq)
	_, err = s.Timeline(t.Context(), "", "1")
	require.ErrorAs(t, err, &iq)
	_, err = s.Unfinished(t.Context(), "nfl'--", time.Time{})
	require.ErrorAs(t, err, &iq)
}

func TestInfoCountsFileAndWAL(t *testing.T) {
	c := fakeclock.New(time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	s := openTemp(t, Options{Now: c.Now})
	info := s.Info(t.Context())
	require.Equal(t, "sqlite", info.Kind)
	require.Regexp(t, `^3\.\d+\.\d+$`, info.Version)
	empty := info.Bytes
	mustWrite(t, s, storetest.Season("nhl", storetest.Teams("nhl")[:6], 10))

	// Within sizeFor the size measured before the writes is kept...
	c.Add(sizeFor - time.Millisecond)
	require.Equal(t, empty, s.Info(t.Context()).Bytes, "the size is kept for sizeFor")
	// ...and once sizeFor has passed it is measured again.
	c.Add(time.Millisecond)
	info = s.Info(t.Context())
	require.Greater(t, info.Bytes, empty)

	var onDisk int64
	for _, f := range []string{s.Path(), s.Path() + "-wal"} {
		if fi, err := os.Stat(f); err == nil {
			onDisk += fi.Size()
		}
	}
	require.Equal(t, onDisk, info.Bytes)
}

// Readers keep answering, with consistent snapshots, while one goroutine
// writes a season in batches; run with -race.
func TestConcurrentReadersWhileWriting(t *testing.T) {
	s := openTemp(t, Options{})
	spec := storetest.SeasonSpec{League: "nhl", Teams: storetest.Teams("nhl")[:8], Games: 10}
	points := spec.Points()
	schedule := spec.Schedule()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	writerDone := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(writerDone)
		for i := 0; i < len(points); i += 100 {
			if err := s.Write(ctx, points[i:min(i+100, len(points))]); err != nil {
				errs <- err
				return
			}
		}
	}()
	reads := make([]int, 6)
	for r := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lastCount := map[string]int{}
			for {
				select {
				case <-writerDone:
					return
				default:
				}
				g := schedule[(reads[r]*7+r)%len(schedule)]
				tl, err := s.Timeline(ctx, "nhl", g.ID)
				if err != nil {
					errs <- err
					return
				}
				for i := 1; i < len(tl); i++ {
					if !tl[i-1].Time.Before(tl[i].Time) {
						errs <- errors.New("timeline out of order")
						return
					}
				}
				if len(tl) < lastCount[g.ID] {
					errs <- errors.New("a timeline shrank while only writes happened")
					return
				}
				lastCount[g.ID] = len(tl)
				if _, err := s.Games(ctx, store.GameQuery{League: "nhl", Team: g.Home.Abbr}); err != nil {
					errs <- err
					return
				}
				if _, err := s.Unfinished(ctx, "nhl", time.Time{}); err != nil {
					errs <- err
					return
				}
				reads[r]++
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	total := 0
	for _, n := range reads {
		total += n
	}
	require.Positive(t, total, "readers ran while the writer wrote")
	got, err := s.Games(t.Context(), store.GameQuery{League: "nhl"})
	require.NoError(t, err)
	require.Equal(t, storetest.ExpectGames(points, store.GameQuery{League: "nhl"}), got)
}

// The reads the history endpoints make are answered from indexes, not by
// scanning a table.
func TestQueriesUseIndexes(t *testing.T) {
	s := openTemp(t, Options{})
	mustWrite(t, s, storetest.Season("nfl", storetest.Teams("nfl")[:8], 7))
	plan := func(query string, args ...any) string {
		rows, err := s.read.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+query, args...)
		require.NoError(t, err)
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var id, parent, notused int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &notused, &detail))
			b.WriteString(detail + "\n")
		}
		require.NoError(t, rows.Err())
		return b.String()
	}
	query, args := gamesQuery(store.GameQuery{League: "nfl", Team: "NE", Season: 2024})
	teamSeason := plan(query, args...)
	require.Contains(t, teamSeason, "games_home", teamSeason)
	require.Contains(t, teamSeason, "games_away", teamSeason)
	require.NotContains(t, teamSeason, "SCAN games", teamSeason)

	tl := plan("SELECT "+scoreColumns+" FROM scores WHERE league = ? AND game_id = ? ORDER BY time", "nfl", "1")
	require.Contains(t, tl, "PRIMARY KEY", tl)
	require.NotContains(t, tl, "TEMP B-TREE", tl)

	query, args = gamesQuery(store.GameQuery{League: "nfl", From: sunday, To: sunday.AddDate(0, 0, 7)})
	rng := plan(query, args...)
	require.Contains(t, rng, "USING INDEX", rng)
}

func TestExtremeTimes(t *testing.T) {
	s := openTemp(t, Options{})
	g := storetest.NewGame("nfl", "401000020", sunday, "NE", "BUF")
	row := storetest.GamePoint(g, sunday, storetest.Scheduled, 0, 0)
	live := storetest.ScorePoint(g, sunday, storetest.Live, 0, 0, 1)
	mustWrite(t, s, []store.Point{row, live})

	ever := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	never := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	got, err := s.Games(t.Context(), store.GameQuery{League: "nfl", From: ever, To: never})
	require.NoError(t, err)
	require.Equal(t, []store.Point{row}, got, "bounds beyond what can be stored mean everything")
	un, err := s.Unfinished(t.Context(), "nfl", ever)
	require.NoError(t, err)
	require.Equal(t, []store.Point{live}, un)
	un, err = s.Unfinished(t.Context(), "nfl", never)
	require.NoError(t, err)
	require.Empty(t, un)
	require.NoError(t, s.Prune(t.Context(), ever))
	got, err = s.Games(t.Context(), store.GameQuery{League: "nfl"})
	require.NoError(t, err)
	require.Len(t, got, 1)

	far := live
	far.Time = never
	var ip *InvalidPointError
	require.ErrorAs(t, s.Write(t.Context(), []store.Point{far}), &ip)
	far = row
	far.ObservedAt = time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)
	require.ErrorAs(t, s.Write(t.Context(), []store.Point{far}), &ip)
}

func TestInfoSizeRemeasuredWhenClockGoesBack(t *testing.T) {
	c := fakeclock.New(time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	s := openTemp(t, Options{Now: c.Now})
	empty := s.Info(t.Context()).Bytes
	mustWrite(t, s, storetest.Season("nhl", storetest.Teams("nhl")[:6], 10))
	// A clock set back must not pin the old size until it catches up.
	c.Add(-time.Hour)
	require.Greater(t, s.Info(t.Context()).Bytes, empty)
}
