package webhook

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/testenv"
)

// processWrites is the bytes this process has passed to write(2) so far
// (wchar of /proc/self/io): files, and sockets, of which an unreachable
// receiver gets none.
func processWrites(tb testing.TB) int64 {
	f, err := os.Open("/proc/self/io")
	if err != nil {
		tb.Skip("no /proc/self/io here")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "wchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	tb.Skip("no wchar in /proc/self/io")
	return 0
}

// BenchmarkOutboxWrites measures the bytes written to DATA_DIR while 50
// webhooks point at an address where nothing listens and every poll brings
// one score change (a busy Sunday: 120 polls, 6000 pending deliveries at
// the end). Each poll is followed by the once-a-second flush, as if polls
// came a second apart. Reported per poll and for the 120 polls.
//
//	go test -run '^$' -bench OutboxWrites -benchtime 3x ./internal/webhook/
func BenchmarkOutboxWrites(b *testing.B) {
	const hooks, polls = 50, 120
	dead := "http://" + testenv.FreeAddr(b) + "/api/webhook/"
	games := eventstest.Scoreboard(b)
	var total int64
	for range b.N {
		b.StopTimer()
		o := testOptions(b)
		s, err := New(o)
		if err != nil {
			b.Fatal(err)
		}
		d := detector(b, s)
		for i := range hooks {
			if _, err := s.Register(context.Background(), RegisterRequest{URL: dead + strconv.Itoa(i), Secret: testSecret}); err != nil {
				b.Fatal(err)
			}
		}
		cur := append([]game.Game(nil), games...)
		for i := range cur {
			cur[i].Status = game.StatusLive
		}
		d.Observe("nfl", cur)
		before := processWrites(b)
		b.StartTimer()
		for p := range polls {
			g := &cur[p%len(cur)]
			g.Score.Home++
			d.Observe("nfl", cur)
			s.flush(false)
		}
		b.StopTimer()
		total += processWrites(b) - before
		pending := 0
		for _, r := range s.List() {
			pending += r.Pending
		}
		if pending != hooks*polls {
			b.Fatalf("%d deliveries pending, want %d", pending, hooks*polls)
		}
	}
	b.ReportMetric(float64(total)/float64(b.N*polls), "B/poll")
	b.ReportMetric(float64(total)/float64(b.N)/1e6, "MB/120polls")
}
