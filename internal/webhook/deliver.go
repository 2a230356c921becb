package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/retry"
)

// The retry and send stages: deliver retries one delivery until it is
// delivered, refused or out of attempts; attempt is one signed HTTP POST.

// target is where and how one webhook is called, copied out of the lock.
type target struct {
	url, secret string
	// held: after its receiver was found unreachable, wait until it has
	// answered for a while (receiver.go); events are, tests are not.
	held bool
}

// attemptResult is what one HTTP attempt came back with.
type attemptResult struct {
	status        int // 0 when no response arrived
	err           error
	connected     bool // a connection to the receiver (or its proxy) was made
	retryAfter    time.Duration
	hasRetryAfter bool
}

func (r attemptResult) ok() bool { return r.err == nil && r.status >= 200 && r.status < 300 }

// retryable: network errors and timeouts (but not a target refused by the
// dialer, which stays refused), 408, 429 and 5xx. Redirects and other 4xx
// fail at once.
func (r attemptResult) retryable() bool {
	if r.err != nil {
		return !errors.Is(r.err, errLinkLocal) && retry.RetryableError(r.err)
	}
	return retry.RetryableStatus(r.status)
}

// outcome is the end of one delivery, all attempts included.
type outcome struct {
	delivered   bool
	disabled    bool // the receiver answered 410
	expired     bool // not delivered within the retry window; dropped
	interrupted bool // the context ended first; the delivery stays pending
	attempts    int
	status      *int
	kind        string // the last attempt's outcome (Outcome*)
	err         string // what went wrong, in fixed words (outcome.go)
	detail      string // the last attempt's error as the system put it, for the log
	elapsed     time.Duration
}

// deliver sends one body with retries. Every attempt carries the same event
// id and body; the timestamp and signatures are made afresh per attempt.
// ctx cuts an attempt short; stopping (the service stopping) only keeps
// the next one from starting, so that the answer to the attempt in flight
// is recorded and the restart neither repeats nor loses the event.
// Retryable failures are retried at most maxRetries times and, when
// deadline is set, until the deadline (on the service's clock): the last
// attempt is made at the deadline (wall clock), and a delivery that
// reaches it undelivered (or that is already past it before its first
// attempt, having waited behind others) is expired.
func (s *Service) deliver(ctx, stopping context.Context, h *hook, t target, eventID, event string, body []byte, deadline time.Time, maxRetries int) (o outcome) {
	start := time.Now()
	defer func() { o.elapsed = time.Since(start) }()
	for attempt := 1; ; attempt++ {
		if stopping.Err() != nil {
			o.interrupted = true
			return o
		}
		if !deadline.IsZero() {
			now := time.Now()
			if now.After(deadline) || (attempt > 1 && !now.Before(deadline)) {
				o.expired = true
				if o.err == "" {
					o.err = "not attempted: waited in the queue past the retry window"
				}
				s.notify("expired", attempt-1)
				return o
			}
		}
		if t.held && !s.awaitReceiver(ctx, t.url, deadline) {
			if ctx.Err() != nil {
				o.interrupted = true
				return o
			}
			continue // past the deadline: expired above
		}
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
		o.kind, o.detail = r.outcome(), r.detail()
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
		if !r.retryable() || attempt > maxRetries {
			s.notify("failed", attempt)
			return o
		}
		if r.unreachable() && s.receiverLost(t.url) && t.held {
			// The wait for the receiver replaces the backoff.
			s.notify("retry", attempt)
			continue
		}
		wait := s.backoff.Wait(attempt-1, r.retryAfter, r.hasRetryAfter)
		if !deadline.IsZero() {
			if left := time.Until(deadline); left < wait {
				wait = max(left, 0)
			}
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			// The caller cannot wait that long (Test).
			o.err += fmt.Sprintf("; not retried: the next attempt would be in %s", wait.Round(time.Second))
			s.notify("failed", attempt)
			return o
		}
		s.notify("retry", attempt)
		if retry.Sleep(stopping, wait) != nil || ctx.Err() != nil {
			o.interrupted = true
			return o
		}
	}
}

func (s *Service) attempt(ctx context.Context, t target, eventID, event string, body []byte) attemptResult {
	actx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	var connected atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		ConnectDone: func(_, _ string, err error) { connected.Store(connected.Load() || err == nil) },
		GotConn:     func(httptrace.GotConnInfo) { connected.Store(true) },
	})
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
		return attemptResult{err: err, connected: connected.Load()}
	}
	defer resp.Body.Close()
	// Draining a little lets the connection be reused; a receiver that
	// streams forever is cut off by the attempt's timeout.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	r := attemptResult{status: resp.StatusCode}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		r.retryAfter, r.hasRetryAfter = retry.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return r
}

func (s *Service) notify(outcome string, attempts int) {
	if s.opts.OnDelivery != nil {
		s.opts.OnDelivery(outcome, attempts)
	}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// TestResult is the answer of Service.Test: what came of it in fixed
// words (outcome.go), never the receiver's bytes.
type TestResult struct {
	Delivered bool `json:"delivered"`
	// Outcome is one of the Outcome* words, of the last attempt.
	Outcome    string `json:"outcome"`
	StatusCode *int   `json:"status_code"`
	Attempts   int    `json:"attempts"`
	// LatencyMS is the time until the final answer, retries included.
	LatencyMS float64 `json:"latency_ms"`
	Error     *string `json:"error"`
}

func (s *Service) recordCall(h *hook, r attemptResult) {
	now := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &h.rec.Stats
	st.TotalCalls++
	if r.err == nil {
		st.LastStatus = ptr(r.status)
	} else {
		st.LastStatus = nil
	}
	if r.ok() {
		st.LastSuccess = &now
	} else {
		st.FailedCalls++
		st.LastFailure = &now
		st.LastError = ptr(r.describe(s.opts.Timeout))
	}
	s.statsDirty = true
}

// Test sends a signed "test" event to the webhook now and returns how it
// went. It does not wait behind the webhook's queue (a receiver with a
// backlog would make the answer useless) and uses the same retries as real
// events, bounded by ctx. Its counters count; a 410 disables the webhook. A
// disabled webhook can still be tested, which does not enable it again.
func (s *Service) Test(ctx context.Context, id string) (TestResult, error) {
	s.mu.Lock()
	h := s.hooks[id]
	if h == nil {
		s.mu.Unlock()
		return TestResult{}, ErrNotFound
	}
	t := target{url: h.rec.URL, secret: h.rec.Secret}
	team, lk, refused := h.rec.Team, h.rec.League, h.refused
	s.mu.Unlock()
	if refused != "" {
		return TestResult{Outcome: OutcomeBlocked, Error: ptr(refused)}, nil
	}

	// Bounded whatever the receiver does (hangs, trickles, asks to retry
	// later), so that the caller gets an answer.
	bctx, cancel := context.WithTimeout(ctx, s.opts.TestTimeout)
	defer cancel()
	eventID := newID("test_")
	body := testPayload(eventID, id, team, lk, s.now()).JSON()
	o := s.deliver(bctx, bctx, h, t, eventID, EventTest, body, time.Time{}, s.testRetries)
	s.mu.Lock()
	s.recordLocked(h, EventTest, eventID, o)
	s.mu.Unlock()
	if o.disabled {
		s.outboxMu.Lock()
		s.mu.Lock()
		disable := !h.gone
		if disable {
			s.disableLocked(h)
		}
		s.mu.Unlock()
		if disable {
			s.journalLocked([]journalRec{{Op: opDrop, Webhook: id}}, false)
		}
		s.outboxMu.Unlock()
		s.log.Warn("webhook disabled: receiver answered 410 Gone", "webhook_id", id)
	}
	s.persistNow()

	res := TestResult{
		Delivered:  o.delivered,
		Outcome:    o.kind,
		StatusCode: o.status,
		Attempts:   o.attempts,
		LatencyMS:  float64(o.elapsed.Microseconds()) / 1000,
	}
	switch {
	case o.interrupted && ctx.Err() == nil:
		res.Outcome, res.StatusCode = OutcomeTimeout, nil
		res.Error = ptr(fmt.Sprintf("no answer within %s", s.opts.TestTimeout))
	case o.interrupted:
		res.Outcome, res.StatusCode = OutcomeTimeout, nil
		res.Error = ptr("cancelled before the receiver answered")
	case !o.delivered:
		res.Error = ptr(o.err)
	}
	status := 0
	if res.StatusCode != nil {
		status = *res.StatusCode
	}
	s.log.Info("webhook test", "webhook_id", id, "outcome", res.Outcome, "status", status,
		"attempts", o.attempts, "detail", o.detail)
	return res, nil
}

// EventTest is the type of the events Test sends.
const EventTest = "test"

// testPayload has the shape of a real event with placeholder game values, so
// that automations can be tried against it.
func testPayload(eventID, webhookID, team, leagueKey string, now time.Time) events.Payload {
	if leagueKey == "" {
		leagueKey = "test"
	}
	home := "HOME"
	if team != "" {
		home = team
	}
	ev := events.Event{
		Type: EventTest, ID: eventID, League: leagueKey,
		Game: game.Game{
			ID:           "test",
			HomeTeam:     game.Team{Abbreviation: home, Name: "Test Home Team"},
			AwayTeam:     game.Team{Abbreviation: "AWAY", Name: "Test Away Team"},
			Score:        game.Score{Home: 7, Away: 3},
			Status:       game.StatusLive,
			Period:       game.Period{Current: 1, TimeRemaining: "10:00"},
			StatusDetail: "10:00 - 1st",
		},
		PreviousStatus: game.StatusLive,
		Previous:       game.Score{Home: 0, Away: 3},
		Observed:       now,
	}
	p := ev.Payload(team)
	p.WebhookID = webhookID
	return p
}
