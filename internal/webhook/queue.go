package webhook

import (
	"context"
	"time"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/retry"
)

// The queue stage: each webhook has a FIFO of deliveries and one worker
// goroutine that takes the head, waits for its delay_seconds, hands it to
// the retry/send stage (deliver.go) and records the outcome. The queue is
// what the outbox persists.

func (s *Service) startWorkerLocked(h *hook) {
	if !s.running || h.stop != nil || h.inactive() {
		return
	}
	ctx, cancel := context.WithCancel(s.runCtx)
	h.stop = cancel
	s.wg.Add(1)
	go s.work(ctx, s.stopping, h)
}

// work delivers one webhook's queue in order, one event at a time. ctx
// ends it at once (deletion, or a stop past its grace); stopping ends it
// after the attempt in flight, whose answer is then recorded (Run).
func (s *Service) work(ctx, stopping context.Context, h *hook) {
	defer s.wg.Done()
	s.workers.Add(1)
	defer s.workers.Add(-1)
	for {
		it, t, ok, stop := s.head(h)
		if stop {
			return
		}
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-stopping.Done():
				return
			case <-h.wake:
			}
			continue
		}
		if d := it.NotBefore.Sub(s.now()); d > 0 {
			if retry.Sleep(stopping, d) != nil || ctx.Err() != nil {
				return
			}
		}
		o := s.deliver(ctx, stopping, h, t, it.EventID, it.Event, []byte(it.Body), it.deadline(s.opts.RetryWindow), s.eventRetries)
		if o.interrupted {
			return
		}
		s.finish(h, it, o)
	}
}

func (s *Service) head(h *hook) (it item, t target, ok, stop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.inactive() {
		return item{}, target{}, false, true
	}
	if len(h.queue) == 0 {
		return item{}, target{}, false, false
	}
	return h.queue[0], target{url: h.rec.URL, secret: h.rec.Secret, held: true}, true, false
}

// finish records the end of a delivery and takes it off the queue.
func (s *Service) finish(h *hook, it item, o outcome) {
	id := h.rec.ID
	if o.delivered {
		now := s.now()
		s.mu.Lock()
		if !h.gone {
			h.delivered[it.EventID] = now.Unix()
		}
		s.mu.Unlock()
		// Written before the outbox drops the item: after a crash in
		// between, the reloaded item is recognised as delivered.
		s.deliveredFailing.Report(s.appendDelivered(id, it.EventID, now))
	}
	s.outboxMu.Lock()
	s.mu.Lock()
	s.recordLocked(h, it.Event, it.EventID, o)
	var recs []journalRec
	if len(h.queue) > 0 && h.queue[0].EventID == it.EventID {
		h.queue[0] = item{}
		h.queue = h.queue[1:]
		recs = append(recs, journalRec{Op: opDone, Webhook: id, Event: it.EventID})
	}
	disable := o.disabled && !h.gone
	if disable {
		s.disableLocked(h)
		recs = append(recs, journalRec{Op: opDrop, Webhook: id})
	}
	if o.expired && !h.gone {
		h.rec.Stats.Expired++
		s.statsDirty = true
	}
	// One warning per outage of a receiver, not one per event dropped.
	droppedBefore := h.expiredRun
	switch {
	case o.expired:
		h.expiredRun++
	case o.delivered:
		h.expiredRun = 0
	}
	s.mu.Unlock()
	s.journalLocked(recs, false)
	s.outboxMu.Unlock()

	log := s.log.With("webhook_id", id, "event", it.Event, "event_id", it.EventID, "attempts", o.attempts)
	switch {
	case o.delivered && droppedBefore > 0:
		log.Info("webhook receiver answering again", "dropped_meanwhile", droppedBefore)
	case o.delivered:
		log.Debug("webhook delivered", "latency", o.elapsed)
	case disable:
		log.Warn("webhook disabled: receiver answered 410 Gone")
		s.persistNow()
	case o.expired && droppedBefore == 0:
		log.Warn("webhook events are being dropped: not delivered within the retry window (later ones are counted in expired_events until the receiver answers)",
			"window", s.opts.RetryWindow, "occurred_at", it.Observed, "err", o.err, "detail", o.detail)
	case o.expired:
		log.Debug("webhook event dropped: not delivered within the retry window",
			"occurred_at", it.Observed, "err", o.err)
	default:
		log.Warn("webhook delivery failed", "err", o.err, "detail", o.detail)
	}
}

// disableLocked disables a webhook and drops its queue; the caller holds
// outboxMu and mu, and journals the drop.
func (s *Service) disableLocked(h *hook) {
	h.rec.Stats.Disabled = true
	h.rec.Stats.DisabledReason = ptr("receiver answered 410 Gone")
	h.queue = nil
	s.regsDirty = true
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
}

// Events queues a delivery of each event for every webhook that wants it:
// the service is a subscriber of event detection (package events), which
// calls it after each poll before it records the games' new state. It
// never waits for a receiver; the outbox journal has the deliveries, with
// an fsync, before it returns, so a crash right after loses nothing.
func (s *Service) Events(batch []events.Event) {
	var wake []*hook
	var added []journalRec
	s.outboxMu.Lock()
	s.mu.Lock()
	for _, ev := range batch {
		for _, h := range s.hooks {
			if it, ok := s.enqueueLocked(h, ev); ok {
				added = append(added, journalRec{Op: opAdd, Webhook: h.rec.ID, Item: &it})
				wake = append(wake, h)
			}
		}
	}
	s.mu.Unlock()
	s.journalLocked(added, true)
	s.outboxMu.Unlock()
	for _, h := range wake {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
}

// wants reports whether a webhook subscribes to an event: the event type,
// and for scoped webhooks the league and the team; and the team the
// payload is seen from. A club the webhook follows in one competition
// gets its events in the others it is followed in (Options.SameClub).
func (h *hook) wants(ev events.Event, sameClub func(leagueA, abbrA, leagueB, abbrB string) bool) (string, bool) {
	r := &h.rec
	team := r.Team
	if r.League != "" && r.League != ev.League {
		if r.Team == "" || sameClub == nil {
			return "", false
		}
		team = ""
		for _, side := range []string{ev.Game.HomeTeam.Abbreviation, ev.Game.AwayTeam.Abbreviation} {
			if sameClub(r.League, r.Team, ev.League, side) {
				team = side
			}
		}
		if team == "" {
			return "", false
		}
	}
	if team != "" && !ev.Game.Names(team) {
		return "", false
	}
	for _, e := range r.Events {
		if e == ev.Type {
			return team, true
		}
	}
	return "", false
}

func (s *Service) enqueueLocked(h *hook, ev events.Event) (item, bool) {
	team, wanted := h.wants(ev, s.opts.SameClub)
	if h.inactive() || !wanted {
		return item{}, false
	}
	if _, done := h.delivered[ev.ID]; done {
		return item{}, false
	}
	for _, it := range h.queue {
		if it.EventID == ev.ID {
			return item{}, false
		}
	}
	if len(h.queue) >= s.opts.QueueLimit {
		h.rec.Stats.Dropped++
		s.statsDirty = true
		s.log.Warn("webhook queue full; event dropped", "webhook_id", h.rec.ID,
			"event", ev.Type, "event_id", ev.ID, "limit", s.opts.QueueLimit, "dropped", h.rec.Stats.Dropped)
		return item{}, false
	}
	delay := time.Duration(h.rec.DelaySeconds) * time.Second
	p := ev.Payload(team)
	p.WebhookID = h.rec.ID
	it := item{
		EventID:   ev.ID,
		Event:     ev.Type,
		Body:      string(p.JSON()),
		NotBefore: ev.Due(delay),
		Observed:  ev.Observed,
		Due:       time.Now().Add(delay),
	}
	h.queue = append(h.queue, it)
	return it, true
}

// deadline is when retrying it ends, on the wall clock: a receiver's
// restart takes real time whatever the service's clock says.
func (it item) deadline(window time.Duration) time.Time {
	if it.Due.IsZero() {
		return it.NotBefore.Add(window)
	}
	return it.Due.Add(window)
}
