package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	failing "github.com/sports-data/sports-data/internal/outage"
	"github.com/sports-data/sports-data/internal/redact"
	"github.com/sports-data/sports-data/internal/retry"
)

// Options configure a Service. Zero values take the defaults in brackets.
type Options struct {
	// DataDir holds webhooks.json (registrations and their counters),
	// webhook-outbox.log (pending deliveries) and webhook-delivered.log
	// (event ids delivered per webhook, kept 7 days). Required.
	DataDir string
	// Version goes into the User-Agent "sports-data/<version>" ["dev"].
	Version string
	// Resolve turns the team of a registration into a team; without it a
	// registration naming a team is refused.
	Resolve TeamResolver
	// SameClub tells whether two teams of followed leagues are one club
	// (teams.Directory.SameClub): a webhook of a club in one competition
	// gets its events in the others. Nil: never.
	SameClub func(leagueA, abbrA, leagueB, abbrB string) bool
	// Leagues are the keys of the followed leagues; a registration for
	// another league is accepted with a warning in its answer.
	Leagues []string
	// HTTPClient sends deliveries [a client with Timeout whose dialer
	// refuses link-local and metadata addresses unless AllowLinkLocal].
	// Redirects are never followed, whatever the client says.
	HTTPClient *http.Client
	// Timeout bounds each attempt [5 s].
	Timeout time.Duration
	// TestTimeout bounds Service.Test, retries included [14 s, so that the
	// test route answers within 15 s whatever the receiver does].
	TestTimeout time.Duration
	// StopGrace bounds how long Run, asked to stop, waits for the
	// attempts in flight to be answered [Timeout + 1 s: every attempt
	// ends by itself first]. An attempt cut by it stays pending and is
	// sent again after the next start.
	StopGrace time.Duration
	// AllowLinkLocal lets webhooks point at the refused ranges (link-local,
	// cloud metadata, NAT64: target.go), refused otherwise
	// (WEBHOOK_ALLOW_LINK_LOCAL).
	AllowLinkLocal bool
	// Proxy, when set, sends deliveries through a proxy
	// (WEBHOOK_USE_PROXY: http.ProxyFromEnvironment); the target is still
	// checked. Nil: deliveries go straight to the receiver, whatever
	// HTTP_PROXY says.
	Proxy func(*http.Request) (*url.URL, error)
	// Resolver looks up receivers' names [net.DefaultResolver].
	Resolver *net.Resolver
	// RetryWindow is how long after it was due (observed, plus the
	// webhook's delay) an event is retried on network errors, timeouts,
	// 408, 429 and 5xx, so that a receiver restarting (Home Assistant) gets
	// it when it is back, in order. Past it the event is dropped and
	// counted [10 min] (WEBHOOK_RETRY_WINDOW). It is wall-clock time, not
	// Now's: a restart takes real time however fast a demo's clock runs.
	RetryWindow time.Duration
	// RecoveryHold: once an attempt finds a receiver unreachable, no event
	// goes to it until it has answered for this long, so that a Home
	// Assistant still loading its automations does not take events it
	// cannot run (receiver.go) [0: no hold] (WEBHOOK_RECOVERY_HOLD).
	RecoveryHold time.Duration
	// MaxRetries bounds the retries after the first attempt [no bound but
	// RetryWindow for events; 3 for Service.Test]; negative means none.
	MaxRetries int
	// BaseBackoff is the ceiling of the wait before the first retry,
	// doubling after each up to MaxBackoff [1 s, 30 s]; each wait is drawn
	// below its ceiling (full jitter, internal/retry).
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// RetryAfterCap caps a receiver's Retry-After [60 s].
	RetryAfterCap time.Duration
	// Now is the clock of delays and test events [time.Now].
	Now func() time.Time
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
	flushInterval      = time.Second
	pruneInterval      = 10 * time.Minute
	statsInterval      = 30 * time.Second
)

// Service keeps the registrations and delivers the events it is handed
// (package events): one FIFO queue and one goroutine per webhook, so a
// slow or dead receiver delays nobody but itself.
//
// Exactly-once across restarts rests on the event ids (package events)
// and two things in DATA_DIR:
//   - the outbox journal holds every pending delivery; a delivery is in it
//     before Events returns (so before detection records the game's new
//     state), and leaves it when it ends. Deliveries not sent when Run
//     stops stay in it and go out after the next start.
//   - the delivered log: an event id delivered to a webhook is never sent to
//     it again, whoever detects it again (a lagging baseline, a reloaded
//     outbox entry that had in fact gone out just before a crash).
type Service struct {
	opts Options
	// eventRetries and testRetries are Options.MaxRetries resolved.
	eventRetries, testRetries int
	backoff                   retry.Backoff
	client                    *http.Client
	log                       *slog.Logger

	regPath, deliveredPath string

	mu      sync.Mutex
	hooks   map[string]*hook
	running bool
	runCtx  context.Context
	// stopping ends when Run is asked to stop: workers finish the attempt
	// in flight and start no other.
	stopping context.Context
	// What changed since the last write: registrations (written at once)
	// and their counters (paced).
	regsDirty, statsDirty bool
	lastStatsSave         time.Time
	lastPrune             time.Time
	wg                    sync.WaitGroup
	workers               atomic.Int64 // worker goroutines alive, for tests

	// Each file has its own writer lock; a writer takes its snapshot while
	// holding it, so a later write never loses to an earlier one.
	// outboxMu also orders the queue changes with their journal lines:
	// whoever changes a queue takes it before mu and appends before
	// releasing it.
	regsMu, outboxMu, deliveredMu sync.Mutex
	deliveredLines                int      // guarded by deliveredMu
	journal                       *journal // guarded by outboxMu

	held outages // receivers held after an outage
	// Each file that cannot be written (a full disk) is logged when it
	// begins and when it ends, not at every attempt.
	regsFailing, outboxFailing, deliveredFailing *failing.Reporter
}

type hook struct {
	rec       record
	queue     []item
	delivered map[string]int64 // event id → unix seconds
	wake      chan struct{}
	stop      context.CancelFunc // set while a worker runs
	gone      bool               // deleted
	// expiredRun counts the events dropped past the retry window since
	// the last delivery, so that an outage is logged once.
	expiredRun int64
	// refused says why a registration loaded from disk is not delivered
	// to (its URL breaks a rule); it is not stored, so that a change of
	// settings takes effect at the next start.
	refused string
	// recent are the last deliveries that ended, oldest first (recent.go).
	recent []Delivery
}

// inactive: deleted, disabled or refused; no deliveries.
func (h *hook) inactive() bool { return h.gone || h.rec.Stats.Disabled || h.refused != "" }

// New loads the registrations, pending deliveries and delivered ids from
// DataDir. A registrations file that cannot be read is an error;
// unreadable lines of the outbox journal are skipped.
func New(o Options) (*Service, error) {
	if o.DataDir == "" {
		return nil, errors.New("webhook: DataDir is required")
	}
	o.defaults()
	eventRetries, testRetries := o.MaxRetries, o.MaxRetries
	switch {
	case o.MaxRetries == 0:
		eventRetries, testRetries = math.MaxInt, 3
	case o.MaxRetries < 0:
		eventRetries, testRetries = 0, 0
	}
	var client http.Client
	if o.HTTPClient != nil {
		client = *o.HTTPClient
	} else {
		client.Timeout = o.Timeout
		client.Transport = guardedTransport(o.AllowLinkLocal, o.Proxy, o.Resolver)
	}
	client.CheckRedirect = noRedirect

	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	removeTemps(o.DataDir)
	s := &Service{
		opts:          o,
		eventRetries:  eventRetries,
		backoff:       retry.Backoff{Base: o.BaseBackoff, Max: o.MaxBackoff, RetryAfterCap: o.RetryAfterCap},
		testRetries:   testRetries,
		client:        &client,
		log:           o.Logger,
		regPath:       filepath.Join(o.DataDir, registrationsFile),
		journal:       &journal{path: filepath.Join(o.DataDir, outboxFile)},
		deliveredPath: filepath.Join(o.DataDir, deliveredFile),
		hooks:         map[string]*hook{},
	}
	s.regsFailing = failing.New(o.Logger, "writing webhook registrations", "counters and changes stay in memory and are written again every second")
	s.outboxFailing = failing.New(o.Logger, "writing the webhook outbox", "deliveries go on from memory; a restart meanwhile would lose the pending ones")
	s.deliveredFailing = failing.New(o.Logger, "recording webhook deliveries", "delivered ids are kept in memory; a restart meanwhile could send one again")
	s.lastPrune = s.now()
	s.lastStatsSave = time.Now()
	if err := s.loadHooks(); err != nil {
		return nil, err
	}
	if err := s.loadOutbox(); err != nil {
		return nil, err
	}
	pending := 0
	for _, h := range s.hooks {
		pending += len(h.queue)
	}
	s.log.Info("webhooks loaded", "webhooks", len(s.hooks), "pending", pending)
	return s, nil
}

func (o *Options) defaults() {
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.TestTimeout <= 0 {
		o.TestTimeout = 14 * time.Second
	}
	if o.StopGrace <= 0 {
		o.StopGrace = o.Timeout + time.Second
	}
	if o.RetryWindow <= 0 {
		o.RetryWindow = 10 * time.Minute
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.RetryAfterCap <= 0 {
		o.RetryAfterCap = 60 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.QueueLimit <= 0 {
		o.QueueLimit = 1000
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// loadHooks reads the registrations and the ids delivered to each.
func (s *Service) loadHooks() error {
	recs, err := loadRegistrations(s.regPath)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	for _, r := range recs {
		h := &hook{rec: r, delivered: map[string]int64{}, wake: make(chan struct{}, 1)}
		if err := checkStoredURL(r.URL, s.opts.AllowLinkLocal); err != nil {
			h.refused = "url refused: " + err.Error()
			s.log.Warn("webhook not delivered to: its stored URL is refused", "webhook_id", r.ID,
				"url", redact.URL(r.URL), "reason", err)
		}
		s.hooks[r.ID] = h
	}
	delivered, _, err := loadDelivered(s.deliveredPath, s.now().Add(-deliveredRetention))
	if err != nil {
		return fmt.Errorf("webhook: reading %s: %w", s.deliveredPath, err)
	}
	for id, ids := range delivered {
		if h := s.hooks[id]; h != nil {
			h.delivered = ids
		}
	}
	return nil
}

// loadOutbox queues the pending deliveries of the journal (or of an
// earlier version's outbox, which it then removes) and compacts the logs.
func (s *Service) loadOutbox() error {
	queues, found, err := loadJournal(s.journal.path)
	if err != nil {
		s.log.Warn("webhook outbox partly unreadable; some pending deliveries lost", "err", err)
	}
	legacyPath := filepath.Join(s.opts.DataDir, legacyOutboxFile)
	legacy, migrate, err := loadLegacyOutbox(legacyPath, s.now())
	if err != nil {
		s.log.Warn("webhook outbox of an earlier version unreadable; its pending deliveries lost", "err", err)
	}
	if migrate && !found {
		queues = legacy.Queues
	}
	for id, items := range queues {
		h := s.hooks[id]
		if h == nil || h.inactive() {
			continue
		}
		for _, it := range items {
			if _, done := h.delivered[it.EventID]; done || len(h.queue) >= s.opts.QueueLimit {
				continue
			}
			h.queue = append(h.queue, it)
		}
	}
	// Rewriting the logs now drops expired ids, finished deliveries and
	// ids of deleted webhooks.
	if err := s.compactDelivered(); err != nil {
		return fmt.Errorf("webhook: compacting %s: %w", s.deliveredPath, err)
	}
	if err := s.compactOutbox(); err != nil {
		return fmt.Errorf("webhook: compacting %s: %w", s.journal.path, err)
	}
	if migrate {
		// Its games went to event detection (package events), which
		// reads them before this runs.
		if err := os.Remove(legacyPath); err != nil {
			return fmt.Errorf("webhook: %w", err)
		}
		s.log.Info("webhook outbox carried over to the journal", "from", legacyOutboxFile, "to", outboxFile)
	}
	return nil
}

func (s *Service) now() time.Time { return s.opts.Now() }

// Run starts one delivery goroutine per webhook (and per webhook registered
// later) and a flusher for counters and the outbox. When ctx ends it stops
// them all (each after its attempt in flight, within StopGrace: drain),
// writes everything pending and returns. Deliveries not made by then stay
// in the outbox and are sent after the next start (same event id, so a
// receiver that did get one can tell).
// Run must not be called again before it has returned.
func (s *Service) Run(ctx context.Context) {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		s.log.Error("webhook service already running")
		return
	}
	// Workers outlive ctx by the grace of the stop: their attempts in
	// flight are cut by cancel, not by ctx.
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stopping, stop := context.WithCancel(wctx)
	defer stop()
	s.running, s.runCtx, s.stopping = true, wctx, stopping
	for _, h := range s.hooks {
		s.startWorkerLocked(h)
	}
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
	s.running, s.runCtx, s.stopping = false, nil, nil
	for _, h := range s.hooks {
		h.stop = nil
	}
	s.mu.Unlock()
	s.drain(stop, cancel)
	s.flush(true)
}

// drain stops the workers: each finishes the attempt in flight, and its
// answer is recorded (delivered, or pending for the next start), so that
// a stop neither repeats an event a slow receiver took nor loses one.
// Attempts still unanswered after StopGrace are cut short and stay
// pending.
func (s *Service) drain(stop, cancel context.CancelFunc) {
	stop()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	grace := time.NewTimer(s.opts.StopGrace)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		s.log.Warn("webhook deliveries still unanswered at the stop; they stay pending and are sent again after the next start",
			"grace", s.opts.StopGrace)
	}
	cancel()
	<-done
}

func newID(prefix string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func ptr[T any](v T) *T { return &v }
