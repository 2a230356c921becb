package simulator_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/sports-data/sports-data/internal/simulator"
)

// FuzzRequests sends arbitrary query strings and team references, with
// an agent ESPN answers: the simulator answers 200 with valid JSON, or
// ESPN's 400/404, never anything else, and never panics.
func FuzzRequests(f *testing.F) {
	s := newSim(f, simulator.Options{Seed: 1})
	h := s.Handler()
	for _, seed := range []struct{ query, team string }{
		{"dates=20261129", "12"},
		{"dates=202611&limit=1000", "KC"},
		{"dates=20261129-20261206", "bos"},
		{"dates=202611&limit=-4", "0"},
		{"dates=99999999&season=0", "%2e%2e"},
		{"season=2026&dates=", "12"},
		{"dates=%00%ff", "x/../12"},
		{"limit=1e9&dates=202612", ""},
	} {
		f.Add(seed.query, seed.team)
	}
	f.Fuzz(func(t *testing.T, query, team string) {
		for _, path := range []string{"/football/nfl/scoreboard", "/hockey/nhl/scoreboard", "/hockey/nhl/teams/" + team + "/schedule"} {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL = &url.URL{Path: path, RawQuery: query}
			req.Header.Set("User-Agent", "Go-http-client/1.1")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			switch rec.Code {
			case http.StatusOK, http.StatusBadRequest, http.StatusNotFound:
			default:
				t.Fatalf("%s?%s: status %d", path, query, rec.Code)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s?%s: invalid JSON %q", path, query, rec.Body.String())
			}
		}
	})
}
