package webhook

import "time"

// keepDeliveries is how many ended deliveries each webhook remembers. They
// are kept in memory only: the counters (Stats) say how many calls there
// were since registration, these say what the last ones were, for the web
// page and for someone looking at a receiver's trouble.
const keepDeliveries = 20

// Delivery is one delivery that ended: an event delivered, refused,
// dropped or a test.
type Delivery struct {
	// At is when it ended, on the service's clock.
	At      time.Time `json:"at"`
	Event   string    `json:"event"`
	EventID string    `json:"event_id"`
	// Outcome is delivered, failed, expired (not delivered within the
	// retry window), disabled (the receiver answered 410) or interrupted
	// (a test that ran out of time).
	Outcome  string `json:"outcome"`
	Status   *int   `json:"status"`
	Attempts int    `json:"attempts"`
	// LatencyMS is from the first attempt to the last answer, retries
	// included.
	LatencyMS float64 `json:"latency_ms"`
	Error     *string `json:"error"`
}

func (o outcome) word() string {
	switch {
	case o.delivered:
		return "delivered"
	case o.disabled:
		return "disabled"
	case o.expired:
		return "expired"
	case o.interrupted:
		return "interrupted"
	}
	return "failed"
}

// recordLocked remembers a delivery that ended; the caller holds mu.
func (s *Service) recordLocked(h *hook, event, eventID string, o outcome) {
	d := Delivery{At: s.now().UTC(), Event: event, EventID: eventID, Outcome: o.word(), Status: o.status,
		Attempts: o.attempts, LatencyMS: float64(o.elapsed.Microseconds()) / 1000}
	if o.err != "" && !o.delivered {
		d.Error = ptr(o.err)
	}
	if len(h.recent) >= keepDeliveries {
		h.recent = append(h.recent[:0], h.recent[len(h.recent)-keepDeliveries+1:]...)
	}
	h.recent = append(h.recent, d)
}

// Deliveries are the last deliveries of a webhook that ended, newest
// first; ErrNotFound for an unknown id.
func (s *Service) Deliveries(id string) ([]Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hooks[id]
	if h == nil {
		return nil, ErrNotFound
	}
	out := make([]Delivery, 0, len(h.recent))
	for i := len(h.recent) - 1; i >= 0; i-- {
		out = append(out, h.recent[i])
	}
	return out, nil
}

// Summary counts the webhooks and their pending deliveries for /health.
type Summary struct {
	Registered int `json:"registered"`
	// Pending are deliveries waiting in the queues.
	Pending int `json:"pending"`
	// Failing are webhooks whose last call failed.
	Failing int `json:"failing"`
	// Disabled are webhooks that get no deliveries (410, or a URL refused
	// by the settings).
	Disabled int `json:"disabled"`
}

// Summary is the state of every webhook, from memory.
func (s *Service) Summary() Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	var sum Summary
	for _, h := range s.hooks {
		sum.Registered++
		sum.Pending += len(h.queue)
		st := h.rec.Stats
		if h.rec.Stats.Disabled || h.refused != "" {
			sum.Disabled++
		} else if st.LastFailure != nil && (st.LastSuccess == nil || st.LastFailure.After(*st.LastSuccess)) {
			sum.Failing++
		}
	}
	return sum
}
