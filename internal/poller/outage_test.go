package poller

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
)

// ESPN refusing every request while no game is on: the league is polled
// again within the live cadence (not after the hour-long idle interval),
// the outage is one warning and its end one line, and team lookups say
// the list is not loaded until ESPN answers.
func TestAnOutageIsRetriedWithinTheLiveCadenceAndLoggedOnce(t *testing.T) {
	srv := espntest.NewServer(t)
	var down atomic.Bool
	down.Store(true)
	fail := func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
	}
	// An NFL week with no game on: the poller would idle.
	srv.Handle("/football/nfl/scoreboard", func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			fail(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"events":[]}`))
	})
	teamList := espntest.Load(t, "nfl/teams.json")
	srv.Handle("/football/nfl/teams", func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			fail(w, r)
			return
		}
		_, _ = w.Write(teamList)
	})
	client := espn.NewClient(srv.URL, espn.Options{MaxRetries: 1, BaseBackoff: time.Millisecond,
		HTTPClient: &http.Client{Timeout: 2 * time.Second}})
	out := &logbuf.Buffer{}
	logger := out.Logger(slog.LevelInfo)
	l := nfl(t)
	dir := teams.NewDirectory("", []league.League{l}, nil)
	p := New(client, state.New("nfl"), dir, nil, []league.League{l}, Options{
		LiveInterval: 40 * time.Millisecond, IdleInterval: 300 * time.Millisecond, RetryBase: 5 * time.Millisecond, Logger: logger,
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	require.Eventually(t, func() bool { return p.Status()[0].ConsecutiveFailures >= 5 }, 10*time.Second, 5*time.Millisecond,
		"failed polls are retried without waiting for the idle interval")
	st := p.Status()[0]
	assert.LessOrEqual(t, st.IntervalSeconds, 0.04, "the wait after a failure is at most the live interval")
	_, err := dir.Resolve("Chiefs", "")
	var nl *teams.NotLoadedError
	require.ErrorAs(t, err, &nl, "no team list was ever loaded")
	warns := out.Lines("level=WARN")
	require.Len(t, warns, 1, "one warning per outage:\n%s", strings.Join(warns, "\n"))
	assert.Contains(t, warns[0], "league=nfl")

	down.Store(false)
	require.Eventually(t, func() bool { return p.Status()[0].OK() }, 10*time.Second, 5*time.Millisecond)
	m, err := dir.Resolve("Chiefs", "")
	require.NoError(t, err, "the team list is fetched again while the league has none")
	assert.Equal(t, "KC", m.Team.Abbreviation)
	assert.Len(t, out.Lines("level=WARN"), 1, "recovery warns of nothing")
	infos := out.Lines("level=INFO")
	require.Len(t, infos, 1)
	assert.Contains(t, infos[0], "succeed again")
	assert.Contains(t, infos[0], "league=nfl")
	assert.Equal(t, 0.3, p.Status()[0].IntervalSeconds, "with ESPN back and no game on, the league idles")

	// A second outage is a second warning, at the next idle poll.
	down.Store(true)
	require.Eventually(t, func() bool { return len(out.Lines("level=WARN")) == 2 }, 10*time.Second, 5*time.Millisecond)
}

func TestRetryWaitGrowsToTheLiveIntervalAndNoFurther(t *testing.T) {
	p := New(nil, state.New("nfl"), nil, nil, nil, Options{LiveInterval: 15 * time.Second, IdleInterval: 5 * time.Minute})
	assert.Equal(t, time.Second, p.o.RetryBase)
	for n := 1; n <= 40; n++ {
		w := p.retryWait(n)
		assert.GreaterOrEqual(t, w, 500*time.Millisecond, n)
		assert.LessOrEqual(t, w, 15*time.Second, n)
		assert.LessOrEqual(t, w, time.Second<<min(n-1, 20), "backoff ceiling of failure %d", n)
	}
	fast := New(nil, state.New("nfl"), nil, nil, nil, Options{LiveInterval: 100 * time.Millisecond})
	assert.Equal(t, 100*time.Millisecond, fast.o.RetryBase, "the first retry never waits longer than the live cadence")
}
