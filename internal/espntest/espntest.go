// Package espntest serves real captured ESPN responses from an httptest
// server, the way ESPN's site API answers today, for tests in every package.
package espntest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sports-data/sports-data/internal/espnrules"
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
// "/football/nfl/scoreboard". It answers as ESPN has since August and
// September 2026 (package espnrules): 403 to an empty or browser-like
// User-Agent, 400 to a scoreboard request for a date range (dates=A-B),
// and a scoreboard's events cut to what ESPN answers for the request's
// limit (100 without one, 25 above 500); paths without a handler are
// answered 404.
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
	isRange := espnrules.IsRange(r.URL.Query().Get("dates"))
	if isRange {
		s.ranges++
	}
	s.mu.Unlock()
	switch {
	case espnrules.AgentRefused(r.UserAgent()):
		writeJSON(w, http.StatusForbidden, espnrules.ForbiddenBody)
	case isRange:
		writeJSON(w, http.StatusBadRequest, espnrules.RangeBody)
	case h == nil:
		http.NotFound(w, r)
	case strings.HasSuffix(r.URL.Path, "/scoreboard"):
		serveLimited(w, r, h)
	default:
		h(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// serveLimited runs a scoreboard handler and cuts its answer's events to
// what ESPN answers for the request's limit. An answer within the limit
// goes out byte for byte.
func serveLimited(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	rec := httptest.NewRecorder()
	h(rec, r)
	body := rec.Body.Bytes()
	if rec.Code == http.StatusOK {
		body = cutEvents(body, r.URL.Query().Get("limit"))
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// cutEvents keeps the events ESPN would answer of a JSON object's
// "events"; a body that is not such an object is left as it is.
func cutEvents(body []byte, limit string) []byte {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return body
	}
	var events []json.RawMessage
	if json.Unmarshal(doc["events"], &events) != nil {
		return body
	}
	n := espnrules.Events(limit, len(events))
	if n == len(events) {
		return body
	}
	cut, err := json.Marshal(events[:n])
	if err != nil {
		return body
	}
	doc["events"] = cut
	out, err := json.Marshal(doc)
	if err != nil {
		return body
	}
	return out
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
