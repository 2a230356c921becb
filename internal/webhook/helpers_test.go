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
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/teams"
)

const testSecret = "s3cret-of-at-least-16"

// received is one request a receiver accepted as correctly signed.
type received struct {
	P      Payload
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
	var p Payload
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
func verifyDelivery(secret string, r *http.Request, body []byte, p *Payload) error {
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

// running is a Service whose Run goroutine the test owns.
type running struct {
	*Service
	cancel context.CancelFunc
	done   chan struct{}
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

// start creates a Service on dir and runs it until the test ends.
func start(t testing.TB, o Options) *running {
	t.Helper()
	s, err := New(o)
	require.NoError(t, err)
	return run(t, s)
}

func run(t testing.TB, s *Service) *running {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Service: s, cancel: cancel, done: make(chan struct{})}
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

const (
	capture  = "nfl/scoreboard-2022-wk1-sun-live-mixed.json"
	miaNE    = "401437630" // MIA 20 – NE 7, final in the capture
	atlNO    = "401437650" // ATL 26 – NO 24, live in the 4th
	laBuffal = "401437654" // LAR 10 – BUF 31, final two days earlier
)

var (
	scoreboardOnce  sync.Once
	scoreboardGames []game.Game
)

// scoreboard is the real 2022 week 1 Sunday capture, parsed once by the
// service's own parser; callers get their own copy of the slice.
func scoreboard(t testing.TB) []game.Game {
	t.Helper()
	loadNFLTeams(t)
	scoreboardOnce.Do(func() {
		l, _ := league.Lookup("nfl")
		games, err := espn.ParseScoreboard(espntest.Load(t, capture), l)
		if err != nil {
			t.Fatalf("parsing %s: %v", capture, err)
		}
		scoreboardGames = games
	})
	require.Len(t, scoreboardGames, 16)
	return append([]game.Game(nil), scoreboardGames...)
}

func find(t testing.TB, games []game.Game, id string) game.Game {
	t.Helper()
	for _, g := range games {
		if g.ID == id {
			return g
		}
	}
	t.Fatalf("game %s not in capture", id)
	return game.Game{}
}

// with returns a copy of g in another state. Frames built with it are
// derived from the capture: ids, teams and start time are real, status,
// score and clock are set to show the game as it unfolded.
func with(g game.Game, st game.Status, home, away, period int, clockText string) game.Game {
	g.Status = st
	g.Score = game.Score{Home: home, Away: away}
	g.Period.Current = period
	g.Period.TimeRemaining = clockText
	switch st {
	case game.StatusScheduled:
		g.StatusDetail = "9/11 - 1:00 PM EDT"
	case game.StatusFinal:
		g.StatusDetail = "Final"
	default:
		g.StatusDetail = clockText + " - " + []string{"", "1st", "2nd", "3rd", "4th", "OT"}[min(period, 5)]
	}
	return g
}

// miaNEFrames is MIA–NE (home MIA) from kick-off to the final 20-7, derived
// from the real final game in the capture. MIA scores twice in a row, NE
// scores once, the last MIA points arrive with the transition to final.
func miaNEFrames(t testing.TB) []game.Game {
	g := find(t, scoreboard(t), miaNE)
	return []game.Game{
		with(g, game.StatusScheduled, 0, 0, 0, "0:00"), // 0
		with(g, game.StatusLive, 0, 0, 1, "15:00"),     // 1 kick-off
		with(g, game.StatusLive, 0, 0, 1, "9:12"),      // 2 nothing
		with(g, game.StatusLive, 7, 0, 1, "4:40"),      // 3 MIA TD
		with(g, game.StatusLive, 10, 0, 2, "11:02"),    // 4 MIA FG
		with(g, game.StatusLive, 10, 7, 2, "0:31"),     // 5 NE TD
		with(g, game.StatusLive, 17, 7, 3, "6:15"),     // 6 MIA TD
		with(g, game.StatusLive, 17, 7, 4, "12:00"),    // 7 quarter change only
		with(g, game.StatusFinal, 20, 7, 4, "0:00"),    // 8 MIA FG, then final
	}
}

// poll is one scoreboard answer: every game of the capture as captured,
// with MIA–NE replaced by the frame.
func poll(t testing.TB, frame game.Game) []game.Game {
	games := scoreboard(t)
	for i := range games {
		if games[i].ID == frame.ID {
			games[i] = frame
		}
	}
	return games
}
