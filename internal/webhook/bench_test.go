package webhook

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/game"
)

type arrival struct {
	home int
	at   time.Time
}

// BenchmarkDeliveryLatency measures the time from Observe seeing a score
// change to a real receiver holding the verified body (no delay_seconds):
// detection, the outbox write (fsync) Observe does before returning, the
// hand-over to the webhook's goroutine, signing and the HTTP round trip.
// "one-at-a-time" waits for each delivery before the next change;
// "burst-of-50" observes 50 changes back to back, so later ones also wait
// behind earlier ones in the webhook's queue (each delivery appends to the
// delivered log with an fsync). Reported as p50-ms and p99-ms.
//
//	go test -run '^$' -bench DeliveryLatency -benchtime 500x ./internal/webhook/
func BenchmarkDeliveryLatency(b *testing.B) {
	for _, mode := range []struct {
		name  string
		burst int
	}{{"one-at-a-time", 1}, {"burst-of-50", 50}} {
		b.Run(mode.name, func(b *testing.B) {
			arrivals := make(chan arrival, 4096)
			rc := newReceiver(b, nil)
			rc.Respond(func(n int, _ http.ResponseWriter, _ *http.Request) int {
				d := rc.All()[n]
				arrivals <- arrival{home: d.P.Score.Home, at: d.At}
				return http.StatusOK
			})
			s := start(b, testOptions(b))
			register(b, s.Service, rc.URL(), "")
			base := eventstest.Find(b, eventstest.Scoreboard(b), eventstest.MiaNE)
			frame := func(home int) game.Game { return eventstest.With(base, game.StatusLive, home, 0, 2, "5:00") }
			s.Observe("nfl", eventstest.Poll(b, frame(0)))

			sent := map[int]time.Time{}
			lat := make([]time.Duration, 0, b.N)
			home := 0
			b.ResetTimer()
			for done := 0; done < b.N; {
				n := min(mode.burst, b.N-done)
				for range n {
					home++
					games := eventstest.Poll(b, frame(home))
					sent[home] = time.Now()
					s.Observe("nfl", games)
				}
				for range n {
					select {
					case a := <-arrivals:
						lat = append(lat, a.at.Sub(sent[a.home]))
					case <-time.After(30 * time.Second):
						b.Fatal("delivery did not arrive")
					}
				}
				done += n
			}
			b.StopTimer()
			slices.Sort(lat)
			pct := func(p float64) float64 {
				return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(len(lat)), "events")
		})
	}
}
