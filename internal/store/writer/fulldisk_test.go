package writer

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/disktest"
	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/sqlite"
)

// accepted is a real store that notes the points it accepted, in order,
// for the test to compare.
type accepted struct {
	Sink
	mu     sync.Mutex
	points []store.Point
}

func (a *accepted) Write(ctx context.Context, points []store.Point) error {
	if err := a.Sink.Write(ctx, points); err != nil {
		return err
	}
	a.mu.Lock()
	a.points = append(a.points, points...)
	a.mu.Unlock()
	return nil
}

func (a *accepted) stored() []store.Point {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]store.Point(nil), a.points...)
}

// errorLines are the log's ERROR lines.
func errorLines(logs *logbuf.Buffer) []string {
	var out []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "level=ERROR") {
			out = append(out, l)
		}
	}
	return out
}

// TestFullDiskHoldsPointsInMemory: with the SQLite file and the spool on
// one disk that fills up, every flush used to log an error and the points
// the spool could not take were lost. Now the condition is one error line
// when it begins and one line when it ends, and the points wait in memory
// until the disk takes them, then reach the store in order, once.
func TestFullDiskHoldsPointsInMemory(t *testing.T) {
	disk := disktest.New(t, 2048)
	db, err := sqlite.Open(filepath.Join(disk.Dir, "sports-data.db"), sqlite.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	sink := &accepted{Sink: db}
	var logs logbuf.Buffer
	o := testOptions(t)
	o.SpoolDir = filepath.Join(disk.Dir, "spool")
	o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	o.BreakerFailures = 1000 // every flush asks the store and the spool again
	w := newWriter(t, sink, o)

	w.Enqueue(pts(0, 10, "live")...)
	require.NoError(t, w.Flush(context.Background()))

	disk.Fill(t)
	for i := 1; i <= 6; i++ {
		w.Enqueue(pts(i*10, 10, "live")...)
		require.Error(t, w.Flush(context.Background()), "flush %d on a full disk", i)
	}
	st := w.Stats()
	assert.Zero(t, st.Dropped, "no point lost")
	assert.Equal(t, 60, st.Queued, "held in memory")
	assert.Zero(t, st.Spooled)
	pending, err := w.Pending()
	require.NoError(t, err)
	assert.Len(t, pending, 60, "what a restart would read as the newest state")
	lines := errorLines(&logs)
	require.Len(t, lines, 1, "one error line for the whole condition:\n%s", logs.String())
	assert.Contains(t, lines[0], "writing the spool failed")
	assert.Contains(t, lines[0], "no space left on device")

	disk.Free(t)
	require.NoError(t, w.Flush(context.Background()))
	requireInOrderOnce(t, sink.stored(), 70)
	st = w.Stats()
	assert.Zero(t, st.Queued)
	assert.Zero(t, st.Dropped)
	assert.Contains(t, logs.String(), "points held in memory are all written")
	assert.Len(t, errorLines(&logs), 1)
}

// TestFullDiskWithTheStoreDownSpoolsWhenTheDiskIsBack: the store is away
// (an InfluxDB on another machine) and the spool's disk full: points are
// held in memory; when the disk takes writes again they go to the spool,
// in order behind what it held, and from there to the store once it is
// back. The log says when the spool failed and when it works again.
func TestFullDiskWithTheStoreDownSpoolsWhenTheDiskIsBack(t *testing.T) {
	disk := disktest.New(t, 1024)
	s := &sink{failWith: fmt.Errorf("sink: %w", store.ErrUnavailable)}
	var logs logbuf.Buffer
	o := testOptions(t)
	o.SpoolDir = filepath.Join(disk.Dir, "spool")
	o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	o.BreakerFailures = 1000
	w := newWriter(t, s, o)

	w.Enqueue(pts(0, 10, "live")...)
	require.Error(t, w.Flush(context.Background()))
	assert.Equal(t, 10, w.Stats().Spooled)

	disk.Fill(t)
	for i := 1; i <= 4; i++ {
		w.Enqueue(pts(i*10, 10, "live")...)
		require.Error(t, w.Flush(context.Background()))
	}
	st := w.Stats()
	assert.Equal(t, 10, st.Spooled)
	assert.Equal(t, 40, st.Queued)
	assert.Zero(t, st.Dropped)
	require.Len(t, errorLines(&logs), 1, logs.String())

	disk.Free(t)
	w.Enqueue(pts(50, 10, "live")...)
	require.Error(t, w.Flush(context.Background()), "the store is still down")
	st = w.Stats()
	assert.Equal(t, 60, st.Spooled, "the disk took the held points")
	assert.Zero(t, st.Queued)
	assert.Contains(t, logs.String(), `msg="writing the spool works again"`)

	s.set(func(s *sink) { s.failWith = nil })
	require.NoError(t, w.Flush(context.Background()))
	requireInOrderOnce(t, s.stored(), 60)
	assert.Zero(t, w.Stats().Dropped)
}

// TestHeldPointsAreBounded: while neither the store nor the disk takes
// points, memory holds at most HoldSize of them; the oldest go first,
// counted, with one line.
func TestHeldPointsAreBounded(t *testing.T) {
	disk := disktest.New(t, 512)
	s := &sink{failWith: fmt.Errorf("sink: %w", store.ErrUnavailable)}
	var logs logbuf.Buffer
	o := testOptions(t)
	o.SpoolDir = filepath.Join(disk.Dir, "spool")
	o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	o.BreakerFailures = 1000
	o.HoldSize = 25
	w := newWriter(t, s, o)
	disk.Fill(t)
	for i := 0; i < 5; i++ {
		w.Enqueue(pts(i*10, 10, "live")...)
		require.Error(t, w.Flush(context.Background()))
	}
	st := w.Stats()
	assert.Equal(t, 25, st.Queued)
	assert.Equal(t, int64(25), st.Dropped)
	pending, err := w.Pending()
	require.NoError(t, err)
	require.Len(t, pending, 25)
	assert.Equal(t, "g0000025", pending[0].GameID, "the newest are kept")
	assert.Equal(t, 1, strings.Count(logs.String(), "reached their bound"))

	// At the stop, what memory holds and no disk takes is counted as lost.
	disk.Free(t)
	require.NoError(t, w.Close(context.Background()), "the disk took them at the stop")
	assert.Equal(t, int64(25), w.Stats().Dropped)

}
