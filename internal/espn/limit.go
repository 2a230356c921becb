package espn

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/sports-data/sports-data/internal/retry"
)

// HostLimits paces requests per ESPN host, so that more leagues, the
// schedule refresher and a backfill together never send ESPN more than the
// configured rate (README: ESPN_MAX_RPS). One value is shared by every
// client of a process; each host gets its own token bucket, created on
// first use. Retries wait for a token like first attempts.
type HostLimits struct {
	limit rate.Limit
	burst int
	// now and sleep are the clock; tests replace them to count what a
	// burst releases without waiting for it.
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu    sync.Mutex
	hosts map[string]*rate.Limiter
}

// NewHostLimits allows rps requests a second per host, with bursts of
// ceil(rps) (at least 1). rps ≤ 0 means no limit.
func NewHostLimits(rps float64) *HostLimits {
	h := &HostLimits{limit: rate.Inf, burst: 1, now: time.Now, sleep: retry.Sleep,
		hosts: map[string]*rate.Limiter{}}
	if rps > 0 && !math.IsInf(rps, 1) {
		h.limit = rate.Limit(rps)
		h.burst = max(1, int(math.Ceil(rps)))
	}
	return h
}

// Wait blocks until a request to host may go, or ctx ends.
func (h *HostLimits) Wait(ctx context.Context, host string) error {
	if h == nil || h.limit == rate.Inf {
		return ctx.Err()
	}
	h.mu.Lock()
	l, ok := h.hosts[host]
	if !ok {
		l = rate.NewLimiter(h.limit, h.burst)
		h.hosts[host] = l
	}
	h.mu.Unlock()
	now := h.now()
	r := l.ReserveN(now, 1)
	if !r.OK() {
		return ctx.Err() // unreachable: burst ≥ 1
	}
	if err := h.sleep(ctx, r.DelayFrom(now)); err != nil {
		// Give the token back so a cancelled poll does not slow the next.
		r.CancelAt(h.now())
		return err
	}
	return nil
}
