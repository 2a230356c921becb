package events

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
)

// The stored observations of a game replayed give the events the Detector
// handed its subscribers while it watched: same types, ids and times.
func TestReplayGivesTheEventsTheDetectorHandedOn(t *testing.T) {
	clk := fakeclock.New(kickoff)
	d := newDetector(t, t.TempDir(), clk)
	var handed recorder
	d.Subscribe(&handed)
	frames := eventstest.MIANEFrames(t)
	walk(t, d, clk, frames)

	// The timeline stores changes only: the frame where nothing but the
	// clock moved is not among them.
	var obs []Observation
	for i, f := range frames {
		if i == 2 {
			continue
		}
		obs = append(obs, Observation{Game: f, At: kickoff.Add(time.Duration(i+1) * time.Minute)})
	}
	replayed := Replay("NFL", obs)

	want := handed.all()
	assert.Len(t, replayed, len(want))
	for i := range min(len(want), len(replayed)) {
		assert.Equal(t, want[i].ID, replayed[i].ID, "event %d", i)
		assert.Equal(t, want[i].Type, replayed[i].Type, "event %d", i)
		assert.Equal(t, want[i].Observed, replayed[i].Observed, "event %d", i)
		assert.Equal(t, want[i].Game.Score, replayed[i].Game.Score, "event %d", i)
		assert.Equal(t, "nfl", replayed[i].League)
	}
}

// A score taken back and given again is two score changes with ids of
// their own, as the Detector counts corrections; one observation alone
// makes nothing.
func TestReplayCountsCorrections(t *testing.T) {
	g := eventstest.Find(t, eventstest.Scoreboard(t), eventstest.MiaNE)
	at := func(m int) time.Time { return kickoff.Add(time.Duration(m) * time.Minute) }
	obs := []Observation{
		{eventstest.With(g, game.StatusLive, 0, 0, 1, "15:00"), at(0)},
		{eventstest.With(g, game.StatusLive, 7, 0, 1, "10:00"), at(1)},
		{eventstest.With(g, game.StatusLive, 0, 0, 1, "10:00"), at(2)},
		{eventstest.With(g, game.StatusLive, 7, 0, 1, "9:00"), at(3)},
	}
	evs := Replay("nfl", obs)
	assert.Equal(t, []string{ScoreChange, ScoreChange, ScoreChange}, types(evs))
	assert.NotEqual(t, evs[0].ID, evs[2].ID, "0-0 → 7-0 after a correction is another happening")
	assert.Empty(t, Replay("nfl", obs[:1]))
}
