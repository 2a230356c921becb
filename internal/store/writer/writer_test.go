package writer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/sports-data/sports-data/internal/store"
)

// sink is a store stand-in the tests can break: it fails, hangs or
// rejects on demand and records every point it accepted.
type sink struct {
	mu       sync.Mutex
	points   []store.Point
	batches  []int
	calls    int
	failWith error         // returned by every call while set
	hang     chan struct{} // while non-nil, calls wait for it to close (or ctx)
	reject   func(store.Point) bool
	okCalls  int // when > 0, only this many more calls succeed
}

func (s *sink) Write(ctx context.Context, points []store.Point) error {
	s.mu.Lock()
	s.calls++
	hang := s.hang
	s.mu.Unlock()
	if hang != nil {
		select {
		case <-hang:
		case <-ctx.Done():
			return fmt.Errorf("sink: %w", ctx.Err())
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return s.failWith
	}
	if s.reject != nil {
		for _, p := range points {
			if s.reject(p) {
				return fmt.Errorf("sink: bad point %s: %w", p.GameID, ErrPermanent)
			}
		}
	}
	if s.okCalls > 0 {
		s.okCalls--
		if s.okCalls == 0 {
			s.failWith = fmt.Errorf("sink: gone: %w", store.ErrUnavailable)
		}
	}
	s.points = append(s.points, points...)
	s.batches = append(s.batches, len(points))
	return nil
}

func (s *sink) set(f func(s *sink)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *sink) stored() []store.Point {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]store.Point(nil), s.points...)
}

func (s *sink) nStored() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.points)
}

func (s *sink) nCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

var base = time.Date(2024, 12, 15, 18, 0, 0, 0, time.UTC)

// pts makes n score points numbered from first; the number is in the
// game id and the time, so order and duplicates can be checked.
func pts(first, n int, status string) []store.Point {
	out := make([]store.Point, n)
	for i := range out {
		k := first + i
		out[i] = store.Point{
			Series: store.SeriesScores, League: "nfl",
			Time:   base.Add(time.Duration(k) * time.Second),
			GameID: fmt.Sprintf("g%07d", k), Season: 2024, SeasonType: 2, Week: 15,
			HomeTeam: "NE", AwayTeam: "ARI", Status: status,
			HomeScore: k % 50, AwayScore: 7, Period: 2, TimeRemaining: "11:50",
			StatusDetail: "11:50 - 2nd Quarter",
		}
	}
	return out
}

// requireInOrderOnce checks that got is exactly the points numbered
// 0..n-1, each once, in order.
func requireInOrderOnce(t *testing.T, got []store.Point, n int) {
	t.Helper()
	require.Len(t, got, n, "points stored")
	for i, p := range got {
		want := fmt.Sprintf("g%07d", i)
		if p.GameID != want {
			require.Failf(t, "order", "point %d is %s, want %s", i, p.GameID, want)
		}
		require.True(t, p.Time.Equal(base.Add(time.Duration(i)*time.Second)), "time of point %d", i)
	}
}

func testOptions(t *testing.T) Options {
	return Options{
		BatchSize:      10,
		FlushInterval:  time.Hour,
		LiveFlush:      time.Hour,
		Live:           isLive,
		SpoolDir:       filepath.Join(t.TempDir(), "spool"),
		BreakerTimeout: time.Hour,
		WriteTimeout:   time.Minute,
	}
}

// isLive is the service's rule in the storage vocabulary.
func isLive(p store.Point) bool { return p.Status == "live" }

func newWriter(t *testing.T, s Sink, o Options) *Writer {
	t.Helper()
	w, err := New(s, o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.Close(context.Background()) })
	return w
}

// writtenAll waits until the writer has taken in the answers to the writes
// of n points: they are in the sink, counted as written, and neither
// queued nor in flight. (Waiting for the sink alone races with the
// writer's goroutine, which records the answer after the sink returns.)
func writtenAll(t *testing.T, w *Writer, s *sink, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		st := w.Stats()
		return s.nStored() == n && st.PointsWritten == int64(n) && st.Queued == 0
	}, 10*time.Second, time.Millisecond, "the writer did not account for %d points written", n)
}

func segments(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "seg-*.jsonl"))
	require.NoError(t, err)
	return m
}

func TestBatchBySize(t *testing.T) {
	s := &sink{}
	w := newWriter(t, s, testOptions(t))
	w.Enqueue(pts(0, 25, "scheduled")...)

	require.Eventually(t, func() bool {
		st := w.Stats()
		return s.nStored() == 20 && st.PointsWritten == 20 && st.Queued == 5
	}, 10*time.Second, time.Millisecond, "the full batches written and taken in; the rest queued")
	s.mu.Lock()
	assert.Equal(t, []int{10, 10}, s.batches, "only full batches are written before the interval")
	s.mu.Unlock()

	require.NoError(t, w.Flush(context.Background()))
	requireInOrderOnce(t, s.stored(), 25)
	s.mu.Lock()
	assert.Equal(t, []int{10, 10, 5}, s.batches)
	s.mu.Unlock()
	st := w.Stats()
	assert.Equal(t, int64(3), st.WritesSuccess)
	assert.Equal(t, int64(25), st.PointsWritten)
	assert.Equal(t, 0, st.Queued)
	assert.True(t, st.Connected)
	assert.Equal(t, "closed", st.Breaker)
	assert.False(t, st.LastWriteAt.IsZero())
}

func TestBatchByInterval(t *testing.T) {
	s := &sink{}
	o := testOptions(t)
	o.FlushInterval = 20 * time.Millisecond
	w := newWriter(t, s, o)
	w.Enqueue(pts(0, 3, "scheduled")...)
	require.Eventually(t, func() bool { return s.nStored() == 3 }, 10*time.Second, time.Millisecond)
	w.Enqueue(pts(3, 2, "finished")...)
	require.Eventually(t, func() bool { return s.nStored() == 5 }, 10*time.Second, time.Millisecond)
	requireInOrderOnce(t, s.stored(), 5)
	s.mu.Lock()
	assert.Equal(t, []int{3, 2}, s.batches)
	s.mu.Unlock()
}

func TestLivePointsFlushWithinLiveFlush(t *testing.T) {
	s := &sink{}
	o := testOptions(t)
	o.LiveFlush = 20 * time.Millisecond // FlushInterval stays an hour
	w := newWriter(t, s, o)

	w.Enqueue(pts(0, 1, "scheduled")...)
	w.Enqueue(pts(1, 1, "live")...)
	require.Eventually(t, func() bool { return s.nStored() == 2 }, 10*time.Second, time.Millisecond)
	s.mu.Lock()
	assert.Equal(t, []int{2}, s.batches, "the live point takes the waiting one along")
	s.mu.Unlock()

	// The final point of a game that was live is not "live" itself, but
	// the change it reports is just as urgent.
	final := pts(1, 1, "finished")
	final[0].Time = final[0].Time.Add(time.Hour)
	w.Enqueue(final...)
	// Written, by the writer's own account: the sink has the points before
	// the writer has taken the answer in (a loaded machine can stop its
	// goroutine in between), and Queued counts a batch in flight.
	writtenAll(t, w, s, 3)

	// A game that was never live waits for the interval (or a flush).
	w.Enqueue(pts(5, 1, "finished")...)
	assert.Equal(t, 1, w.Stats().Queued)
	require.NoError(t, w.Flush(context.Background()))
	assert.Equal(t, 4, s.nStored())
}

func TestEnqueueNeverBlocksWhileSinkHangs(t *testing.T) {
	const n = 100_000
	hang := make(chan struct{})
	s := &sink{hang: hang}
	o := testOptions(t)
	o.BatchSize = 100
	o.QueueSize = 1000
	o.LiveFlush = 10 * time.Millisecond
	w := newWriter(t, s, o)

	done := make(chan struct{})
	go func() {
		defer close(done)
		all := pts(0, n, "live")
		for i := range all {
			w.Enqueue(all[i])
		}
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("Enqueue blocked while the store hung")
	}
	require.Eventually(t, func() bool { return s.nCalls() >= 1 }, 10*time.Second, time.Millisecond)
	st := w.Stats()
	assert.Equal(t, n, st.Queued+st.Spooled, "every point is queued or spooled")
	assert.Zero(t, st.Dropped)
	assert.LessOrEqual(t, st.Queued, o.QueueSize+o.BatchSize, "memory stays bounded")
	assert.Equal(t, 1, s.nCalls(), "one write hangs, nothing else reached the store")

	close(hang) // the hung write completes and the store is healthy
	require.Eventually(t, func() bool { return s.nStored() == n }, time.Minute, 5*time.Millisecond)
	requireInOrderOnce(t, s.stored(), n)
	require.Eventually(t, func() bool { return w.Stats().Spooled == 0 }, 10*time.Second, time.Millisecond)
	assert.Empty(t, segments(t, o.SpoolDir))
}

// A write that hangs until it times out fails; its batch must be replayed
// before the points that spilled to the spool while it hung.
func TestTimedOutBatchStaysInFrontOfSpill(t *testing.T) {
	const n = 3000
	hang := make(chan struct{})
	s := &sink{hang: hang}
	o := testOptions(t)
	o.BatchSize = 50
	o.QueueSize = 200
	o.WriteTimeout = 50 * time.Millisecond
	o.FlushInterval = 20 * time.Millisecond
	o.BreakerTimeout = 10 * time.Millisecond
	w := newWriter(t, s, o)

	all := pts(0, n, "scheduled")
	w.Enqueue(all[:o.BatchSize]...) // a full batch: the write starts and hangs
	require.Eventually(t, func() bool { return s.nCalls() == 1 }, 10*time.Second, time.Millisecond)
	for i := o.BatchSize; i < n; i++ {
		w.Enqueue(all[i])
	}
	require.Eventually(t, func() bool { return s.nCalls() >= 2 }, 10*time.Second, time.Millisecond)
	s.set(func(s *sink) { s.hang = nil })
	close(hang)

	require.Eventually(t, func() bool { return s.nStored() == n }, time.Minute, time.Millisecond)
	requireInOrderOnce(t, s.stored(), n)
	assert.Zero(t, w.Stats().Dropped)
	assert.Positive(t, w.Stats().WritesFailed)
}

func TestOutageSpoolsThenReplaysInOrderOnce(t *testing.T) {
	s := &sink{failWith: fmt.Errorf("sink: %w", store.ErrUnavailable)}
	o := testOptions(t)
	o.BreakerFailures = 100 // keep the breaker out of this test
	o.FlushInterval = 10 * time.Millisecond
	w := newWriter(t, s, o)

	w.Enqueue(pts(0, 35, "live")...)
	require.Error(t, w.Flush(context.Background()))
	st := w.Stats()
	assert.Equal(t, 35, st.Spooled)
	assert.Equal(t, 0, st.Queued)
	assert.False(t, st.Connected)
	assert.Contains(t, st.LastError, "store unavailable")
	assert.NotEmpty(t, segments(t, o.SpoolDir))

	// New points go behind the spool, even the ones of live games.
	w.Enqueue(pts(35, 30, "live")...)
	require.Error(t, w.Flush(context.Background()))
	assert.Equal(t, 65, w.Stats().Spooled)
	assert.Zero(t, s.nStored())

	s.set(func(s *sink) { s.failWith = nil })
	w.Enqueue(pts(65, 5, "live")...)
	// The writer probes by itself while the spool holds points. Its
	// counters move after the sink has the points: wait for them.
	writtenAll(t, w, s, 70)
	requireInOrderOnce(t, s.stored(), 70)
	st = w.Stats()
	assert.True(t, st.Connected)
	assert.Zero(t, st.Spooled)
	assert.Zero(t, st.Dropped)
	assert.Equal(t, int64(70), st.PointsWritten)
	assert.Empty(t, segments(t, o.SpoolDir))
}

func TestBreakerOpensAfterFailuresAndStopsCallingTheStore(t *testing.T) {
	s := &sink{failWith: fmt.Errorf("sink: connection refused: %w", store.ErrUnavailable)}
	o := testOptions(t)
	o.BreakerFailures = 3
	o.BreakerTimeout = time.Hour
	w := newWriter(t, s, o)

	for i := range 3 {
		assert.Equal(t, "closed", w.Stats().Breaker, "before failure %d", i+1)
		w.Enqueue(pts(i, 1, "scheduled")...)
		require.Error(t, w.Flush(context.Background()))
	}
	st := w.Stats()
	assert.Equal(t, "open", st.Breaker)
	assert.False(t, st.Connected)
	assert.Equal(t, int64(3), st.WritesFailed)
	assert.Equal(t, 3, s.nCalls())

	w.Enqueue(pts(3, 1, "scheduled")...)
	err := w.Flush(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "circuit breaker is open")
	assert.Equal(t, 3, s.nCalls(), "an open breaker keeps the store out of it")
	assert.Equal(t, 4, w.Stats().Spooled)
}

func TestBreakerClosesAfterRecovery(t *testing.T) {
	s := &sink{failWith: fmt.Errorf("sink: connection refused: %w", store.ErrUnavailable)}
	o := testOptions(t)
	o.BreakerFailures = 2
	o.BreakerTimeout = 30 * time.Millisecond
	w := newWriter(t, s, o)

	w.Enqueue(pts(0, 1, "scheduled")...)
	require.Error(t, w.Flush(context.Background()))
	w.Enqueue(pts(1, 1, "scheduled")...)
	require.Error(t, w.Flush(context.Background()))
	require.Equal(t, "open", w.Stats().Breaker)

	s.set(func(s *sink) { s.failWith = nil })
	// No flush from here on: the half-open probe comes from the writer.
	require.Eventually(t, func() bool { return s.nStored() == 2 }, 10*time.Second, time.Millisecond)
	requireInOrderOnce(t, s.stored(), 2)
	require.Eventually(t, func() bool {
		st := w.Stats()
		return st.Breaker == "closed" && st.Connected
	}, 10*time.Second, time.Millisecond)
}

func TestRestartDuringOutageLosesNothing(t *testing.T) {
	down := &sink{failWith: fmt.Errorf("sink: connection refused: %w", store.ErrUnavailable)}
	o := testOptions(t)
	o.BreakerFailures = 1
	w1, err := New(down, o)
	require.NoError(t, err)
	w1.Enqueue(pts(0, 40, "live")...)
	require.Error(t, w1.Flush(context.Background()))
	w1.Enqueue(pts(40, 7, "live")...) // still queued at shutdown
	require.NoError(t, w1.Close(context.Background()))
	assert.Equal(t, 47, w1.Stats().Spooled)

	up := &sink{}
	w2 := newWriter(t, up, o)
	w2.Enqueue(pts(47, 3, "live")...)
	require.NoError(t, w2.Flush(context.Background()))
	requireInOrderOnce(t, up.stored(), 50)
	assert.Empty(t, segments(t, o.SpoolDir))
}

// Shutting down in the middle of a replay remembers how far it got, so
// the next run does not send the replayed points again.
func TestRestartDuringReplayResumesWhereItStopped(t *testing.T) {
	o := testOptions(t)
	o.BreakerFailures = 1
	o.SpoolMaxBytes = 1 << 20 // segments of 64 KiB: the first holds more than one batch
	down := &sink{failWith: fmt.Errorf("sink: connection refused: %w", store.ErrUnavailable)}
	w1, err := New(down, o)
	require.NoError(t, err)
	w1.Enqueue(pts(0, 200, "finished")...)
	require.NoError(t, w1.Close(context.Background()))

	flaky := &sink{okCalls: 3} // three batches, then the store goes away
	w2, err := New(flaky, o)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return flaky.nCalls() >= 4 }, 10*time.Second, time.Millisecond)
	require.NoError(t, w2.Close(context.Background()))
	require.Equal(t, 30, flaky.nStored())

	up := &sink{}
	w3 := newWriter(t, up, o)
	require.NoError(t, w3.Flush(context.Background()))
	requireInOrderOnce(t, append(flaky.stored(), up.stored()...), 200)
}

func TestSpoolBoundDropsOldest(t *testing.T) {
	const n = 1000
	logs := &logbuf.Buffer{}
	s := &sink{failWith: fmt.Errorf("sink: connection refused: %w", store.ErrUnavailable)}
	o := testOptions(t)
	o.BreakerFailures = n // every flush tries the store
	o.SpoolMaxBytes = 16 << 10
	o.Logger = logs.Logger(slog.LevelDebug)
	w := newWriter(t, s, o)

	for i := 0; i < n; i += 100 {
		w.Enqueue(pts(i, 100, "live")...)
		require.Error(t, w.Flush(context.Background()))
	}
	st := w.Stats()
	require.Positive(t, st.Dropped)
	assert.Equal(t, n, int(st.Dropped)+st.Spooled, "every point is spooled or counted as dropped")
	var size int64
	for _, f := range segments(t, o.SpoolDir) {
		fi, err := os.Stat(f)
		require.NoError(t, err)
		size += fi.Size()
	}
	assert.LessOrEqual(t, size, o.SpoolMaxBytes)
	assert.Equal(t, 1, strings.Count(logs.String(), `level=WARN msg="spool full: dropped the oldest points" points=`),
		"one warning with a count, not one per drop")

	s.set(func(s *sink) { s.failWith = nil })
	require.NoError(t, w.Flush(context.Background()))
	got := s.stored()
	require.Len(t, got, st.Spooled)
	// What survives is the newest points, in order.
	first := n - len(got)
	for i, p := range got {
		require.Equal(t, fmt.Sprintf("g%07d", first+i), p.GameID)
	}
}

func TestTornSpoolTailIsSkipped(t *testing.T) {
	o := testOptions(t)
	o.BreakerFailures = 1
	down := &sink{failWith: fmt.Errorf("sink: connection refused: %w", store.ErrUnavailable)}
	w1, err := New(down, o)
	require.NoError(t, err)
	w1.Enqueue(pts(0, 12, "live")...)
	require.NoError(t, w1.Close(context.Background()))

	// A crash in the middle of the next append: half a line, no newline.
	segs := segments(t, o.SpoolDir)
	require.NotEmpty(t, segs)
	last := segs[len(segs)-1]
	f, err := os.OpenFile(last, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"series":"scores","league":"nfl","time":"2024-12-15T18:00:12Z","game_id":"g00`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	logs := &logbuf.Buffer{}
	o.Logger = logs.Logger(slog.LevelDebug)
	up := &sink{}
	w2 := newWriter(t, up, o)
	w2.Enqueue(pts(12, 3, "live")...)
	require.NoError(t, w2.Flush(context.Background()))
	requireInOrderOnce(t, up.stored(), 15)
	assert.Contains(t, logs.String(), "torn line")
	assert.Zero(t, w2.Stats().Dropped)
}

func TestCorruptSpoolLineIsSkippedAndCounted(t *testing.T) {
	o := testOptions(t)
	require.NoError(t, os.MkdirAll(o.SpoolDir, 0o755))
	var buf bytes.Buffer
	for i, p := range pts(0, 4, "finished") {
		if i == 2 {
			buf.WriteString("\x00\x00\x00{not json\n") // garbage a crash left
		}
		lines, err := encodeLines([]store.Point{p})
		require.NoError(t, err)
		buf.Write(lines[0])
	}
	require.NoError(t, os.WriteFile(filepath.Join(o.SpoolDir, segName(7)), buf.Bytes(), 0o644))

	up := &sink{}
	w := newWriter(t, up, o)
	require.NoError(t, w.Flush(context.Background()))
	requireInOrderOnce(t, up.stored(), 4)
	assert.Equal(t, int64(1), w.Stats().Dropped)
}

func TestPermanentErrorsAreDroppedNotRetried(t *testing.T) {
	logs := &logbuf.Buffer{}
	s := &sink{reject: func(p store.Point) bool { return p.GameID == "g0000003" }}
	o := testOptions(t)
	o.BatchSize = 5
	o.BreakerFailures = 1
	o.Logger = logs.Logger(slog.LevelDebug)
	w := newWriter(t, s, o)

	w.Enqueue(pts(0, 4, "finished")...) // under a batch: only Flush writes
	err := w.Flush(context.Background())
	require.ErrorIs(t, err, ErrPermanent)
	assert.Equal(t, 1, s.nCalls())
	st := w.Stats()
	assert.Equal(t, int64(4), st.Dropped)
	assert.Equal(t, int64(1), st.WritesFailed)
	assert.Equal(t, "closed", st.Breaker, "a store that rejects points is not down")
	assert.True(t, st.Connected)
	assert.Zero(t, st.Spooled)
	assert.Zero(t, st.Queued)
	assert.Contains(t, logs.String(), "rejected points for good")

	w.Enqueue(pts(4, 4, "finished")...)
	require.NoError(t, w.Flush(context.Background()))
	assert.Equal(t, 2, s.nCalls(), "the rejected batch is not retried")
	got := s.stored()
	require.Len(t, got, 4)
	assert.Equal(t, "g0000004", got[0].GameID)
	require.NoError(t, w.Flush(context.Background()))
	assert.Equal(t, 2, s.nCalls())
}

type badRequest struct{}

func (badRequest) Error() string   { return "400 Bad Request: field type conflict" }
func (badRequest) Permanent() bool { return true }

func TestPermanentErrorInterfaceDuringReplay(t *testing.T) {
	o := testOptions(t)
	o.BreakerFailures = 1
	o.BatchSize = 4
	down := &sink{failWith: fmt.Errorf("sink: connection refused: %w", store.ErrUnavailable)}
	w1, err := New(down, o)
	require.NoError(t, err)
	w1.Enqueue(pts(0, 12, "finished")...)
	require.NoError(t, w1.Close(context.Background()))

	s := &rejectingSink{bad: "g0000005"}
	w2 := newWriter(t, s, o)
	// The replay starts by itself at New.
	require.Eventually(t, func() bool { return w2.Stats().Spooled == 0 }, 10*time.Second, time.Millisecond)
	assert.Equal(t, []string{"g0000000", "g0000003", "g0000008", "g0000011"}, s.firstLast())
	assert.Equal(t, int64(4), w2.Stats().Dropped)
	assert.Zero(t, w2.Stats().Spooled)
}

// rejectingSink answers like an HTTP store that refuses a bad line.
type rejectingSink struct {
	mu     sync.Mutex
	bad    string
	stored [][]store.Point
}

func (r *rejectingSink) Write(_ context.Context, points []store.Point) error {
	for _, p := range points {
		if p.GameID == r.bad {
			return fmt.Errorf("write: %w", badRequest{})
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stored = append(r.stored, points)
	return nil
}

func (r *rejectingSink) firstLast() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, b := range r.stored {
		out = append(out, b[0].GameID, b[len(b)-1].GameID)
	}
	return out
}

type serverBusy struct{}

func (serverBusy) Error() string   { return "503 Service Unavailable" }
func (serverBusy) Permanent() bool { return false }

func TestIsPermanent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{fmt.Errorf("x: %w", ErrPermanent), true},
		{fmt.Errorf("x: %w", badRequest{}), true},
		{fmt.Errorf("x: %w", serverBusy{}), false},
		{fmt.Errorf("x: %w", store.ErrUnavailable), false},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), false},
		{fmt.Errorf("x: %w", context.Canceled), false},
		{errors.New("point 3: no game id"), true},
	} {
		assert.Equal(t, tc.want, IsPermanent(tc.err), "%v", tc.err)
	}
}

func TestCloseFlushesAndIsIdempotent(t *testing.T) {
	s := &sink{}
	o := testOptions(t)
	w, err := New(s, o)
	require.NoError(t, err)
	w.Enqueue(pts(0, 17, "scheduled")...)
	require.NoError(t, w.Close(context.Background()))
	requireInOrderOnce(t, s.stored(), 17)
	require.NoError(t, w.Close(context.Background()))

	w.Enqueue(pts(17, 2, "scheduled")...)
	assert.Equal(t, int64(2), w.Stats().Dropped)
	assert.ErrorIs(t, w.Flush(context.Background()), ErrClosed)
	assert.Empty(t, segments(t, o.SpoolDir))
}

// Close with an expiring context while the store hangs: the queue ends
// up in the spool instead of waiting out the write timeout.
func TestCloseWhileStoreHangsSpools(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	s := &sink{hang: hang}
	o := testOptions(t)
	w, err := New(s, o)
	require.NoError(t, err)
	w.Enqueue(pts(0, 25, "live")...)
	require.Eventually(t, func() bool { return s.nCalls() == 1 }, 10*time.Second, time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	require.NoError(t, w.Close(ctx))
	st := w.Stats()
	assert.Equal(t, 25, st.Spooled)
	assert.Equal(t, "closed", st.Breaker, "a shutdown is not a store failure")

	up := &sink{}
	w2 := newWriter(t, up, o)
	require.NoError(t, w2.Flush(context.Background()))
	requireInOrderOnce(t, up.stored(), 25)
}

// writerGoroutines counts goroutines running the writer's code.
func writerGoroutines() int {
	buf := make([]byte, 1<<20)
	n := 0
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "store/writer.(*Writer)") && !strings.Contains(g, "writer.Test") {
			n++
		}
	}
	return n
}

func TestGoroutinesStop(t *testing.T) {
	var ws []*Writer
	for range 5 {
		s := &sink{failWith: store.ErrUnavailable}
		o := testOptions(t)
		o.FlushInterval = time.Millisecond
		o.BreakerTimeout = time.Millisecond
		w, err := New(s, o)
		require.NoError(t, err)
		w.Enqueue(pts(0, 30, "live")...)
		require.Eventually(t, func() bool { return s.nCalls() > 0 }, 10*time.Second, time.Millisecond)
		ws = append(ws, w)
	}
	require.GreaterOrEqual(t, writerGoroutines(), 5, "each writer runs a goroutine")
	for _, w := range ws {
		require.NoError(t, w.Close(context.Background()))
	}
	require.Eventually(t, func() bool { return writerGoroutines() == 0 },
		10*time.Second, 5*time.Millisecond, "writer goroutines left running")
}

func TestOnWriteHook(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	s := &sink{}
	o := testOptions(t)
	o.OnWrite = func(n int, d time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, fmt.Sprintf("%d %v", n, err))
		assert.GreaterOrEqual(t, d, time.Duration(0))
	}
	w := newWriter(t, s, o)
	w.Enqueue(pts(0, 3, "live")...)
	require.NoError(t, w.Flush(context.Background()))
	s.set(func(s *sink) { s.failWith = store.ErrUnavailable })
	w.Enqueue(pts(3, 2, "live")...)
	require.Error(t, w.Flush(context.Background()))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"3 <nil>", "2 store unavailable"}, calls)
}

func TestOptionsValidation(t *testing.T) {
	_, err := New(&sink{}, Options{})
	require.ErrorContains(t, err, "SpoolDir")
	_, err = New(nil, Options{SpoolDir: t.TempDir()})
	require.Error(t, err)
	_, err = New(&sink{}, Options{SpoolDir: t.TempDir(), BatchSize: -1})
	require.ErrorContains(t, err, "BatchSize")

	// A spool directory that cannot be created is reported at start.
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err = New(&sink{}, Options{SpoolDir: filepath.Join(file, "spool")})
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "spool"))
}

// The live wait leaves most of the one-second budget to the store write:
// waiting the whole second put a live change's p99 above it.
func TestDefaultLiveFlushLeavesTheWriteItsSecond(t *testing.T) {
	o := Options{SpoolDir: t.TempDir()}
	require.NoError(t, o.setDefaults())
	assert.Equal(t, DefaultLiveFlush, o.LiveFlush)
	assert.LessOrEqual(t, o.LiveFlush, 200*time.Millisecond)
	assert.Equal(t, 10*time.Second, o.FlushInterval, "points of games not in play still wait for a batch")
}
