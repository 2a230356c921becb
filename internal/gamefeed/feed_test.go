package gamefeed

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
)

var kickoff = time.Date(2022, 9, 11, 17, 0, 0, 0, time.UTC)

// drain takes what is waiting for a subscriber without blocking.
func drain(s *Subscription) []Message {
	var out []Message
	for {
		select {
		case m, ok := <-s.C():
			if !ok {
				return out
			}
			out = append(out, m)
		default:
			return out
		}
	}
}

func decodeGame(t *testing.T, m Message) (GameChange, game.Game) {
	t.Helper()
	require.Equal(t, TypeGame, m.Type)
	var c GameChange
	require.NoError(t, json.Unmarshal(m.Data, &c))
	var g game.Game
	require.NoError(t, json.Unmarshal(c.Game, &g))
	return c, g
}

// The first poll sends every game; later polls only the games that
// changed, the clock included; events follow with the webhooks' payload.
func TestOnlyChangedGamesAreSent(t *testing.T) {
	clk := fakeclock.New(kickoff)
	f := New(Options{Now: clk.Now})
	sub, err := f.Subscribe("")
	require.NoError(t, err)
	frames := eventstest.MIANEFrames(t)

	f.Observe("NFL", eventstest.Poll(t, frames[1]))
	first := drain(sub)
	assert.Len(t, first, 16, "every game of the first poll")

	clk.Add(time.Second)
	f.Observe("nfl", eventstest.Poll(t, frames[1]))
	assert.Empty(t, drain(sub), "nothing changed")

	clk.Add(time.Second)
	f.Observe("nfl", eventstest.Poll(t, frames[2])) // only the clock moved
	got := drain(sub)
	require.Len(t, got, 1)
	c, g := decodeGame(t, got[0])
	assert.Equal(t, "nfl", c.League)
	assert.Equal(t, clk.Now(), c.ObservedAt)
	assert.Equal(t, eventstest.MiaNE, g.ID)
	assert.Equal(t, "9:12", g.Period.TimeRemaining)

	ev := events.Event{Type: events.ScoreChange, ID: "e1", League: "nfl", Game: frames[3], Previous: game.Score{}, Observed: clk.Now()}
	f.Events([]events.Event{ev})
	got = drain(sub)
	require.Len(t, got, 1)
	assert.Equal(t, events.ScoreChange, got[0].Type)
	assert.JSONEq(t, string(ev.Payload("").JSON()), string(got[0].Data))
	assert.Less(t, first[0].ID, first[1].ID)
}

// A subscriber that does not keep up is dropped, without holding up the
// poller or the subscriber that keeps up; it comes back with its last id
// and gets what it missed.
func TestASlowSubscriberIsDroppedAndReplays(t *testing.T) {
	f := New(Options{Buffer: 4, Replay: 64})
	slow, err := f.Subscribe("")
	require.NoError(t, err)
	fast, err := f.Subscribe("")
	require.NoError(t, err)
	var seen []Message
	frames := eventstest.MIANEFrames(t)
	for _, fr := range frames {
		f.Observe("nfl", []game.Game{fr})
		seen = append(seen, drain(fast)...)
	}
	assert.Len(t, seen, len(frames), "the subscriber that keeps up has everything")

	had := drain(slow)
	assert.Len(t, had, 4, "the buffer, then the end")
	assert.True(t, slow.Dropped())
	_, open := <-slow.C()
	assert.False(t, open)

	back, err := f.Subscribe(had[len(had)-1].ID)
	require.NoError(t, err)
	assert.False(t, back.Reset)
	assert.Equal(t, seen[4:], back.Replay)
	assert.Equal(t, 2, f.Subscribers())
}

// An id the feed no longer has everything after, or one of an earlier run
// of the service, asks the subscriber to read the state again.
func TestResetWhenTheReplayCannotCover(t *testing.T) {
	f := New(Options{Replay: 3})
	for _, fr := range eventstest.MIANEFrames(t) {
		f.Observe("nfl", []game.Game{fr})
	}
	newest := f.ring[(f.head+len(f.ring)-1)%len(f.ring)].ID
	for _, id := range []string{f.start + "-1", "abc-3", "nonsense", f.start + "-999"} {
		s, err := f.Subscribe(id)
		require.NoError(t, err)
		assert.True(t, s.Reset, id)
		assert.Empty(t, s.Replay, id)
		assert.Equal(t, newest, s.LastID, id)
		s.Cancel()
	}
	s, err := f.Subscribe(newest)
	require.NoError(t, err)
	assert.False(t, s.Reset)
	assert.Empty(t, s.Replay)
}

// The number of streams is bounded; Close ends them all and refuses new
// ones, and Cancel twice is harmless.
func TestBoundsAndClose(t *testing.T) {
	f := New(Options{MaxSubscribers: 2})
	a, err := f.Subscribe("")
	require.NoError(t, err)
	b, err := f.Subscribe("")
	require.NoError(t, err)
	_, err = f.Subscribe("")
	assert.ErrorIs(t, err, ErrFull)
	a.Cancel()
	a.Cancel()
	c, err := f.Subscribe("")
	require.NoError(t, err)

	f.Close()
	for _, s := range []*Subscription{b, c} {
		_, open := <-s.C()
		assert.False(t, open)
		assert.False(t, s.Dropped())
	}
	_, err = f.Subscribe("")
	assert.ErrorIs(t, err, ErrClosed)
	f.Observe("nfl", eventstest.Poll(t, eventstest.MIANEFrames(t)[0])) // no one to send to, no panic
}

// A game not seen for ForgetAfter is forgotten: seen again, it is sent.
func TestForgottenGamesAreSentAgain(t *testing.T) {
	clk := fakeclock.New(kickoff)
	f := New(Options{Now: clk.Now, ForgetAfter: 2 * time.Hour})
	sub, err := f.Subscribe("")
	require.NoError(t, err)
	g := eventstest.MIANEFrames(t)[0]
	f.Observe("nfl", []game.Game{g})
	clk.Add(3 * time.Hour)
	f.Observe("nfl", nil) // prunes
	f.Observe("nfl", []game.Game{g})
	assert.Len(t, drain(sub), 2)
}
