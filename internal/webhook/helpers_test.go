package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/teams"
)

const testSecret = "s3cret-of-at-least-16"

// received is one request a receiver accepted as correctly signed.
type received struct {
	P      events.Payload
	Raw    []byte
	Header http.Header
	At     time.Time
	Status int
}

// receiver is a real HTTP webhook receiver. It verifies both signatures
// with the secret it was given (independently of the code under test) and
// records every call. respond, when set, decides the answer to call n
// (0-based) and may write headers; it can block to simulate a hung receiver.
type receiver struct {
	t       testing.TB
	secret  string
	srv     *httptest.Server
	respond func(n int, w http.ResponseWriter, r *http.Request) int

	mu    sync.Mutex
	calls []received
	bad   int
}

func newReceiver(t testing.TB, secret string, respond func(n int, w http.ResponseWriter, r *http.Request) int) *receiver {
	rc := &receiver{t: t, secret: secret, respond: respond}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) URL() string { return rc.srv.URL + "/hook" }

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var p events.Payload
	if err := verifyDelivery(rc.secret, r, body, &p); err != nil {
		rc.mu.Lock()
		rc.bad++
		rc.mu.Unlock()
		rc.t.Errorf("receiver: %v", err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	rc.mu.Lock()
	n := len(rc.calls)
	rc.calls = append(rc.calls, received{P: p, Raw: body, Header: r.Header.Clone(), At: time.Now()})
	rc.mu.Unlock()
	status := http.StatusOK
	if rc.respond != nil {
		status = rc.respond(n, w, r)
	}
	rc.mu.Lock()
	rc.calls[n].Status = status
	rc.mu.Unlock()
	w.WriteHeader(status)
}

// verifyDelivery checks a delivery the way a receiver would: both
// signatures, the headers that must agree with each other and the body.
func verifyDelivery(secret string, r *http.Request, body []byte, p *events.Payload) error {
	if r.Method != http.MethodPost {
		return fmt.Errorf("method %s", r.Method)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		return fmt.Errorf("Content-Type %q", ct)
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "sports-data/") {
		return fmt.Errorf("User-Agent %q", ua)
	}
	id, ts := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp")
	if id == "" || id != r.Header.Get("X-Webhook-ID") {
		return fmt.Errorf("webhook-id %q, X-Webhook-ID %q", id, r.Header.Get("X-Webhook-ID"))
	}
	if ts == "" || ts != r.Header.Get("X-Webhook-Timestamp") {
		return fmt.Errorf("webhook-timestamp %q, X-Webhook-Timestamp %q", ts, r.Header.Get("X-Webhook-Timestamp"))
	}
	if err := Verify(secret, r.Header, body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		return fmt.Errorf("body: %v", err)
	}
	if p.EventID != id {
		return fmt.Errorf("event_id %q differs from webhook-id %q", p.EventID, id)
	}
	if p.Event != r.Header.Get("X-Webhook-Event") || p.EventType != p.Event {
		return fmt.Errorf("event %q, event_type %q, X-Webhook-Event %q", p.Event, p.EventType, r.Header.Get("X-Webhook-Event"))
	}
	return nil
}

// all returns every call so far.
func (rc *receiver) all() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.calls...)
}

// delivered returns the calls answered 2xx.
func (rc *receiver) delivered() []received {
	var out []received
	for _, c := range rc.all() {
		if c.Status >= 200 && c.Status < 300 {
			out = append(out, c)
		}
	}
	return out
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.calls)
}

// waitDelivered waits until n deliveries were answered 2xx.
func (rc *receiver) waitDelivered(t testing.TB, n int) []received {
	t.Helper()
	require.Eventually(t, func() bool { return len(rc.delivered()) >= n }, 10*time.Second, 5*time.Millisecond,
		"waiting for %d deliveries", n)
	return rc.delivered()
}

// running is a Service whose Run goroutine the test owns, subscribed to
// a Detector on its DataDir and clock as the service wires them.
type running struct {
	*Service
	det    *events.Detector
	cancel context.CancelFunc
	done   chan struct{}
}

// Observe and Seed are the poller's and the baseline's calls.
func (r *running) Observe(leagueKey string, games []game.Game) { r.det.Observe(leagueKey, games) }
func (r *running) Seed(leagueKey string, games []game.Game)    { r.det.Seed(leagueKey, games) }

// newDetector is event detection on the DataDir and clock of o.
func newDetector(t testing.TB, o Options) *events.Detector {
	t.Helper()
	d, err := events.New(events.Options{DataDir: o.DataDir, Now: o.Now, Logger: o.Logger})
	require.NoError(t, err)
	return d
}

// detector is event detection on the service's DataDir and clock, with the
// service subscribed.
func detector(t testing.TB, s *Service) *events.Detector {
	t.Helper()
	d := newDetector(t, s.opts)
	d.Subscribe(s)
	return d
}

// stop cancels Run and waits for it to return.
func (r *running) stop(t testing.TB) {
	t.Helper()
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func testOptions(t testing.TB) Options {
	loadNFLTeams(t)
	return Options{
		DataDir:     t.TempDir(),
		Version:     "test",
		Resolve:     nflResolver,
		BaseBackoff: time.Millisecond,
		Timeout:     5 * time.Second,
	}
}

// start creates event detection and a Service on o's DataDir, in the
// service's order, and runs the Service until the test ends.
func start(t testing.TB, o Options) *running {
	t.Helper()
	d := newDetector(t, o)
	s, err := New(o)
	require.NoError(t, err)
	d.Subscribe(s)
	return runWith(t, s, d)
}

func run(t testing.TB, s *Service) *running { return runWith(t, s, detector(t, s)) }

func runWith(t testing.TB, s *Service, d *events.Detector) *running {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Service: s, det: d, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		s.Run(ctx)
	}()
	t.Cleanup(func() { r.stop(t) })
	return r
}

func register(t testing.TB, s *Service, url, team string, events ...string) Registration {
	t.Helper()
	reg, err := s.Register(context.Background(), RegisterRequest{URL: url, Secret: testSecret, Team: team, Events: events})
	require.NoError(t, err)
	return reg
}

// waitIdle waits until no webhook has a delivery pending: the service has
// seen the answer to everything it sent.
func waitIdle(t testing.TB, s *Service) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, r := range s.List() {
			if r.Pending > 0 {
				return false
			}
		}
		return true
	}, 10*time.Second, 2*time.Millisecond, "deliveries still pending")
}

func stats(t testing.TB, s *Service, id string) (Stats, int) {
	t.Helper()
	for _, r := range s.List() {
		if r.ID == id {
			return *r.Stats, r.Pending
		}
	}
	t.Fatalf("webhook %s not listed", id)
	return Stats{}, 0
}

var (
	nflTeamsOnce sync.Once
	nflTeams     *teams.Directory
)

// nflResolver is the team directory holding the real NFL teams capture.
func nflResolver(input, leagueKey string) (teams.Match, error) {
	return nflTeams.Resolve(input, leagueKey)
}

func loadNFLTeams(t testing.TB) {
	nflTeamsOnce.Do(func() {
		l, _ := league.Lookup("nfl")
		list, err := espn.ParseTeams(espntest.Load(t, "nfl/teams.json"), l)
		if err != nil {
			t.Fatalf("parsing teams capture: %v", err)
		}
		nflTeams = teams.NewDirectory("", []league.League{l}, nil)
		if err := nflTeams.Set(l, list); err != nil {
			t.Fatalf("loading teams: %v", err)
		}
	})
}
