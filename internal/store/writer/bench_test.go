package writer

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/sqlite"
)

type discard struct{}

func (discard) Write(context.Context, []store.Point) error { return nil }

// BenchmarkEnqueue is the cost the poller pays per point.
func BenchmarkEnqueue(b *testing.B) {
	// A queue large enough that the writer never spills: the cost of
	// queueing alone.
	b.Run("store-up", func(b *testing.B) {
		w, err := New(discard{}, Options{SpoolDir: b.TempDir(), QueueSize: 1 << 20})
		require.NoError(b, err)
		defer w.Close(context.Background())
		p := pts(0, 1, "live")[0]
		b.ReportAllocs()
		for b.Loop() {
			w.Enqueue(p)
		}
	})
	// With the store hanging, every QueueSize points spill to the spool:
	// the figure includes that append and its fsync.
	b.Run("store-hung", func(b *testing.B) {
		hang := make(chan struct{})
		defer close(hang)
		w, err := New(&sink{hang: hang}, Options{SpoolDir: b.TempDir(), SpoolMaxBytes: 1 << 30})
		require.NoError(b, err)
		defer w.Close(context.Background())
		p := pts(0, 1, "live")[0]
		b.ReportAllocs()
		for b.Loop() {
			w.Enqueue(p)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		w, err := New(discard{}, Options{SpoolDir: b.TempDir(), QueueSize: 1 << 20})
		require.NoError(b, err)
		defer w.Close(context.Background())
		p := pts(0, 1, "live")[0]
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				w.Enqueue(p)
			}
		})
	})
}

// BenchmarkWriteSQLite measures points per second from Enqueue into a real
// SQLite file, Flush included.
func BenchmarkWriteSQLite(b *testing.B) {
	for _, bc := range []struct {
		name             string
		batch, queueSize int
	}{
		{"batch100", 100, 0},
		{"batch1000", 1000, 0},
		// A queue smaller than the burst: part of it goes through the spool.
		{"batch100-spill", 100, 1000},
	} {
		b.Run(bc.name, func(b *testing.B) {
			db, err := sqlite.Open(filepath.Join(b.TempDir(), "sports.db"), sqlite.Options{})
			require.NoError(b, err)
			defer db.Close()
			points := pts(0, b.N, "live")
			q := bc.queueSize
			if q == 0 {
				q = b.N
			}
			w, err := New(db, Options{SpoolDir: b.TempDir(), BatchSize: bc.batch, QueueSize: q, SpoolMaxBytes: 1 << 30})
			require.NoError(b, err)
			defer w.Close(context.Background())
			b.ResetTimer()
			for i := range points {
				w.Enqueue(points[i])
			}
			require.NoError(b, w.Flush(context.Background()))
			b.StopTimer()
			require.Equal(b, int64(b.N), w.Stats().PointsWritten)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "points/s")
		})
	}
}
