package influx_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
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
// network; on InfluxDB 3 the Flight (gRPC) client must not stay in its
// reconnect back-off once the server is back.
func TestServerDownAtOpenThenUpThenDownAgain(t *testing.T) {
	versions := map[influxtest.Kind]string{influxtest.V1: "1.8.", influxtest.V2: "2.7.", influxtest.V3: "3."}
	languages := map[influxtest.Kind]string{influxtest.V1: influx.LanguageInfluxQL, influxtest.V2: influx.LanguageInfluxQL, influxtest.V3: influx.LanguageSQL}
	eachServer(t, func(t *testing.T, srv server) {
		target := strings.TrimPrefix(srv.URL, "http://")
		addr := testenv.FreeAddr(t)
		logs, logger := newLogRecorder(t)
		o := srv.options(srv.database(t, 0), 0)
		o.URL, o.Timeout, o.Logger = "http://"+addr, time.Second, logger
		s := openStore(t, o)

		assert.Equal(t, "", s.QueryLanguage(), "not known before the server answered")
		assert.Equal(t, "", s.Info(context.Background()).Version)
		requireNotConnected(t, s)
		requireUnavailable(t, s)
		requireUnavailable(t, s)
		assert.Len(t, logs.messages(slog.LevelWarn), 1, "one line about the server being down, not one per call")

		relay := startForwarder(t, addr, target)
		requireWorks(t, s, "401000001")
		assert.Equal(t, languages[srv.Kind], s.QueryLanguage())
		assert.True(t, strings.HasPrefix(s.Info(context.Background()).Version, versions[srv.Kind]))
		assert.False(t, s.Info(context.Background()).Unreachable)

		relay.Close()
		requireUnavailable(t, s)
		requireNotConnected(t, s)
		assert.True(t, strings.HasPrefix(s.Info(context.Background()).Version, versions[srv.Kind]), "the last known version stays for /health")

		startForwarder(t, addr, target)
		requireWorks(t, s, "401000002")
	})
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

func TestWrongToken(t *testing.T) {
	ctx := context.Background()
	row := storetest.GamePoint(sampleGame(), kickoff, storetest.Scheduled, 0, 0)
	for _, k := range []influxtest.Kind{influxtest.V2, influxtest.V3} {
		t.Run(string(k), func(t *testing.T) {
			srv := sharedServer(t, k)
			db := srv.database(t, 0)
			for _, token := range []string{"wrong", ""} {
				logs, logger := newLogRecorder(t)
				o := srv.options(db, 0)
				o.Token, o.Logger = token, logger
				s := openStore(t, o)
				requireUnauthorized(t, s.Write(ctx, []store.Point{row}))
				_, err := s.Games(ctx, store.GameQuery{League: "nfl"})
				requireUnauthorized(t, err)
				assert.Len(t, logs.messages(slog.LevelWarn), 1, "token %q: one line", token)
			}
		})
	}
}

// The admin token of InfluxDB 3 is regenerated while the store runs: the
// write (HTTP) and the read (Flight) are refused as such, and a store with
// the new token works.
func TestAdminTokenRegeneratedInfluxDB3(t *testing.T) {
	srv := influxtest.Start(t, influxtest.V3, influxtest.ServerOptions{})
	ctx := context.Background()
	g := sampleGame()
	row := storetest.GamePoint(g, kickoff, storetest.Scheduled, 0, 0)
	s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Database: "sports"})
	require.NoError(t, s.Write(ctx, []store.Point{row}))
	_, err := s.Games(ctx, store.GameQuery{League: "nfl"})
	require.NoError(t, err)

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v3/configure/token/admin/regenerate", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var fresh struct {
		Token string `json:"token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&fresh))
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	require.NotEmpty(t, fresh.Token)

	requireUnauthorized(t, s.Write(ctx, []store.Point{row}))
	_, err = s.Timeline(ctx, "nfl", g.ID)
	requireUnauthorized(t, err)
	s2 := openStore(t, influx.Options{URL: srv.URL, Token: fresh.Token, Database: "sports"})
	requireWorks(t, s2, g.ID)
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
	srv := influxtest.Shared3(t)
	var requests atomic.Int64
	hc := &http.Client{Transport: countingTransport{base: http.DefaultTransport, n: &requests}}
	s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Database: influxtest.Database3(t, srv, ""), HTTPClient: hc})
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
