package influx_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/flighttest"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/storetest"
	"github.com/sports-data/sports-data/internal/testenv"
)

var kickoff = time.Date(2024, time.September, 15, 17, 0, 0, 0, time.UTC)

func sampleGame() storetest.Game {
	return storetest.NewGame("nfl", "401671500", kickoff, "NE", "BUF")
}

func TestOpenRejectsInvalidOptions(t *testing.T) {
	cases := map[string]influx.Options{
		"no URL":            {Database: "sports"},
		"relative URL":      {URL: "localhost:8086", Database: "sports"},
		"ftp URL":           {URL: "ftp://127.0.0.1:8086", Database: "sports"},
		"URL with query":    {URL: "http://127.0.0.1:8086/?db=x", Database: "sports"},
		"no database":       {URL: "http://127.0.0.1:8086"},
		"quote in database": {URL: "http://127.0.0.1:8086", Database: `sports"; DROP DATABASE x`},
		"space in database": {URL: "http://127.0.0.1:8086", Database: "sports data"},
		"unknown language":  {URL: "http://127.0.0.1:8086", Database: "sports", QueryLanguage: "flux"},
		"negative days":     {URL: "http://127.0.0.1:8086", Database: "sports", RetentionDays: -1},
		"negative timeout":  {URL: "http://127.0.0.1:8086", Database: "sports", Timeout: -time.Second},
		"token with break":  {URL: "http://127.0.0.1:8086", Database: "sports", Token: "a\nb"},
	}
	for name, o := range cases {
		s, err := influx.Open(context.Background(), o)
		assert.Error(t, err, name)
		assert.Nil(t, s, name)
	}
}

func TestAutoDetectsQueryLanguage(t *testing.T) {
	t.Run("InfluxDB 1.8 means InfluxQL", func(t *testing.T) {
		base := influxtest.URL(t)
		s := openStore(t, influx.Options{URL: base, Database: freshDatabase(t, base)})
		assert.Equal(t, influx.LanguageInfluxQL, s.QueryLanguage())
		info := s.Info(context.Background())
		assert.Equal(t, "influxdb", info.Kind)
		assert.True(t, strings.HasPrefix(info.Version, "1.8."), "version %q", info.Version)
	})
	t.Run("InfluxDB 3 means SQL", func(t *testing.T) {
		srv := flighttest.Start(t, "tok")
		s := openStore(t, influx.Options{URL: srv.URL(), Token: "tok", Database: "sports", QueryLanguage: "AUTO"})
		assert.Equal(t, influx.LanguageSQL, s.QueryLanguage())
		assert.Equal(t, flighttest.Version, s.Info(context.Background()).Version)
	})
	t.Run("an explicit choice wins", func(t *testing.T) {
		srv := flighttest.Start(t, "tok")
		s := openStore(t, influx.Options{URL: srv.URL(), Token: "tok", Database: "sports", QueryLanguage: "influxql"})
		assert.Equal(t, influx.LanguageInfluxQL, s.QueryLanguage())
	})
}

// requireUnavailable checks that every call fails with ErrUnavailable.
func requireUnavailable(t *testing.T, s *influx.Store) {
	t.Helper()
	g := sampleGame()
	ctx := context.Background()
	err := s.Write(ctx, []store.Point{storetest.GamePoint(g, kickoff, storetest.Scheduled, 0, 0)})
	require.ErrorIs(t, err, store.ErrUnavailable)
	_, err = s.Games(ctx, store.GameQuery{League: "nfl"})
	require.ErrorIs(t, err, store.ErrUnavailable)
	_, err = s.Timeline(ctx, "nfl", g.ID)
	require.ErrorIs(t, err, store.ErrUnavailable)
	_, err = s.Unfinished(ctx, "nfl", time.Time{})
	require.ErrorIs(t, err, store.ErrUnavailable)
}

// requireWorks writes a game and reads it back, retrying until the store
// has recovered.
func requireWorks(t *testing.T, s *influx.Store, id string) {
	t.Helper()
	g := sampleGame()
	g.ID = id
	row := storetest.GamePoint(g, kickoff, storetest.Scheduled, 0, 0)
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		if !assert.NoError(c, s.Write(context.Background(), []store.Point{row})) {
			return
		}
		got, err := s.Games(context.Background(), store.GameQuery{League: "nfl", Team: "NE"})
		if assert.NoError(c, err) {
			assert.Contains(c, ids(got), id)
		}
	}, 30*time.Second, 50*time.Millisecond)
}

func ids(points []store.Point) []string {
	out := make([]string, len(points))
	for i, p := range points {
		out[i] = p.GameID
	}
	return out
}

// The server is not there when the service starts; it comes up later, goes
// away and comes back. A TCP relay in front of the real server plays the
// network.
func TestServerDownAtOpenThenUpThenDownAgainInfluxDB18(t *testing.T) {
	base := influxtest.URL(t)
	target := strings.TrimPrefix(base, "http://")
	addr := testenv.FreeAddr(t)
	logs, logger := newLogRecorder(t)
	s := openStore(t, influx.Options{URL: "http://" + addr, Database: freshDatabase(t, base), Timeout: time.Second, Logger: logger})

	assert.Equal(t, "", s.QueryLanguage(), "not known before the server answered")
	assert.Equal(t, "", s.Info(context.Background()).Version)
	requireNotConnected(t, s)
	requireUnavailable(t, s)
	requireUnavailable(t, s)
	assert.Len(t, logs.messages(slog.LevelWarn), 1, "one line about the server being down, not one per call")

	relay := startForwarder(t, addr, target)
	requireWorks(t, s, "401000001")
	assert.Equal(t, influx.LanguageInfluxQL, s.QueryLanguage())
	assert.True(t, strings.HasPrefix(s.Info(context.Background()).Version, "1.8."))
	assert.False(t, s.Info(context.Background()).Unreachable)

	relay.Close()
	requireUnavailable(t, s)
	requireNotConnected(t, s)
	assert.True(t, strings.HasPrefix(s.Info(context.Background()).Version, "1.8."), "the last known version stays for /health")

	startForwarder(t, addr, target)
	requireWorks(t, s, "401000002")
}

// The same with the InfluxDB 3 stand-in: the Flight (gRPC) client must not
// stay in its reconnect back-off once the server is back.
func TestServerDownAtOpenThenUpThenDownAgainFlight(t *testing.T) {
	addr := testenv.FreeAddr(t)
	s := openStore(t, influx.Options{URL: "http://" + addr, Token: "tok", Database: "sports", Timeout: time.Second})
	requireNotConnected(t, s)
	requireUnavailable(t, s)

	srv := flighttest.Start(t, "tok", flighttest.WithAddr(addr))
	requireWorks(t, s, "401000001")
	assert.Equal(t, influx.LanguageSQL, s.QueryLanguage())
	assert.False(t, s.Info(context.Background()).Unreachable, "connected once the server answered")

	srv.Close()
	requireUnavailable(t, s)
	requireNotConnected(t, s)

	flighttest.Start(t, "tok", flighttest.WithAddr(addr))
	requireWorks(t, s, "401000002")
}

// requireNotConnected: Info, which /health reads, says the server is not
// reached and why, before any write has failed.
func requireNotConnected(t *testing.T, s *influx.Store) {
	t.Helper()
	info := s.Info(context.Background())
	require.True(t, info.Unreachable, "Info must not call an unanswered server connected")
	require.NotEmpty(t, info.LastError)
	assert.NotEqual(t, "not connected yet", info.LastError, "the error of the attempt, not a placeholder")
}

func requireUnauthorized(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, store.ErrUnavailable)
	require.ErrorIs(t, err, influx.ErrUnauthorized)
}

func TestWrongTokenFlight(t *testing.T) {
	srv := flighttest.Start(t, "right")
	ctx := context.Background()
	g := sampleGame()
	row := storetest.GamePoint(g, kickoff, storetest.Scheduled, 0, 0)

	t.Run("from the start", func(t *testing.T) {
		logs, logger := newLogRecorder(t)
		s := openStore(t, influx.Options{URL: srv.URL(), Token: "wrong", Database: "sports", Logger: logger})
		requireUnauthorized(t, s.Write(ctx, []store.Point{row}))
		_, err := s.Games(ctx, store.GameQuery{League: "nfl"})
		requireUnauthorized(t, err)
		warns := logs.messages(slog.LevelWarn)
		require.Len(t, warns, 1)
	})

	t.Run("revoked while running", func(t *testing.T) {
		s := openStore(t, influx.Options{URL: srv.URL(), Token: "right", Database: "sports"})
		require.NoError(t, s.Write(ctx, []store.Point{row}))
		srv.SetToken("rotated")
		t.Cleanup(func() { srv.SetToken("right") })
		// The write goes over HTTP, the read over Flight: both refusals map.
		requireUnauthorized(t, s.Write(ctx, []store.Point{row}))
		s2 := openStore(t, influx.Options{URL: srv.URL(), Token: "rotated", Database: "sports"})
		require.NoError(t, s2.Write(ctx, []store.Point{row}), "the new token works")
		srv.SetToken("right")
		requireWorks(t, s, g.ID)
		srv.SetToken("rotated")
		_, err := s.Timeline(ctx, "nfl", g.ID)
		requireUnauthorized(t, err)
	})
}

// authInfluxDB starts a private InfluxDB 1.8 with authentication on, with
// one admin user, and returns its URL.
func authInfluxDB(t *testing.T) string {
	t.Helper()
	srv := startInfluxd(t, true, "")
	// With no users yet, 1.8 lets anyone create the first admin.
	ans := influxQL(t, srv.url, "", "", `CREATE USER "admin" WITH PASSWORD 'admin-pw' WITH ALL PRIVILEGES`)
	seriesValues(t, ans)
	return srv.url
}

func TestCredentialsInfluxDB18(t *testing.T) {
	base := authInfluxDB(t)
	ctx := context.Background()
	g := sampleGame()
	row := storetest.GamePoint(g, kickoff, storetest.Scheduled, 0, 0)

	t.Run("wrong password", func(t *testing.T) {
		logs, logger := newLogRecorder(t)
		s := openStore(t, influx.Options{URL: base, Token: "admin:nope", Database: "sports", Logger: logger})
		requireUnauthorized(t, s.Write(ctx, []store.Point{row}))
		_, err := s.Games(ctx, store.GameQuery{League: "nfl"})
		requireUnauthorized(t, err)
		assert.Len(t, logs.messages(slog.LevelWarn), 1)
		assert.Equal(t, "1.8.10", s.Info(ctx).Version, "/ping answers without credentials")
	})
	t.Run("no credentials", func(t *testing.T) {
		s := openStore(t, influx.Options{URL: base, Database: "sports"})
		requireUnauthorized(t, s.Write(ctx, []store.Point{row}))
	})
	t.Run("user:password as the token", func(t *testing.T) {
		s := openStore(t, influx.Options{URL: base, Token: "admin:admin-pw", Database: "sports", RetentionDays: 0})
		require.NoError(t, s.Write(ctx, []store.Point{row}))
		got, err := s.Games(ctx, store.GameQuery{League: "nfl"})
		require.NoError(t, err)
		require.Len(t, got, 1)
	})
	t.Run("a user who may not create databases", func(t *testing.T) {
		seriesValues(t, influxQL(t, base, "admin:admin-pw", "", `CREATE USER "writer" WITH PASSWORD 'writer-pw'`))
		logs, logger := newLogRecorder(t)
		s := openStore(t, influx.Options{URL: base, Token: "writer:writer-pw", Database: "other", Logger: logger})
		warns := strings.Join(logs.messages(slog.LevelWarn), "\n")
		assert.Contains(t, warns, "not allowed", "the store says it could not look at or create the database")
		err := s.Write(ctx, []store.Point{row})
		require.ErrorIs(t, err, store.ErrUnavailable)
		assert.Contains(t, err.Error(), `database "other" does not exist and could not be created`)

		// An administrator creates it: without privileges on it the
		// writer is refused, with them it works.
		seriesValues(t, influxQL(t, base, "admin:admin-pw", "", `CREATE DATABASE "other"`))
		requireUnauthorized(t, s.Write(ctx, []store.Point{row}))
		seriesValues(t, influxQL(t, base, "admin:admin-pw", "", `GRANT ALL ON "other" TO "writer"`))
		requireWorks(t, s, g.ID)
	})
}

func TestDatabaseCreatedWithRetentionPolicyInfluxDB18(t *testing.T) {
	base := influxtest.URL(t)
	cases := []struct {
		days            int
		duration, shard string
	}{
		{730, "17520h0m0s", "8736h0m0s"}, // the default: two years in 52-week shards
		{90, "2160h0m0s", "24h0m0s"},
		{0, "0s", "8736h0m0s"}, // forever
	}
	for _, c := range cases {
		db := freshDatabase(t, base)
		s := openStore(t, influx.Options{URL: base, Database: db, RetentionDays: c.days})
		require.Equal(t, influx.LanguageInfluxQL, s.QueryLanguage())
		cols, vals := seriesValues(t, influxQL(t, base, "", "", `SHOW RETENTION POLICIES ON "`+db+`"`))
		require.Equal(t, []string{"name", "duration", "shardGroupDuration", "replicaN", "default"}, cols)
		require.Len(t, vals, 1, "only the store's policy: %v", vals)
		assert.Equal(t, []any{influx.RetentionPolicy, c.duration, c.shard, float64(1), true}, vals[0], "%d days", c.days)
	}
}

func TestExistingDatabaseIsLeftAloneInfluxDB18(t *testing.T) {
	base := influxtest.URL(t)
	db := freshDatabase(t, base)
	seriesValues(t, influxQL(t, base, "", "", `CREATE DATABASE "`+db+`"`)) // autogen, infinite
	logs, logger := newLogRecorder(t)
	s := openStore(t, influx.Options{URL: base, Database: db, RetentionDays: 30, Logger: logger})
	requireWorks(t, s, "401000003")
	_, vals := seriesValues(t, influxQL(t, base, "", "", `SHOW RETENTION POLICIES ON "`+db+`"`))
	require.Len(t, vals, 1)
	assert.Equal(t, "autogen", vals[0][0])
	assert.Contains(t, logs.messages(slog.LevelInfo), "influxdb: database exists; its default retention policy is left as it is")
}

func TestDatabaseDroppedWhileRunningInfluxDB18(t *testing.T) {
	base := influxtest.URL(t)
	db := freshDatabase(t, base)
	s := openStore(t, influx.Options{URL: base, Database: db, RetentionDays: 0})
	requireWorks(t, s, "401000004")
	seriesValues(t, influxQL(t, base, "", "", `DROP DATABASE "`+db+`"`))

	got, err := s.Games(context.Background(), store.GameQuery{League: "nfl"})
	require.NoError(t, err, "a missing database reads as empty")
	require.Empty(t, got)
	g := sampleGame()
	require.NoError(t, s.Write(context.Background(), []store.Point{storetest.GamePoint(g, kickoff, storetest.Live, 0, 0)}),
		"the write creates the database again")
	_, vals := seriesValues(t, influxQL(t, base, "", "", `SHOW RETENTION POLICIES ON "`+db+`"`))
	require.Len(t, vals, 1)
	assert.Equal(t, influx.RetentionPolicy, vals[0][0])
}

func TestPointsBeyondRetentionAreReportedInfluxDB18(t *testing.T) {
	base := influxtest.URL(t)
	s := openStore(t, influx.Options{URL: base, Database: freshDatabase(t, base), RetentionDays: 1})
	now := time.Now().UTC().Truncate(time.Second)
	g := storetest.NewGame("nfl", "401671600", now.Add(-72*time.Hour), "KC", "DEN")
	old := storetest.ScorePoint(g, now.Add(-72*time.Hour), storetest.Live, 7, 0, 1)
	fresh := storetest.ScorePoint(g, now.Add(-time.Hour), storetest.Live, 14, 0, 2)

	err := s.Write(context.Background(), []store.Point{old, fresh})
	var br *influx.BeyondRetentionError
	require.ErrorAs(t, err, &br)
	assert.Equal(t, 1, br.Dropped)
	assert.ErrorIs(t, err, influx.ErrRejected)
	assert.NotErrorIs(t, err, store.ErrUnavailable, "retrying cannot help")
	assert.Contains(t, err.Error(), "retention")

	got, err := s.Timeline(context.Background(), "nfl", g.ID)
	require.NoError(t, err)
	require.Len(t, got, 1, "the point inside the retention was stored")
	assert.Equal(t, 14, got[0].HomeScore)

	// A backfill larger than one request: the old first request does not
	// stop the newer ones, and the count covers every request.
	h := storetest.NewGame("nfl", "401671601", now.Add(-96*time.Hour), "LV", "LAC")
	var backfill []store.Point
	for i := range 6000 {
		backfill = append(backfill, storetest.ScorePoint(h, now.Add(-96*time.Hour+time.Duration(i)*time.Second), storetest.Live, i, 0, 1))
	}
	for i := range 20 {
		backfill = append(backfill, storetest.ScorePoint(h, now.Add(-time.Hour+time.Duration(i)*time.Second), storetest.Live, i, 1, 4))
	}
	err = s.Write(context.Background(), backfill)
	require.ErrorAs(t, err, &br)
	assert.Equal(t, 6000, br.Dropped)
	got, err = s.Timeline(context.Background(), "nfl", h.ID)
	require.NoError(t, err)
	assert.Len(t, got, 20)
}

func TestFieldTypeConflictIsRejectedInfluxDB18(t *testing.T) {
	base := influxtest.URL(t)
	db := freshDatabase(t, base)
	s := openStore(t, influx.Options{URL: base, Database: db, RetentionDays: 0})
	// Something else wrote home_score as a float into the measurement.
	resp, err := http.Post(base+"/write?db="+db, "text/plain", strings.NewReader("nfl_scores,game_id=1 home_score=1.5 1726419600000000000\n"))
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)

	g := sampleGame()
	err = s.Write(context.Background(), []store.Point{storetest.ScorePoint(g, kickoff, storetest.Live, 3, 0, 1)})
	require.ErrorIs(t, err, influx.ErrRejected)
	assert.NotErrorIs(t, err, store.ErrUnavailable)
	assert.Contains(t, err.Error(), "field type conflict")
}

// docs/storage.md: which values are tags and which fields, and of what type.
func TestSchemaInfluxDB18(t *testing.T) {
	base := influxtest.URL(t)
	db := freshDatabase(t, base)
	s := openStore(t, influx.Options{URL: base, Database: db, RetentionDays: 0})
	nfl := sampleGame()
	nhl := storetest.NewGame("nhl", "401671700", kickoff, "BOS", "TOR")
	require.NoError(t, s.Write(context.Background(), []store.Point{
		storetest.GamePoint(nfl, kickoff, storetest.Live, 0, 0),
		storetest.ScorePoint(nfl, kickoff, storetest.Live, 0, 0, 1),
		storetest.GamePoint(nhl, kickoff, storetest.Live, 0, 0),
		storetest.ScorePoint(nhl, kickoff, storetest.Live, 0, 0, 1),
	}))
	fieldTypes := func(m string) map[string]string {
		_, vals := seriesValues(t, influxQL(t, base, "", db, `SHOW FIELD KEYS FROM "`+m+`"`))
		out := map[string]string{}
		for _, v := range vals {
			out[v[0].(string)] = v[1].(string)
		}
		return out
	}
	tagKeys := func(m string) []string {
		_, vals := seriesValues(t, influxQL(t, base, "", db, `SHOW TAG KEYS FROM "`+m+`"`))
		var out []string
		for _, v := range vals {
			out = append(out, v[0].(string))
		}
		return out
	}
	assert.Equal(t, map[string]string{
		"home_score": "integer", "away_score": "integer", "quarter": "string",
		"time_remaining": "string", "status_detail": "string",
	}, fieldTypes("nfl_scores"))
	assert.Equal(t, "string", fieldTypes("nhl_scores")["period"])
	assert.NotContains(t, fieldTypes("nhl_scores"), "quarter")
	assert.ElementsMatch(t, []string{"game_id", "season", "season_type", "week", "home_team", "away_team", "status",
		"home_conference", "away_conference", "home_division", "away_division"}, tagKeys("nfl_scores"))

	games := fieldTypes("nfl_games")
	for _, f := range []string{"status", "home_team_id", "away_team_id", "home_team_name", "away_team_name", "venue", "period", "time_remaining"} {
		assert.Equal(t, "string", games[f], f)
	}
	assert.Equal(t, "integer", games["home_score"])
	assert.Equal(t, "integer", games["away_score"])
	assert.Equal(t, "integer", games["observed_at"])
	assert.ElementsMatch(t, []string{"game_id", "season", "season_type", "week", "home_team", "away_team"}, tagKeys("nfl_games"))
}

// Games scheduled in the future are read too: InfluxQL puts no implicit
// upper time bound on a raw SELECT.
func TestFutureGamesInfluxDB18(t *testing.T) {
	base := influxtest.URL(t)
	s := openStore(t, influx.Options{URL: base, Database: freshDatabase(t, base)})
	start := time.Now().UTC().Add(9 * 24 * time.Hour).Truncate(time.Minute)
	g := storetest.NewGame("nfl", "401671800", start, "SF", "SEA")
	row := storetest.GamePoint(g, time.Now().UTC().Truncate(time.Second), storetest.Scheduled, 0, 0)
	require.NoError(t, s.Write(context.Background(), []store.Point{row}))
	got, err := s.Games(context.Background(), store.GameQuery{League: "nfl", Status: storetest.Scheduled, From: time.Now()})
	require.NoError(t, err)
	require.Equal(t, []store.Point{storetest.Normalize(row)}, got)
}

var unsignedField = regexp.MustCompile(`=-?\d+u(,| |$)`)

// What goes over the wire: the stand-in keeps every request body.
func TestLineProtocolOnTheWire(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	s := openStore(t, influx.Options{URL: srv.URL(), Token: "tok", Database: "sports"})
	nfl := sampleGame()
	nhl := storetest.NewGame("nhl", "401671700", kickoff, "BOS", "TOR")
	final := storetest.GamePoint(nfl, kickoff.Add(3*time.Hour), storetest.Finished, 1<<33, 3)
	final.Period = 5
	var batch []store.Point
	batch = append(batch, final, storetest.ScorePoint(nfl, kickoff, storetest.Live, 0, 0, 3), storetest.ScorePoint(nhl, kickoff, storetest.Live, 1, 0, 2))
	for i := range 40 { // enough for a gzipped request
		batch = append(batch, storetest.ScorePoint(nhl, kickoff.Add(time.Duration(i+1)*time.Minute), storetest.Live, i, 0, 1))
	}
	require.NoError(t, s.Write(context.Background(), batch))
	require.NoError(t, s.Write(context.Background(), batch[:1]))

	writes := srv.Writes()
	require.Len(t, writes, 2)
	total := 0
	for _, w := range writes {
		assert.Equal(t, "/api/v2/write", w.Path, "the v2 endpoint, which 1.8 and 2.x also accept")
		assert.Equal(t, "sports", w.Database)
		assert.Equal(t, "ns", w.Precision)
		assert.False(t, unsignedField.MatchString(w.Body), "no unsigned integers: %s", w.Body)
		total += len(w.Body)
	}
	assert.True(t, writes[0].Gzip, "influxdb3-go compresses large bodies")
	assert.EqualValues(t, total, s.Info(context.Background()).Bytes, "Info counts the line protocol bytes")

	lines := strings.Split(strings.TrimSpace(writes[0].Body), "\n")
	require.Len(t, lines, len(batch))
	assert.Contains(t, lines[0], "nfl_games,")
	assert.Contains(t, lines[0], `status="finished"`)
	assert.Contains(t, lines[0], `period="5"`)
	assert.Contains(t, lines[0], "home_score=8589934592i")
	assert.Regexp(t, `observed_at=\d+i`, lines[0])
	assert.Contains(t, lines[1], "nfl_scores,")
	assert.Contains(t, lines[1], ",status=live")
	assert.Contains(t, lines[1], `quarter="3"`)
	assert.NotContains(t, lines[1], "period=")
	assert.Contains(t, lines[2], `period="2"`)
	assert.Contains(t, lines[2], "home_score=1i")
}

// User values travel as parameters; the SQL text is the store's own.
func TestSQLCarriesValuesAsParameters(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	s := openStore(t, influx.Options{URL: srv.URL(), Token: "tok", Database: "sports"})
	g := sampleGame()
	require.NoError(t, s.Write(context.Background(), []store.Point{storetest.GamePoint(g, kickoff, storetest.Scheduled, 0, 0)}))
	team, gameID := `NE' OR '1'='1`, `1; DROP TABLE nfl_scores`
	_, err := s.Games(context.Background(), store.GameQuery{League: "nfl", Team: team, Season: 2024})
	require.NoError(t, err)
	_, err = s.Timeline(context.Background(), "nfl", gameID)
	require.NoError(t, err)
	_, err = s.Unfinished(context.Background(), "nfl", kickoff)
	require.NoError(t, err)
	tickets := srv.Tickets()
	require.Len(t, tickets, 3)
	for _, tk := range tickets {
		assert.NotContains(t, tk.SQL, "'", "no literal in the SQL: %s", tk.SQL)
		assert.Equal(t, "sql", tk.QueryType)
	}
	assert.Equal(t, team, tickets[0].Params["team"])
	assert.Equal(t, "2024", tickets[0].Params["season"])
	// A season is bounded in time too, so InfluxDB 3 Core reads only that
	// season's files.
	assert.Contains(t, tickets[0].SQL, "time >= $season_from AND time < $season_to")
	assert.Equal(t, "2024-07-01T00:00:00Z", tickets[0].Params["season_from"])
	assert.Equal(t, "2025-04-01T00:00:00Z", tickets[0].Params["season_to"])
	assert.Equal(t, gameID, tickets[1].Params["game_id"])
	assert.Equal(t, kickoff.Format(time.RFC3339Nano), tickets[2].Params["since"])
}

func TestDatabaseCreatedOnInfluxDB3(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	logs, logger := newLogRecorder(t)
	openStore(t, influx.Options{URL: srv.URL(), Token: "tok", Database: "sports", RetentionDays: 730, Logger: logger})
	openStore(t, influx.Options{URL: srv.URL(), Token: "tok", Database: "sports", RetentionDays: 730, Logger: logger})
	assert.Equal(t, []flighttest.Database{{Name: "sports", RetentionPeriod: "730d"}}, srv.Databases())
	assert.Empty(t, logs.messages(slog.LevelWarn), "an existing database (409) is not a problem")
}

func TestReadsBeforeAnyWriteFlight(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	s := openStore(t, influx.Options{URL: srv.URL(), Token: "tok", Database: "never_written"})
	got, err := s.Games(context.Background(), store.GameQuery{League: "nfl"})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestClose(t *testing.T) {
	addr := testenv.FreeAddr(t)
	s, err := influx.Open(context.Background(), influx.Options{URL: "http://" + addr, Database: "sports", Timeout: time.Second})
	require.NoError(t, err)
	require.NoError(t, s.Close(), "closing while the background setup retries")
	require.NoError(t, s.Close())
	err = s.Write(context.Background(), []store.Point{storetest.GamePoint(sampleGame(), kickoff, storetest.Scheduled, 0, 0)})
	require.ErrorIs(t, err, store.ErrUnavailable)
	assert.True(t, errors.Is(err, store.ErrUnavailable))
	assert.NoError(t, s.Prune(context.Background(), time.Now()), "InfluxDB prunes by retention policy")
}

// A caller's HTTP client is used for every request, the write path included.
func TestUsesTheGivenHTTPClient(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	var requests atomic.Int64
	hc := &http.Client{Transport: countingTransport{base: http.DefaultTransport, n: &requests}}
	s := openStore(t, influx.Options{URL: srv.URL(), Token: "tok", Database: "sports", HTTPClient: hc})
	before := requests.Load()
	assert.Positive(t, before, "ping and database creation")
	require.NoError(t, s.Write(context.Background(), []store.Point{storetest.GamePoint(sampleGame(), kickoff, storetest.Scheduled, 0, 0)}))
	assert.Greater(t, requests.Load(), before, "the write")
}

type countingTransport struct {
	base http.RoundTripper
	n    *atomic.Int64
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// TestCredentialsInTheURLAreNotShown: a password in INFLUXDB_URL reaches
// neither a log line nor an error.
func TestCredentialsInTheURLAreNotShown(t *testing.T) {
	var buf strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, err := influx.Open(context.Background(), influx.Options{URL: "ftp://admin:s3cret-pw@127.0.0.1:8086", Database: "sports"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cret-pw")
	assert.Contains(t, err.Error(), "admin:***@127.0.0.1:8086")

	s := openStore(t, influx.Options{URL: "http://admin:s3cret-pw@" + testenv.FreeAddr(t), Database: "sports", Timeout: time.Second, Logger: logger})
	requireUnavailable(t, s)
	mu.Lock()
	logs := buf.String()
	mu.Unlock()
	require.Contains(t, logs, "influxdb store not ready")
	assert.Contains(t, logs, "admin:***@")
	assert.NotContains(t, logs, "s3cret-pw")
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *strings.Builder
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
