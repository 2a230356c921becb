package simulator_test

import (
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/simulator"
)

// BenchmarkScoreboard renders the busiest NFL day (Sunday, fourteen games)
// at 15:00 ET, when the early games are live and the late ones pre, and an
// NHL day in the evening.
func BenchmarkScoreboard(b *testing.B) {
	s := newSim(b, simulator.Options{Seed: 1})
	for _, c := range []struct {
		name string
		key  string
		at   time.Time
	}{
		{"nfl-sunday", "nfl", sunday.Add(3 * time.Hour)},
		{"nhl-sunday", "nhl", sunday.Add(8 * time.Hour)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for i := 0; i < b.N; i++ {
				body, err := s.ScoreboardAt(c.at.Add(time.Duration(i)*time.Second), c.key, c.at)
				if err != nil {
					b.Fatal(err)
				}
				n = len(body)
			}
			b.ReportMetric(float64(n), "bytes/answer")
		})
	}
}

// BenchmarkScoreboardParse is a render followed by the service's parse:
// the cost of one simulated poll.
func BenchmarkScoreboardParse(b *testing.B) {
	s := newSim(b, simulator.Options{Seed: 1})
	l := mustLeague(b, "nfl")
	at := sunday.Add(3 * time.Hour)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		body, err := s.ScoreboardAt(at, "nfl", at)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := espn.ParseScoreboard(body, l); err != nil {
			b.Fatal(err)
		}
	}
}
