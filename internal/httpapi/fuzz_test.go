package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/fakeclock"
)

// FuzzRoutes sends arbitrary paths, query strings and bodies through the
// whole router: whatever arrives, the answer is a JSON error or a success,
// never a panic or a 500.
func FuzzRoutes(f *testing.F) {
	seeds := []struct{ method, target, body string }{
		{"GET", "/api/v1/games/live?league=nfl&team_ids=nfl-ne,hou", ""},
		{"GET", "/api/v1/games/upcoming?hours=168&league=NHL", ""},
		{"GET", "/api/v1/games/upcoming?hours=-1", ""},
		{"GET", "/api/v1/teams?league=%00", ""},
		{"GET", "/api/v1/ha/game-status/New%20England%20Patriots?league=nfl", ""},
		{"GET", "/api/v1/ha/game-context/Jets", ""},
		{"GET", "/api/v1/user/teams?user_id=../../etc", ""},
		{"POST", "/api/v1/user/teams", `{"user_id":"default","nfl_teams":["ne","nfl-kc"]}`},
		{"POST", "/api/v1/user/teams", `{"nfl_teams":[1,2]}`},
		{"GET", "/api/v1/games/history?team=KC'%20OR%201=1&season=2023&page_size=1000", ""},
		{"GET", "/api/v1/games/timeline/401547417%27", ""},
		{"GET", "/health", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.body)
	}
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	// The routes behind the Host check and the write limit are what is
	// fuzzed here: the name the requests use is allowed, the limit high.
	h := newServer(f, map[string]string{"STORE": "none", "ALLOWED_HOSTS": "sports-data", "WRITE_RATE_LIMIT_PER_MINUTE": "100000000"}, c)
	f.Fuzz(func(t *testing.T, method, target, body string) {
		if method != "GET" && method != "POST" {
			method = "GET"
		}
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		req, err := http.NewRequest(method, "http://sports-data"+target, strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		req.RemoteAddr = "203.0.113.7:1"
		if method == "POST" {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s %s answered %d: %s", method, target, rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusNoContent && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "text/plain") {
			t.Fatalf("%s %s answered %q", method, target, ct)
		}
	})
}
