package httpapi

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/userteams"
)

// rawRequest sends one request over its own connection exactly as written
// (so that the Host header is whatever the test says, or absent) and
// returns the status and body.
func rawRequest(t *testing.T, addr, request string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(conn, request)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// hostServer is the whole router behind a real listener, with
// ALLOWED_HOSTS naming the compose service.
func hostServer(t *testing.T) (*testServer, *httptest.Server) {
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	srv := newTestServer(t, map[string]string{"ALLOWED_HOSTS": "sports-data,homeserver.lan"}, c)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

// TestRebindingRequestsAreRefused replays what a page on a rebound name
// sent, same-origin in the browser's eyes, with API_KEY unset: it saved
// teams, registered a webhook and read the webhook list. Each is 421 now,
// naming the setting, and nothing was saved or registered; every route
// and method is refused alike, reads included.
func TestRebindingRequestsAreRefused(t *testing.T) {
	srv, ts := hostServer(t)
	addr := ts.Listener.Addr().String()
	page := func(host string) string {
		return "Host: " + host + "\r\nOrigin: http://" + host + "\r\nSec-Fetch-Site: same-origin\r\nConnection: close\r\n"
	}
	post := func(path, host, body string) string {
		return "POST " + path + " HTTP/1.1\r\n" + page(host) + "Content-Type: application/json\r\nContent-Length: " +
			itoa(len(body)) + "\r\n\r\n" + body
	}
	get := func(path, host string) string { return "GET " + path + " HTTP/1.1\r\n" + page(host) + "\r\n" }

	for _, host := range []string{
		"evil.example:8005", "evil.example", "EVIL.example.:8005",
		"127.0.0.1.nip.io:8005", "localhost.evil.example", "evil-localhost", "sports-data.evil.example",
		"192.168.1.5.evil.example:8005", "[::1].evil.example", "[::1]:80:80", "127.0.0.1:80x", "[::1",
	} {
		for _, req := range []string{
			post("/api/v1/user/teams", host, `{"user_id":"default","nfl_teams":["ne","kc"]}`),
			post("/api/v1/ha/webhooks/register", host, hookBody),
			post("/api/v1/webhooks/register", host, hookBody),
			get("/api/v1/ha/webhooks", host),
			get("/api/v1/webhooks/list", host),
			get("/api/v1/games/live", host),
			get("/health", host),
			get("/no/such/route", host),
			"OPTIONS /api/v1/user/teams HTTP/1.1\r\n" + page(host) + "Access-Control-Request-Method: POST\r\n\r\n",
			"DELETE /api/v1/webhooks/wh_1 HTTP/1.1\r\n" + page(host) + "\r\n",
		} {
			code, body := rawRequest(t, addr, req)
			first, _, _ := strings.Cut(req, "\r\n")
			require.Equal(t, http.StatusMisdirectedRequest, code, "%s with Host %s: %s", first, host, body)
			var e struct{ Detail string }
			require.NoError(t, json.Unmarshal([]byte(body), &e), body)
			assert.Contains(t, e.Detail, "ALLOWED_HOSTS", first)
		}
	}
	assert.Empty(t, srv.favorites.Get(userteams.DefaultUser), "nothing was saved")
	assert.Empty(t, srv.webhooks.List(), "nothing was registered")

	// A request line naming another host (absolute form) is judged by it.
	code, _ := rawRequest(t, addr, "GET http://evil.example:8005/api/v1/ha/webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
	assert.Equal(t, http.StatusMisdirectedRequest, code, "absolute-form request line")

	// A request without a Host (HTTP/1.0) names no host: refused, saying so.
	code, body := rawRequest(t, addr, "GET /health HTTP/1.0\r\n\r\n")
	assert.Equal(t, http.StatusMisdirectedRequest, code)
	assert.Contains(t, body, "names no host")
}

// TestAddressedRequestsAreAnswered: IP addresses of every form, localhost
// and the listed names, in any case, with or without a port or a trailing
// dot, reach the routes; this machine's own name too.
func TestAddressedRequestsAreAnswered(t *testing.T) {
	srv, ts := hostServer(t)
	addr := ts.Listener.Addr().String()
	hosts := []string{
		"127.0.0.1", "127.0.0.1:8005", "127.0.0.1.", "192.168.1.5:8005", "10.0.0.7",
		"[::1]", "[::1]:8005", "[fe80::1%25eth0]:8005", "[2001:db8::5]:8005", "[::ffff:192.168.1.5]:8005",
		"localhost", "LOCALHOST:8005", "localhost.", "localhost.:8005", "localhost:",
		"sports-data", "sports-data:8005", "Sports-Data.:8005", "HomeServer.LAN",
	}
	if name, err := os.Hostname(); err == nil {
		short, _, _ := strings.Cut(name, ".")
		hosts = append(hosts, name, strings.ToUpper(name)+":8005", short+".local:8005")
	}
	for _, host := range hosts {
		code, body := rawRequest(t, addr, "GET /api/v1/games/live HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
		assert.Equal(t, http.StatusOK, code, "Host %s: %s", host, body)
	}
	// Writes addressed to a listed name go through (the dashboard's proxy
	// sends the compose service name).
	body := `{"user_id":"default","nfl_teams":["ne"]}`
	code, answer := rawRequest(t, addr, "POST /api/v1/user/teams HTTP/1.1\r\nHost: sports-data:8005\r\nContent-Type: application/json\r\nContent-Length: "+
		itoa(len(body))+"\r\nConnection: close\r\n\r\n"+body)
	assert.Equal(t, http.StatusOK, code, answer)
	assert.Equal(t, []string{"ne"}, srv.favorites.Get(userteams.DefaultUser)["nfl"])
}

func TestHostOnly(t *testing.T) {
	for in, want := range map[string]string{
		"h": "h", "h:1": "h", "h:": "h", "[::1]": "::1", "[::1]:80": "::1", "::1": "::1", "1.2.3.4:5": "1.2.3.4",
	} {
		got, ok := hostOnly(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"h:x", "h:123456", "[::1", "[::1]x", "[::1]:x"} {
		_, ok := hostOnly(in)
		assert.False(t, ok, in)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// FuzzHostAllowed: any Host header a client sends is judged without a
// panic, and one that is allowed with no name configured but localhost
// names localhost or an IP address, whatever its case, port or trailing
// dot.
func FuzzHostAllowed(f *testing.F) {
	for _, seed := range []string{"", "localhost", "LOCALHOST.:8005", "127.0.0.1:8005", "[::1]:8005", "[fe80::1%25eth0]:8005",
		"evil.example:8005", "127.0.0.1.nip.io", "[::1", "[::1]x", "h:", ":", "[]", "[]:80", "1.2.3.4:99999", "::ffff:1.2.3.4"} {
		f.Add(seed)
	}
	names := map[string]bool{"localhost": true}
	f.Fuzz(func(t *testing.T, host string) {
		if !hostAllowed(host, names) {
			return
		}
		h, ok := hostOnly(host)
		if !ok {
			t.Fatalf("%q allowed but its host part does not parse", host)
		}
		h = strings.ToLower(strings.TrimSuffix(h, "."))
		if _, err := netip.ParseAddr(h); err != nil && h != "localhost" {
			t.Fatalf("%q allowed: %q is neither localhost nor an IP address", host, h)
		}
	})
}
