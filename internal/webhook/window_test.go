package webhook

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Home Assistant restarts in the middle of a game: while it is down
// (connection refused) and while it is starting (503), the events that
// happen wait; when it is back they all arrive, in order, each once, with
// the id and body it had from the start, saying when it happened.
func TestReceiverRestartLosesNoEvent(t *testing.T) {
	o := testOptions(t)
	o.BaseBackoff, o.MaxBackoff = 5*time.Millisecond, 20*time.Millisecond
	var mu sync.Mutex
	outcomes := map[string]int{}
	o.OnDelivery = func(outcome string, _ int) {
		mu.Lock()
		outcomes[outcome]++
		mu.Unlock()
	}
	s := start(t, o)
	var starting atomic.Int32
	// A receiver stopped and started again on its address, as Home
	// Assistant restarts.
	ha := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		if n > 0 && starting.Add(1) <= 3 { // the first calls after the restart
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	reg := register(t, s.Service, ha.URL(), "NE")
	frames := eventstest.MIANEFrames(t)
	s.Observe("nfl", eventstest.Poll(t, frames[0]))
	s.Observe("nfl", eventstest.Poll(t, frames[1])) // game_start, delivered
	ha.WaitDelivered(t, 1)

	ha.Down()
	observed := map[int]time.Time{}
	for i := 2; i <= 6; i++ { // four score changes while it is down
		observed[i] = time.Now()
		s.Observe("nfl", eventstest.Poll(t, frames[i]))
	}
	// The service keeps trying while nothing listens.
	require.Eventually(t, func() bool { st, _ := stats(t, s.Service, reg.ID); return st.FailedCalls >= 5 }, 10*time.Second, time.Millisecond)
	_, pending := stats(t, s.Service, reg.ID)
	assert.Equal(t, 4, pending)
	ha.Up()

	got := ha.WaitDelivered(t, 5)
	waitIdle(t, s.Service)
	require.Len(t, got, 5)
	assert.Equal(t, events.GameStart, got[0].P.Event)
	wantScores := [][2]int{{7, 0}, {10, 0}, {10, 7}, {17, 7}}
	for i, w := range wantScores {
		p := got[i+1].P
		assert.Equal(t, events.ScoreChange, p.Event)
		assert.Equal(t, w, [2]int{p.Score.Home, p.Score.Away}, "in order")
		at, err := time.Parse(time.RFC3339Nano, p.OccurredAt)
		require.NoError(t, err)
		assert.WithinDuration(t, observed[i+3], at, time.Second, "occurred_at is the observation, not the delivery")
	}
	// Every attempt of an event (the refused ones never arrived; the 503s
	// did) carried the event's id and the same body.
	bodies := map[string]string{}
	for _, c := range ha.All() {
		if b, seen := bodies[c.P.EventID]; seen {
			assert.Equal(t, b, string(c.Raw), "same body on every attempt of %s", c.P.EventID)
		}
		bodies[c.P.EventID] = string(c.Raw)
	}
	assert.Len(t, bodies, 5)
	st, _ := stats(t, s.Service, reg.ID)
	assert.Zero(t, st.Expired)
	mu.Lock()
	assert.Equal(t, 5, outcomes["success"])
	assert.Zero(t, outcomes["expired"]+outcomes["failed"])
	mu.Unlock()
}

// An event not delivered within the window is dropped and counted (stats,
// delivery outcome, log), and the next one is sent when the receiver is
// back. Events that waited in the outbox past the window while the service
// was down are dropped at start without an attempt. The window is wall
// clock time, whatever the service's clock does.
func TestEventsPastTheRetryWindowAreDropped(t *testing.T) {
	clk := fakeclock.New(kickoff) // stands still: only the wall clock ends the window
	o := testOptions(t)
	o.Now = clk.Now
	o.RetryWindow = 300 * time.Millisecond
	o.BaseBackoff, o.MaxBackoff = time.Millisecond, 5*time.Millisecond
	var mu sync.Mutex
	var outcomes []string
	o.OnDelivery = func(outcome string, attempts int) {
		mu.Lock()
		if outcome != "retry" {
			outcomes = append(outcomes, fmt.Sprintf("%s/%d", outcome, attempts))
		}
		mu.Unlock()
	}
	s := start(t, o)
	ha := newReceiver(t, nil)
	reg := register(t, s.Service, ha.URL(), "NE")
	ha.Down()
	frames := eventstest.MIANEFrames(t)
	s.Observe("nfl", eventstest.Poll(t, frames[0]))
	queued := time.Now()
	s.Observe("nfl", eventstest.Poll(t, frames[1])) // game_start
	require.Eventually(t, func() bool { st, p := stats(t, s.Service, reg.ID); return p == 0 && st.Expired == 1 }, 10*time.Second, time.Millisecond)
	assert.GreaterOrEqual(t, time.Since(queued), o.RetryWindow, "not dropped before the window ended")
	st, _ := stats(t, s.Service, reg.ID)
	assert.Greater(t, st.FailedCalls, int64(3), "retried meanwhile")

	ha.Up()
	s.Observe("nfl", eventstest.Poll(t, frames[3])) // 7-0
	got := ha.WaitDelivered(t, 1)
	assert.Equal(t, events.ScoreChange, got[0].P.Event, "the dropped game_start is not sent")
	waitIdle(t, s.Service)
	mu.Lock()
	require.Len(t, outcomes, 2)
	assert.Regexp(t, `^expired/\d+$`, outcomes[0])
	assert.Equal(t, "success/1", outcomes[1])
	mu.Unlock()

	// An event is queued, the service stops before it could be delivered
	// and stays down past the window.
	ha.Down()
	s.Observe("nfl", eventstest.Poll(t, frames[4]))
	s.stop(t)
	ha.Up()
	time.Sleep(o.RetryWindow)
	s2 := start(t, o)
	require.Eventually(t, func() bool { st, p := stats(t, s2.Service, reg.ID); return p == 0 && st.Expired == 2 }, 10*time.Second, time.Millisecond)
	assert.Len(t, ha.Delivered(), 1, "the stale event is not sent after the restart")
}

// A receiver that stays away is one warning, not one per event dropped,
// and one line when it answers again.
func TestExpiryIsLoggedOncePerOutage(t *testing.T) {
	logs := &syncBuf{}
	o := testOptions(t)
	o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	o.RetryWindow = 100 * time.Millisecond
	o.BaseBackoff, o.MaxBackoff = time.Millisecond, 5*time.Millisecond
	s := start(t, o)
	ha := newReceiver(t, nil)
	reg := register(t, s.Service, ha.URL(), "NE")
	ha.Down()
	walk(t, s, nil, eventstest.MIANEFrames(t)[:5]) // game_start and two score changes
	require.Eventually(t, func() bool { st, p := stats(t, s.Service, reg.ID); return p == 0 && st.Expired == 3 }, 10*time.Second, time.Millisecond)
	ha.Up()
	s.Observe("nfl", eventstest.Poll(t, eventstest.MIANEFrames(t)[6]))
	ha.WaitDelivered(t, 1)
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "answering again") }, 10*time.Second, time.Millisecond)
	assert.Equal(t, 1, strings.Count(logs.String(), "level=WARN"), logs.String())
	assert.Contains(t, logs.String(), "webhook events are being dropped")
	assert.Contains(t, logs.String(), "dropped_meanwhile=3")
}
