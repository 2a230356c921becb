package httpapi

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/gamefeed"
	"github.com/sports-data/sports-data/internal/gamefeed/gamefeedtest"
)

// streamServer serves the router with a feed, behind the service's own
// http.Server settings, on a real port.
func streamServer(t *testing.T, feed *gamefeed.Feed, writeTimeout time.Duration) (*http.Server, string) {
	t.Helper()
	h := New(Deps{Feed: feed, Options: Options{StreamHeartbeat: 100 * time.Millisecond}})
	srv := NewHTTPServer(h, nil)
	srv.WriteTimeout = writeTimeout
	srv.RegisterOnShutdown(feed.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return srv, "http://" + ln.Addr().String()
}

// openStream opens the route's stream and checks its headers.
func openStream(t *testing.T, base, lastID string) *gamefeedtest.Stream {
	t.Helper()
	s := gamefeedtest.Open(t, base, lastID)
	assert.Equal(t, "text/event-stream", s.Resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", s.Resp.Header.Get("Cache-Control"))
	return s
}

// A changed game reaches an open stream with its id; a client that comes
// back with the last id it had gets what it missed; quiet streams get a
// heartbeat and outlive the server's write timeout.
func TestStreamSendsChangesReplaysAndBeats(t *testing.T) {
	feed := gamefeed.New(gamefeed.Options{})
	_, base := streamServer(t, feed, 300*time.Millisecond)
	s := openStream(t, base, "")
	first, ok := s.Next()
	require.True(t, ok)
	assert.Empty(t, first.Event, "the stream opens with the retry hint")

	frames := eventstest.MIANEFrames(t)
	feed.Observe("nfl", []game.Game{frames[1]})
	m := s.NextMessage(t)
	assert.Equal(t, gamefeed.TypeGame, m.Event)
	var change gamefeed.GameChange
	require.NoError(t, json.Unmarshal([]byte(m.Data), &change))
	assert.Equal(t, "nfl", change.League)
	assert.Contains(t, string(change.Game), `"status":"live"`)

	// Quiet for longer than the write timeout: heartbeats, then a message.
	time.Sleep(700 * time.Millisecond)
	feed.Observe("nfl", []game.Game{frames[2]})
	beats := 0
	for {
		next, ok := s.Next()
		require.True(t, ok, "the stream outlives the server's write timeout")
		if next.Comment == "heartbeat" {
			beats++
			continue
		}
		if next.Event != "" {
			assert.Equal(t, gamefeed.TypeGame, next.Event)
			break
		}
	}
	assert.Positive(t, beats)

	// Missed while away: two changes.
	feed.Observe("nfl", []game.Game{frames[3]})
	feed.Observe("nfl", []game.Game{frames[4]})
	back := openStream(t, base, m.ID)
	var ids []string
	for range 3 {
		ids = append(ids, back.NextMessage(t).ID)
	}
	assert.NotContains(t, ids, m.ID)
	assert.Len(t, ids, 3, "the change seen before the quiet time and the two after")

	gone := openStream(t, base, "earlier-run-7")
	reset := gone.NextMessage(t)
	assert.Equal(t, "reset", reset.Event)
	assert.NotEmpty(t, reset.ID, "a reset carries the newest id to go on from")
}

// Shutdown ends every stream at once instead of waiting for it; a stream
// asked for then is refused with 503.
func TestStreamsEndOnShutdown(t *testing.T) {
	feed := gamefeed.New(gamefeed.Options{})
	srv, base := streamServer(t, feed, 30*time.Second)
	s := openStream(t, base, "")
	_, ok := s.Next()
	require.True(t, ok)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	require.NoError(t, srv.Shutdown(ctx), "shutdown did not wait for the open stream")
	t.Logf("shutdown with an open stream took %s", time.Since(start))
	for {
		if _, ok := s.Next(); !ok {
			break
		}
	}

	h := New(Deps{Feed: feed, Options: Options{AllowedHosts: []string{testHost}}})
	rec := call(h, http.MethodGet, "/api/v1/games/stream", nil)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.JSONEq(t, `{"detail":"the service is shutting down"}`, rec.Body.String())
	rec = call(New(Deps{Options: Options{AllowedHosts: []string{testHost}}}), http.MethodGet, "/api/v1/games/stream", nil)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
}

// A client that stops reading is dropped by the feed; the poller's calls
// never wait for it, and a client that reads gets everything.
func TestAStalledClientIsDropped(t *testing.T) {
	const total = 4000
	feed := gamefeed.New(gamefeed.Options{Buffer: 8, Replay: 16})
	_, base := streamServer(t, feed, 30*time.Second)
	stalled := openStream(t, base, "")
	reader := openStream(t, base, "")
	_, _ = reader.Next()
	var read atomic.Int64
	go func() {
		for {
			m, ok := reader.Next()
			if !ok {
				return
			}
			if m.Event == gamefeed.TypeGame {
				read.Add(1)
			}
		}
	}()
	g := eventstest.MIANEFrames(t)[1]
	g.Venue = strings.Repeat("v", 4000) // large messages fill the socket sooner
	for i := range total {
		g.Period.TimeRemaining = time.Duration(i).String()
		feed.Observe("nfl", []game.Game{g})
		if i%4 == 3 {
			// The reading client keeps up: it has its buffer of 8.
			require.Eventually(t, func() bool { return read.Load() == int64(i+1) }, 10*time.Second, time.Millisecond)
		}
	}
	assert.Equal(t, int64(total), read.Load(), "the reading client got every change")
	assert.Equal(t, 1, feed.Subscribers(), "the stalled client was dropped")
	_ = stalled
}
