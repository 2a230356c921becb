package webhook

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/retry"
)

// The hold after an outage, part of the retry stage. A receiver is where
// webhooks deliver: the scheme, host and port of their URLs. Home
// Assistant answers 200 to a webhook id whose automation is not loaded, and
// while it starts its port opens before its automations are: a delivery in
// those seconds is answered and lost. So once an attempt finds a receiver
// unreachable (no connection, no answer in time, 502, 503 or 504), no event
// goes to it, from any webhook, until it has answered for
// Options.RecoveryHold without a break. Whether it answers is asked every
// second with OPTIONS on a webhook's URL, a request that by HTTP's rules
// changes nothing (Home Assistant runs no automation for it); any answer but
// 502, 503 and 504 counts. Test deliveries are not held.

// outage is the state of one receiver found unreachable.
type outage struct {
	down     bool          // deliveries wait for it
	since    time.Time     // when it was found unreachable
	upSince  time.Time     // first answer since the probes last failed
	waiters  int           // deliveries waiting for it
	probing  bool          // a probe goroutine runs
	released chan struct{} // closed when down becomes false
}

// outages are the receivers found unreachable, by receiverKey. mu is
// taken before Service.mu, never after it.
type outages struct {
	mu sync.Mutex
	m  map[string]*outage
}

// receiverKey is the receiver of a webhook URL: its scheme, host and port.
func receiverKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return strings.ToLower(u.Scheme + "://" + net.JoinHostPort(u.Hostname(), port))
}

// unreachable: the attempt found nobody answering for the receiver.
func (r attemptResult) unreachable() bool {
	if r.err != nil {
		return !errors.Is(r.err, errLinkLocal) && retry.RetryableError(r.err)
	}
	return gatewayDown(r.status)
}

// gatewayDown: a proxy or the receiver says it cannot serve now.
func gatewayDown(status int) bool {
	return status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

// receiverLost holds the receiver of url after an attempt found it
// unreachable, and reports whether it did (no hold when RecoveryHold is 0).
func (s *Service) receiverLost(rawURL string) bool {
	if s.opts.RecoveryHold <= 0 {
		return false
	}
	key := receiverKey(rawURL)
	s.held.mu.Lock()
	defer s.held.mu.Unlock()
	if s.held.m == nil {
		s.held.m = map[string]*outage{}
	}
	rc := s.held.m[key]
	if rc == nil {
		rc = &outage{released: make(chan struct{})}
		s.held.m[key] = rc
	}
	if !rc.down {
		rc.down, rc.since, rc.upSince = true, time.Now(), time.Time{}
		s.log.Info("webhook receiver unreachable: its deliveries wait until it has answered for a while",
			"receiver", key, "hold", s.opts.RecoveryHold)
	}
	return true
}

// awaitReceiver waits while the receiver of url is held. It reports
// whether deliveries may go; false when ctx ended or the deadline (when
// set) passed first.
func (s *Service) awaitReceiver(ctx context.Context, rawURL string, deadline time.Time) bool {
	key := receiverKey(rawURL)
	s.held.mu.Lock()
	rc := s.held.m[key]
	if rc == nil || !rc.down {
		s.held.mu.Unlock()
		return true
	}
	rc.waiters++
	if !rc.probing {
		s.mu.Lock()
		run := s.runCtx
		if run != nil {
			s.wg.Add(1)
		}
		s.mu.Unlock()
		if run != nil {
			rc.probing = true
			go s.probe(run, key, rawURL, rc)
		}
	}
	released := rc.released
	s.held.mu.Unlock()

	var expire <-chan time.Time
	if !deadline.IsZero() {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		expire = t.C
	}
	ok := false
	select {
	case <-released:
		ok = true
	case <-ctx.Done():
	case <-expire:
	}
	s.held.mu.Lock()
	rc.waiters--
	s.held.mu.Unlock()
	return ok
}

// probe asks the held receiver whether it answers until it has answered
// for RecoveryHold (then it releases the deliveries) or nobody waits any
// more. It is one of the goroutines Run waits for.
func (s *Service) probe(ctx context.Context, key, rawURL string, rc *outage) {
	defer s.wg.Done()
	every := min(time.Second, max(s.opts.RecoveryHold/5, 10*time.Millisecond))
	for {
		ok := s.answers(ctx, rawURL)
		now := time.Now()
		s.held.mu.Lock()
		switch {
		case !ok:
			rc.upSince = time.Time{}
		case rc.upSince.IsZero():
			rc.upSince = now
		}
		if ok && now.Sub(rc.upSince) >= s.opts.RecoveryHold {
			s.log.Info("webhook receiver answering again; its deliveries resume",
				"receiver", key, "held", now.Sub(rc.since).Round(time.Second))
			rc.down = false
			close(rc.released)
			rc.released = make(chan struct{})
		}
		if !rc.down || rc.waiters == 0 {
			// A later wait starts counting afresh: what happened between
			// is not known.
			rc.probing, rc.upSince = false, time.Time{}
			s.held.mu.Unlock()
			return
		}
		s.held.mu.Unlock()
		if retry.Sleep(ctx, every) != nil {
			s.held.mu.Lock()
			rc.probing, rc.upSince = false, time.Time{}
			s.held.mu.Unlock()
			return
		}
	}
}

// answers sends OPTIONS to the webhook's URL and reports whether the
// receiver answered, with anything but 502, 503 or 504.
func (s *Service) answers(ctx context.Context, rawURL string) bool {
	actx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodOptions, rawURL, nil)
	if err != nil {
		return false
	}
	req.Header.Set("User-Agent", "sports-data/"+s.opts.Version)
	resp, err := s.client.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return !gatewayDown(resp.StatusCode)
}
