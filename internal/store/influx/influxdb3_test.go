package influx_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

// sql3 runs a query through InfluxDB 3's HTTP API, not through the store,
// and returns the answer (JSON lines) and the HTTP status.
func sql3(t *testing.T, srv *influxtest.Server, db, q string) (string, int) {
	t.Helper()
	v := url.Values{"db": {db}, "q": {q}, "format": {"jsonl"}}
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v3/query_sql?"+v.Encode(), nil)
	require.NoError(t, err)
	if srv.Token != "" {
		req.Header.Set("Authorization", "Bearer "+srv.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b), resp.StatusCode
}

// filesSettled waits until InfluxDB 3 has finished writing the Parquet
// files of the tables: their number stays the same over a second. While it
// writes them a read can miss rows (README, Storage), which this test,
// snapshotting after every write, would otherwise meet.
func filesSettled(t *testing.T, srv *influxtest.Server, db string, tables ...string) {
	t.Helper()
	count := func() string {
		var b strings.Builder
		for _, table := range tables {
			ans, status := sql3(t, srv, db, "SELECT count(*) AS n FROM system.parquet_files WHERE table_name = '"+table+"'")
			require.Equal(t, http.StatusOK, status, ans)
			b.WriteString(ans)
		}
		return b.String()
	}
	last, same := count(), 0
	deadline := time.Now().Add(time.Minute)
	for same < 4 {
		require.True(t, time.Now().Before(deadline), "InfluxDB 3 kept writing Parquet files for a minute")
		time.Sleep(250 * time.Millisecond)
		now := count()
		if now == last {
			same++
		} else {
			last, same = now, 0
		}
	}
}

// InfluxDB 3 Core refuses a query that would read more Parquet files than
// its --query-file-limit; it writes files per table and time window at
// every snapshot and never merges them. Here a server without
// authentication snapshots after every write and allows 6 files a query:
// a season written in 100-point requests leaves far more than 6 files, so
// reads over the season, a timeline and the unfinished games are refused
// as one query and must be split.
func TestFileLimitInfluxDB3(t *testing.T) {
	srv := influxtest.Start(t, influxtest.V3, influxtest.ServerOptions{WithoutAuth: true, QueryFileLimit: 6, SnapshotEvery: 1})
	s := openStore(t, influx.Options{URL: srv.URL, Database: "sports"})
	require.Equal(t, influx.LanguageSQL, s.QueryLanguage())
	start := time.Date(2024, time.October, 8, 0, 0, 0, 0, time.UTC)
	spec := storetest.SeasonSpec{League: "nhl", Season: 2025, Start: start, Teams: storetest.Teams("nhl")[:10], Games: 16}
	spec.Now = start.AddDate(0, 0, 30)
	all := spec.Points()
	for i := 0; i < len(all); i += 100 {
		require.NoError(t, s.Write(context.Background(), all[i:min(i+100, len(all))]))
	}

	// The server itself refuses the plain query once the files are there
	// (they are written a moment after the writes are answered).
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		ans, status := sql3(t, srv.Server, "sports", `SELECT count(*) FROM nhl_scores`)
		assert.NotEqual(c, http.StatusOK, status)
		assert.Contains(c, ans, "file limit of 6 parquet files")
	}, 2*time.Minute, 100*time.Millisecond)

	filesSettled(t, srv.Server, "sports", "nhl_games", "nhl_scores")

	ctx := context.Background()
	for _, q := range []store.GameQuery{
		{League: "nhl"},
		{League: "nhl", Season: 2025},
		{League: "nhl", Team: "BOS", Season: 2025, Status: storetest.Finished},
	} {
		got, err := s.Games(ctx, q)
		require.NoError(t, err, "%+v", q)
		require.Equal(t, storetest.ExpectGames(all, q), storetest.NormalizeAll(got), "%+v", q)
	}
	for _, g := range spec.Schedule()[:5] {
		got, err := s.Timeline(ctx, "nhl", g.ID)
		require.NoError(t, err)
		require.Equal(t, storetest.ExpectTimeline(all, "nhl", g.ID), storetest.NormalizeAll(got), g.ID)
	}
	got, err := s.Unfinished(ctx, "nhl", start)
	require.NoError(t, err)
	require.Equal(t, storetest.NormalizeAll(storetest.ExpectUnfinished(all, "nhl", start)), storetest.NormalizeAll(got))
	assert.True(t, strings.HasPrefix(s.Info(ctx).Version, "3."))
}

// The store creates its database with the retention period of
// RetentionDays; opening it again finds it there (409) without a warning.
// The server then keeps old points out by itself.
func TestDatabaseCreatedWithRetentionInfluxDB3(t *testing.T) {
	srv := influxtest.Start(t, influxtest.V3, influxtest.ServerOptions{WithoutAuth: true})
	logs, logger := newLogRecorder(t)
	openStore(t, influx.Options{URL: srv.URL, Database: "sports", RetentionDays: 1, Logger: logger})
	openStore(t, influx.Options{URL: srv.URL, Database: "sports", RetentionDays: 1, Logger: logger})
	assert.Empty(t, logs.messages(slog.LevelWarn), "an existing database (409) is not a problem")
	assert.Contains(t, logs.messages(slog.LevelInfo), "influxdb 3: created database")

	old := time.Now().Add(-72 * time.Hour).UnixNano()
	fresh := time.Now().Add(-time.Hour).UnixNano()
	server{srv.Server}.rawWrite(t, "sports", fmt.Sprintf("probe,t=old f=1i %d\nprobe,t=fresh f=1i %d\n", old, fresh))
	ans, status := sql3(t, srv.Server, "sports", "SELECT t FROM probe")
	require.Equal(t, http.StatusOK, status, ans)
	assert.Equal(t, `{"t":"fresh"}`, strings.TrimSpace(ans), "the point older than a day was dropped by the server")
}

// A database that exists but holds nothing yet (no table) reads as empty.
func TestReadsOfAnEmptyDatabaseInfluxDB3(t *testing.T) {
	srv := influxtest.Shared3(t)
	s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Database: influxtest.Database3(t, srv, "")})
	ctx := context.Background()
	got, err := s.Games(ctx, store.GameQuery{League: "nfl", Season: 2024})
	require.NoError(t, err)
	assert.Empty(t, got)
	tl, err := s.Timeline(ctx, "nfl", "401671500")
	require.NoError(t, err)
	assert.Empty(t, tl)
	un, err := s.Unfinished(ctx, "nfl", time.Time{})
	require.NoError(t, err)
	assert.Empty(t, un)
}

// Every rewrite of a games row and of a score point is a row of its own on
// InfluxDB 3 (the version tag), since Core does not reliably keep the
// last of two points with the same tags and time; readers answer the
// newest.
func TestRewritesAreRowsOfTheirOwnInfluxDB3(t *testing.T) {
	srv := influxtest.Shared3(t)
	db := influxtest.Database3(t, srv, "")
	s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Database: db})
	ctx := context.Background()
	g := sampleGame()
	var last store.Point
	for i := range 6 {
		last = storetest.GamePoint(g, kickoff.Add(time.Duration(i)*time.Minute), storetest.Live, 3*i, i)
		require.NoError(t, s.Write(ctx, []store.Point{last}))
	}
	pt := storetest.ScorePoint(g, kickoff, storetest.Live, 3, 0, 1)
	require.NoError(t, s.Write(ctx, []store.Point{pt}))
	pt.HomeScore = 0 // the field goal was taken back
	require.NoError(t, s.Write(ctx, []store.Point{pt}))

	ans, status := sql3(t, srv, db, "SELECT count(*) AS n, count(DISTINCT version) AS v FROM nfl_games")
	require.Equal(t, http.StatusOK, status, ans)
	assert.Equal(t, `{"n":6,"v":6}`, strings.TrimSpace(ans))
	ans, _ = sql3(t, srv, db, "SELECT count(*) AS n FROM nfl_scores")
	assert.Equal(t, `{"n":2}`, strings.TrimSpace(ans))

	games, err := s.Games(ctx, store.GameQuery{League: "nfl"})
	require.NoError(t, err)
	require.Equal(t, []store.Point{storetest.Normalize(last)}, games)
	tl, err := s.Timeline(ctx, "nfl", g.ID)
	require.NoError(t, err)
	require.Equal(t, []store.Point{storetest.Normalize(pt)}, tl)
}

// User values travel as parameters: the SQL InfluxDB 3 ran (its
// system.queries) holds none of them, and hostile values find nothing.
func TestValuesTravelAsParametersInfluxDB3(t *testing.T) {
	srv := influxtest.Shared3(t)
	db := influxtest.Database3(t, srv, "")
	s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Database: db})
	ctx := context.Background()
	require.NoError(t, s.Write(ctx, []store.Point{storetest.GamePoint(sampleGame(), kickoff, storetest.Scheduled, 0, 0),
		storetest.ScorePoint(sampleGame(), kickoff, storetest.Scheduled, 0, 0, 0)}))
	team, gameID := `NE' OR '1'='1`, `1'; DROP TABLE nfl_scores; --`
	got, err := s.Games(ctx, store.GameQuery{League: "nfl", Team: team, Season: 2024})
	require.NoError(t, err)
	assert.Empty(t, got)
	tl, err := s.Timeline(ctx, "nfl", gameID)
	require.NoError(t, err)
	assert.Empty(t, tl)

	ans, status := sql3(t, srv, db, "SELECT query_text FROM system.queries WHERE query_type = 'sql'")
	require.Equal(t, http.StatusOK, status, ans)
	assert.Contains(t, ans, "$team")
	assert.Contains(t, ans, "$game_id")
	assert.NotContains(t, ans, "1'='1")
	assert.NotContains(t, ans, "DROP TABLE")
	tl, err = s.Timeline(ctx, "nfl", sampleGame().ID)
	require.NoError(t, err)
	assert.Len(t, tl, 1, "the table is still there")
}

// InfluxDB 3 Core holds at most 5 databases and 2000 tables. A write
// refused for them is the server's state, not the points': it fails as
// unavailable, so the writer keeps the points, and succeeds once there is
// room.
func TestLimitsKeepThePointsInfluxDB3(t *testing.T) {
	srv := influxtest.Start(t, influxtest.V3, influxtest.ServerOptions{WithoutAuth: true})
	raw := server{srv.Server}
	ctx := context.Background()
	row := []store.Point{storetest.GamePoint(sampleGame(), kickoff, storetest.Scheduled, 0, 0)}
	for i := range 5 {
		raw.rawWrite(t, fmt.Sprintf("filler%d", i), "m f=1i 1\n")
	}
	s := openStore(t, influx.Options{URL: srv.URL, Database: "sports"})
	err := s.Write(ctx, row)
	require.ErrorIs(t, err, store.ErrUnavailable)
	assert.NotErrorIs(t, err, influx.ErrRejected)
	assert.Contains(t, err.Error(), "limit of 5 databases")
	influxtest.DropDatabase3(srv.Server, "filler0")
	require.NoError(t, s.Write(ctx, row), "written once a database is gone")

	var tables strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&tables, "t%d f=1i 1\n", i)
	}
	raw.rawWrite(t, "filler1", tables.String())
	err = s.Write(ctx, []store.Point{storetest.GamePoint(storetest.NewGame("nhl", "401671700", kickoff, "BOS", "TOR"), kickoff, storetest.Scheduled, 0, 0)})
	require.ErrorIs(t, err, store.ErrUnavailable)
	assert.NotErrorIs(t, err, influx.ErrRejected)
	assert.Contains(t, err.Error(), "tables limit of 2000 tables")
	require.NoError(t, s.Write(ctx, row), "tables that exist still take points")
}

// A service killed with a write in flight: InfluxDB 3 answers (and makes
// readable) a write only at its next WAL flush, here every 2 s, so the
// write lands after the restarted service has started reading. Its first
// read must see that write all the same, or it stores the game's state
// once more.
func TestReadsSeeAWriteLeftInFlightInfluxDB3(t *testing.T) {
	srv := influxtest.Start(t, influxtest.V3, influxtest.ServerOptions{WithoutAuth: true, WALFlush: 2 * time.Second})
	ctx := context.Background()
	g := sampleGame()
	first := storetest.ScorePoint(g, kickoff, storetest.Live, 0, 0, 1)
	s1 := openStore(t, influx.Options{URL: srv.URL, Database: "sports"})
	require.NoError(t, s1.Write(ctx, []store.Point{first}))
	require.NoError(t, s1.Close())

	// The dying service's last write: sent, its answer never awaited.
	last := storetest.ScorePoint(g, kickoff.Add(9*time.Minute), storetest.Live, 3, 0, 1)
	lp, err := influx.LineProtocol(last)
	require.NoError(t, err)
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		resp, err := http.Post(srv.URL+"/api/v3/write_lp?db=sports&precision=nanosecond", "text/plain", strings.NewReader(string(lp)))
		if err == nil {
			resp.Body.Close()
		}
	}()
	t.Cleanup(func() { <-sent })
	time.Sleep(300 * time.Millisecond) // the request reaches the server

	s2 := openStore(t, influx.Options{URL: srv.URL, Database: "sports"})
	got, err := s2.Unfinished(ctx, "nfl", kickoff.Add(-time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, 3, got[0].HomeScore, "the write in flight is read")
}
