package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sports-data/sports-data/internal/redact"
)

// target is where and how one webhook is called, copied out of the lock.
type target struct {
	url, secret string
}

// attemptResult is what one HTTP attempt came back with.
type attemptResult struct {
	status        int // 0 when no response arrived
	err           error
	retryAfter    time.Duration
	hasRetryAfter bool
}

func (r attemptResult) ok() bool { return r.err == nil && r.status >= 200 && r.status < 300 }

// retryable: network errors, timeouts, 408, 429 and 5xx. Redirects and other
// 4xx fail at once.
func (r attemptResult) retryable() bool {
	if r.err != nil {
		return true
	}
	return r.status == http.StatusRequestTimeout || r.status == http.StatusTooManyRequests || r.status >= 500
}

func (r attemptResult) describe(timeout time.Duration) string {
	if r.err != nil {
		var ne net.Error
		if errors.Is(r.err, context.DeadlineExceeded) || (errors.As(r.err, &ne) && ne.Timeout()) {
			return fmt.Sprintf("no answer within %s", timeout)
		}
		var ue *url.Error
		if errors.As(r.err, &ue) {
			// url.Error's text starts with the whole URL.
			return clip(fmt.Sprintf("%s %q: %v", ue.Op, redact.URL(ue.URL), ue.Err), 300)
		}
		return clip(r.err.Error(), 300)
	}
	msg := fmt.Sprintf("HTTP %d %s", r.status, http.StatusText(r.status))
	if r.status >= 300 && r.status < 400 {
		msg += " (redirects are not followed)"
	}
	return msg
}

// outcome is the end of one delivery, all attempts included.
type outcome struct {
	delivered   bool
	disabled    bool // the receiver answered 410
	interrupted bool // the context ended first; the delivery stays pending
	attempts    int
	status      *int
	err         string
	elapsed     time.Duration
}

// deliver sends one body with retries. Every attempt carries the same event
// id and body; the timestamp and signatures are made afresh per attempt.
func (s *Service) deliver(ctx context.Context, h *hook, t target, eventID, event string, body []byte) (o outcome) {
	start := time.Now()
	defer func() { o.elapsed = time.Since(start) }()
	for attempt := 1; ; attempt++ {
		o.attempts = attempt
		r := s.attempt(ctx, t, eventID, event, body)
		if ctx.Err() != nil && !r.ok() {
			// Stopped by shutdown or deletion, not by the receiver.
			o.interrupted = true
			return o
		}
		if r.err == nil {
			o.status = ptr(r.status)
		} else {
			o.status = nil
		}
		s.recordCall(h, r)
		switch {
		case r.ok():
			o.delivered, o.err = true, ""
			s.notify("success", attempt)
			return o
		case r.status == http.StatusGone:
			o.disabled, o.err = true, r.describe(s.opts.Timeout)
			s.notify("disabled", attempt)
			return o
		}
		o.err = r.describe(s.opts.Timeout)
		if !r.retryable() || attempt > s.opts.MaxRetries {
			s.notify("failed", attempt)
			return o
		}
		wait := s.backoff(attempt)
		if r.hasRetryAfter {
			wait = min(r.retryAfter, s.opts.RetryAfterCap)
		}
		s.notify("retry", attempt)
		if !sleepCtx(ctx, wait) {
			o.interrupted = true
			return o
		}
	}
}

func (s *Service) attempt(ctx context.Context, t target, eventID, event string, body []byte) attemptResult {
	actx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return attemptResult{err: err}
	}
	ts := strconv.FormatInt(s.now().Unix(), 10)
	hexSig, std := Signatures(t.secret, eventID, ts, body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sports-data/"+s.opts.Version)
	req.Header.Set("X-Webhook-Event", event)
	req.Header.Set("X-Webhook-ID", eventID)
	req.Header.Set("X-Webhook-Timestamp", ts)
	req.Header.Set("X-Webhook-Signature", hexSig)
	req.Header.Set("webhook-id", eventID)
	req.Header.Set("webhook-timestamp", ts)
	req.Header.Set("webhook-signature", std)
	resp, err := s.client.Do(req)
	if err != nil {
		return attemptResult{err: err}
	}
	defer resp.Body.Close()
	// Draining a little lets the connection be reused; a receiver that
	// streams forever is cut off by the attempt's timeout.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	r := attemptResult{status: resp.StatusCode}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		r.retryAfter, r.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return r
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// backoff before retry n (1-based): BaseBackoff·2^(n-1), ±25 % jitter so
// that receivers coming back are not hit by every sender at once.
func (s *Service) backoff(n int) time.Duration {
	d := s.opts.BaseBackoff << (n - 1)
	if d <= 0 {
		return 0
	}
	return time.Duration(float64(d) * (0.75 + 0.5*rand.Float64()))
}

func (s *Service) notify(outcome string, attempts int) {
	if s.opts.OnDelivery != nil {
		s.opts.OnDelivery(outcome, attempts)
	}
}

// sleepCtx waits d or until ctx ends; it reports whether d elapsed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
