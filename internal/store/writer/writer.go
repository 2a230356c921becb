// Package writer is the batch writer in front of every store: it queues
// points in memory, writes them in batches through a circuit breaker, and
// keeps them in a bounded on-disk spool while the store is down, replaying
// them in order when it is back. When the spool cannot be written either
// (the disk is full, and with SQLite the store is on the same disk), the
// points are held in memory, bounded, until the store or the disk takes
// them again.
//
// Order is kept across the whole path: spooled points are older than held
// ones, held ones older than queued ones, so new points wait behind both,
// and a batch that fails is spooled (or held) in front of anything spooled
// or held while it was being written.
package writer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/sports-data/sports-data/internal/outage"
	"github.com/sports-data/sports-data/internal/store"
)

// Sink is where batches go; every store.Store is one. Write must return
// once ctx is done.
type Sink interface {
	Write(ctx context.Context, points []store.Point) error
}

// ErrPermanent marks (wrapped) a store error saying the points can never
// be accepted: the batch is dropped instead of retried.
var ErrPermanent = errors.New("points permanently rejected")

// PermanentError is what a store error may implement to say for itself
// whether retrying can help (an HTTP store answers false for a 503 and
// true for a 400).
type PermanentError interface {
	Permanent() bool
}

// IsPermanent reports whether err says the points will never be accepted,
// following the store contract: an error that implements PermanentError
// decides for itself; ErrPermanent is permanent; store.ErrUnavailable and
// context errors (a write that timed out or was cancelled) are worth
// retrying; any other error is a store refusing the points for what they
// are (an invalid point, a field type conflict), which no retry mends.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	var p PermanentError
	if errors.As(err, &p) {
		return p.Permanent()
	}
	if errors.Is(err, ErrPermanent) {
		return true
	}
	for _, transient := range []error{store.ErrUnavailable, context.Canceled, context.DeadlineExceeded,
		errAborted, gobreaker.ErrOpenState, gobreaker.ErrTooManyRequests} {
		if errors.Is(err, transient) {
			return false
		}
	}
	return true
}

// ErrClosed is returned by Flush after Close.
var ErrClosed = errors.New("writer closed")

// errAborted wraps a write cut short by Close, so that the breaker does
// not count the store as failing.
var errAborted = errors.New("write aborted by shutdown")

// Options configure a Writer. Zero values take the defaults in brackets.
type Options struct {
	BatchSize     int           // points per write [100]
	FlushInterval time.Duration // longest wait of a queued point [10s]
	LiveFlush     time.Duration // longest wait of a point of a live game [DefaultLiveFlush]
	// Live reports whether a point belongs to a game in play: such points,
	// and the next ones of the same game, wait at most LiveFlush. The
	// caller owns the status vocabulary; nil means no point is live.
	Live          func(store.Point) bool
	QueueSize     int    // points in memory before they spill to the spool [10000]
	SpoolDir      string // required
	SpoolMaxBytes int64  // bound of the spool [64 MiB]
	// HoldSize bounds the points held in memory while the spool cannot be
	// written; beyond it the oldest are dropped [QueueSize].
	HoldSize        int
	BreakerFailures int           // consecutive failures that open the breaker [3]
	BreakerTimeout  time.Duration // open time before a probe [60s]
	WriteTimeout    time.Duration // per store write [10s]
	Logger          *slog.Logger
	// OnWrite, when set, is called after every write that reached the
	// store, from the writer's goroutine.
	OnWrite func(n int, d time.Duration, err error)
}

func (o *Options) setDefaults() error {
	if o.SpoolDir == "" {
		return errors.New("writer: SpoolDir is required")
	}
	for _, f := range []struct {
		name string
		bad  bool
	}{
		{"BatchSize", o.BatchSize < 0},
		{"FlushInterval", o.FlushInterval < 0},
		{"LiveFlush", o.LiveFlush < 0},
		{"QueueSize", o.QueueSize < 0},
		{"SpoolMaxBytes", o.SpoolMaxBytes < 0},
		{"HoldSize", o.HoldSize < 0},
		{"BreakerFailures", o.BreakerFailures < 0},
		{"BreakerTimeout", o.BreakerTimeout < 0},
		{"WriteTimeout", o.WriteTimeout < 0},
	} {
		if f.bad {
			return fmt.Errorf("writer: %s must not be negative", f.name)
		}
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.BatchSize, 100)
	def(&o.QueueSize, 10000)
	def(&o.BreakerFailures, 3)
	defDur(&o.FlushInterval, 10*time.Second)
	defDur(&o.LiveFlush, DefaultLiveFlush)
	defDur(&o.BreakerTimeout, 60*time.Second)
	defDur(&o.WriteTimeout, 10*time.Second)
	if o.SpoolMaxBytes == 0 {
		o.SpoolMaxBytes = 64 << 20
	}
	// A queue smaller than a batch would spill before a batch is full.
	o.QueueSize = max(o.QueueSize, o.BatchSize)
	def(&o.HoldSize, o.QueueSize)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// DefaultLiveFlush is how long a point of a live game waits for others
// to share its write. A live change must be stored within 1 s of the poll
// that saw it, at the 99th percentile (README: write latency), and that
// second also pays for the store write itself: so the wait is a small
// part of it, long enough to gather the points of polls of several leagues
// that end together into one write. Waiting the whole second put p99 at
// 1013 ms; see BenchmarkLiveLatency.
const DefaultLiveFlush = 100 * time.Millisecond

// Stats describe the writer for /health and metrics.
type Stats struct {
	WritesSuccess int64     `json:"writes_success"`
	WritesFailed  int64     `json:"writes_failed"`
	PointsWritten int64     `json:"points_written"`
	Queued        int       `json:"queued"`  // in memory, including a batch being written
	Spooled       int       `json:"spooled"` // on disk, waiting for replay
	Dropped       int64     `json:"dropped"` // lost to the spool bound, rejected, or unreadable
	Breaker       string    `json:"breaker"` // closed, open, half-open
	LastError     string    `json:"last_error,omitempty"`
	LastWriteAt   time.Time `json:"last_write_at"`
	Connected     bool      `json:"connected"`
}

type gameKey struct{ league, id string }

// liveMemory is how long a game counts as live after its last live point:
// its next points (the final one above all) are flushed fast too.
const liveMemory = 6 * time.Hour

// Writer batches points for a Sink. New starts its one goroutine; Close
// stops it.
type Writer struct {
	sink Sink
	o    Options
	log  *slog.Logger
	cb   *gobreaker.CircuitBreaker[struct{}]
	// openedAt is when the breaker last opened (unix ns); the breaker
	// reports it through a callback that must not take w.mu.
	openedAt atomic.Int64

	runCtx    context.Context
	cancelRun context.CancelFunc
	kick      chan struct{}
	flushReq  chan chan error
	closeReq  chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error

	mu         sync.Mutex
	queue      fifo
	queueSince time.Time // arrival of the oldest queued point
	liveDue    time.Time // a live point is waiting: flush by then
	liveGames  map[gameKey]time.Time
	sp         *spool
	held       fifo      // points the spool could not take (a full disk), behind the spool's
	retryAt    time.Time // next replay attempt while the spool or held hold points
	inflight   int       // points of a queue or held batch being written
	gapSeq     uint64    // spool slot reserved for that batch, 0 if none
	closed     bool
	stats      Stats
	lastFailed bool
	// Points dropped at the spool bound since the last warning about it.
	boundDrops  int64
	boundLogged time.Time
	// spooling reports a spool that cannot be written when it begins and
	// when it ends; heldDrops counts the points dropped at HoldSize
	// meanwhile.
	spooling  *outage.Reporter
	heldDrops int64
}

// New opens (or creates) the spool in o.SpoolDir, picking up points a
// previous run left there, and starts the writer's goroutine, which runs
// until Close.
func New(sink Sink, o Options) (*Writer, error) {
	if sink == nil {
		return nil, errors.New("writer: nil sink")
	}
	if err := o.setDefaults(); err != nil {
		return nil, err
	}
	sp, err := openSpool(o.SpoolDir, o.SpoolMaxBytes, o.Logger)
	if err != nil {
		return nil, err
	}
	w := &Writer{
		sink:      sink,
		o:         o,
		log:       o.Logger,
		kick:      make(chan struct{}, 1),
		flushReq:  make(chan chan error),
		closeReq:  make(chan struct{}),
		done:      make(chan struct{}),
		liveGames: map[gameKey]time.Time{},
		sp:        sp,
		spooling: outage.New(o.Logger, "writing the spool",
			fmt.Sprintf("points the store does not take are held in memory (up to %d) until the store or the disk takes them", o.HoldSize)),
	}
	w.runCtx, w.cancelRun = context.WithCancel(context.Background())
	w.cb = gobreaker.NewCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        "store",
		MaxRequests: 1,
		Timeout:     o.BreakerTimeout,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.ConsecutiveFailures >= uint32(o.BreakerFailures)
		},
		// A store that rejects points is still up.
		IsSuccessful: func(err error) bool { return err == nil || IsPermanent(err) },
		IsExcluded:   func(err error) bool { return errors.Is(err, errAborted) },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			if to == gobreaker.StateOpen {
				w.openedAt.Store(time.Now().UnixNano())
				w.log.Warn("store circuit breaker open", "retry_in", o.BreakerTimeout)
			} else {
				w.log.Info("store circuit breaker "+to.String(), "from", from.String())
			}
		},
	})
	if sp.points > 0 {
		w.log.Info("replaying points spooled by an earlier run", "points", sp.points)
	}
	go w.run()
	return w, nil
}

// Enqueue queues points for writing. It never waits for the store: when
// the queue is full, the queue spills to the spool (a local append).
// Points enqueued after Close are dropped and counted.
func (w *Writer) Enqueue(points ...store.Point) {
	if len(points) == 0 {
		return
	}
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		w.stats.Dropped += int64(len(points))
		w.log.Warn("points enqueued after close dropped", "points", len(points))
		return
	}
	live := w.noteLive(points, now)
	wake := false
	if w.queue.len()+len(points) > w.o.QueueSize {
		// One spool append for the whole queue keeps the cost of a
		// stalled store to one fsync per QueueSize points.
		batch := append(w.queue.takeAll(len(points)), points...)
		w.clearQueue()
		w.spoolLocked(batch, false)
		wake = true
	} else {
		if w.queue.len() == 0 {
			// The goroutine sleeps until the first deadline it knows of;
			// this point brings a new one.
			w.queueSince = now
			wake = true
		}
		w.queue.push(points)
		if live && (w.liveDue.IsZero() || now.Add(w.o.LiveFlush).Before(w.liveDue)) {
			w.liveDue = now.Add(w.o.LiveFlush)
			wake = true
		}
		wake = wake || w.queue.len() >= w.o.BatchSize
	}
	if wake {
		select {
		case w.kick <- struct{}{}:
		default:
		}
	}
}

// noteLive reports whether points include one that must be flushed fast:
// a point of a live game, or of a game that was live a moment ago.
func (w *Writer) noteLive(points []store.Point, now time.Time) bool {
	live := false
	for i := range points {
		p := &points[i]
		key := gameKey{p.League, p.GameID}
		if w.o.Live != nil && w.o.Live(*p) {
			w.liveGames[key] = now
			live = true
		} else if _, ok := w.liveGames[key]; ok {
			live = true
		}
	}
	return live
}

func (w *Writer) clearQueue() {
	w.queue.reset()
	w.queueSince = time.Time{}
	w.liveDue = time.Time{}
}

// spoolLocked puts points behind everything spooled and held, or, for the
// batch that was being written, into the slot reserved for it in front of
// points spilled while it was in flight (or in front of the held ones).
// What the spool cannot take (a full disk) is held in memory, in order.
func (w *Writer) spoolLocked(points []store.Point, inflight bool) {
	if len(points) == 0 && w.held.len() == 0 {
		return
	}
	if !inflight && w.inflight > 0 && w.gapSeq == 0 {
		w.gapSeq = w.sp.gap()
	}
	if inflight && w.gapSeq != 0 {
		n, err := w.sp.appendAt(w.gapSeq, points)
		w.spooling.Report(err)
		w.holdLocked(points[n:], true)
	} else {
		// Held points go to disk first: they are older than new ones and
		// newer than a batch that was in flight.
		var batch []store.Point
		if inflight {
			batch = append(points, w.held.takeAll(0)...)
		} else {
			batch = append(w.held.takeAll(len(points)), points...)
		}
		n, err := w.sp.append(batch)
		w.spooling.Report(err)
		w.holdLocked(batch[n:], true)
	}
	if d := w.sp.enforce(); d > 0 {
		w.stats.Dropped += int64(d)
		// A long outage at the bound drops at every flush: one warning a
		// minute, with the count since the last one, says enough.
		w.boundDrops += int64(d)
		if now := time.Now(); now.Sub(w.boundLogged) >= time.Minute {
			w.log.Warn("spool full: dropped the oldest points", "points", w.boundDrops, "bound_bytes", w.o.SpoolMaxBytes)
			w.boundDrops, w.boundLogged = 0, now
		}
	}
	if w.retryAt.IsZero() {
		w.retryAt = time.Now()
	}
}

// holdLocked keeps points the spool could not take, in front of those
// held already (front) or behind them; beyond HoldSize the oldest go.
func (w *Writer) holdLocked(points []store.Point, front bool) {
	if len(points) == 0 {
		return
	}
	if front && w.held.len() > 0 {
		points = append(points, w.held.takeAll(0)...)
	}
	w.held.push(points)
	if over := w.held.len() - w.o.HoldSize; over > 0 {
		w.held.take(over)
		w.stats.Dropped += int64(over)
		if w.heldDrops == 0 {
			w.log.Error("points held in memory reached their bound; dropping the oldest until the store or the disk takes points again",
				"bound", w.o.HoldSize)
		}
		w.heldDrops += int64(over)
	}
}

// Flush writes everything queued and spooled now. It returns nil when all
// of it reached the store (or was rejected for good), and otherwise the
// store's error; the points that could not be written are in the spool.
func (w *Writer) Flush(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case w.flushReq <- reply:
	case <-w.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops the writer: it writes the queue (and the spool) to the
// store while ctx lasts, and puts whatever could not be written into the
// spool for the next start. It is safe to call more than once; it returns
// an error only when points were lost.
func (w *Writer) Close(ctx context.Context) error {
	w.closeOnce.Do(func() {
		w.mu.Lock()
		w.closed = true
		before := w.stats.Dropped
		w.mu.Unlock()

		// When ctx ends, cut the store writes short: the rest goes to the
		// spool, which is local and quick.
		stop := context.AfterFunc(ctx, w.cancelRun)
		defer stop()
		close(w.closeReq)
		<-w.done
		w.cancelRun()

		w.mu.Lock()
		defer w.mu.Unlock()
		if n := w.held.len(); n > 0 {
			// Neither the store nor the disk took them: memory ends here.
			w.held.reset()
			w.stats.Dropped += int64(n)
			w.log.Error("points held in memory lost at the stop: neither the store nor the disk took them", "points", n)
		}
		if err := w.sp.close(); err != nil {
			w.closeErr = err
		} else if lost := w.stats.Dropped - before; lost > 0 {
			w.closeErr = fmt.Errorf("writer: %d points lost at close", lost)
		}
		if w.sp.points > 0 {
			w.log.Warn("points left in the spool for the next start", "points", w.sp.points)
		}
	})
	return w.closeErr
}

// Stats returns a snapshot of the counters.
func (w *Writer) Stats() Stats {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.stats
	s.Queued = w.queue.len() + w.inflight + w.held.len()
	s.Spooled = w.sp.points
	state := w.cb.State()
	s.Breaker = state.String()
	s.Connected = !w.lastFailed && state == gobreaker.StateClosed
	return s
}

// Pending returns the points not yet in the store, spooled ones first,
// then held and queued ones, in the order they will be written. A restart during a store outage reads them
// as the newest known state of each game: the store does not have it yet.
func (w *Writer) Pending() ([]store.Point, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out, err := w.sp.pending()
	out = append(out, w.held.buf[w.held.head:]...)
	out = append(out, w.queue.buf[w.queue.head:]...)
	return out, err
}
