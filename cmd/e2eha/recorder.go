package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/webhook"
)

// recorder is the harness's HTTP server. It takes:
//   - /double/{tv,lights,notify}: the calls of Home Assistant's test
//     doubles (the package's side effects);
//   - /hook/{event}: the service's deliveries to the harness's own
//     registrations, one per package webhook and scoped like it. They are
//     the list of events the service sent, against which Home Assistant's
//     automation runs are checked.
type recorder struct {
	secret string
	srv    *http.Server
	base   string
	done   chan struct{}

	mu       sync.Mutex
	doubles  []doubleCall
	events   []sentEvent
	seen     map[string]bool
	problems []string
}

type doubleCall struct {
	Kind    string
	Message string
	At      time.Time
}

// sentEvent is one event the service sent, with the body's fields.
type sentEvent struct {
	ID   string
	Body map[string]any
	At   time.Time
}

func (e sentEvent) str(k string) string {
	s, _ := e.Body[k].(string)
	return s
}

func (e sentEvent) num(k string) int {
	f, _ := e.Body[k].(float64)
	return int(f)
}

func startRecorder(secret string) (*recorder, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &recorder{secret: secret, base: "http://" + ln.Addr().String(), done: make(chan struct{}), seen: map[string]bool{}}
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(r.done)
		_ = r.srv.Serve(ln)
	}()
	return r, nil
}

func (r *recorder) close() {
	_ = r.srv.Close()
	<-r.done
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	at := time.Now()
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil || req.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	switch {
	case strings.HasPrefix(req.URL.Path, "/double/"):
		var b struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(body, &b)
		r.mu.Lock()
		r.doubles = append(r.doubles, doubleCall{Kind: strings.TrimPrefix(req.URL.Path, "/double/"), Message: b.Message, At: at})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case strings.HasPrefix(req.URL.Path, "/hook/"):
		if err := webhook.Verify(r.secret, req.Header, body); err != nil {
			r.problem("a delivery to " + req.URL.Path + " failed verification: " + err.Error())
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			r.problem("a delivery to " + req.URL.Path + " is not JSON")
			http.Error(w, "not JSON", http.StatusBadRequest)
			return
		}
		id, _ := m["event_id"].(string)
		r.mu.Lock()
		if r.seen[id] {
			r.problems = append(r.problems, "event "+id+" was delivered to the harness twice")
		} else {
			r.seen[id] = true
			r.events = append(r.events, sentEvent{ID: id, Body: m, At: at})
		}
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, req)
	}
}

func (r *recorder) problem(s string) {
	r.mu.Lock()
	r.problems = append(r.problems, s)
	r.mu.Unlock()
}

func (r *recorder) snapshot() ([]sentEvent, []doubleCall, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sentEvent(nil), r.events...), append([]doubleCall(nil), r.doubles...), append([]string(nil), r.problems...)
}
