package httpapi

import (
	"bytes"
	"net/http"
	"time"

	"github.com/sports-data/sports-data/internal/gamefeed"
)

// GameFeed is the live feed the stream route serves.
type GameFeed interface {
	Subscribe(lastEventID string) (*gamefeed.Subscription, error)
}

const (
	// streamRetry is the reconnection delay a browser is asked to wait.
	streamRetry = "retry: 2000\n\n"
	// streamWriteTimeout: a client that takes longer to take one message
	// is cut off (the server's WriteTimeout would end every stream after
	// 30 s, so each write gets its own deadline instead).
	streamWriteTimeout = 10 * time.Second
	defaultHeartbeat   = 15 * time.Second
)

// handleStream serves the live feed as server-sent events: "game" for a
// game that changed, and each game event under its type. A client that
// comes back with Last-Event-ID gets what it missed, or a "reset" when
// that is no longer known (it should read the state again). A comment
// every heartbeat keeps proxies from closing a quiet stream. The stream
// ends when the client goes, falls too far behind, or the server stops.
func (s *Server) handleStream(w http.ResponseWriter, r *http.Request) {
	if s.d.Feed == nil {
		s.fail(w, r, unavailable("the live stream is not available"))
		return
	}
	sub, err := s.d.Feed.Subscribe(r.Header.Get("Last-Event-ID"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer sub.Cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass each message on at once
	w.WriteHeader(http.StatusOK)

	rc := http.NewResponseController(w)
	send := func(b []byte) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	var first bytes.Buffer
	first.WriteString(streamRetry)
	if sub.Reset {
		writeEvent(&first, gamefeed.Message{ID: sub.LastID, Type: "reset", Data: []byte("{}")})
	}
	for _, m := range sub.Replay {
		writeEvent(&first, m)
	}
	if !send(first.Bytes()) {
		return
	}
	beat := s.d.Options.StreamHeartbeat
	if beat <= 0 {
		beat = defaultHeartbeat
	}
	tick := time.NewTicker(beat)
	defer tick.Stop()
	var buf bytes.Buffer
	for {
		select {
		case <-r.Context().Done():
			return
		case m, ok := <-sub.C():
			if !ok {
				return
			}
			buf.Reset()
			writeEvent(&buf, m)
			if !send(buf.Bytes()) {
				return
			}
		case <-tick.C:
			if !send([]byte(": heartbeat\n\n")) {
				return
			}
		}
	}
}

// writeEvent writes one message in the event-stream format; its data is
// one line of JSON.
func writeEvent(b *bytes.Buffer, m gamefeed.Message) {
	if m.ID != "" {
		b.WriteString("id: " + m.ID + "\n")
	}
	b.WriteString("event: " + m.Type + "\ndata: ")
	b.Write(m.Data)
	b.WriteString("\n\n")
}
