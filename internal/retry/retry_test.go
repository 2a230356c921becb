package retry

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/testenv"
)

func TestCeilingDoublesUpToMax(t *testing.T) {
	b := Backoff{Base: 500 * time.Millisecond, Max: 10 * time.Second}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := b.Ceiling(i); got != w {
			t.Errorf("Ceiling(%d) = %v, want %v", i, got, w)
		}
	}
	// Far attempts must not overflow into a negative or zero ceiling.
	for _, n := range []int{40, 63, 64, 1000} {
		if got := b.Ceiling(n); got != 10*time.Second {
			t.Errorf("Ceiling(%d) = %v, want the cap", n, got)
		}
	}
	if got := (Backoff{Base: time.Second}).Ceiling(200); got != MaxRetryAfter {
		t.Errorf("uncapped Ceiling(200) = %v, want %v", got, MaxRetryAfter)
	}
	if got := (Backoff{}).Ceiling(3); got != 0 {
		t.Errorf("zero Backoff Ceiling = %v, want 0", got)
	}
}

func TestDelayIsFullJitterBelowCeiling(t *testing.T) {
	b := Backoff{Base: time.Second, Max: 8 * time.Second}
	var low, high int
	for i := 0; i < 2000; i++ {
		d := b.Delay(2) // ceiling 4 s
		if d < 0 || d > 4*time.Second {
			t.Fatalf("Delay(2) = %v, outside [0, 4s]", d)
		}
		if d < time.Second {
			low++
		}
		if d > 3*time.Second {
			high++
		}
	}
	// Full jitter reaches both ends; a ±25 % jitter would never go below
	// 3 s nor a fixed wait anywhere but 4 s.
	if low == 0 || high == 0 {
		t.Fatalf("draws not spread over [0, 4s]: %d below 1s, %d above 3s", low, high)
	}
}

func TestDelayUsesRandWithinCeiling(t *testing.T) {
	var seen []time.Duration
	b := Backoff{Base: time.Second, Max: 3 * time.Second, Rand: func(c time.Duration) time.Duration {
		seen = append(seen, c)
		return c * 2 // a bad source is clamped
	}}
	if got := b.Delay(0); got != time.Second {
		t.Errorf("Delay(0) = %v, want clamped 1s", got)
	}
	if got := b.Delay(5); got != 3*time.Second {
		t.Errorf("Delay(5) = %v, want 3s", got)
	}
	if fmt.Sprint(seen) != "[1s 3s]" {
		t.Errorf("Rand saw ceilings %v, want [1s 3s]", seen)
	}
}

func TestWaitPrefersRetryAfterCapped(t *testing.T) {
	b := Backoff{Base: time.Second, Max: 10 * time.Second, Rand: func(time.Duration) time.Duration { return 7 }}
	if got := b.Wait(0, 3*time.Second, true); got != 3*time.Second {
		t.Errorf("Retry-After 3s: wait %v", got)
	}
	if got := b.Wait(0, time.Hour, true); got != 10*time.Second {
		t.Errorf("Retry-After 1h: wait %v, want cap 10s", got)
	}
	if got := b.Wait(0, 0, true); got != 0 {
		t.Errorf("Retry-After 0: wait %v, want 0", got)
	}
	if got := b.Wait(1, 0, false); got != 7 {
		t.Errorf("no Retry-After: wait %v, want the jittered draw", got)
	}
	b.RetryAfterCap = time.Minute
	if got := b.Wait(0, 45*time.Second, true); got != 45*time.Second {
		t.Errorf("Retry-After 45s under a 1m cap: wait %v", got)
	}
	if got := b.Wait(0, time.Hour, true); got != time.Minute {
		t.Errorf("Retry-After 1h: wait %v, want cap 1m", got)
	}
	if got := b.Ceiling(5); got != 10*time.Second {
		t.Errorf("the Retry-After cap leaves the backoff's own ceiling: %v", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"  ", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"12abc", 0, false},
		{"soon", 0, false},
		{"99999999", MaxRetryAfter, true},
		{"999999999999999999999999", MaxRetryAfter, true},
		{"Fri, 04 Dec 2026 16:00:30 GMT", 30 * time.Second, true},
		{"Friday, 04-Dec-26 16:01:00 GMT", time.Minute, true}, // RFC 850
		{"Fri Dec  4 16:00:05 2026", 5 * time.Second, true},   // asctime
		{"Fri, 04 Dec 2026 15:00:00 GMT", 0, true},            // past
		{"Sat, 04 Dec 2027 16:00:00 GMT", MaxRetryAfter, true},
		{"Fri, 04 Dec 2026 16:00:30", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestSleepEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on a cancelled context = %v, want Canceled", err)
	}
	if err := Sleep(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep(0) on a cancelled context = %v, want Canceled", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("Sleep(1ms) = %v, want nil", err)
	}
	if err := Sleep(context.Background(), -time.Second); err != nil {
		t.Fatalf("Sleep(-1s) = %v, want nil", err)
	}
}

func TestRetryableStatus(t *testing.T) {
	yes := []int{408, 429, 500, 502, 503, 504, 599}
	no := []int{200, 204, 301, 304, 400, 401, 403, 404, 409, 413, 422, 600}
	for _, c := range yes {
		if !RetryableStatus(c) {
			t.Errorf("status %d not retryable", c)
		}
	}
	for _, c := range no {
		if RetryableStatus(c) {
			t.Errorf("status %d retryable", c)
		}
	}
}

type statusErr int

func (s statusErr) Error() string   { return fmt.Sprintf("HTTP %d", int(s)) }
func (s statusErr) HTTPStatus() int { return int(s) }

// TestRetryableErrorFromRealFailures classifies the errors net/http really
// returns against servers that refuse, hang up or stall.
func TestRetryableErrorFromRealFailures(t *testing.T) {
	// A port nobody listens on any more.
	closedURL := "http://" + testenv.FreeAddr(t)

	// A server that closes the connection without answering.
	hangup := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close()
		}
	}))
	defer hangup.Close()

	// A server slower than the client's timeout.
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)

	get := func(hc *http.Client, ctx context.Context, u string) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
			return errors.New("unexpected success")
		}
		return err
	}
	short := &http.Client{Timeout: 50 * time.Millisecond}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", get(http.DefaultClient, context.Background(), closedURL), true},
		{"hang-up", get(http.DefaultClient, context.Background(), hangup.URL), true},
		{"client timeout", get(short, context.Background(), slow.URL), true},
		{"cancelled by caller", get(http.DefaultClient, cancelled, slow.URL), false},
		{"dns", fmt.Errorf("wrapped: %w", &net.DNSError{Err: "no such host", Name: "ha.local", IsNotFound: true}), true},
		{"status 503", fmt.Errorf("x: %w", statusErr(503)), true},
		{"status 429", statusErr(429), true},
		{"status 404", fmt.Errorf("x: %w", statusErr(404)), false},
		{"plain", errors.New("invalid JSON"), false},
		{"nil", nil, false},
	}
	for _, c := range cases {
		if got := RetryableError(c.err); got != c.want {
			t.Errorf("%s: RetryableError(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}
