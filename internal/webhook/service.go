package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sports-data/sports-data/internal/game"
)

// Options configure a Service. Zero values take the defaults in brackets.
type Options struct {
	// DataDir holds webhooks.json (registrations and their counters),
	// webhook-outbox.json (pending deliveries and what detection remembers
	// of each game) and webhook-delivered.log (event ids delivered per
	// webhook, kept 7 days). Required.
	DataDir string
	// Version goes into the User-Agent "sports-data/<version>" ["dev"].
	Version string
	// Resolve turns the team of a registration into a team; without it a
	// registration naming a team is refused.
	Resolve TeamResolver
	// HTTPClient sends deliveries [a client with Timeout]. Redirects are
	// never followed, whatever the client says.
	HTTPClient *http.Client
	// Timeout bounds each attempt [5 s].
	Timeout time.Duration
	// MaxRetries is the number of retries after the first attempt [3];
	// negative means none.
	MaxRetries int
	// BaseBackoff is the wait before the first retry, doubling after each
	// [1 s]. Jitter of ±25 % is added.
	BaseBackoff time.Duration
	// RetryAfterCap caps a receiver's Retry-After [60 s].
	RetryAfterCap time.Duration
	// Now is the clock for payload timestamps, delays and staleness [time.Now].
	Now func() time.Time
	// StaleAfter: a game that was already over longer than this when its end
	// was first observed (the service was down) gets no events [1 h].
	StaleAfter time.Duration
	// QueueLimit bounds the pending deliveries of one webhook [1000]; events
	// beyond it are dropped, counted and logged.
	QueueLimit int
	Logger     *slog.Logger
	// OnDelivery, when set, is called with "retry" before each retry and with
	// "success", "failed" or "disabled" when a delivery ends.
	OnDelivery func(outcome string, attempts int)
}

const (
	maxWebhooks        = 200
	deliveredRetention = 7 * 24 * time.Hour
	forgetGamesAfter   = 36 * time.Hour
	flushInterval      = time.Second
	pruneInterval      = 10 * time.Minute
)

// Service keeps the registrations, turns observed games into events and
// delivers them: one FIFO queue and one goroutine per webhook, so a slow or
// dead receiver delays nobody but itself.
//
// Exactly-once across restarts rests on three things in DATA_DIR:
//   - the outbox holds every pending delivery; it is written before Observe
//     returns whenever it detected something, and again (at most once a
//     second, and when Run stops) as deliveries finish. Deliveries not sent
//     when Run stops stay in it and go out after the next start.
//   - the outbox also holds the last observed state of every game, so the
//     next start diffs against what this service last saw; Seed fills in
//     games it has no record of from the store's baseline.
//   - the delivered log: an event id delivered to a webhook is never sent to
//     it again, whoever detects it again (a lagging baseline, a reloaded
//     outbox entry that had in fact gone out just before a crash).
type Service struct {
	opts   Options
	client *http.Client
	log    *slog.Logger

	regPath, outboxPath, deliveredPath string

	mu          sync.Mutex
	hooks       map[string]*hook
	games       map[string]*gameState
	running     bool
	runCtx      context.Context
	regsDirty   bool
	outboxDirty bool
	lastPrune   time.Time
	wg          sync.WaitGroup
	workers     atomic.Int64 // worker goroutines alive, for tests

	// Each file has its own writer lock; a writer takes its snapshot while
	// holding it, so a later write never loses to an earlier one.
	regsMu, outboxMu, deliveredMu sync.Mutex
	deliveredLines                int // guarded by deliveredMu

	announced map[string]time.Time // event ids passed to listeners; guarded by mu

	// Listeners and their queue (listen.go); lmu is taken after mu, never
	// before it.
	lmu       sync.Mutex
	listeners []func(Event)
	lqueue    []Event
	ldropped  int64
	lwake     chan struct{}
}

type hook struct {
	rec       record
	queue     []item
	delivered map[string]int64 // event id → unix seconds
	wake      chan struct{}
	stop      context.CancelFunc // set while a worker runs
	gone      bool               // deleted
}

type gameState struct {
	snap        snapshot
	corrections int
	seenAt      time.Time // last observation; zero when only seeded
	touched     time.Time // last observation or seed, for forgetting
}

// TestResult is the answer of Service.Test.
type TestResult struct {
	Delivered  bool `json:"delivered"`
	StatusCode *int `json:"status_code"`
	Attempts   int  `json:"attempts"`
	// LatencyMS is the time until the final answer, retries included.
	LatencyMS float64 `json:"latency_ms"`
	Error     *string `json:"error"`
}

// New loads the registrations, pending deliveries and delivered ids from
// DataDir. A registrations file that cannot be read is an error; an
// unreadable outbox is moved aside and logged.
func New(o Options) (*Service, error) {
	if o.DataDir == "" {
		return nil, errors.New("webhook: DataDir is required")
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = 3
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = time.Second
	}
	if o.RetryAfterCap <= 0 {
		o.RetryAfterCap = 60 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = time.Hour
	}
	if o.QueueLimit <= 0 {
		o.QueueLimit = 1000
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	var client http.Client
	if o.HTTPClient != nil {
		client = *o.HTTPClient
	} else {
		client.Timeout = o.Timeout
	}
	client.CheckRedirect = noRedirect

	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	removeTemps(o.DataDir)
	s := &Service{
		opts:          o,
		client:        &client,
		log:           o.Logger,
		regPath:       filepath.Join(o.DataDir, registrationsFile),
		outboxPath:    filepath.Join(o.DataDir, outboxFile),
		deliveredPath: filepath.Join(o.DataDir, deliveredFile),
		hooks:         map[string]*hook{},
		games:         map[string]*gameState{},
		announced:     map[string]time.Time{},
		lwake:         make(chan struct{}, 1),
	}
	now := s.now()
	s.lastPrune = now

	recs, err := loadRegistrations(s.regPath)
	if err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	for _, r := range recs {
		s.hooks[r.ID] = &hook{rec: r, delivered: map[string]int64{}, wake: make(chan struct{}, 1)}
	}

	delivered, _, err := loadDelivered(s.deliveredPath, now.Add(-deliveredRetention))
	if err != nil {
		return nil, fmt.Errorf("webhook: reading %s: %w", s.deliveredPath, err)
	}
	for id, ids := range delivered {
		if h := s.hooks[id]; h != nil {
			h.delivered = ids
		}
	}

	doc, err := loadOutbox(s.outboxPath, now)
	if err != nil {
		s.log.Warn("webhook outbox unreadable; pending deliveries lost", "err", err)
	}
	for id, items := range doc.Queues {
		h := s.hooks[id]
		if h == nil || h.rec.Stats.Disabled {
			continue
		}
		for _, it := range items {
			if _, done := h.delivered[it.EventID]; done || len(h.queue) >= o.QueueLimit {
				continue
			}
			h.queue = append(h.queue, it)
		}
	}
	for k, g := range doc.Games {
		s.games[k] = &gameState{
			snap:        snapshot{Status: g.Status, Score: game.Score{Home: g.Home, Away: g.Away}},
			corrections: g.Corrections,
			seenAt:      g.SeenAt,
			touched:     g.Touched,
		}
	}
	// Rewriting the log now drops expired ids and ids of deleted webhooks.
	if err := s.compactDelivered(); err != nil {
		return nil, fmt.Errorf("webhook: compacting %s: %w", s.deliveredPath, err)
	}
	pending := 0
	for _, h := range s.hooks {
		pending += len(h.queue)
	}
	s.log.Info("webhooks loaded", "webhooks", len(s.hooks), "pending", pending, "games", len(s.games))
	return s, nil
}

func (s *Service) now() time.Time { return s.opts.Now() }

// Run starts one delivery goroutine per webhook (and per webhook registered
// later) and a flusher for counters and the outbox. When ctx ends it stops
// them all, waits for them, writes everything pending and returns.
// Deliveries interrupted by the stop stay in the outbox and are sent after
// the next start (same event id, so a receiver that did get one can tell).
// Run must not be called again before it has returned.
func (s *Service) Run(ctx context.Context) {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		s.log.Error("webhook service already running")
		return
	}
	wctx, cancel := context.WithCancel(ctx)
	s.running, s.runCtx = true, wctx
	for _, h := range s.hooks {
		s.startWorkerLocked(h)
	}
	s.wg.Add(1)
	go s.dispatch(wctx)
	s.mu.Unlock()

	tick := time.NewTicker(flushInterval)
	defer tick.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			s.flush(false)
		}
	}
	s.mu.Lock()
	s.running, s.runCtx = false, nil
	for _, h := range s.hooks {
		h.stop = nil
	}
	s.mu.Unlock()
	cancel()
	s.wg.Wait()
	s.flush(true)
}

func (s *Service) startWorkerLocked(h *hook) {
	if !s.running || h.stop != nil || h.gone || h.rec.Stats.Disabled {
		return
	}
	ctx, cancel := context.WithCancel(s.runCtx)
	h.stop = cancel
	s.wg.Add(1)
	go s.work(ctx, h)
}

// work delivers one webhook's queue in order, one event at a time.
func (s *Service) work(ctx context.Context, h *hook) {
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
			case <-h.wake:
			}
			continue
		}
		if d := it.NotBefore.Sub(s.now()); d > 0 {
			if !sleepCtx(ctx, d) {
				return
			}
		}
		o := s.deliver(ctx, h, t, it.EventID, it.Event, []byte(it.Body))
		if o.interrupted {
			return
		}
		s.finish(h, it, o)
	}
}

func (s *Service) head(h *hook) (it item, t target, ok, stop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.gone || h.rec.Stats.Disabled {
		return item{}, target{}, false, true
	}
	if len(h.queue) == 0 {
		return item{}, target{}, false, false
	}
	return h.queue[0], target{url: h.rec.URL, secret: h.rec.Secret}, true, false
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
		if err := s.appendDelivered(id, it.EventID, now); err != nil {
			s.log.Error("recording webhook delivery", "webhook_id", id, "err", err)
		}
	}
	s.mu.Lock()
	if len(h.queue) > 0 && h.queue[0].EventID == it.EventID {
		h.queue[0] = item{}
		h.queue = h.queue[1:]
	}
	s.outboxDirty = true
	disable := o.disabled && !h.gone
	if disable {
		s.disableLocked(h)
	}
	s.mu.Unlock()

	log := s.log.With("webhook_id", id, "event", it.Event, "event_id", it.EventID, "attempts", o.attempts)
	switch {
	case o.delivered:
		log.Debug("webhook delivered", "latency", o.elapsed)
	case disable:
		log.Warn("webhook disabled: receiver answered 410 Gone")
		s.persistNow()
	default:
		log.Warn("webhook delivery failed", "err", o.err)
	}
}

func (s *Service) disableLocked(h *hook) {
	h.rec.Stats.Disabled = true
	h.rec.Stats.DisabledReason = ptr("receiver answered 410 Gone")
	h.queue = nil
	s.regsDirty, s.outboxDirty = true, true
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
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
	s.regsDirty = true
}

// Seed primes the previous state of games from the store's baseline (the
// latest stored state of every unfinished game) at start-up, so that a
// transition that happened while the service was down is detected once.
// Games this service has its own record of keep it: that record is at least
// as new as anything it detected events from.
func (s *Service) Seed(leagueKey string, previous []game.Game) {
	lk := strings.ToLower(strings.TrimSpace(leagueKey))
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range previous {
		if g.ID == "" {
			continue
		}
		k := gameKey(lk, g.ID)
		if _, ok := s.games[k]; ok {
			continue
		}
		s.games[k] = &gameState{snap: snapshot{Status: g.Status, Score: g.Score}, touched: now}
		s.outboxDirty = true
	}
}

// Observe takes every game of one poll of a league, detects events against
// the previous state of each game and queues a delivery for every webhook
// that wants one. It never waits for a receiver; when it detected something
// it writes the outbox before returning, so a crash right after loses
// nothing.
func (s *Service) Observe(leagueKey string, games []game.Game) {
	lk := strings.ToLower(strings.TrimSpace(leagueKey))
	now := s.now()
	var wake []*hook
	detected := false

	s.mu.Lock()
	for _, g := range games {
		if g.ID == "" {
			continue
		}
		if lk != "" {
			// The league the caller polled is the league of its games.
			g.League = strings.ToUpper(lk)
		}
		k := gameKey(lk, g.ID)
		st := s.games[k]
		if st == nil {
			s.games[k] = &gameState{snap: snapshot{Status: g.Status, Score: g.Score}, seenAt: now, touched: now}
			continue
		}
		evs, corrections := detect(st.snap, g, st.corrections)
		lastSeen := st.seenAt
		st.snap = snapshot{Status: g.Status, Score: g.Score}
		st.corrections, st.seenAt, st.touched = corrections, now, now
		if len(evs) == 0 {
			continue
		}
		detected = true
		if stale(g, lastSeen, now, s.opts.StaleAfter) {
			s.log.Info("not sending events of a game that was over long before it was observed",
				"league", lk, "game_id", g.ID, "events", len(evs))
			continue
		}
		for _, ev := range evs {
			ev.Observed = now
			s.announceLocked(ev, now)
			for _, h := range s.hooks {
				if s.enqueueLocked(h, ev, now) {
					wake = append(wake, h)
				}
			}
		}
	}
	for k, st := range s.games {
		if now.Sub(st.touched) > forgetGamesAfter {
			delete(s.games, k)
		}
	}
	s.forgetAnnouncedLocked(now)
	s.outboxDirty = true
	s.mu.Unlock()

	if detected {
		if err := s.saveOutbox(); err != nil {
			s.log.Error("writing webhook outbox", "err", err)
		}
	}
	for _, h := range wake {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
}

// wants reports whether a webhook subscribes to an event: the event type,
// and for scoped webhooks the league and the team.
func (h *hook) wants(ev Event) bool {
	r := &h.rec
	if r.League != "" && r.League != ev.League {
		return false
	}
	if r.Team != "" && !strings.EqualFold(r.Team, ev.Game.HomeTeam.Abbreviation) &&
		!strings.EqualFold(r.Team, ev.Game.AwayTeam.Abbreviation) {
		return false
	}
	for _, e := range r.Events {
		if e == ev.Type {
			return true
		}
	}
	return false
}

func (s *Service) enqueueLocked(h *hook, ev Event, now time.Time) bool {
	if h.gone || h.rec.Stats.Disabled || !h.wants(ev) {
		return false
	}
	if _, done := h.delivered[ev.ID]; done {
		return false
	}
	for _, it := range h.queue {
		if it.EventID == ev.ID {
			return false
		}
	}
	if len(h.queue) >= s.opts.QueueLimit {
		h.rec.Stats.Dropped++
		s.regsDirty = true
		s.log.Warn("webhook queue full; event dropped", "webhook_id", h.rec.ID,
			"event", ev.Type, "event_id", ev.ID, "limit", s.opts.QueueLimit, "dropped", h.rec.Stats.Dropped)
		return false
	}
	body := encode(payloadFor(ev, h.rec.ID, h.rec.Team, now))
	h.queue = append(h.queue, item{
		EventID:   ev.ID,
		Event:     ev.Type,
		Body:      string(body),
		NotBefore: now.Add(time.Duration(h.rec.DelaySeconds) * time.Second),
		Observed:  now,
	})
	return true
}

// Register validates a registration, stores it and starts its delivery.
// Validation errors are *ValidationError; errors of the TeamResolver are
// returned unchanged.
func (s *Service) Register(ctx context.Context, req RegisterRequest) (Registration, error) {
	if err := ctx.Err(); err != nil {
		return Registration{}, err
	}
	rec, err := validate(req, s.opts.Resolve)
	if err != nil {
		return Registration{}, err
	}
	rec.ID = newID("wh_")
	rec.CreatedAt = s.now().UTC().Truncate(time.Second)
	h := &hook{rec: rec, delivered: map[string]int64{}, wake: make(chan struct{}, 1)}

	s.mu.Lock()
	if len(s.hooks) >= maxWebhooks {
		s.mu.Unlock()
		return Registration{}, invalid("", "at most %d webhooks can be registered; delete one first", maxWebhooks)
	}
	s.hooks[rec.ID] = h
	s.regsDirty = true
	s.mu.Unlock()

	if err := s.saveRegistrations(); err != nil {
		s.mu.Lock()
		delete(s.hooks, rec.ID)
		h.gone = true
		s.regsDirty = true
		s.mu.Unlock()
		return Registration{}, fmt.Errorf("webhook: saving registration: %w", err)
	}
	s.mu.Lock()
	s.startWorkerLocked(h)
	s.mu.Unlock()

	reg := registrationOf(rec)
	reg.Message = registeredMessage(rec)
	s.log.Info("webhook registered", "webhook_id", rec.ID, "events", rec.Events, "team", rec.Team, "league", rec.League)
	return reg, nil
}

// RegisterSingle registers for one event, as the per-event routes do:
// event is "game-start", "game-end", "score-update" or any accepted event
// name. Events in req are ignored.
func (s *Service) RegisterSingle(ctx context.Context, event string, req RegisterRequest) (Registration, error) {
	e, ok := NormalizeEvent(event)
	if !ok {
		return Registration{}, invalid("events", "unknown event %q (known: %s)", clip(event, 40), strings.Join(allEvents, ", "))
	}
	req.Events = []string{e}
	return s.Register(ctx, req)
}

func registeredMessage(r record) string {
	scope := "every game"
	switch {
	case r.Team != "":
		scope = r.Team + " games (" + strings.ToUpper(r.League) + ")"
	case r.League != "":
		scope = strings.ToUpper(r.League) + " games"
	}
	msg := "Webhook registered for " + strings.Join(r.Events, ", ") + " on " + scope
	if r.DelaySeconds > 0 {
		msg += fmt.Sprintf(", delayed %d s", r.DelaySeconds)
	}
	return msg
}

func registrationOf(r record) Registration {
	return Registration{
		ID:           r.ID,
		URL:          r.URL,
		Events:       append([]string(nil), r.Events...),
		Team:         r.Team,
		League:       r.League,
		DelaySeconds: r.DelaySeconds,
		CreatedAt:    r.CreatedAt,
	}
}

// List returns every registration, oldest first, with its counters. The
// secret is never included.
func (s *Service) List() []Registration {
	s.mu.Lock()
	out := make([]Registration, 0, len(s.hooks))
	for _, h := range s.hooks {
		r := registrationOf(h.rec)
		st := h.rec.Stats
		r.Stats = &st
		r.Pending = len(h.queue)
		out = append(out, r)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Delete removes a webhook, stops its delivery and drops its queue.
func (s *Service) Delete(id string) error {
	s.mu.Lock()
	h := s.hooks[id]
	if h == nil {
		s.mu.Unlock()
		return ErrNotFound
	}
	delete(s.hooks, id)
	h.gone = true
	h.queue = nil
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
	s.regsDirty, s.outboxDirty = true, true
	s.mu.Unlock()

	if err := s.saveRegistrations(); err != nil {
		return fmt.Errorf("webhook: saving registrations: %w", err)
	}
	if err := s.saveOutbox(); err != nil {
		s.log.Error("writing webhook outbox", "err", err)
	}
	s.log.Info("webhook deleted", "webhook_id", id)
	return nil
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
	team, lk := h.rec.Team, h.rec.League
	s.mu.Unlock()

	eventID := newID("test_")
	body := encode(testPayload(eventID, id, team, lk, s.now()))
	o := s.deliver(ctx, h, t, eventID, EventTest, body)
	if o.disabled {
		s.mu.Lock()
		if !h.gone {
			s.disableLocked(h)
		}
		s.mu.Unlock()
		s.log.Warn("webhook disabled: receiver answered 410 Gone", "webhook_id", id)
	}
	s.persistNow()

	res := TestResult{
		Delivered:  o.delivered,
		StatusCode: o.status,
		Attempts:   o.attempts,
		LatencyMS:  float64(o.elapsed.Microseconds()) / 1000,
	}
	switch {
	case o.interrupted:
		res.Error = ptr("cancelled before the receiver answered")
	case !o.delivered:
		res.Error = ptr(o.err)
	}
	return res, nil
}

// persistNow writes registrations and outbox, logging failures.
func (s *Service) persistNow() {
	if err := s.saveRegistrations(); err != nil {
		s.log.Error("writing webhook registrations", "err", err)
	}
	if err := s.saveOutbox(); err != nil {
		s.log.Error("writing webhook outbox", "err", err)
	}
}

// flush writes what changed; force writes regardless. It also expires old
// delivered ids now and then.
func (s *Service) flush(force bool) {
	s.mu.Lock()
	regs, outbox := s.regsDirty || force, s.outboxDirty || force
	prune := s.now().Sub(s.lastPrune) > pruneInterval
	if prune {
		s.lastPrune = s.now()
		cutoff := s.now().Add(-deliveredRetention).Unix()
		for _, h := range s.hooks {
			for id, at := range h.delivered {
				if at < cutoff {
					delete(h.delivered, id)
				}
			}
		}
	}
	live := 0
	for _, h := range s.hooks {
		live += len(h.delivered)
	}
	s.mu.Unlock()

	if regs {
		if err := s.saveRegistrations(); err != nil {
			s.log.Error("writing webhook registrations", "err", err)
		}
	}
	if outbox {
		if err := s.saveOutbox(); err != nil {
			s.log.Error("writing webhook outbox", "err", err)
		}
	}
	s.deliveredMu.Lock()
	grown := s.deliveredLines > 2*live+1024
	s.deliveredMu.Unlock()
	if grown || force {
		if err := s.compactDelivered(); err != nil {
			s.log.Error("compacting webhook delivered log", "err", err)
		}
	}
}

func (s *Service) saveRegistrations() error {
	s.regsMu.Lock()
	defer s.regsMu.Unlock()
	s.mu.Lock()
	doc := registrationsDoc{Version: 1, Webhooks: make([]record, 0, len(s.hooks))}
	for _, h := range s.hooks {
		doc.Webhooks = append(doc.Webhooks, h.rec)
	}
	s.regsDirty = false
	s.mu.Unlock()
	sort.Slice(doc.Webhooks, func(i, j int) bool {
		a, b := doc.Webhooks[i], doc.Webhooks[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	b, err := json.MarshalIndent(doc, "", "  ")
	if err == nil {
		err = writeAtomic(s.regPath, b)
	}
	if err != nil {
		s.mu.Lock()
		s.regsDirty = true
		s.mu.Unlock()
	}
	return err
}

func (s *Service) saveOutbox() error {
	s.outboxMu.Lock()
	defer s.outboxMu.Unlock()
	s.mu.Lock()
	doc := outboxDoc{Version: 1, Queues: map[string][]item{}, Games: make(map[string]gameRecord, len(s.games))}
	for id, h := range s.hooks {
		if len(h.queue) > 0 {
			doc.Queues[id] = append([]item(nil), h.queue...)
		}
	}
	for k, g := range s.games {
		doc.Games[k] = gameRecord{
			Status: g.snap.Status, Home: g.snap.Score.Home, Away: g.snap.Score.Away,
			Corrections: g.corrections, SeenAt: g.seenAt, Touched: g.touched,
		}
	}
	s.outboxDirty = false
	s.mu.Unlock()
	b, err := json.Marshal(doc)
	if err == nil {
		err = writeAtomic(s.outboxPath, b)
	}
	if err != nil {
		s.mu.Lock()
		s.outboxDirty = true
		s.mu.Unlock()
	}
	return err
}

func (s *Service) appendDelivered(webhookID, eventID string, at time.Time) error {
	s.deliveredMu.Lock()
	defer s.deliveredMu.Unlock()
	if err := appendDelivered(s.deliveredPath, deliveredLine{Webhook: webhookID, Event: eventID, At: at.Unix()}); err != nil {
		return err
	}
	s.deliveredLines++
	return nil
}

// compactDelivered rewrites the log with the ids still remembered.
func (s *Service) compactDelivered() error {
	s.deliveredMu.Lock()
	defer s.deliveredMu.Unlock()
	s.mu.Lock()
	m := make(map[string]map[string]int64, len(s.hooks))
	for id, h := range s.hooks {
		m[id] = h.delivered
	}
	b, n := encodeDelivered(m)
	s.mu.Unlock()
	if err := writeAtomic(s.deliveredPath, b); err != nil {
		return err
	}
	s.deliveredLines = n
	return nil
}

func newID(prefix string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
