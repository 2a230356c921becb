// Package gamefeed is the live feed of the service: every change of a
// game that a poll brings (score, period, clock, status, anything the live
// routes show) and every game event as the webhooks carry it, numbered,
// kept a while for clients that reconnect, and handed to each subscriber
// through a bounded buffer. The stream route (GET /api/v1/games/stream)
// serves it as server-sent events; the web page follows games with it.
//
// The feed is a poller observer and an events subscriber: both are called
// on the poller's goroutine, so nothing here waits. A subscriber whose
// buffer is full is dropped (its stream ends, and a browser reconnects
// with the last id it had, from where the replay takes it up) rather than
// slowing the poller or the other subscribers.
package gamefeed

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
)

// TypeGame is the type of a message carrying a changed game; events carry
// their event type (game_start, score_change, game_end).
const TypeGame = "game"

// Message is one message of the feed, encoded once for every subscriber.
type Message struct {
	// ID is "<start>-<n>": the start of this feed and a sequence number,
	// so that an id from before a restart is never taken for a recent one.
	ID   string
	Type string
	// Data is one line of JSON.
	Data []byte
}

// GameChange is the data of a TypeGame message: the game as the live
// routes show it (game.Game), when the service observed it (the service's
// clock, the one the stored timeline uses) and its league's key.
type GameChange struct {
	League     string          `json:"league"`
	ObservedAt time.Time       `json:"observed_at"`
	Game       json.RawMessage `json:"game"`
}

// Options configure a Feed. Zero values take the defaults in brackets.
type Options struct {
	// Now is the service's clock [time.Now].
	Now func() time.Time
	// Buffer is how many messages wait for one subscriber before it is
	// dropped [128].
	Buffer int
	// Replay is how many recent messages are kept for subscribers that
	// come back with the id of the last one they had [512].
	Replay int
	// MaxSubscribers bounds the open streams [50].
	MaxSubscribers int
	// ForgetAfter: a game not seen for this long is forgotten, and sent
	// whole when it is seen again [36 h].
	ForgetAfter time.Duration
}

// Errors of Subscribe.
var (
	ErrFull   = errors.New("too many live streams are open; try again later")
	ErrClosed = errors.New("the service is shutting down")
)

// Feed is safe for concurrent use. It owns no goroutine.
type Feed struct {
	o     Options
	start string

	mu     sync.Mutex
	seq    uint64
	ring   []Message // the last o.Replay messages, oldest at ring[head] once full
	head   int
	subs   map[*Subscription]struct{}
	last   map[string]seenGame // league|game id → the game as last sent
	pruned time.Time
	closed bool
}

type seenGame struct {
	body []byte
	at   time.Time
}

// New returns an empty feed.
func New(o Options) *Feed {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Buffer <= 0 {
		o.Buffer = 128
	}
	if o.Replay <= 0 {
		o.Replay = 512
	}
	if o.MaxSubscribers <= 0 {
		o.MaxSubscribers = 50
	}
	if o.ForgetAfter <= 0 {
		o.ForgetAfter = 36 * time.Hour
	}
	return &Feed{o: o, start: strconv.FormatInt(time.Now().UnixMilli(), 36),
		subs: map[*Subscription]struct{}{}, last: map[string]seenGame{}}
}

// Observe takes every game of one poll of a league (the poller's observer
// call) and sends those that changed since they were last sent.
func (f *Feed) Observe(leagueKey string, games []game.Game) {
	lk := strings.ToLower(leagueKey)
	now := f.o.Now()
	bodies := make([][]byte, len(games))
	for i := range games {
		// A Game has nothing json cannot encode.
		bodies[i], _ = json.Marshal(&games[i])
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, g := range games {
		k := lk + "|" + g.ID
		if prev, ok := f.last[k]; ok && bytes.Equal(prev.body, bodies[i]) {
			f.last[k] = seenGame{body: prev.body, at: now}
			continue
		}
		f.last[k] = seenGame{body: bodies[i], at: now}
		data, _ := json.Marshal(GameChange{League: lk, ObservedAt: now.UTC(), Game: bodies[i]})
		f.publishLocked(TypeGame, data)
	}
	if now.Sub(f.pruned) > time.Hour {
		for k, s := range f.last {
			if now.Sub(s.at) > f.o.ForgetAfter {
				delete(f.last, k)
			}
		}
		f.pruned = now
	}
}

// Events takes the events of a poll (the events subscriber call) and sends
// each with the payload a webhook without a team gets.
func (f *Feed) Events(batch []events.Event) {
	data := make([][]byte, len(batch))
	for i, ev := range batch {
		data[i] = ev.Payload("").JSON()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, ev := range batch {
		f.publishLocked(ev.Type, data[i])
	}
}

// publishLocked numbers a message, keeps it for replay and offers it to
// every subscriber; one whose buffer is full is dropped.
func (f *Feed) publishLocked(typ string, data []byte) {
	if f.closed {
		return
	}
	f.seq++
	m := Message{ID: f.start + "-" + strconv.FormatUint(f.seq, 10), Type: typ, Data: data}
	if len(f.ring) < f.o.Replay {
		f.ring = append(f.ring, m)
	} else {
		f.ring[f.head] = m
		f.head = (f.head + 1) % len(f.ring)
	}
	for s := range f.subs {
		select {
		case s.ch <- m:
		default:
			s.dropped = true
			f.endLocked(s)
		}
	}
}

// Subscription is one subscriber: Replay first, then what C brings until
// it is closed (the subscriber was too slow, Cancel, or the feed closed).
type Subscription struct {
	f  *Feed
	ch chan Message
	// Replay are the messages after the id the subscriber came back with.
	Replay []Message
	// Reset: the messages after that id are no longer all known (too
	// many since, or the service restarted), so the subscriber should
	// read the whole state again. LastID is then the newest id.
	Reset   bool
	LastID  string
	dropped bool
}

// Subscribe adds a subscriber. lastID is the id of the last message it
// had ("" for a new one, which gets no replay).
func (f *Feed) Subscribe(lastID string) (*Subscription, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, ErrClosed
	}
	if len(f.subs) >= f.o.MaxSubscribers {
		return nil, ErrFull
	}
	s := &Subscription{f: f, ch: make(chan Message, f.o.Buffer)}
	if lastID != "" {
		s.Replay, s.Reset = f.sinceLocked(lastID)
		if s.Reset && len(f.ring) > 0 {
			s.LastID = f.ring[(f.head+len(f.ring)-1)%len(f.ring)].ID
		}
	}
	f.subs[s] = struct{}{}
	return s, nil
}

// sinceLocked are the kept messages after id, or reset when some of them
// are not kept any more or id is not one of this feed's.
func (f *Feed) sinceLocked(id string) ([]Message, bool) {
	start, n, ok := strings.Cut(id, "-")
	seq, err := strconv.ParseUint(n, 10, 64)
	if !ok || err != nil || start != f.start || seq > f.seq {
		return nil, true
	}
	oldest := f.seq - uint64(len(f.ring)) + 1
	if seq+1 < oldest {
		return nil, true
	}
	var out []Message
	for i := range f.ring {
		m := f.ring[(f.head+i)%len(f.ring)]
		if mseq := f.seq - uint64(len(f.ring)-1-i); mseq > seq {
			out = append(out, m)
		}
	}
	return out, false
}

// C brings the messages; it is closed when the subscription ends.
func (s *Subscription) C() <-chan Message { return s.ch }

// Dropped reports whether the subscription ended because its buffer was
// full.
func (s *Subscription) Dropped() bool {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	return s.dropped
}

// Cancel ends the subscription; calls after the first do nothing.
func (s *Subscription) Cancel() {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.endLocked(s)
}

func (f *Feed) endLocked(s *Subscription) {
	if _, ok := f.subs[s]; ok {
		delete(f.subs, s)
		close(s.ch)
	}
}

// Close ends every subscription and refuses new ones: the streams end when
// the server shuts down, rather than holding the shutdown.
func (f *Feed) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	for s := range f.subs {
		f.endLocked(s)
	}
}

// Subscribers is how many streams are open.
func (f *Feed) Subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}
