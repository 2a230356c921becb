package writer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/sports-data/sports-data/internal/store"
)

// run is the writer's goroutine: every store write happens here, one at a
// time, which is what keeps the order.
func (w *Writer) run() {
	defer close(w.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		timer.Reset(time.Until(w.nextWake()))
		select {
		case <-w.kick:
			_ = w.drain(false)
		case <-timer.C:
			_ = w.drain(false)
		case reply := <-w.flushReq:
			reply <- w.drain(true)
		case <-w.closeReq:
			_ = w.drain(true)
			w.mu.Lock()
			// Whatever the last drain left in memory (it stops early when
			// the store fails), held points included, goes to the spool.
			w.spoolLocked(w.queue.takeAll(0), false)
			w.clearQueue()
			w.mu.Unlock()
			return
		}
	}
}

// nextWake is when the goroutine has something to do without being asked.
func (w *Writer) nextWake() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	next := time.Now().Add(time.Hour)
	if w.queue.len() > 0 {
		if w.queue.len() >= w.o.BatchSize {
			return time.Now()
		}
		next = earliest(next, w.queueSince.Add(w.o.FlushInterval))
	}
	if !w.liveDue.IsZero() {
		next = earliest(next, w.liveDue)
	}
	if w.sp.points > 0 || w.held.len() > 0 {
		next = earliest(next, w.retryAt)
	}
	return next
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// drain writes what is due, oldest first: the spool, then the points held
// in memory, then the queue. With all set (Flush, Close) everything is
// due. It stops at the first failure, spooling the queue behind what is
// already there.
func (w *Writer) drain(all bool) error {
	timeDue, sizeDue, spoolDue := w.due(all)
	if !timeDue && !sizeDue && !spoolDue {
		return nil
	}

	var rejected error
	for {
		w.mu.Lock()
		if w.sp.points > 0 {
			// Replay the spool's oldest batch (the lock is released within).
			rej, err := w.replayLocked(timeDue || sizeDue)
			if err != nil {
				return err
			}
			if rej != nil {
				rejected = rej
			}
			continue
		}
		// Take the next batch: held points first, then the queue when due.
		batch, held, ok := w.nextBatchLocked(timeDue)
		if !ok {
			w.mu.Unlock()
			return rejected
		}
		w.inflight = len(batch)
		w.mu.Unlock()

		err := w.write(batch)

		// Record the batch's outcome: written, rejected or spooled.
		if rej := w.wroteBatch(batch, held, err); rej != nil {
			rejected = rej
		}
		if err != nil && !IsPermanent(err) {
			return err
		}
	}
}

// due says what drain has to write now: the queue by its age (or all),
// the queue by its size, and the spool and the held points.
func (w *Writer) due(all bool) (timeDue, sizeDue, spoolDue bool) {
	now := time.Now()
	w.mu.Lock()
	w.pruneLive(now)
	timeDue = all ||
		(w.queue.len() > 0 && !now.Before(w.queueSince.Add(w.o.FlushInterval))) ||
		(!w.liveDue.IsZero() && !now.Before(w.liveDue))
	sizeDue = w.queue.len() >= w.o.BatchSize
	spoolDue = (w.sp.points > 0 || w.held.len() > 0) && (timeDue || sizeDue || !now.Before(w.retryAt))
	w.mu.Unlock()
	return timeDue, sizeDue, spoolDue
}

// replayLocked writes the spool's oldest batch. Called with w.mu held, it
// returns with it released. A failure that a retry may cure is returned
// as err (the queue goes to the spool when spillQueue says it was due); a
// batch the store rejected for good is acknowledged and returned as
// rejected.
func (w *Writer) replayLocked(spillQueue bool) (rejected, err error) {
	points, cur, bad, err := w.sp.peek(w.o.BatchSize)
	if err != nil {
		// An unreadable spool cannot be replayed; keep the
		// queue in memory and try again later.
		w.retryAt = time.Now().Add(w.o.FlushInterval)
		w.mu.Unlock()
		w.log.Error("cannot read the spool", "err", err)
		return nil, err
	}
	if bad > 0 {
		w.stats.Dropped += int64(bad)
		w.log.Warn("unreadable spool lines skipped", "lines", bad)
	}
	w.mu.Unlock()
	err = nil
	if len(points) > 0 {
		err = w.write(points)
	}
	w.mu.Lock()
	if err != nil && !IsPermanent(err) {
		w.failedLocked(spillQueue)
		w.mu.Unlock()
		return nil, err
	}
	w.sp.ack(cur)
	if err != nil {
		rejected = w.rejectedLocked(len(points), err)
	}
	if w.sp.points == 0 {
		w.retryAt = time.Time{}
	}
	w.mu.Unlock()
	return rejected, nil
}

// nextBatchLocked takes the next batch to write: the points held in
// memory first, then the queue when it is due. held says the batch came
// from the held points; ok is false when nothing is due.
func (w *Writer) nextBatchLocked(timeDue bool) (batch []store.Point, held, ok bool) {
	held = w.held.len() > 0
	switch {
	case held:
		batch = w.held.take(w.o.BatchSize)
	case w.queue.len() == 0 || (!timeDue && w.queue.len() < w.o.BatchSize):
		return nil, false, false
	default:
		batch = w.queue.take(w.o.BatchSize)
		if w.queue.len() == 0 {
			w.clearQueue()
		}
	}
	return batch, held, true
}

// wroteBatch records the outcome of writing batch: a batch rejected for
// good is dropped (and returned as an error), one that failed otherwise
// goes to the spool.
func (w *Writer) wroteBatch(batch []store.Point, held bool, err error) (rejected error) {
	w.mu.Lock()
	w.inflight = 0
	switch {
	case err == nil:
	case IsPermanent(err):
		rejected = w.rejectedLocked(len(batch), err)
	default:
		w.spoolLocked(batch, true)
		w.failedLocked(true)
	}
	w.gapSeq = 0
	if held && w.held.len() == 0 {
		w.log.Info("points held in memory are all written or spooled", "dropped_meanwhile", w.heldDrops)
		w.heldDrops = 0
	}
	w.mu.Unlock()
	return rejected
}

// failedLocked records that the store failed: the queue goes to the
// spool when it was due, and the next replay is scheduled.
func (w *Writer) failedLocked(spillQueue bool) {
	if spillQueue && w.queue.len() > 0 {
		batch := w.queue.takeAll(0)
		w.clearQueue()
		w.spoolLocked(batch, false)
	}
	now := time.Now()
	if w.cb.State() == gobreaker.StateOpen {
		// The breaker lets one probe through once it turns half-open.
		w.retryAt = time.Unix(0, w.openedAt.Load()).Add(w.o.BreakerTimeout)
	} else {
		w.retryAt = now.Add(min(w.o.FlushInterval, w.o.BreakerTimeout))
	}
}

func (w *Writer) rejectedLocked(n int, err error) error {
	w.stats.Dropped += int64(n)
	w.log.Error("store rejected points for good; dropped", "points", n, "err", err)
	return fmt.Errorf("writer: %d points dropped: %w", n, err)
}

// write sends one batch through the breaker.
func (w *Writer) write(points []store.Point) error {
	ctx, cancel := context.WithTimeout(w.runCtx, w.o.WriteTimeout)
	defer cancel()
	start := time.Now()
	reached := false
	_, err := w.cb.Execute(func() (struct{}, error) {
		reached = true
		err := w.sink.Write(ctx, points)
		switch {
		case err == nil:
		case w.runCtx.Err() != nil:
			err = fmt.Errorf("%w: %w", errAborted, err)
		case ctx.Err() != nil && !errors.Is(err, ctx.Err()):
			// Timed out, whatever the sink made of it: worth a retry.
			err = fmt.Errorf("%w: %w", err, ctx.Err())
		}
		return struct{}{}, err
	})
	d := time.Since(start)

	w.mu.Lock()
	switch {
	case !reached:
		// The breaker refused: the store was not asked.
	case err == nil:
		w.stats.WritesSuccess++
		w.stats.PointsWritten += int64(len(points))
		w.stats.LastWriteAt = time.Now()
		w.lastFailed = false
	default:
		w.stats.WritesFailed++
		w.stats.LastError = err.Error()
		w.lastFailed = !IsPermanent(err)
	}
	w.mu.Unlock()

	if !reached {
		w.log.Debug("store write skipped: circuit breaker open", "points", len(points))
		return fmt.Errorf("writer: %w", err)
	}
	if err != nil && !IsPermanent(err) {
		w.log.Warn("store write failed; points kept for a retry", "points", len(points), "err", err)
	}
	if w.o.OnWrite != nil {
		w.o.OnWrite(len(points), d, err)
	}
	return err
}

func (w *Writer) pruneLive(now time.Time) {
	for k, t := range w.liveGames {
		if now.Sub(t) > liveMemory {
			delete(w.liveGames, k)
		}
	}
}
