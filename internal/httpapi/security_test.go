package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/userteams"
)

// send is one request through the router with a body and headers.
func send(h http.Handler, method, path, body string, header map[string]string) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr = "192.168.1.20:4321"
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

const hookBody = `{"url":"http://127.0.0.1:9/api/webhook/abc123secret","events":["game_start"],"secret":"0123456789abcdef-signing"}`

// TestWebhookListsNeedTheKey: a webhook URL is a password, so with
// API_KEY set the lists are as closed as the registration.
func TestWebhookListsNeedTheKey(t *testing.T) {
	c := fakeclock.New(time.Now())
	srv := newTestServer(t, map[string]string{"API_KEY": "s3cret-key-0123456"}, c)
	auth := map[string]string{"X-API-Key": "s3cret-key-0123456", "Content-Type": "application/json"}
	require.Equal(t, http.StatusCreated, send(srv, http.MethodPost, "/api/v1/ha/webhooks/register", hookBody, auth).Code)
	for _, path := range []string{"/api/v1/ha/webhooks", "/api/v1/webhooks/list"} {
		rec := send(srv, http.MethodGet, path, "", nil)
		assert.Equal(t, http.StatusUnauthorized, rec.Code, path)
		assert.NotContains(t, rec.Body.String(), "127.0.0.1", path)
		rec = send(srv, http.MethodGet, path, "", map[string]string{"Authorization": "Bearer s3cret-key-0123456"})
		assert.Equal(t, http.StatusOK, rec.Code, path)
		assert.Contains(t, rec.Body.String(), `"count":1`, path)
	}
	// Without API_KEY the lists stay open, as before.
	open := newTestServer(t, nil, c)
	assert.Equal(t, http.StatusOK, send(open, http.MethodGet, "/api/v1/ha/webhooks", "", nil).Code)
}

// TestCrossSiteWritesAreRefused: whether API_KEY is set or not, a page on
// another site cannot register webhooks or overwrite saved teams, by a
// form (not JSON: 415) or by fetch (its origin: 403); listed origins and
// non-browser clients can.
func TestCrossSiteWritesAreRefused(t *testing.T) {
	for _, key := range []string{"", "s3cret-key-0123456"} {
		t.Run("API_KEY="+key, func(t *testing.T) {
			c := fakeclock.New(time.Now())
			srv := newTestServer(t, map[string]string{"API_KEY": key}, c)
			base := map[string]string{"Content-Type": "application/json"}
			if key != "" {
				// A page cannot know the key; give it anyway to show the
				// origin check stands on its own.
				base["X-API-Key"] = key
			}
			teams := `{"user_id":"default","nfl_teams":["ne"]}`
			for name, h := range map[string]map[string]string{
				"foreign Origin":               with(base, "Origin", "http://evil.example"),
				"foreign Origin, same-site":    with(base, "Origin", "http://192.168.1.99:8080", "Sec-Fetch-Site", "same-site"),
				"cross-site fetch, no Origin":  with(base, "Sec-Fetch-Site", "cross-site"),
				"Origin null (sandboxed page)": with(base, "Origin", "null"),
			} {
				rec := send(srv, http.MethodPost, "/api/v1/user/teams", teams, h)
				assert.Equal(t, http.StatusForbidden, rec.Code, name)
				assert.Contains(t, rec.Body.String(), `"detail"`, name)
				rec = send(srv, http.MethodPost, "/api/v1/ha/webhooks/register", hookBody, h)
				assert.Equal(t, http.StatusForbidden, rec.Code, name)
				rec = send(srv, http.MethodDelete, "/api/v1/webhooks/anything", "", h)
				assert.Equal(t, http.StatusForbidden, rec.Code, name)
			}
			for name, ct := range map[string]string{
				"form":      "application/x-www-form-urlencoded",
				"multipart": "multipart/form-data; boundary=x",
				"text":      "text/plain",
				"none":      "",
			} {
				h := with(base, "Content-Type", ct)
				if ct == "" {
					delete(h, "Content-Type")
				}
				rec := send(srv, http.MethodPost, "/api/v1/user/teams", teams, h)
				assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code, name)
				assert.Contains(t, rec.Body.String(), "application/json", name)
				rec = send(srv, http.MethodPost, "/api/v1/webhooks/register", hookBody, h)
				assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code, name)
			}
			assert.Empty(t, srv.favorites.Get(userteams.DefaultUser)["nfl"], "nothing was saved")
			assert.Empty(t, srv.webhooks.List(), "nothing was registered")

			// A listed origin, a same-origin page and curl may.
			for name, h := range map[string]map[string]string{
				"listed origin": with(base, "Origin", "http://localhost:3000", "Sec-Fetch-Site", "cross-site"),
				"same origin":   with(base, "Origin", "http://example.com", "Sec-Fetch-Site", "same-origin"),
				"curl":          base,
				"charset":       with(base, "Content-Type", "application/json; charset=utf-8"),
			} {
				rec := send(srv, http.MethodPost, "/api/v1/user/teams", teams, h)
				assert.Equal(t, http.StatusOK, rec.Code, name+": %s", rec.Body)
			}
			rec := send(srv, http.MethodPost, "/api/v1/webhooks/register", hookBody, base)
			assert.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
			// Reads from any page stay possible (CORS decides what it sees).
			assert.Equal(t, http.StatusOK, send(srv, http.MethodGet, "/api/v1/games/live", "", map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}).Code)
		})
	}
}

// TestCORSAnyOrigin: "*" answers a literal "*" without credentials and
// never echoes "null"; it opens reads, not writes.
func TestCORSAnyOrigin(t *testing.T) {
	c := fakeclock.New(time.Now())
	srv := newTestServer(t, map[string]string{"CORS_ORIGINS": "*"}, c)
	for _, origin := range []string{"http://evil.example", "null"} {
		rec := send(srv, http.MethodGet, "/api/v1/games/live", "", map[string]string{"Origin": origin})
		assert.Equal(t, "*", rec.Header().Get("Access-Control-Allow-Origin"), origin)
		assert.Empty(t, rec.Header().Get("Access-Control-Allow-Credentials"), origin)
	}
	rec := send(srv, http.MethodPost, "/api/v1/user/teams", `{"nfl_teams":["ne"]}`,
		map[string]string{"Origin": "http://evil.example", "Content-Type": "application/json"})
	assert.Equal(t, http.StatusForbidden, rec.Code, "* does not let any page change things")

	named := newTestServer(t, nil, c)
	rec = send(named, http.MethodGet, "/api/v1/games/live", "", map[string]string{"Origin": "null"})
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"), "null is never echoed")
}

// TestForwardedForCountsOnlyFromTrustedProxies: a peer on the LAN cannot
// escape the history limit by sending a new X-Forwarded-For each time; a
// configured proxy's forwarded address counts.
func TestForwardedForCountsOnlyFromTrustedProxies(t *testing.T) {
	c := fakeclock.New(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	h := newServer(t, map[string]string{"STORE": "none", "HISTORY_RATE_LIMIT_PER_MINUTE": "5", "TRUSTED_PROXIES": "10.0.0.2"}, c)
	from := func(peer, xff string) int {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/games/history", nil)
		req.RemoteAddr = peer
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := 0; i < 5; i++ {
		require.Equal(t, http.StatusServiceUnavailable, from("192.168.1.50:1000", fmt.Sprintf("198.51.100.%d", i)))
	}
	assert.Equal(t, http.StatusTooManyRequests, from("192.168.1.50:1000", "198.51.100.77"), "a private peer is not a proxy")
	assert.Equal(t, http.StatusServiceUnavailable, from("127.0.0.1:1000", "192.168.1.50"),
		"loopback is not trusted when TRUSTED_PROXIES says otherwise: counted as itself")

	// Through the proxy, each forwarded client has its own budget; a
	// client cannot prepend a forged address to escape it.
	for i := 0; i < 5; i++ {
		require.Equal(t, http.StatusServiceUnavailable, from("10.0.0.2:1000", fmt.Sprintf("203.0.113.%d, 198.51.100.200", i)))
	}
	assert.Equal(t, http.StatusTooManyRequests, from("10.0.0.2:1000", "1.2.3.4, 198.51.100.200"))
	assert.Equal(t, http.StatusServiceUnavailable, from("10.0.0.2:1000", "198.51.100.201"))
}

func TestClientIPWalksTrustedHops(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Set("X-Forwarded-For", "6.6.6.6, 198.51.100.9, 10.0.0.7")
	assert.Equal(t, "198.51.100.9", clientIP(r, trusted).String(), "the right-most hop no proxy of ours added")
	r.Header.Set("X-Forwarded-For", "not-an-ip, 10.0.0.7")
	assert.Equal(t, "10.0.0.7", clientIP(r, trusted).String(), "a garbled hop stops the walk")
	r.Header.Del("X-Forwarded-For")
	r.Header.Set("X-Real-IP", "198.51.100.10")
	assert.Equal(t, "198.51.100.10", clientIP(r, trusted).String())
	r.RemoteAddr = "[::ffff:192.168.1.5]:1"
	assert.Equal(t, "192.168.1.5", clientIP(r, trusted).String(), "a LAN peer is itself")
}

// TestRateLimiterMemoryIsBounded: however many addresses call, the limiter
// keeps at most maxLimiterClients of them; an IPv6 /64 is one client.
func TestRateLimiterMemoryIsBounded(t *testing.T) {
	c := fakeclock.New(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	l := newClientLimiter(3, c.Now)
	for i := 0; i < 3*maxLimiterClients; i++ {
		ip := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		ok, _ := l.allow(limiterKey(ip))
		require.True(t, ok)
	}
	assert.LessOrEqual(t, len(l.clients), maxLimiterClients)

	for i := 0; i < 3; i++ {
		ip := netip.MustParseAddr(fmt.Sprintf("2001:db8:1:2::%x", i+1))
		ok, _ := l.allow(limiterKey(ip))
		require.True(t, ok)
	}
	ok, _ := l.allow(limiterKey(netip.MustParseAddr("2001:db8:1:2:ffff::9")))
	assert.False(t, ok, "another address of the same /64 shares its budget")
	ok, _ = l.allow(limiterKey(netip.MustParseAddr("2001:db8:1:3::1")))
	assert.True(t, ok, "another /64 is another client")
}

// TestOversizedBodiesAre413: every route answers 413 to a body over
// 64 KiB, announced or chunked.
func TestOversizedBodiesAre413(t *testing.T) {
	c := fakeclock.New(time.Now())
	srv := newTestServer(t, nil, c)
	big := `{"url":"http://127.0.0.1:9/x","events":["game_start"],"pad":"` + strings.Repeat("a", 70<<10) + `"}`
	json := map[string]string{"Content-Type": "application/json"}
	for _, rt := range []struct{ method, path string }{
		{http.MethodPost, "/api/v1/user/teams"},
		{http.MethodPost, "/api/v1/ha/webhooks/register"},
		{http.MethodPost, "/api/v1/webhooks/register"},
		{http.MethodPost, "/api/v1/ha/webhooks/game-start"},
		{http.MethodPost, "/api/v1/ha/webhooks/abc/test"},
		{http.MethodDelete, "/api/v1/webhooks/abc"},
	} {
		rec := send(srv, rt.method, rt.path, big, json)
		assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, "%s %s", rt.method, rt.path)
		assert.Contains(t, rec.Body.String(), `"detail"`)

		// The same without a length: the body is cut at 64 KiB.
		req := httptest.NewRequest(rt.method, rt.path, io.MultiReader(strings.NewReader(big)))
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/json")
		rr := httptest.NewRecorder()
		srv.ServeHTTP(rr, req)
		if rt.method == http.MethodPost && !strings.Contains(rt.path, "/test") {
			assert.Equal(t, http.StatusRequestEntityTooLarge, rr.Code, "chunked %s %s: %s", rt.method, rt.path, rr.Body)
		}
	}
	assert.Empty(t, srv.webhooks.List())
}

// TestHeadWhereGetExists: every GET route answers HEAD with GET's status
// and headers and no body.
func TestHeadWhereGetExists(t *testing.T) {
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	ts := httptest.NewServer(newTestServer(t, map[string]string{"STORE": "none"}, c))
	defer ts.Close()
	for _, path := range []string{
		"/", "/health", "/api/v1/games/live", "/api/v1/games/upcoming", "/api/v1/teams",
		"/api/v1/user/teams", "/api/v1/cache/stats", "/api/v1/metrics/api-usage",
		"/api/v1/ha/game-status/HOU", "/api/v1/ha/game-context/HOU", "/api/v1/ha/sensor/HOU", "/api/v1/ha/webhooks",
		"/api/v1/webhooks/list", "/api/v1/games/history", "/api/v1/games/schedule/NE",
	} {
		get, err := http.Get(ts.URL + path)
		require.NoError(t, err)
		_ = get.Body.Close()
		head, err := http.Head(ts.URL + path)
		require.NoError(t, err)
		body, _ := io.ReadAll(head.Body)
		_ = head.Body.Close()
		assert.Equal(t, get.StatusCode, head.StatusCode, path)
		assert.NotEqual(t, http.StatusMethodNotAllowed, head.StatusCode, path)
		assert.Equal(t, "application/json", head.Header.Get("Content-Type"), path)
		assert.Empty(t, body, path)
	}
}

// TestEscapedPathParametersAreDecoded: a team sent with escapes Go would
// not have written itself (an escaped letter, lower-case hex) resolves
// like the plain name.
func TestEscapedPathParametersAreDecoded(t *testing.T) {
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	ts := httptest.NewServer(newTestServer(t, nil, c))
	defer ts.Close()
	team := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		var body struct {
			Team   string `json:"team"`
			Detail string `json:"detail"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		return resp.StatusCode, body.Team + body.Detail
	}
	for _, path := range []string{
		"/api/v1/ha/game-status/New%20England%20Patriots",
		"/api/v1/ha/game-status/%4eew%20England%20Patriots",
		"/api/v1/ha/game-status/%4Eew%20England%20Patriots",
		"/api/v1/ha/game-status/New%20Englan%64?league=nfl",
	} {
		code, name := team(path)
		assert.Equal(t, http.StatusOK, code, path)
		assert.Equal(t, "NE", name, path)
	}
	code, _ := team("/api/v1/games/timeline/4015%34")
	assert.Equal(t, http.StatusServiceUnavailable, code, "an escaped digit is still a game id (the store is off here)")
}

// TestWriteRateLimitPerClient: 100 register-and-delete cycles went
// through in a second, each writing a file with an fsync, and team saves
// as fast as a client could send them. Changes are limited per client now
// (a burst, then one every 60/limit s), whatever the route; reads are not,
// other clients are not, and requests refused before a handler do not
// count. A wrong API key counts: guessing it is limited too.
func TestWriteRateLimitPerClient(t *testing.T) {
	c := fakeclock.New(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	srv := newTestServer(t, map[string]string{"WRITE_RATE_LIMIT_PER_MINUTE": "5", "TRUSTED_PROXIES": "10.0.0.2"}, c)
	json := map[string]string{"Content-Type": "application/json"}
	teams := `{"user_id":"default","nfl_teams":["ne"]}`
	as := func(peer, method, path, body string, h map[string]string) *httptest.ResponseRecorder {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req := httptest.NewRequest(method, path, rd)
		req.RemoteAddr = peer
		for k, v := range h {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	const a, b = "192.168.1.20:1000", "192.168.1.21:1000"
	for i := 0; i < 3; i++ {
		require.Equal(t, http.StatusOK, as(a, http.MethodPost, "/api/v1/user/teams", teams, json).Code)
	}
	rec := as(a, http.MethodPost, "/api/v1/ha/webhooks/register", hookBody, json)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, http.StatusNotFound, as(a, http.MethodDelete, "/api/v1/webhooks/wh_none", "", nil).Code)
	for _, r := range []struct{ method, path, body string }{
		{http.MethodPost, "/api/v1/user/teams", teams},
		{http.MethodPost, "/api/v1/ha/webhooks/register", strings.Replace(hookBody, "abc123secret", "other", 1)},
		{http.MethodPost, "/api/v1/ha/webhooks/game-end", hookBody},
		{http.MethodDelete, "/api/v1/ha/webhooks/wh_none", ""},
		{http.MethodPost, "/api/v1/ha/webhooks/wh_none/test", ""},
	} {
		rec := as(a, r.method, r.path, r.body, json)
		require.Equal(t, http.StatusTooManyRequests, rec.Code, "%s %s: %s", r.method, r.path, rec.Body)
		retry, err := strconv.Atoi(rec.Header().Get("Retry-After"))
		require.NoError(t, err)
		assert.Equal(t, 12, retry, "one change every 60/5 s")
		assert.Contains(t, rec.Body.String(), "rate limit of 5 changes per minute")
	}
	assert.Len(t, srv.webhooks.List(), 1, "nothing past the limit was registered")
	assert.Equal(t, http.StatusOK, as(a, http.MethodGet, "/api/v1/user/teams", "", nil).Code, "reads are not limited")
	assert.Equal(t, http.StatusOK, as(b, http.MethodPost, "/api/v1/user/teams", teams, json).Code, "another client has its own budget")

	// Requests refused before a handler (another site's page, a form) use
	// none of the budget.
	const d = "192.168.1.22:1000"
	for i := 0; i < 10; i++ {
		require.Equal(t, http.StatusForbidden, as(d, http.MethodPost, "/api/v1/user/teams", teams, with(json, "Origin", "http://evil.example")).Code)
		require.Equal(t, http.StatusUnsupportedMediaType, as(d, http.MethodPost, "/api/v1/user/teams", teams, nil).Code)
	}
	assert.Equal(t, http.StatusOK, as(d, http.MethodPost, "/api/v1/user/teams", teams, json).Code)

	// Behind the trusted proxy each forwarded client counts alone.
	for i := 0; i < 5; i++ {
		require.Equal(t, http.StatusOK, as("10.0.0.2:1", http.MethodPost, "/api/v1/user/teams", teams, with(json, "X-Forwarded-For", "198.51.100.1")).Code)
	}
	assert.Equal(t, http.StatusTooManyRequests, as("10.0.0.2:1", http.MethodPost, "/api/v1/user/teams", teams, with(json, "X-Forwarded-For", "198.51.100.1")).Code)
	assert.Equal(t, http.StatusOK, as("10.0.0.2:1", http.MethodPost, "/api/v1/user/teams", teams, with(json, "X-Forwarded-For", "198.51.100.2")).Code)

	// One change's worth comes back every 12 s.
	c.Add(12 * time.Second)
	assert.Equal(t, http.StatusOK, as(a, http.MethodPost, "/api/v1/user/teams", teams, json).Code)
	assert.Equal(t, http.StatusTooManyRequests, as(a, http.MethodPost, "/api/v1/user/teams", teams, json).Code)

	// Guessing the API key is limited like any change.
	keyed := newTestServer(t, map[string]string{"WRITE_RATE_LIMIT_PER_MINUTE": "5", "API_KEY": "the-right-key-0123456789"}, c)
	codes := []int{}
	for i := 0; i < 7; i++ {
		codes = append(codes, send(keyed, http.MethodPost, "/api/v1/user/teams", teams, with(json, "X-API-Key", "guess-0123456789-"+strconv.Itoa(i))).Code)
	}
	assert.Equal(t, []int{401, 401, 401, 401, 401, 429, 429}, codes)
}
