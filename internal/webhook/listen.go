package webhook

import (
	"context"
	"time"
)

// listenQueueLimit bounds the events waiting for the listeners; beyond it
// events are dropped for the listeners (never for the webhooks) and logged.
const listenQueueLimit = 10000

// Subscribe adds a listener that is called with every event the service
// detects, after the same stale check and de-duplication by event id as
// webhook deliveries (an id is passed on once however often it is
// detected, for as long as its game is remembered), in the order detected.
// Listeners run on one goroutine owned by Run, never on the caller of
// Observe: a slow listener delays the others but never detection or a
// delivery. A listener should hand off anything slow. Events detected
// before Run starts wait for it; those queued when Run stops are passed on
// before it returns. Event.Observed is set.
//
// EventPayload builds the body a webhook would get for the event, so that
// other consumers (MQTT) carry the same payload and event_id.
func (s *Service) Subscribe(fn func(Event)) {
	if fn == nil {
		return
	}
	s.lmu.Lock()
	s.listeners = append(s.listeners, fn)
	s.lmu.Unlock()
}

// announceLocked queues ev for the listeners unless its id was announced
// before. Called with s.mu held.
func (s *Service) announceLocked(ev Event, now time.Time) {
	if _, seen := s.announced[ev.ID]; seen {
		return
	}
	s.announced[ev.ID] = now
	s.lmu.Lock()
	defer s.lmu.Unlock()
	if len(s.listeners) == 0 {
		return
	}
	if len(s.lqueue) >= listenQueueLimit {
		s.ldropped++
		s.log.Warn("event listeners behind; event not passed on", "event", ev.Type, "event_id", ev.ID, "dropped", s.ldropped)
		return
	}
	s.lqueue = append(s.lqueue, ev)
	select {
	case s.lwake <- struct{}{}:
	default:
	}
}

// forgetAnnouncedLocked drops ids older than the games they belong to.
func (s *Service) forgetAnnouncedLocked(now time.Time) {
	for id, at := range s.announced {
		if now.Sub(at) > forgetGamesAfter {
			delete(s.announced, id)
		}
	}
}

// dispatch passes queued events to the listeners until ctx ends, then
// passes on what is left and returns.
func (s *Service) dispatch(ctx context.Context) {
	defer s.wg.Done()
	for {
		select {
		case <-ctx.Done():
			s.passOn()
			return
		case <-s.lwake:
			s.passOn()
		}
	}
}

func (s *Service) passOn() {
	for {
		s.lmu.Lock()
		evs, fns := s.lqueue, s.listeners
		s.lqueue = nil
		s.lmu.Unlock()
		if len(evs) == 0 {
			return
		}
		for _, ev := range evs {
			for _, fn := range fns {
				s.call(fn, ev)
			}
		}
	}
}

// call runs one listener; a listener that panics is logged, and the others
// and the webhooks carry on.
func (s *Service) call(fn func(Event), ev Event) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("event listener panicked", "event", ev.Type, "event_id", ev.ID, "panic", r)
		}
	}()
	fn(ev)
}
