package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/logbuf"
)

// service is the whole program started in-process through run().
type service struct {
	t      *testing.T
	base   string
	env    map[string]string
	out    *logbuf.Buffer
	cancel context.CancelFunc
	done   chan error
}

var listenRE = regexp.MustCompile(`msg=listening addr=\S*:(\d+)`)

// newESPN serves the NFL live capture and the NHL preseason live capture,
// with the real team lists and standings.
func newESPN(t *testing.T) *espntest.Server {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, "/football/nfl/scoreboard", "nfl/scoreboard-2022-wk1-sun-live-mixed.json")
	srv.ServeFixture(t, "/hockey/nhl/scoreboard", "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json")
	srv.ServeFixture(t, "/football/nfl/teams", "nfl/teams.json")
	srv.ServeFixture(t, "/hockey/nhl/teams", "nhl/teams.json")
	srv.ServeFixture(t, "/football/nfl/standings", "nfl/standings-2024-season-2025-05-11.json")
	srv.ServeFixture(t, "/hockey/nhl/standings", "nhl/standings-2025-26-2026-05-03.json")
	return srv
}

// serviceEnv is the test environment of the service (a free port, its own
// DATA_DIR, fast polling and flushing) overridden by env.
func serviceEnv(t *testing.T, espnURL string, env map[string]string) map[string]string {
	full := map[string]string{
		"PORT":                    "0",
		"DATA_DIR":                t.TempDir(),
		"ESPN_BASE_URL":           espnURL,
		"POLL_LIVE_INTERVAL":      "50ms",
		"POLL_IDLE_INTERVAL":      "50ms",
		"LOG_LEVEL":               "debug",
		"INFLUXDB_FLUSH_INTERVAL": "50ms",
	}
	for k, v := range env {
		full[k] = v
	}
	return full
}

// startService runs the service with test defaults overridden by env.
func startService(t *testing.T, espnURL string, env map[string]string) *service {
	t.Helper()
	full := serviceEnv(t, espnURL, env)
	s := &service{t: t, env: full}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *service) start() {
	s.t.Helper()
	s.out = &logbuf.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.done = make(chan error, 1)
	env := s.env
	go func() {
		s.done <- run(ctx, []string{"sports-data"}, func(k string) string { return env[k] }, s.out)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := listenRE.FindStringSubmatch(s.out.String()); m != nil {
			s.base = "http://127.0.0.1:" + m[1]
			return
		}
		select {
		case err := <-s.done:
			s.t.Fatalf("service exited early: %v\n%s", err, s.out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	s.t.Fatalf("service did not start:\n%s", s.out.String())
}

func (s *service) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Errorf("run returned %v", err)
		}
	case <-time.After(20 * time.Second):
		s.t.Errorf("service did not stop within 20 s")
	}
	s.cancel = nil
}

func (s *service) restart() {
	s.stop()
	s.start()
}

// get fetches a path and decodes the JSON answer into v (when not nil).
func (s *service) get(path string, v any) int {
	s.t.Helper()
	return s.do(http.MethodGet, path, nil, nil, v)
}

func (s *service) do(method, path string, body any, header http.Header, v any) int {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = strings.NewReader(b)
		default:
			raw, err := json.Marshal(b)
			require.NoError(s.t, err)
			rd = bytes.NewReader(raw)
		}
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	require.NoError(s.t, err)
	for k, vs := range header {
		req.Header[k] = vs
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	if v != nil && len(raw) > 0 {
		require.NoError(s.t, json.Unmarshal(raw, v), "%s %s answered %d: %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

// waitFor polls until cond holds.
func (s *service) waitFor(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %s\n%s", what, tail(s.out.String(), 3000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

var _ = fmt.Sprint
