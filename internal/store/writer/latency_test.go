package writer

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/sqlite"
)

// timedSink stores into SQLite and notes when each point's write returned.
type timedSink struct {
	db   *sqlite.Store
	mu   sync.Mutex
	done map[string]time.Time
}

func (s *timedSink) Write(ctx context.Context, points []store.Point) error {
	if err := s.db.Write(ctx, points); err != nil {
		return err
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range points {
		s.done[p.GameID] = now
	}
	return nil
}

// BenchmarkLiveLatency measures how long a change of a live game waits from
// Enqueue (the poll that observed it) until the SQLite store has it, with
// the service's defaults (100 points / 10 s, live within 1 s). Changes
// arrive at random moments, a few a second; p50 and p99 are reported.
func BenchmarkLiveLatency(b *testing.B) {
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "sd.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sink := &timedSink{db: db, done: map[string]time.Time{}}
	w, err := New(sink, Options{SpoolDir: filepath.Join(b.TempDir(), "spool"), Live: isLive})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close(context.Background())
	n := max(b.N, 40)
	enqueued := make(map[string]time.Time, n)
	all := pts(0, n, "live")
	b.ResetTimer()
	for i := range all {
		time.Sleep(time.Duration(50+rand.IntN(250)) * time.Millisecond)
		enqueued[all[i].GameID] = time.Now()
		w.Enqueue(all[i])
	}
	if err := w.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	var lat []time.Duration
	sink.mu.Lock()
	for id, t0 := range enqueued {
		if t1, ok := sink.done[id]; ok {
			lat = append(lat, t1.Sub(t0))
		}
	}
	sink.mu.Unlock()
	slices.Sort(lat)
	if len(lat) < n {
		b.Fatalf("%d of %d points stored", len(lat), n)
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
