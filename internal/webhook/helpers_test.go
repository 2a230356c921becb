package webhook

import (
	"context"
	"net/http"
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
	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

// testSecret is the secret registrations use: the receiver's default
// hook's.
const testSecret = webhooktest.Secret

// newReceiver is the tests' webhook receiver (package webhooktest),
// answering as respond says (200 when nil).
func newReceiver(t testing.TB, respond func(n int, w http.ResponseWriter, r *http.Request) int) *webhooktest.Receiver {
	rc := webhooktest.New(t)
	if respond != nil {
		rc.Respond(respond)
	}
	return rc
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
