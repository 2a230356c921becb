package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scHangingServer accepts TCP connections and never answers on them: a
// store that hangs rather than fails. first reports when the first
// connection arrived.
func scHangingServer(t *testing.T) (addr string, first func() time.Time) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	var firstAt time.Time
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if firstAt.IsZero() {
				firstAt = time.Now()
			}
			conns = append(conns, c)
			mu.Unlock()
			// Read and drop whatever comes, never writing a byte.
			go func() { _, _ = io.Copy(io.Discard, c) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String(), func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return firstAt
	}
}

// scStartPatiently starts the service like startService, but waits up to
// a minute for it to listen, and reports when it did.
func scStartPatiently(t *testing.T, espnURL string, env map[string]string) (*service, time.Time) {
	t.Helper()
	full := serviceEnv(t, espnURL, env)
	s := &service{t: t, env: full, out: &logbuf.Buffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan error, 1)
	go func() {
		s.done <- run(ctx, []string{"sports-data"}, func(k string) string { return full[k] }, s.out)
	}()
	t.Cleanup(s.stop)
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if m := listenRE.FindStringSubmatch(s.out.String()); m != nil {
			s.base = "http://127.0.0.1:" + m[1]
			return s, time.Now()
		}
		select {
		case err := <-s.done:
			t.Fatalf("service exited early: %v\n%s", err, s.out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("service did not start:\n%s", s.out.String())
	return nil, time.Time{}
}

// TestScenarioHangingStoreNeverBlocksARequest points the store at a server
// that never answers. While a game changes, every request of the routes a
// dashboard and Home Assistant poll completes within a 2 s client deadline
// (a bound that says "not blocked", not a latency target).
func TestScenarioHangingStoreNeverBlocksARequest(t *testing.T) {
	t.Parallel()
	hang, firstCall := scHangingServer(t)
	feed := newScFeed(t)
	g := scNFLGame(t)
	w := &scWalk{t: t, feed: feed, g: g}
	started := time.Now()
	s, listening := scStartPatiently(t, feed.URL, map[string]string{"INFLUXDB_URL": hang})
	t.Logf("listening %s after start with a hanging store", listening.Sub(started).Round(time.Millisecond))

	// Start-up must not wait for the store: the service listens before the
	// store's first call could have timed out (5 s, the store's timeout).
	// Waiting for it keeps the port closed, so Home Assistant sensors and
	// the container health check fail while the database hangs.
	if assert.False(t, firstCall().IsZero(), "the store was called at start") {
		assert.Less(t, listening.Sub(firstCall()), 5*time.Second,
			"start-up waited for a store that never answers (%s)", listening.Sub(started).Round(time.Millisecond))
	}

	w.show(s, scFrame{State: "pre", Period: 1, Clock: "15:00"})

	client := &http.Client{Timeout: 2 * time.Second}
	routes := []string{
		"/api/v1/games/live",
		"/health",
		"/api/v1/ha/game-status/nfl-ten",
	}
	const perRoute = 200
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // before the Wait above: a failed walk stops the requests
	for _, route := range routes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perRoute && ctx.Err() == nil; i++ {
				resp, err := client.Get(s.base + route)
				if !assert.NoError(t, err, "%s request %d", route, i) {
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				assert.Equal(t, http.StatusOK, resp.StatusCode, "%s request %d", route, i)
				// Spread the requests over the game's changes.
				select {
				case <-ctx.Done():
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
	}
	for _, fr := range []scFrame{
		{State: "in", Period: 1, Clock: "15:00", Detail: "15:00 - 1st Quarter"},
		{State: "in", Period: 1, Clock: "6:00", Home: 7, Detail: "6:00 - 1st Quarter"},
		{State: "in", Period: 2, Clock: "9:13", Home: 7, Away: 7, Detail: "9:13 - 2nd Quarter"},
		{State: "in", Period: 3, Clock: "1:59", Home: 10, Away: 7, Detail: "1:59 - 3rd Quarter"},
		{State: "post", Period: 4, Clock: "0:00", Home: 10, Away: 14, Detail: "Final"},
	} {
		w.show(s, fr)
	}
	wg.Wait()
	t.Logf("walk and %d requests done %s after start", perRoute*len(routes), time.Since(started).Round(time.Millisecond))

	var h scHealth
	s.waitFor("the store reported not connected", func() bool {
		h = scHealth{}
		return scGetQuiet(s, "/health", &h) == http.StatusOK && !h.InfluxDB.Connected
	})
	t.Logf("store reported not connected %s after start", time.Since(started).Round(time.Millisecond))
	assert.Equal(t, "degraded", h.Status)
	assert.Equal(t, "influxdb", h.InfluxDB.Kind)
	assert.NotEmpty(t, h.InfluxDB.LastError)

	// A history read has to ask the store; it gives up with an answer
	// that says the store is unavailable (503) or too slow (504), not with
	// a 500, which docs/architecture.md (Errors) keeps for bugs.
	var tl map[string]any
	code := s.get("/api/v1/games/timeline/"+g.ID, &tl)
	assert.Contains(t, []int{http.StatusServiceUnavailable, http.StatusGatewayTimeout}, code, "%s\n%s", mustJSON(t, tl), tail(s.out.String(), 2000))
	assert.NotEmpty(t, tl["detail"])
	assert.NotEqual(t, "internal error", tl["detail"])
}
