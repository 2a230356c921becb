package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/ha"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/teamtracker"
	"github.com/sports-data/sports-data/internal/userteams"
	"github.com/sports-data/sports-data/internal/webhook"
)

// testServer is the whole router over real parts: the 2022 week 1 NFL
// capture in memory, team lists from captures, saved teams and webhooks in
// a temporary directory.
type testServer struct {
	http.Handler
	favorites *userteams.Store
	webhooks  *webhook.Service
}

func newServer(t testing.TB, env map[string]string, now *fakeclock.Clock) http.Handler {
	return newTestServer(t, env, now)
}

func newTestServer(t testing.TB, env map[string]string, now *fakeclock.Clock) *testServer {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	dir := teams.NewDirectory(t.TempDir(), cfg.Leagues, nil)
	for _, l := range cfg.Leagues {
		ts, err := espn.ParseTeams(espntest.Load(t, l.Key+"/teams.json"), l)
		require.NoError(t, err)
		require.NoError(t, dir.Set(l, ts))
	}
	nfl, _ := league.Lookup("nfl")
	games, err := espn.ParseScoreboard(espntest.Load(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json"), nfl)
	require.NoError(t, err)
	st := state.New("nfl", "nhl")
	st.Replace("nfl", games, now.Now())
	fav, err := userteams.Open(t.TempDir())
	require.NoError(t, err)
	hooks, err := webhook.New(webhook.Options{DataDir: t.TempDir(), Now: now.Now})
	require.NoError(t, err)
	h := New(Deps{
		Options: options(cfg), Version: "test", State: st, Teams: dir, Favorites: fav,
		HA:       ha.New(st, ha.Options{Now: now.Now}),
		Sensors:  teamtracker.New(st, cfg.Leagues, teamtracker.Options{Now: now.Now}),
		Webhooks: hooks,
		Now:      now.Now,
	})
	return &testServer{Handler: h, favorites: fav, webhooks: hooks}
}

// testHost is the host httptest.NewRequest addresses requests to, which
// the tests' servers answer as if ALLOWED_HOSTS named it.
const testHost = "example.com"

// options are the service's settings as cmd/sports-data passes them.
func options(cfg *config.Config) Options {
	return Options{
		Leagues:              cfg.Leagues,
		StoreKind:            cfg.StoreKind,
		APIKey:               cfg.APIKey,
		CORSOrigins:          cfg.CORSOrigins,
		HistoryRatePerMinute: cfg.HistoryRatePerMinute,
		PollIdleInterval:     cfg.PollIdleInterval,
		TrustedProxies:       cfg.TrustedProxies,
		AllowedHosts:         append(cfg.AllowedHosts, testHost),
		WriteRatePerMinute:   cfg.WriteRatePerMinute,
	}
}

func call(h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = "203.0.113.7:4321"
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHistoryRateLimitPerClient(t *testing.T) {
	c := fakeclock.New(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	h := newServer(t, map[string]string{"STORE": "none"}, c)
	paths := []string{"/api/v1/games/history", "/api/v1/games/timeline/401547417", "/api/v1/games/schedule/NE"}
	for i := 0; i < 100; i++ {
		rec := call(h, http.MethodGet, paths[i%3], nil)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code, "request %d", i+1)
	}
	rec := call(h, http.MethodGet, "/api/v1/games/history", nil)
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	retry, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, retry, 1)
	var body map[string]string
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	assert.Contains(t, body["detail"], "rate limit")

	// Another client is not affected; live routes are not limited.
	other := httptest.NewRequest(http.MethodGet, "/api/v1/games/history", nil)
	other.RemoteAddr = "198.51.100.1:1"
	orec := httptest.NewRecorder()
	h.ServeHTTP(orec, other)
	assert.Equal(t, http.StatusServiceUnavailable, orec.Code)
	assert.Equal(t, http.StatusOK, call(h, http.MethodGet, "/api/v1/games/live", nil).Code)

	// A minute later the budget is back.
	c.Add(time.Minute)
	assert.Equal(t, http.StatusServiceUnavailable, call(h, http.MethodGet, "/api/v1/games/history", nil).Code)
}

func TestHistoryOffIs503(t *testing.T) {
	c := fakeclock.New(time.Now())
	h := newServer(t, map[string]string{"STORE": "none"}, c)
	rec := call(h, http.MethodGet, "/api/v1/games/history?team=NE", nil)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.JSONEq(t, `{"detail":"Historical queries not available"}`, rec.Body.String())
}

func TestAPIKeyGuardsMutatingRoutes(t *testing.T) {
	c := fakeclock.New(time.Now())
	h := newServer(t, map[string]string{"API_KEY": "s3cret-key-0123456"}, c)
	post := func(header map[string]string) int {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/user/teams", nil)
		req.Body = http.NoBody
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	assert.Equal(t, http.StatusUnauthorized, post(nil))
	assert.Equal(t, http.StatusUnauthorized, post(map[string]string{"Authorization": "Bearer wrong"}))
	assert.Equal(t, http.StatusUnauthorized, post(map[string]string{"X-API-Key": "s3cret-ke"}))
	// With the key the request reaches the handler (and fails on its empty body).
	assert.Equal(t, http.StatusUnprocessableEntity, post(map[string]string{"Authorization": "Bearer s3cret-key-0123456"}))
	assert.Equal(t, http.StatusUnprocessableEntity, post(map[string]string{"X-API-Key": "s3cret-key-0123456"}))
	// Reads stay open.
	assert.Equal(t, http.StatusOK, call(h, http.MethodGet, "/api/v1/user/teams", nil).Code)
}

func TestCORS(t *testing.T) {
	c := fakeclock.New(time.Now())
	h := newServer(t, nil, c)
	rec := call(h, http.MethodGet, "/api/v1/games/live", map[string]string{"Origin": "http://localhost:3000"})
	assert.Equal(t, "http://localhost:3000", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", rec.Header().Get("Access-Control-Allow-Credentials"))
	rec = call(h, http.MethodGet, "/api/v1/games/live", map[string]string{"Origin": "http://evil.example"})
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	rec = call(h, http.MethodOptions, "/api/v1/user/teams", map[string]string{
		"Origin": "http://localhost", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
	})
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Header().Get("Access-Control-Allow-Methods"), "POST")
	assert.Equal(t, "content-type", rec.Header().Get("Access-Control-Allow-Headers"))
}

func TestTeamErrorsMapTo409And404(t *testing.T) {
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	h := newServer(t, nil, c)
	rec := call(h, http.MethodGet, "/api/v1/ha/game-status/Jets", nil)
	require.Equal(t, http.StatusConflict, rec.Code)
	var body struct {
		Detail     string `json:"detail"`
		Candidates []struct{ ID, Name, League string }
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	var ids []string
	for _, c := range body.Candidates {
		ids = append(ids, c.ID)
	}
	assert.ElementsMatch(t, []string{"nfl-nyj", "nhl-wpg"}, ids)

	rec = call(h, http.MethodGet, "/api/v1/ha/game-status/Jets?league=nfl", nil)
	assert.Equal(t, http.StatusOK, rec.Code)

	rec = call(h, http.MethodGet, "/api/v1/ha/game-status/Patriotz", nil)
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Contains(t, rec.Body.String(), "nfl-ne")

	rec = call(h, http.MethodGet, "/api/v1/nope", nil)
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.JSONEq(t, `{"detail":"Not Found"}`, rec.Body.String())
}

func TestClientIPBehindAProxy(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:5555"
	r.Header.Set("X-Forwarded-For", "198.51.100.9")
	assert.Equal(t, "198.51.100.9", clientIP(r, loopback).String())
	r.RemoteAddr = "203.0.113.5:5555" // a public peer cannot choose its address
	assert.Equal(t, "203.0.113.5", clientIP(r, loopback).String())
}

// TestRateLimitIsABucketOfAMinutesRequests: a client may send its
// minute's budget at once, then one request every minute/limit; a minute
// of silence gives it the whole budget back.
func TestRateLimitIsABucketOfAMinutesRequests(t *testing.T) {
	c := fakeclock.New(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	l := newClientLimiter(100, c.Now)
	burst := func() int {
		n := 0
		for ok, _ := l.allow("198.51.100.1"); ok; ok, _ = l.allow("198.51.100.1") {
			n++
		}
		return n
	}
	require.Equal(t, 100, burst())
	ok, wait := l.allow("198.51.100.1")
	require.False(t, ok, "the 101st at once is refused")
	assert.Equal(t, 600*time.Millisecond, wait, "until one request's worth has come back")
	c.Add(wait)
	assert.Equal(t, 1, burst(), "one request came back")
	c.Add(time.Minute)
	assert.Equal(t, 100, burst(), "a minute later the whole budget is back")
}

// TestLiveAnswerFollowsPollsAndFavorites: the encoded live answer is
// reused until a poll replaces the games or the favourites change.
func TestLiveAnswerFollowsPollsAndFavorites(t *testing.T) {
	cfg, err := config.Load(func(string) string { return "" })
	require.NoError(t, err)
	nfl, _ := league.Lookup("nfl")
	games, err := espn.ParseScoreboard(espntest.Load(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json"), nfl)
	require.NoError(t, err)
	st := state.New("nfl", "nhl")
	st.Replace("nfl", append([]game.Game(nil), games...), time.Now())
	fav, err := userteams.Open(t.TempDir())
	require.NoError(t, err)
	h := New(Deps{Options: options(cfg), State: st, Teams: teams.NewDirectory(t.TempDir(), cfg.Leagues, nil), Favorites: fav})
	live := func() (n int, favorites int) {
		rec := call(h, http.MethodGet, "/api/v1/games/live?league=nfl", nil)
		require.Equal(t, http.StatusOK, rec.Code)
		var body struct {
			Count int `json:"count"`
			Games []struct {
				IsFavorite bool `json:"is_favorite"`
			} `json:"games"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		for _, g := range body.Games {
			if g.IsFavorite {
				favorites++
			}
		}
		return body.Count, favorites
	}
	n, f := live()
	assert.Equal(t, 8, n)
	assert.Zero(t, f)
	n, _ = live()
	assert.Equal(t, 8, n, "served again from the kept answer")

	// A poll ends one game.
	ended := append([]game.Game(nil), games...)
	for i := range ended {
		if ended[i].Status == game.StatusLive {
			ended[i].Status = game.StatusFinal
			break
		}
	}
	st.Replace("nfl", ended, time.Now())
	n, _ = live()
	assert.Equal(t, 7, n, "a new poll is seen at once")

	// Saving a favourite marks its game at once.
	require.NoError(t, fav.Save(userteams.DefaultUser, map[string][]string{"nfl": {"hou"}}))
	_, f = live()
	assert.Equal(t, 1, f)
}

// TestObserveNamesTheRoutePattern: metrics see the pattern written in
// routes.go, not the path a client sent; unmatched paths are not reported.
func TestObserveNamesTheRoutePattern(t *testing.T) {
	cfg, err := config.Load(func(string) string { return "" })
	require.NoError(t, err)
	type seen struct {
		route, method string
		status        int
	}
	var got []seen
	h := New(Deps{
		Options: options(cfg), State: state.New("nfl", "nhl"),
		Teams: teams.NewDirectory(t.TempDir(), cfg.Leagues, nil),
		Observe: func(route, method string, status int, _ time.Duration) {
			got = append(got, seen{route, method, status})
		},
	})
	call(h, http.MethodGet, "/api/v1/games/live?league=nfl", nil)
	call(h, http.MethodGet, "/api/v1/games/timeline/401547417", nil)
	call(h, http.MethodGet, "/api/v1/games/live?league=xfl", nil)
	call(h, http.MethodGet, "/no/such/path/123", nil)
	assert.Equal(t, []seen{
		{"/api/v1/games/live", http.MethodGet, http.StatusOK},
		{"/api/v1/games/timeline/{game_id}", http.MethodGet, http.StatusServiceUnavailable},
		{"/api/v1/games/live", http.MethodGet, http.StatusBadRequest},
	}, got)
}

// Every route that names a team resolves it the same way: the same input
// is the same team, or the same 409, 404 or 400, on each.
func TestEveryTeamRouteResolvesAlike(t *testing.T) {
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	h := newServer(t, map[string]string{"STORE": "none"}, c)
	for _, route := range []string{"/api/v1/ha/game-status/", "/api/v1/ha/game-context/", "/api/v1/ha/sensor/"} {
		for _, tc := range []struct {
			team   string
			status int
			body   string
		}{
			{"Jets", http.StatusConflict, `"candidates"`},
			{"Jets?league=nhl", http.StatusOK, `"WPG"`},
			{"Patriotz", http.StatusNotFound, `"suggestions"`},
			{"Texans?league=xfl", http.StatusBadRequest, `league \"xfl\" is unknown`},
			{"%20", http.StatusBadRequest, `"team is required"`},
		} {
			rec := call(h, http.MethodGet, route+tc.team, nil)
			assert.Equal(t, tc.status, rec.Code, route+tc.team)
			assert.Contains(t, rec.Body.String(), tc.body, route+tc.team)
		}
	}
}
