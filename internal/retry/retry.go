// Package retry is the service's one retry policy, shared by everything
// that talks to something which may be briefly away: the ESPN client, the
// schedule refresher, the InfluxDB connector and webhook delivery.
//
// It holds four small pieces, each used on its own by callers whose loops
// differ (per-attempt logs and metrics, a kick channel, a delivery window):
// exponential backoff with full jitter, Retry-After parsing, a sleep that
// ends with its context, and the classification of what is worth retrying.
//
// It is written here rather than taken from github.com/cenkalti/backoff/v5
// because that library draws its waits within ±RandomizationFactor around
// the exponential interval rather than with full jitter, reads Retry-After
// only as whole seconds, and wants to own the loop, while every caller here
// keeps its own loop; what is left is a few dozen lines.
package retry

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Backoff is exponential backoff with full jitter: the wait before retry
// n+1 is drawn uniformly from [0, min(Max, Base·2^n)], so clients that
// failed together do not come back together.
type Backoff struct {
	// Base is the ceiling of the first wait.
	Base time.Duration
	// Max caps every wait, a Retry-After included unless RetryAfterCap is
	// set; 0 means no cap beyond MaxRetryAfter.
	Max time.Duration
	// RetryAfterCap, when set, caps a server's Retry-After instead of Max:
	// a receiver that asks for a minute is given it even where the
	// service's own waits stop at 30 s.
	RetryAfterCap time.Duration
	// Rand draws a duration uniformly from [0, ceiling]; nil means
	// math/rand/v2. Tests set it to see the ceilings.
	Rand func(ceiling time.Duration) time.Duration
}

// MaxRetryAfter bounds a parsed Retry-After so that a hostile or broken
// server cannot park a caller for days.
const MaxRetryAfter = 24 * time.Hour

// Ceiling is the upper bound of the wait before retry attempt+1
// (attempt counts from 0).
func (b Backoff) Ceiling(attempt int) time.Duration {
	limit := b.Max
	if limit <= 0 {
		limit = MaxRetryAfter
	}
	if b.Base <= 0 || attempt < 0 {
		return 0
	}
	c := b.Base
	for i := 0; i < attempt; i++ {
		if c >= limit/2 {
			return limit
		}
		c *= 2
	}
	return min(c, limit)
}

// Delay is the jittered wait before retry attempt+1.
func (b Backoff) Delay(attempt int) time.Duration {
	c := b.Ceiling(attempt)
	if c <= 0 {
		return 0
	}
	if b.Rand != nil {
		return min(max(b.Rand(c), 0), c)
	}
	return rand.N(c + 1)
}

// Wait is the pause before retry attempt+1: the server's Retry-After when
// it sent one (capped at RetryAfterCap, else Max), else Delay(attempt).
func (b Backoff) Wait(attempt int, retryAfter time.Duration, hasRetryAfter bool) time.Duration {
	if hasRetryAfter {
		limit := MaxRetryAfter
		switch {
		case b.RetryAfterCap > 0:
			limit = b.RetryAfterCap
		case b.Max > 0:
			limit = b.Max
		}
		return min(max(retryAfter, 0), limit)
	}
	return b.Delay(attempt)
}

// ParseRetryAfter reads a Retry-After header (RFC 9110 §10.2.3): either
// delay-seconds or an HTTP date, which is measured from now. ok is false
// for an absent or malformed header. A date in the past is a wait of 0;
// waits are capped at MaxRetryAfter.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return MaxRetryAfter, true
			}
			return 0, false
		}
		if secs > uint64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), MaxRetryAfter), true
}

// Sleep waits d or until ctx ends, whichever is first; it returns
// ctx.Err() when ctx ended, nil when d elapsed. A non-positive d returns
// at once.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RetryableStatus reports whether an HTTP status may be answered
// differently later: 408 Request Timeout, 429 Too Many Requests and every
// 5xx. Other 4xx say the request itself is wrong; 3xx are not followed by
// callers that sign or post.
func RetryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests ||
		code >= 500 && code <= 599
}

// StatusError is an error that carries the HTTP status of the answer
// that caused it; RetryableError classifies it by RetryableStatus.
type StatusError interface {
	error
	HTTPStatus() int
}

// RetryableError reports whether err is worth another attempt: a
// StatusError with a retryable status, a timeout, a refused, reset or
// aborted connection, a connection closed mid-answer, or a failed name
// lookup. A cancelled context is not retryable; callers also stop when
// their own context is done, which Sleep reports.
func RetryableError(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var se StatusError
	if errors.As(err, &se) {
		return RetryableStatus(se.HTTPStatus())
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// An http.Client timeout on the way in.
		return true
	}
	var oe *net.OpError
	var de *net.DNSError
	switch {
	case errors.As(err, &oe), errors.As(err, &de):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		// The server closed the connection before or during its answer
		// (net/http reports a reused connection closed by the peer as EOF).
		return true
	}
	return false
}
