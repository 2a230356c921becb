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

// receiver behaviours, switched by the soak while it runs.
const (
	behaveOK   = iota // answer 204
	behaveFlap        // 500 to the first attempt of every 4th new event, 204 otherwise
	behaveHang        // hold every request until the sender gives up
	behaveGone        // 410: the sender must disable the webhook
)

// delivery is one request a receiver got.
type delivery struct {
	At      time.Time // real time the answer was decided
	Hook    string    // receiver path name: all, team, flaky
	EventID string
	Event   string
	Status  int // what the receiver answered; 0 when the sender gave up first
	SigOK   bool
	Payload payload
}

// payload is what the checks read of a webhook body.
type payload struct {
	Event         string `json:"event"`
	EventID       string `json:"event_id"`
	WebhookID     string `json:"webhook_id"`
	League        string `json:"league"`
	GameID        string `json:"game_id"`
	Team          string `json:"team"`
	HomeTeam      string `json:"home_team"`
	AwayTeam      string `json:"away_team"`
	Score         score  `json:"score"`
	PreviousScore score  `json:"previous_score"`
	Status        string `json:"status"`
	Timestamp     string `json:"timestamp"`
	Winner        string `json:"winner"`
	Shootout      *score `json:"shootout"`
}

type score struct {
	Home int `json:"home"`
	Away int `json:"away"`
}

// receivers is one local server with a path per webhook. Every request's
// signatures are verified with that path's secret.
type receivers struct {
	srv  *http.Server
	base string
	done chan struct{}

	mu       sync.Mutex
	secrets  map[string]string
	behave   map[string]int
	log      []delivery
	flapSeen map[string]bool // event ids the flap has failed once
	flapNew  int             // new event ids seen while flapping
	hangStop chan struct{}   // closed to release held requests
}

func startReceivers(secrets map[string]string) (*receivers, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &receivers{
		base:     "http://" + ln.Addr().String(),
		done:     make(chan struct{}),
		secrets:  secrets,
		behave:   map[string]int{},
		flapSeen: map[string]bool{},
		hangStop: make(chan struct{}),
	}
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(r.done)
		_ = r.srv.Serve(ln)
	}()
	return r, nil
}

func (r *receivers) url(hook string) string { return r.base + "/" + hook }

func (r *receivers) set(hook string, b int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.behave[hook] = b
}

// dropIdle closes idle keep-alive connections, so that the sender's
// connection goroutines end before goroutines are counted.
func (r *receivers) dropIdle() { r.srv.SetKeepAlivesEnabled(false) }

func (r *receivers) close() {
	r.mu.Lock()
	select {
	case <-r.hangStop:
	default:
		close(r.hangStop)
	}
	r.mu.Unlock()
	_ = r.srv.Close()
	<-r.done
}

func (r *receivers) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.log...)
}

// lastAt is when the last request was answered.
func (r *receivers) lastAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.log) == 0 {
		return time.Time{}
	}
	return r.log[len(r.log)-1].At
}

func (r *receivers) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	hook := strings.TrimPrefix(req.URL.Path, "/")
	r.mu.Lock()
	secret, ok := r.secrets[hook]
	b := r.behave[hook]
	r.mu.Unlock()
	if !ok || req.Method != http.MethodPost {
		http.NotFound(w, req)
		return
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		return
	}
	d := delivery{Hook: hook, EventID: req.Header.Get("X-Webhook-ID"), Event: req.Header.Get("X-Webhook-Event"),
		SigOK: verify(req.Header, body, secret)}
	if err := json.Unmarshal(body, &d.Payload); err != nil {
		d.SigOK = false
	}
	if d.Payload.EventID != d.EventID {
		d.SigOK = false
	}

	status := http.StatusNoContent
	switch {
	case !d.SigOK:
		status = http.StatusUnauthorized
	case b == behaveGone:
		status = http.StatusGone
	case b == behaveHang:
		// Held until the sender's attempt times out; bounded in case it
		// never does.
		select {
		case <-req.Context().Done():
		case <-r.hangStop:
		case <-time.After(30 * time.Second):
		}
		status = 0
	case b == behaveFlap:
		r.mu.Lock()
		if !r.flapSeen[d.EventID] {
			r.flapSeen[d.EventID] = true
			r.flapNew++
			if r.flapNew%4 == 1 {
				status = http.StatusInternalServerError
			}
		}
		r.mu.Unlock()
	}
	d.Status = status
	d.At = time.Now()
	r.mu.Lock()
	r.log = append(r.log, d)
	r.mu.Unlock()
	if status == 0 {
		return
	}
	w.WriteHeader(status)
}

// verify checks both signatures of a delivery with the webhook's secret.
func verify(h http.Header, body []byte, secret string) bool {
	return webhook.Verify(secret, h, body) == nil
}
