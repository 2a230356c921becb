// Package espntest serves real captured ESPN responses from an httptest
// server, the way ESPN's site API answers today, for tests in every package.
package espntest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Dir is the folder of captured ESPN responses (testdata/espn at the
// repository root; SOURCES.md there says where each came from).
func Dir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "testdata", "espn")
		}
		if filepath.Dir(d) == d {
			t.Fatalf("espntest: no go.mod above %s", wd)
		}
	}
}

// Load reads one capture, e.g. "nfl/teams.json".
func Load(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Dir(t), rel))
	if err != nil {
		t.Fatalf("espntest: %v", err)
	}
	return b
}

// Server is an ESPN stand-in. Paths are relative to the API base, e.g.
// "/football/nfl/scoreboard". Like ESPN since September 2026, a scoreboard
// request for a date range (dates=A-B) is answered 400; paths without a
// handler are answered 404.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	handlers map[string]http.HandlerFunc
	requests []url.URL
	ranges   int
}

// NewServer starts a server that is closed when the test ends.
func NewServer(t testing.TB) *Server {
	s := &Server{handlers: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, *r.URL)
	h := s.handlers[r.URL.Path]
	isRange := strings.Contains(r.URL.Query().Get("dates"), "-")
	if isRange {
		s.ranges++
	}
	s.mu.Unlock()
	if isRange {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"code":400,"message":"Failed to get events endpoint."}`))
		return
	}
	if h == nil {
		http.NotFound(w, r)
		return
	}
	h(w, r)
}

// Handle sets the handler of one path, replacing any earlier one.
func (s *Server) Handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[path] = h
}

// ServeBytes answers every request of path with body as JSON.
func (s *Server) ServeBytes(path string, body []byte) {
	s.Handle(path, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

// ServeFixture answers every request of path with a capture.
func (s *Server) ServeFixture(t testing.TB, path, rel string) {
	s.ServeBytes(path, Load(t, rel))
}

// Requests returns every request URL seen so far.
func (s *Server) Requests() []url.URL {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.URL(nil), s.requests...)
}

// RangeRequests counts requests that asked for a date range.
func (s *Server) RangeRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ranges
}
