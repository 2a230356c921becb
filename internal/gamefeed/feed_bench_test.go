package gamefeed

import (
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/fakeclock"
)

// BenchmarkObserve is what the feed adds to every poll on the poller's
// goroutine: a Sunday's scoreboard (16 games) of which one game changed,
// handed to 10 open streams, each taking it.
func BenchmarkObserve(b *testing.B) {
	clk := fakeclock.New(kickoff)
	f := New(Options{Now: clk.Now})
	var subs []*Subscription
	for range 10 {
		s, err := f.Subscribe("")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(s.Cancel)
		subs = append(subs, s)
	}
	frames := eventstest.MIANEFrames(b)
	a, c := eventstest.Poll(b, frames[1]), eventstest.Poll(b, frames[2])
	f.Observe("nfl", a)
	for _, s := range subs {
		drain(s) // the first poll: every game
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		clk.Add(time.Second)
		if i%2 == 0 {
			f.Observe("nfl", c)
		} else {
			f.Observe("nfl", a)
		}
		for _, s := range subs {
			if len(drain(s)) != 1 {
				b.Fatal("one changed game per poll")
			}
		}
	}
}
