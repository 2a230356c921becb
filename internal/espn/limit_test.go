package espn

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/fakeclock"
)

// stoppedClock stops the limiter's clock (a fakeclock nobody moves): every
// request of a burst is reserved at the same instant, and sleep only
// records what it was asked to wait, so the test counts what a limiter
// releases over time without timing anything.
type stoppedClock struct {
	at    *fakeclock.Clock
	mu    sync.Mutex
	waits []time.Duration
}

func stopped(at time.Time) *stoppedClock { return &stoppedClock{at: fakeclock.New(at)} }

func (c *stoppedClock) install(h *HostLimits) {
	h.now = c.at.Now
	h.sleep = func(ctx context.Context, d time.Duration) error {
		c.mu.Lock()
		c.waits = append(c.waits, d)
		c.mu.Unlock()
		return ctx.Err()
	}
}

// releasedWithin counts requests whose wait ended within d of the burst.
func (c *stoppedClock) releasedWithin(d time.Duration) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, w := range c.waits {
		if w <= d {
			n++
		}
	}
	return n
}

// A poller, the schedule refresher and a backfill each bursting at one
// host share its budget: 45 requests at 5/s are spread over 8 seconds, and
// every one of them still reaches ESPN.
func TestHostLimitsPaceABurstFromEveryCaller(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, nflScoreboard, nflLive)
	srv.ServeFixture(t, "/football/nfl/teams", "nfl/teams.json")
	srv.ServeFixture(t, "/football/nfl/teams/12/schedule", "nfl/team-12-kc-schedule-2023-season-final.json")

	limits := NewHostLimits(5)
	clock := stopped(time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC))
	clock.install(limits)
	// The service's client (pollers and refresher) and a backfill's
	// client share one HostLimits, as cmd/sports-data wires them.
	// No retries and no timeout: on a loaded machine a slow answer must
	// not turn into a second request that the count below would see.
	service := NewClient(srv.URL, Options{Limits: limits, MaxRetries: -1, HTTPClient: &http.Client{}})
	backfill := NewClient(srv.URL, Options{Limits: limits, MaxRetries: -1, HTTPClient: &http.Client{}})
	nfl := mustLeague(t, "nfl")

	const each = 15
	var wg sync.WaitGroup
	errs := make(chan error, 3*each)
	for range each {
		wg.Add(3)
		go func() {
			defer wg.Done()
			_, err := service.ScoreboardDay(context.Background(), nfl, clock.at.Now())
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := service.TeamSchedule(context.Background(), nfl, "12", 2023)
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := backfill.ScoreboardMonth(context.Background(), nfl, 2023, time.October)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, srv.Requests(), 3*each, "every request reached ESPN after its wait")

	assert.Equal(t, 5, clock.releasedWithin(0), "the burst: ceil(5/s)")
	assert.Equal(t, 10, clock.releasedWithin(time.Second), "burst + 5 in the first second")
	assert.Equal(t, 15, clock.releasedWithin(2*time.Second))
	waits := slices.Clone(clock.waits)
	slices.Sort(waits)
	// The last of 45 goes (45-5)/5 = 8 s after the burst.
	assert.InDelta(t, float64(8*time.Second), float64(waits[len(waits)-1]), float64(time.Millisecond))
}

// Each host has its own budget: a burst at one does not delay the other.
func TestHostLimitsArePerHost(t *testing.T) {
	a, b := espntest.NewServer(t), espntest.NewServer(t)
	a.ServeFixture(t, nflScoreboard, nflLive)
	b.ServeFixture(t, nflScoreboard, nflLive)
	limits := NewHostLimits(1)
	clock := stopped(time.Now())
	clock.install(limits)
	ca := NewClient(a.URL, Options{Limits: limits})
	cb := NewClient(b.URL, Options{Limits: limits})
	nfl := mustLeague(t, "nfl")
	for range 3 {
		_, err := ca.ScoreboardDay(context.Background(), nfl, clock.at.Now())
		require.NoError(t, err)
	}
	_, err := cb.ScoreboardDay(context.Background(), nfl, clock.at.Now())
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{0, time.Second, 2 * time.Second, 0}, clock.waits)
}

// A request whose context ends while it waits is not sent and gives its
// turn back.
func TestHostLimitsCancelledWaitSendsNothing(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, nflScoreboard, nflLive)
	limits := NewHostLimits(1)
	clock := stopped(time.Now())
	clock.install(limits)
	o := fastOptions()
	o.Limits = limits
	c := NewClient(srv.URL, o)
	nfl := mustLeague(t, "nfl")
	_, err := c.ScoreboardDay(context.Background(), nfl, clock.at.Now())
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.ScoreboardDay(ctx, nfl, clock.at.Now())
	require.True(t, errors.Is(err, context.Canceled), "err = %v", err)
	assert.Len(t, srv.Requests(), 1, "the cancelled request never left")

	_, err = c.ScoreboardDay(context.Background(), nfl, clock.at.Now())
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{0, time.Second, time.Second}, clock.waits,
		"the cancelled reservation was returned")
}

// The configured rate is what a burst at one instant is paced by: ceil(rps)
// requests at once (at least one), then one every 1/rps; 0 is no limit.
func TestHostLimitsConfiguration(t *testing.T) {
	burst := func(rps float64, n int) []time.Duration {
		h := NewHostLimits(rps)
		c := stopped(time.Date(2026, 9, 6, 17, 0, 0, 0, time.UTC))
		c.install(h)
		for range n {
			require.NoError(t, h.Wait(context.Background(), "site.api.espn.com"))
		}
		return c.waits
	}
	assert.Equal(t, []time.Duration{0, 0, 0, 0, 0, 200 * time.Millisecond, 400 * time.Millisecond}, burst(5, 7))
	assert.Equal(t, []time.Duration{0, 2 * time.Second}, burst(0.5, 2))
	assert.Empty(t, burst(0, 10), "no limit: nobody waits")
	var none *HostLimits
	require.NoError(t, none.Wait(context.Background(), "site.api.espn.com"))
}
