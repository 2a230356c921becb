// Package gamefeedtest reads the live stream (GET /api/v1/games/stream)
// the way a browser's EventSource does, for the tests of the route and of
// the web page.
package gamefeedtest

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Message is one block of the stream, up to its blank line: a message
// (ID, Event, Data), a comment (a heartbeat) or the retry hint (all
// empty).
type Message struct{ ID, Event, Data, Comment string }

// Stream is one open stream; it is closed when the test ends.
type Stream struct {
	Resp *http.Response
	r    *bufio.Reader
}

// Open opens the stream of the service at base, sending lastID as
// Last-Event-ID unless it is empty, and requires a 200.
func Open(t testing.TB, base, lastID string) *Stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/games/stream", nil)
	require.NoError(t, err)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		require.NoError(t, err)
	}
	t.Cleanup(func() {
		cancel()
		resp.Body.Close()
	})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	r := bufio.NewReaderSize(resp.Body, 64<<10)
	return &Stream{Resp: resp, r: r}
}

// Next reads up to the next blank line; ok is false at the end of the
// stream.
func (s *Stream) Next() (m Message, ok bool) {
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return m, false
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			return m, true
		}
		k, v, _ := strings.Cut(line, ": ")
		switch k {
		case "id":
			m.ID = v
		case "event":
			m.Event = v
		case "data":
			m.Data = v
		case "":
			m.Comment = v
		}
	}
}

// NextMessage skips comments (heartbeats) and the retry hint, and
// requires the stream not to end first.
func (s *Stream) NextMessage(t testing.TB) Message {
	t.Helper()
	for {
		m, ok := s.Next()
		require.True(t, ok, "the stream ended")
		if m.Event != "" {
			return m
		}
	}
}
