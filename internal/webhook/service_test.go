package webhook

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

// kickoff of MIA–NE in the capture.
var kickoff = time.Date(2022, 9, 11, 17, 0, 0, 0, time.UTC)

// walk observes frames as consecutive polls, a minute apart on clk.
func walk(t testing.TB, s *running, clk *fakeclock.Clock, frames []game.Game) {
	for i, f := range frames {
		if clk != nil {
			clk.Set(kickoff.Add(time.Duration(i) * time.Minute))
		}
		s.Observe("nfl", eventstest.Poll(t, f))
	}
}

// The whole game, pre-game to final, through real receivers.
func TestGameWalkthrough(t *testing.T) {
	clk := fakeclock.New(kickoff)
	o := testOptions(t)
	o.Now = clk.Now
	s := start(t, o)

	neRC := newReceiver(t, nil)
	miaRC := newReceiver(t, nil)
	allRC := newReceiver(t, nil)
	bufRC := newReceiver(t, nil)
	nhlRC := newReceiver(t, nil)
	ne := register(t, s.Service, neRC.URL(), "NE")
	mia := register(t, s.Service, miaRC.URL(), "Dolphins")
	all := register(t, s.Service, allRC.URL(), "")
	buf := register(t, s.Service, bufRC.URL(), "BUF")
	nhlReg, err := s.Register(context.Background(), RegisterRequest{URL: nhlRC.URL(), Secret: testSecret, League: "nhl"})
	require.NoError(t, err)

	walk(t, s, clk, eventstest.MIANEFrames(t))

	type want struct {
		event              string
		home, away         int
		change, oppChange  int
		scoring, result    string
		prevHome, prevAway int
	}
	// From NE's side (NE is the away team).
	wantNE := []want{
		{events.GameStart, 0, 0, 0, 0, "", "", 0, 0},
		{events.ScoreChange, 7, 0, 0, 7, "MIA", "", 0, 0},  // only the opponent scored
		{events.ScoreChange, 10, 0, 0, 3, "MIA", "", 7, 0}, // MIA twice in a row
		{events.ScoreChange, 10, 7, 7, 0, "NE", "", 10, 0},
		{events.ScoreChange, 17, 7, 0, 7, "MIA", "", 10, 7},
		{events.ScoreChange, 20, 7, 0, 3, "MIA", "", 17, 7}, // with the transition to final
		{events.GameEnd, 20, 7, 0, 3, "MIA", "loss", 17, 7},
	}
	got := neRC.WaitDelivered(t, len(wantNE))
	require.Len(t, got, len(wantNE))
	ids := map[string]bool{}
	for i, w := range wantNE {
		p := got[i].P
		assert.Equal(t, w.event, p.Event, "delivery %d", i)
		assert.Equal(t, game.Score{Home: w.home, Away: w.away}, p.Score, "delivery %d", i)
		assert.Equal(t, game.Score{Home: w.prevHome, Away: w.prevAway}, p.PreviousScore, "delivery %d", i)
		assert.Equal(t, w.change, p.ScoreChange, "delivery %d score_change", i)
		assert.Equal(t, w.oppChange, p.OpponentScoreChange, "delivery %d opponent_score_change", i)
		if w.scoring != "" {
			require.NotNil(t, p.ScoringTeam, "delivery %d", i)
			assert.Equal(t, w.scoring, *p.ScoringTeam, "delivery %d", i)
		}
		assert.Equal(t, w.result, p.Result, "delivery %d", i)
		assert.Equal(t, "NE", p.Team)
		assert.Equal(t, "MIA", p.Opponent)
		assert.Equal(t, w.away, p.TeamScore)
		assert.Equal(t, ne.ID, p.WebhookID)
		assert.Equal(t, "NFL", p.League)
		assert.Equal(t, eventstest.MiaNE, p.GameID)
		assert.False(t, ids[p.EventID], "event ids are distinct")
		ids[p.EventID] = true
	}
	assert.Equal(t, "MIA", got[6].P.Winner)
	assert.Equal(t, "final", got[6].P.Status)
	assert.Equal(t, "Final", got[6].P.StatusDetail)
	assert.Equal(t, "live", got[1].P.Status)
	assert.Equal(t, 1, got[1].P.Period)
	assert.Equal(t, "4:40", got[1].P.Clock)
	assert.Equal(t, kickoff.Add(3*time.Minute).Format(time.RFC3339), got[1].P.Timestamp)

	// MIA's webhook sees the same events from the other side, with the same ids.
	gotMIA := miaRC.WaitDelivered(t, len(wantNE))
	for i := range wantNE {
		p := gotMIA[i].P
		assert.Equal(t, got[i].P.EventID, p.EventID)
		assert.Equal(t, "MIA", p.Team)
		assert.Equal(t, wantNE[i].oppChange, p.ScoreChange)
		assert.Equal(t, wantNE[i].change, p.OpponentScoreChange)
	}
	assert.Equal(t, "win", gotMIA[6].P.Result)
	assert.Equal(t, mia.ID, gotMIA[0].P.WebhookID)

	// Without a team: the home side's view, total points per change.
	gotAll := allRC.WaitDelivered(t, len(wantNE))
	for i, w := range []int{0, 7, 3, 7, 7, 3, 3} {
		assert.Equal(t, w, gotAll[i].P.ScoreChange, "delivery %d", i)
	}
	assert.Empty(t, gotAll[6].P.Result)
	assert.Equal(t, all.ID, gotAll[0].P.WebhookID)

	// The other games of the scoreboard never changed: nothing for BUF
	// (final two days before) or for the NHL. Observe queues synchronously,
	// so nothing queued and nothing called means nothing will come.
	for _, id := range []string{buf.ID, nhlReg.ID} {
		st, pending := stats(t, s.Service, id)
		assert.Zero(t, st.TotalCalls)
		assert.Zero(t, pending)
	}
	assert.Zero(t, bufRC.Count())
	assert.Zero(t, nhlRC.Count())
	assert.Equal(t, 7, len(allRC.All()), "no events from unchanged games")

	waitIdle(t, s.Service)
	st, pending := stats(t, s.Service, ne.ID)
	assert.EqualValues(t, 7, st.TotalCalls)
	assert.Zero(t, st.FailedCalls)
	assert.Zero(t, pending)
	require.NotNil(t, st.LastStatus)
	assert.Equal(t, 200, *st.LastStatus)
	assert.NotNil(t, st.LastSuccess)
	assert.Nil(t, st.LastFailure)

	// Observing the final again, or the whole walk again (as if ESPN
	// replayed it), sends nothing: every event has the id it had the first
	// time, and was delivered to every webhook already.
	s.Observe("nfl", eventstest.Poll(t, eventstest.MIANEFrames(t)[8]))
	walk(t, s, nil, eventstest.MIANEFrames(t))
	_, pending = stats(t, s.Service, ne.ID)
	assert.Zero(t, pending)
}

// A scoped webhook only gets its own team's games; another game's events
// go to the unscoped webhook only.
func TestTeamScopes(t *testing.T) {
	o := testOptions(t)
	s := start(t, o)
	neRC := newReceiver(t, nil)
	atlRC := newReceiver(t, nil)
	allRC := newReceiver(t, nil)
	register(t, s.Service, neRC.URL(), "NE", "score_change")
	register(t, s.Service, atlRC.URL(), "ATL", "score_change")
	register(t, s.Service, allRC.URL(), "", "score_change")

	games := eventstest.Scoreboard(t)
	s.Observe("nfl", games)
	// Derived from the capture: ATL–NO (live, 26-24) gets a NO field goal.
	for i := range games {
		if games[i].ID == eventstest.AtlNO {
			games[i].Score.Away += 3
		}
	}
	s.Observe("nfl", games)

	got := atlRC.WaitDelivered(t, 1)
	assert.Equal(t, 0, got[0].P.ScoreChange)
	assert.Equal(t, 3, got[0].P.OpponentScoreChange)
	assert.Equal(t, "NO", *got[0].P.ScoringTeam)
	allRC.WaitDelivered(t, 1)
	assert.Equal(t, got[0].P.EventID, allRC.Delivered()[0].P.EventID)
	assert.Zero(t, neRC.Count())
	waitIdle(t, s.Service)
	st, _ := stats(t, s.Service, list0(s.List(), neRC.URL()))
	assert.Zero(t, st.TotalCalls)
}

func TestRetriesThenSucceeds(t *testing.T) {
	var mu sync.Mutex
	var outcomes []string
	o := testOptions(t)
	o.OnDelivery = func(outcome string, attempts int) {
		mu.Lock()
		outcomes = append(outcomes, fmt.Sprintf("%s/%d", outcome, attempts))
		mu.Unlock()
	}
	s := start(t, o)
	rc := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		if n == 0 {
			return http.StatusInternalServerError
		}
		if n == 1 {
			return http.StatusBadGateway
		}
		return http.StatusNoContent
	})
	reg := register(t, s.Service, rc.URL(), "NE")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:2])

	rc.WaitDelivered(t, 1)
	calls := rc.All()
	require.Len(t, calls, 3)
	for _, c := range calls {
		assert.Equal(t, calls[0].P.EventID, c.P.EventID, "same id on every attempt")
		assert.Equal(t, calls[0].Raw, c.Raw, "same body on every attempt")
		assert.Equal(t, events.GameStart, c.P.Event)
	}
	require.Eventually(t, func() bool { st, p := stats(t, s.Service, reg.ID); return p == 0 && st.TotalCalls == 3 }, 5*time.Second, 5*time.Millisecond)
	st, _ := stats(t, s.Service, reg.ID)
	assert.EqualValues(t, 2, st.FailedCalls)
	assert.Equal(t, 204, *st.LastStatus)
	assert.Equal(t, "HTTP 502 Bad Gateway", *st.LastError)
	mu.Lock()
	assert.Equal(t, []string{"retry/1", "retry/2", "success/3"}, outcomes)
	mu.Unlock()
}

func TestGivesUpAfterRetriesAndOn4xx(t *testing.T) {
	o := testOptions(t)
	o.MaxRetries = 3
	s := start(t, o)
	down := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int { return http.StatusServiceUnavailable })
	bad := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int { return http.StatusNotFound })
	d := register(t, s.Service, down.URL(), "NE", "game_start")
	b := register(t, s.Service, bad.URL(), "NE", "game_start")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:2])

	require.Eventually(t, func() bool { _, p := stats(t, s.Service, d.ID); return p == 0 }, 10*time.Second, 5*time.Millisecond)
	require.Eventually(t, func() bool { _, p := stats(t, s.Service, b.ID); return p == 0 }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, 4, down.Count(), "first attempt and 3 retries")
	assert.Equal(t, 1, bad.Count(), "404 is not retried")
	st, _ := stats(t, s.Service, b.ID)
	assert.EqualValues(t, 1, st.FailedCalls)
	assert.False(t, st.Disabled)
	// A failed delivery does not block the next event.
	walk(t, s, nil, eventstest.MIANEFrames(t)[2:4])
	assert.Equal(t, 4, down.Count())
}

// A receiver that hangs holds up only its own webhook.
func TestHangingReceiverDelaysNobodyElse(t *testing.T) {
	release := make(chan struct{})
	o := testOptions(t)
	o.Timeout = time.Minute // so the hang is not cut short by the timeout
	o.StopGrace = 50 * time.Millisecond
	s := start(t, o)
	hung := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return http.StatusOK
	})
	t.Cleanup(func() { close(release) })
	fine := newReceiver(t, nil)
	h := register(t, s.Service, hung.URL(), "NE")
	register(t, s.Service, fine.URL(), "NE")

	frames := eventstest.MIANEFrames(t)
	walk(t, s, nil, frames[:4])
	require.Eventually(t, func() bool { return hung.Count() == 1 }, 5*time.Second, time.Millisecond)
	// The fine receiver has both events while the hung one is still on its first.
	got := fine.WaitDelivered(t, 2)
	assert.Equal(t, events.GameStart, got[0].P.Event)
	assert.Equal(t, events.ScoreChange, got[1].P.Event)
	walk(t, s, nil, frames[4:])
	fine.WaitDelivered(t, 7)
	assert.Equal(t, 1, hung.Count())
	_, pending := stats(t, s.Service, h.ID)
	assert.Equal(t, 7, pending)

	// Stopping interrupts the hung request past the stop's grace and keeps
	// its queue.
	s.stop(t)
	assert.Zero(t, s.workers.Load())
	s2, err := New(Options{DataDir: o.DataDir, Resolve: nflResolver})
	require.NoError(t, err)
	_, pending = stats(t, s2, h.ID)
	assert.Equal(t, 7, pending, "pending deliveries survive the stop")
}

func TestGoneDisables(t *testing.T) {
	var mu sync.Mutex
	var outcomes []string
	o := testOptions(t)
	o.OnDelivery = func(outcome string, _ int) { mu.Lock(); outcomes = append(outcomes, outcome); mu.Unlock() }
	s := start(t, o)
	gone := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int { return http.StatusGone })
	reg := register(t, s.Service, gone.URL(), "NE")

	frames := eventstest.MIANEFrames(t)
	walk(t, s, nil, frames[:4]) // game_start and a score: two events queued
	require.Eventually(t, func() bool { st, _ := stats(t, s.Service, reg.ID); return st.Disabled }, 5*time.Second, time.Millisecond)
	st, pending := stats(t, s.Service, reg.ID)
	assert.Zero(t, pending, "the queue is dropped")
	assert.Equal(t, "receiver answered 410 Gone", *st.DisabledReason)
	assert.Equal(t, 410, *st.LastStatus)
	walk(t, s, nil, frames[4:])
	_, pending = stats(t, s.Service, reg.ID)
	assert.Zero(t, pending, "nothing is queued for a disabled webhook")
	assert.Equal(t, 1, gone.Count())
	mu.Lock()
	assert.Equal(t, []string{"disabled"}, outcomes)
	mu.Unlock()

	s.stop(t)
	s2, err := New(Options{DataDir: o.DataDir, Resolve: nflResolver})
	require.NoError(t, err)
	st, _ = stats(t, s2, reg.ID)
	assert.True(t, st.Disabled, "disabled survives a restart")
}

// retriedAfter delivers a game_start to a receiver that answers its first
// attempt 429 with the given Retry-After, and returns both attempts.
func retriedAfter(t *testing.T, o Options, retryAfter string) []webhooktest.Delivery {
	s := start(t, o)
	rc := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		if n == 0 {
			w.Header().Set("Retry-After", retryAfter)
			return http.StatusTooManyRequests
		}
		return http.StatusOK
	})
	register(t, s.Service, rc.URL(), "NE", "game_start")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:2])
	rc.WaitDelivered(t, 1)
	return rc.All()
}

func TestRetryAfter(t *testing.T) {
	o := testOptions(t)
	o.BaseBackoff = time.Millisecond
	calls := retriedAfter(t, o, "1")
	require.Len(t, calls, 2)
	assert.GreaterOrEqual(t, calls[1].At.Sub(calls[0].At), 900*time.Millisecond,
		"Retry-After: 1 is honoured although the backoff is 1 ms")
}

func TestRetryAfterIsCapped(t *testing.T) {
	o := testOptions(t)
	o.RetryAfterCap = 10 * time.Millisecond
	// An hour's wait without the cap.
	assert.Len(t, retriedAfter(t, o, "3600"), 2)
}

func TestRedirectIsNotFollowed(t *testing.T) {
	o := testOptions(t)
	s := start(t, o)
	target := newReceiver(t, nil)
	moved := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		w.Header().Set("Location", target.URL())
		return http.StatusMovedPermanently
	})
	reg := register(t, s.Service, moved.URL(), "NE", "game_start")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:2])
	require.Eventually(t, func() bool { st, p := stats(t, s.Service, reg.ID); return p == 0 && st.TotalCalls == 1 }, 5*time.Second, time.Millisecond)
	st, _ := stats(t, s.Service, reg.ID)
	assert.EqualValues(t, 1, st.FailedCalls)
	assert.Equal(t, 301, *st.LastStatus)
	assert.Contains(t, *st.LastError, "redirects are not followed")
	assert.Equal(t, 1, moved.Count(), "a redirect is not retried")
	assert.Zero(t, target.Count())

	// Also with a caller's client that would follow redirects.
	o2 := testOptions(t)
	o2.HTTPClient = &http.Client{}
	s2 := start(t, o2)
	reg2 := register(t, s2.Service, moved.URL(), "NE", "game_start")
	walk(t, s2, nil, eventstest.MIANEFrames(t)[:2])
	require.Eventually(t, func() bool { st, p := stats(t, s2.Service, reg2.ID); return p == 0 && st.TotalCalls == 1 }, 5*time.Second, time.Millisecond)
	assert.Zero(t, target.Count())
}

func TestNetworkErrorsAreRetried(t *testing.T) {
	rc := newReceiver(t, nil)
	url := rc.URL()
	rc.Down() // nothing listens there any more
	o := testOptions(t)
	o.MaxRetries = 2
	s := start(t, o)
	reg := register(t, s.Service, url, "NE", "game_start")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:2])
	require.Eventually(t, func() bool { st, p := stats(t, s.Service, reg.ID); return p == 0 && st.TotalCalls == 3 }, 5*time.Second, time.Millisecond)
	st, _ := stats(t, s.Service, reg.ID)
	assert.Nil(t, st.LastStatus)
	assert.NotEmpty(t, *st.LastError)
}

func TestTimeoutIsRetried(t *testing.T) {
	o := testOptions(t)
	o.Timeout = 50 * time.Millisecond
	o.MaxRetries = 1
	s := start(t, o)
	rc := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		if n == 0 {
			<-r.Context().Done() // past the timeout
		}
		return http.StatusOK
	})
	reg := register(t, s.Service, rc.URL(), "NE", "game_start")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:2])
	require.Eventually(t, func() bool { st, p := stats(t, s.Service, reg.ID); return p == 0 && st.TotalCalls == 2 }, 5*time.Second, time.Millisecond)
	st, _ := stats(t, s.Service, reg.ID)
	assert.EqualValues(t, 1, st.FailedCalls)
	assert.Equal(t, "no answer within 50ms", *st.LastError)
	assert.Equal(t, 200, *st.LastStatus)
}

func TestDelaySeconds(t *testing.T) {
	o := testOptions(t)
	s := start(t, o)
	rc := newReceiver(t, nil)
	now := newReceiver(t, nil)
	_, err := s.Register(context.Background(), RegisterRequest{URL: rc.URL(), Secret: testSecret, Team: "NE", Events: []string{"game_start"}, DelaySeconds: ptr(1)})
	require.NoError(t, err)
	register(t, s.Service, now.URL(), "NE", "game_start")

	frames := eventstest.MIANEFrames(t)
	s.Observe("nfl", eventstest.Poll(t, frames[0]))
	observed := time.Now()
	s.Observe("nfl", eventstest.Poll(t, frames[1]))
	now.WaitDelivered(t, 1)
	assert.Zero(t, rc.Count(), "not before the delay")
	got := rc.WaitDelivered(t, 1)
	assert.GreaterOrEqual(t, got[0].At.Sub(observed), time.Second)
}

func TestQueueIsBounded(t *testing.T) {
	release := make(chan struct{})
	o := testOptions(t)
	o.QueueLimit = 2
	o.Timeout = time.Minute
	s := start(t, o)
	hung := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return http.StatusOK
	})
	t.Cleanup(func() { close(release) })
	reg := register(t, s.Service, hung.URL(), "NE")
	walk(t, s, nil, eventstest.MIANEFrames(t)) // 7 events
	st, pending := stats(t, s.Service, reg.ID)
	assert.Equal(t, 2, pending)
	assert.EqualValues(t, 5, st.Dropped)
}

// Stopping the service in the middle of a game and starting a new one on
// the same directory: nothing twice, nothing missed.
func TestRestartMidGame(t *testing.T) {
	o := testOptions(t)
	rc := newReceiver(t, nil)
	frames := eventstest.MIANEFrames(t)

	s1 := start(t, o)
	register(t, s1.Service, rc.URL(), "NE")
	walk(t, s1, nil, frames[:6]) // start + 3 scores
	rc.WaitDelivered(t, 4)
	waitIdle(t, s1.Service)
	s1.stop(t)

	// The store's baseline lags behind (it still has 7-0): the service's
	// own record wins, so 7-0 → 10-7 is not reported a second time.
	s2 := start(t, o)
	s2.Seed("nfl", []game.Game{frames[3]})
	walk(t, s2, nil, frames[5:])
	rc.WaitDelivered(t, 7)
	waitIdle(t, s2.Service)
	got := rc.Delivered()
	require.Len(t, got, 7)
	seen := map[string]bool{}
	var kinds []string
	for _, g := range got {
		assert.False(t, seen[g.P.EventID], "duplicate %s", g.P.EventID)
		seen[g.P.EventID] = true
		kinds = append(kinds, g.P.Event)
	}
	assert.Equal(t, []string{events.GameStart, events.ScoreChange, events.ScoreChange, events.ScoreChange,
		events.ScoreChange, events.ScoreChange, events.GameEnd}, kinds)
	assert.Equal(t, game.Score{Home: 17, Away: 7}, got[4].P.Score)
}

// A delivery that could not be made before the stop goes out once after
// the next start.
func TestRestartWithPendingDeliveries(t *testing.T) {
	o := testOptions(t)
	o.BaseBackoff = time.Hour // stuck in backoff when the stop comes
	var mu sync.Mutex
	up := false
	rc := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int {
		mu.Lock()
		defer mu.Unlock()
		if up {
			return http.StatusOK
		}
		return http.StatusServiceUnavailable
	})
	frames := eventstest.MIANEFrames(t)

	s1 := start(t, o)
	register(t, s1.Service, rc.URL(), "NE")
	walk(t, s1, nil, frames[:4])
	require.Eventually(t, func() bool { return rc.Count() == 1 }, 5*time.Second, time.Millisecond)
	s1.stop(t)

	mu.Lock()
	up = true
	mu.Unlock()
	o.BaseBackoff = time.Millisecond
	s2 := start(t, o)
	s2.Seed("nfl", []game.Game{frames[3]})
	walk(t, s2, nil, frames[3:5])
	rc.WaitDelivered(t, 3)
	waitIdle(t, s2.Service)
	got := rc.Delivered()
	require.Len(t, got, 3)
	assert.Equal(t, events.GameStart, got[0].P.Event)
	assert.Equal(t, rc.All()[0].P.EventID, got[0].P.EventID, "the same id as before the restart")
	assert.Equal(t, rc.All()[0].Raw, got[0].Raw, "the same body as before the restart")
	assert.Equal(t, game.Score{Home: 7}, got[1].P.Score)
	assert.Equal(t, game.Score{Home: 10}, got[2].P.Score)
}

// A crash after a delivery but before the outbox was rewritten: the reloaded
// entry is recognised from the delivered log and not sent again.
func TestDeliveredLogPreventsResend(t *testing.T) {
	o := testOptions(t)
	gate := make(chan struct{})
	rc := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		if n == 0 {
			<-gate
		}
		return http.StatusOK
	})
	s1 := start(t, o)
	register(t, s1.Service, rc.URL(), "NE", "game_start")
	frames := eventstest.MIANEFrames(t)
	s1.Observe("nfl", eventstest.Poll(t, frames[0]))
	s1.Observe("nfl", eventstest.Poll(t, frames[1]))
	// Keep a copy of the outbox as it is while the delivery is in flight.
	require.Eventually(t, func() bool { return rc.Count() == 1 }, 5*time.Second, time.Millisecond)
	outbox, err := os.ReadFile(filepath.Join(o.DataDir, outboxFile))
	require.NoError(t, err)
	require.Contains(t, string(outbox), rc.All()[0].P.EventID)
	close(gate)
	rc.WaitDelivered(t, 1)
	waitIdle(t, s1.Service)
	s1.stop(t)
	// Put it back, as if the process had died before rewriting it.
	require.NoError(t, os.WriteFile(filepath.Join(o.DataDir, outboxFile), outbox, 0o600))
	// And a torn line at the end of the log, as a crash mid-append leaves.
	f, err := os.OpenFile(filepath.Join(o.DataDir, deliveredFile), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, _ = f.WriteString(`{"w":"wh_x","e":"abc`)
	require.NoError(t, f.Close())

	s2, err := New(o)
	require.NoError(t, err)
	for _, r := range s2.List() {
		assert.Zero(t, r.Pending, "the reloaded entry was already delivered")
	}
	r2 := run(t, s2)
	// ESPN flips the game back to scheduled and live again: same game_start.
	r2.Observe("nfl", eventstest.Poll(t, frames[0]))
	r2.Observe("nfl", eventstest.Poll(t, frames[1]))
	for _, r := range s2.List() {
		assert.Zero(t, r.Pending)
	}
	assert.Equal(t, 1, rc.Count())
}

// The service was down while the game ended: one score_change and one
// game_end when it comes back, and nothing more after another restart.
func TestTransitionWhileDown(t *testing.T) {
	clk := fakeclock.New(kickoff.Add(3*time.Hour + 45*time.Minute))
	o := testOptions(t)
	o.Now = clk.Now
	rc := newReceiver(t, nil)
	frames := eventstest.MIANEFrames(t)

	s1 := start(t, o)
	register(t, s1.Service, rc.URL(), "NE")
	s1.Seed("nfl", []game.Game{frames[7]})           // stored baseline: live 17-7
	s1.Observe("nfl", eventstest.Poll(t, frames[8])) // final 20-7
	got := rc.WaitDelivered(t, 2)
	assert.Equal(t, events.ScoreChange, got[0].P.Event)
	assert.Equal(t, events.GameEnd, got[1].P.Event)
	assert.Equal(t, "loss", got[1].P.Result)
	s1.Observe("nfl", eventstest.Poll(t, frames[8]))
	waitIdle(t, s1.Service)
	s1.stop(t)

	// The store still says live 17-7 after the restart.
	s2 := start(t, o)
	s2.Seed("nfl", []game.Game{frames[7]})
	s2.Observe("nfl", eventstest.Poll(t, frames[8]))
	for _, r := range s2.List() {
		assert.Zero(t, r.Pending)
	}
	assert.Equal(t, 2, rc.Count())
}

func TestStaleEndIsNotSent(t *testing.T) {
	frames := eventstest.MIANEFrames(t)
	// Estimated end 20:30Z (start + 3h30); back at 22:00Z: over 1h30.
	clk := fakeclock.New(kickoff.Add(5 * time.Hour))
	o := testOptions(t)
	o.Now = clk.Now
	s := start(t, o)
	rc := newReceiver(t, nil)
	reg := register(t, s.Service, rc.URL(), "NE")
	s.Seed("nfl", []game.Game{frames[7]})
	s.Observe("nfl", eventstest.Poll(t, frames[8]))
	st, pending := stats(t, s.Service, reg.ID)
	assert.Zero(t, pending)
	assert.Zero(t, st.TotalCalls)

	// A long game watched until late is not stale: it was seen live minutes
	// before it ended.
	o2 := testOptions(t)
	o2.Now = clk.Now
	s2 := start(t, o2)
	reg2 := register(t, s2.Service, rc.URL(), "NE")
	clk.Set(kickoff.Add(4*time.Hour + 50*time.Minute))
	s2.Observe("nfl", eventstest.Poll(t, frames[7]))
	clk.Set(kickoff.Add(5 * time.Hour))
	s2.Observe("nfl", eventstest.Poll(t, frames[8]))
	got := rc.WaitDelivered(t, 2)
	assert.Equal(t, reg2.ID, got[1].P.WebhookID)
	assert.Equal(t, events.GameEnd, got[1].P.Event)
}

// 7-0 → 0-0 → 7-0 is three events, also across a restart in between.
func TestScoreGoingDownAndUpAgain(t *testing.T) {
	o := testOptions(t)
	rc := newReceiver(t, nil)
	base := eventstest.Find(t, eventstest.Scoreboard(t), eventstest.MiaNE)
	live := func(h, a int) game.Game { return eventstest.With(base, game.StatusLive, h, a, 1, "5:00") }

	s1 := start(t, o)
	register(t, s1.Service, rc.URL(), "", "score_change")
	for _, f := range []game.Game{live(0, 0), live(7, 0), live(0, 0)} {
		s1.Observe("nfl", eventstest.Poll(t, f))
	}
	rc.WaitDelivered(t, 2)
	waitIdle(t, s1.Service)
	s1.stop(t)
	s2 := start(t, o)
	for _, f := range []game.Game{live(7, 0), live(0, 0), live(7, 0)} {
		s2.Observe("nfl", eventstest.Poll(t, f))
	}
	got := rc.WaitDelivered(t, 5)
	ids := map[string]bool{}
	for _, g := range got {
		ids[g.P.EventID] = true
	}
	assert.Len(t, ids, 5, "every change is its own event")
	assert.Equal(t, -7, got[1].P.ScoreChange)
	assert.Equal(t, 7, got[4].P.ScoreChange)
}

func TestTestEvent(t *testing.T) {
	o := testOptions(t)
	s := start(t, o)
	rc := newReceiver(t, nil)
	reg := register(t, s.Service, rc.URL(), "NE")
	res, err := s.Test(context.Background(), reg.ID)
	require.NoError(t, err)
	assert.True(t, res.Delivered)
	assert.Equal(t, 200, *res.StatusCode)
	assert.Equal(t, 1, res.Attempts)
	assert.Nil(t, res.Error)
	assert.Positive(t, res.LatencyMS)
	p := rc.Delivered()[0].P
	assert.Equal(t, EventTest, p.Event)
	assert.Equal(t, "NE", p.Team)
	assert.Equal(t, "NFL", p.League)
	assert.Equal(t, reg.ID, p.WebhookID)

	flaky := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		if n == 0 {
			return http.StatusServiceUnavailable
		}
		return http.StatusAccepted
	})
	reg2 := register(t, s.Service, flaky.URL(), "")
	res, err = s.Test(context.Background(), reg2.ID)
	require.NoError(t, err)
	assert.True(t, res.Delivered)
	assert.Equal(t, 2, res.Attempts)
	assert.Equal(t, 202, *res.StatusCode)
	calls := flaky.All()
	assert.Equal(t, calls[0].P.EventID, calls[1].P.EventID)

	gone := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int { return http.StatusGone })
	reg3 := register(t, s.Service, gone.URL(), "")
	res, err = s.Test(context.Background(), reg3.ID)
	require.NoError(t, err)
	assert.False(t, res.Delivered)
	assert.Equal(t, 410, *res.StatusCode)
	assert.Equal(t, "HTTP 410 Gone", *res.Error)
	st, _ := stats(t, s.Service, reg3.ID)
	assert.True(t, st.Disabled)

	dead := newReceiver(t, nil)
	deadURL := dead.URL()
	dead.Down()
	reg4 := register(t, s.Service, deadURL, "")
	res, err = s.Test(context.Background(), reg4.ID)
	require.NoError(t, err)
	assert.False(t, res.Delivered)
	assert.Nil(t, res.StatusCode)
	assert.Equal(t, 4, res.Attempts)
	assert.NotNil(t, res.Error)

	_, err = s.Test(context.Background(), "wh_unknown")
	assert.ErrorIs(t, err, ErrNotFound)
}

// Run starts one goroutine per webhook and stops them all on cancel, also
// one in the middle of a request that never answers.
func TestRunStopsAllGoroutines(t *testing.T) {
	release := make(chan struct{})
	o := testOptions(t)
	o.Timeout = time.Minute
	o.StopGrace = 50 * time.Millisecond
	s, err := New(o)
	require.NoError(t, err)
	hung := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) int {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return http.StatusOK
	})
	t.Cleanup(func() { close(release) })
	register(t, s, hung.URL(), "NE")
	register(t, s, hung.URL(), "MIA")
	register(t, s, "http://127.0.0.1:9/unused", "BUF")
	assert.Zero(t, s.workers.Load())
	r := run(t, s)
	require.Eventually(t, func() bool { return s.workers.Load() == 3 }, 5*time.Second, time.Millisecond)
	register(t, s, hung.URL(), "") // registered while running: gets a worker too
	require.Eventually(t, func() bool { return s.workers.Load() == 4 }, 5*time.Second, time.Millisecond)
	walk(t, r, nil, eventstest.MIANEFrames(t)[:2])
	require.Eventually(t, func() bool { return hung.Count() == 3 }, 5*time.Second, time.Millisecond)
	r.stop(t)
	assert.Zero(t, s.workers.Load())
	// Deleting stops that webhook's goroutine while running.
	r2 := run(t, s)
	require.Eventually(t, func() bool { return s.workers.Load() == 4 }, 5*time.Second, time.Millisecond)
	require.NoError(t, s.Delete(s.List()[0].ID))
	require.Eventually(t, func() bool { return s.workers.Load() == 3 }, 5*time.Second, time.Millisecond)
	r2.stop(t)
	assert.Zero(t, s.workers.Load())
}

// Polls, registrations, deletions, lists and tests at the same time (run
// with -race).
func TestConcurrentUse(t *testing.T) {
	o := testOptions(t)
	s := start(t, o)
	rc := newReceiver(t, nil)
	frames := eventstest.MIANEFrames(t)
	polls := make([][]game.Game, len(frames))
	for i, f := range frames {
		polls[i] = eventstest.Poll(t, f)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 3; round++ {
				for _, p := range polls {
					s.Observe("nfl", p)
				}
			}
		}()
	}
	keep := make(chan string, 100)
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				// The query keeps each registration distinct (identical ones are refused).
				u := fmt.Sprintf("%s?w=%d&i=%d", rc.URL(), w, i)
				reg, err := s.Register(ctx, RegisterRequest{URL: u, Secret: testSecret, Team: []string{"NE", "MIA", ""}[w]})
				if err != nil {
					t.Error(err)
					return
				}
				if i%2 == 0 {
					if err := s.Delete(reg.ID); err != nil {
						t.Error(err)
					}
				} else {
					keep <- reg.ID
				}
				_ = s.List()
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 5; i++ {
			for _, r := range s.List() {
				_, _ = s.Test(ctx, r.ID)
			}
		}
	}()
	wg.Wait()
	close(keep)
	want := map[string]bool{}
	for id := range keep {
		want[id] = true
	}
	list := s.List()
	require.Len(t, list, len(want))
	for _, r := range list {
		assert.True(t, want[r.ID])
	}
	// Every remaining webhook drains its queue.
	waitIdle(t, s.Service)
	s.stop(t)
	// What was saved is what was there.
	s2, err := New(o)
	require.NoError(t, err)
	assert.Len(t, s2.List(), len(want))
}

func list0(list []Registration, url string) string {
	for _, r := range list {
		if r.URL == url {
			return r.ID
		}
	}
	return ""
}

// Delivered ids are remembered for 7 days, then forgotten, in memory and in
// the log.
func TestDeliveredIDsExpire(t *testing.T) {
	clk := fakeclock.New(kickoff)
	o := testOptions(t)
	o.Now = clk.Now
	rc := newReceiver(t, nil)
	s := start(t, o)
	reg := register(t, s.Service, rc.URL(), "NE", "game_start")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:2])
	rc.WaitDelivered(t, 1)
	waitIdle(t, s.Service)
	s.stop(t)
	log, err := os.ReadFile(filepath.Join(o.DataDir, deliveredFile))
	require.NoError(t, err)
	assert.Contains(t, string(log), rc.All()[0].P.EventID)

	clk.Set(kickoff.Add(6 * 24 * time.Hour))
	s2, err := New(o)
	require.NoError(t, err)
	assert.Len(t, s2.hooks[reg.ID].delivered, 1, "still remembered after 6 days")

	clk.Set(kickoff.Add(8 * 24 * time.Hour))
	s2.flush(true)
	assert.Empty(t, s2.hooks[reg.ID].delivered)
	log, err = os.ReadFile(filepath.Join(o.DataDir, deliveredFile))
	require.NoError(t, err)
	assert.NotContains(t, string(log), rc.All()[0].P.EventID)
}

func TestBackoff(t *testing.T) {
	s, err := New(Options{DataDir: t.TempDir()})
	require.NoError(t, err)
	for n, ceiling := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second} {
		assert.Equal(t, ceiling, s.backoff.Ceiling(n), "retry %d", n+1)
		seen := map[time.Duration]bool{}
		for range 50 {
			d := s.backoff.Delay(n)
			assert.GreaterOrEqual(t, d, time.Duration(0))
			assert.LessOrEqual(t, d, ceiling)
			seen[d] = true
		}
		assert.Greater(t, len(seen), 1, "jittered")
	}
}
