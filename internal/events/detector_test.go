package events

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/logbuf"
)

// kickoff of MIA–NE in the capture.
var kickoff = time.Date(2022, 9, 11, 17, 0, 0, 0, time.UTC)

// recorder is a subscriber that keeps what it is handed; during, when
// set, runs inside each call.
type recorder struct {
	mu      sync.Mutex
	batches [][]Event
	during  func(batch []Event)
}

func (r *recorder) Events(batch []Event) {
	if r.during != nil {
		r.during(batch)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, append([]Event(nil), batch...))
}

func (r *recorder) all() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Event
	for _, b := range r.batches {
		out = append(out, b...)
	}
	return out
}

func newDetector(t *testing.T, dir string, clk *fakeclock.Clock) *Detector {
	t.Helper()
	d, err := New(Options{DataDir: dir, Now: clk.Now})
	require.NoError(t, err)
	return d
}

// walk observes each frame of MIA–NE in a whole scoreboard, a minute apart.
func walk(t *testing.T, d *Detector, clk *fakeclock.Clock, frames []game.Game) {
	for _, f := range frames {
		clk.Add(time.Minute)
		d.Observe("nfl", eventstest.Poll(t, f))
	}
}

// Every subscriber is handed every event once, in the order they happened,
// stamped with when they were observed; ESPN replaying the game (a final
// flipping back to live and to final) hands nothing on again.
func TestSubscribersGetEveryEventOnceInOrder(t *testing.T) {
	clk := fakeclock.New(kickoff)
	d := newDetector(t, t.TempDir(), clk)
	var webhooks, mqtt recorder
	d.Subscribe(&webhooks)
	d.Subscribe(&mqtt)
	walk(t, d, clk, eventstest.MIANEFrames(t))

	evs := webhooks.all()
	assert.Equal(t, []string{GameStart, ScoreChange, ScoreChange, ScoreChange, ScoreChange, ScoreChange, GameEnd}, types(evs))
	for i, ev := range evs {
		minute := []int{2, 4, 5, 6, 7, 9, 9}[i]
		assert.Equal(t, kickoff.Add(time.Duration(minute)*time.Minute), ev.Observed, "event %d", i)
		assert.Equal(t, "nfl", ev.League)
		assert.Equal(t, eventstest.MiaNE, ev.Game.ID)
	}
	assert.Equal(t, evs, mqtt.all(), "subscribers of equal rank get the same events")
	assert.Len(t, webhooks.batches, 6, "one batch per poll with events: the last poll's two together")

	walk(t, d, clk, eventstest.MIANEFrames(t))
	assert.Len(t, webhooks.all(), 7, "the same ids are handed on once")
}

// A subscriber that panics is logged; the others get every event.
func TestAPanickingSubscriberHarmsNobody(t *testing.T) {
	clk := fakeclock.New(kickoff)
	var logs logbuf.Buffer
	d, err := New(Options{DataDir: t.TempDir(), Now: clk.Now, Logger: logs.Logger(slog.LevelInfo)})
	require.NoError(t, err)
	var before, after recorder
	before.during = func([]Event) { panic("a subscriber bug") }
	d.Subscribe(&before)
	d.Subscribe(&after)
	walk(t, d, clk, eventstest.MIANEFrames(t))
	assert.Len(t, after.all(), 7)
	assert.Len(t, logs.Lines("event subscriber panicked"), 6, "one line per batch")
}

// The games file records a game's new state only after every subscriber
// had its events: a crash in between detects them again at the next start.
func TestTheGamesFileFollowsTheSubscribers(t *testing.T) {
	clk := fakeclock.New(kickoff)
	dir := t.TempDir()
	d := newDetector(t, dir, clk)
	frames := eventstest.MIANEFrames(t)
	walk(t, d, clk, frames[:3]) // live 0-0
	var seen []gameRecord
	sub := &recorder{during: func([]Event) { seen = append(seen, storedMIANE(t, dir)) }}
	d.Subscribe(sub)
	walk(t, d, clk, frames[3:4]) // 7-0
	require.Len(t, seen, 1)
	assert.Equal(t, 0, seen[0].Home, "the file still says 0-0 while the subscriber has the event")
	assert.Equal(t, 7, storedMIANE(t, dir).Home, "and 7-0 once Observe returned")

	// A restart as if the process had died during the subscriber's call:
	// the same event again, with the same id.
	first := sub.all()[0]
	raw, err := os.ReadFile(filepath.Join(dir, gamesFile))
	require.NoError(t, err)
	raw = bytes.Replace(raw, []byte(`"home":7`), []byte(`"home":0`), 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, gamesFile), raw, 0o600))
	d2 := newDetector(t, dir, clk)
	var again recorder
	d2.Subscribe(&again)
	walk(t, d2, clk, frames[3:4])
	require.Len(t, again.all(), 1)
	assert.Equal(t, first.ID, again.all()[0].ID)
}

func storedMIANE(t *testing.T, dir string) gameRecord {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, gamesFile))
	require.NoError(t, err)
	var doc gamesDoc
	require.NoError(t, json.Unmarshal(b, &doc))
	return doc.Games[gameKey("nfl", eventstest.MiaNE)]
}

// A restart carries on from what this service last saw: unchanged games
// are quiet, the next change is an event.
func TestRestartCarriesOn(t *testing.T) {
	clk := fakeclock.New(kickoff)
	dir := t.TempDir()
	frames := eventstest.MIANEFrames(t)
	walk(t, newDetector(t, dir, clk), clk, frames[:4])
	d := newDetector(t, dir, clk)
	var r recorder
	d.Subscribe(&r)
	walk(t, d, clk, frames[3:5])
	assert.Equal(t, []string{ScoreChange}, types(r.all()))
	assert.Equal(t, game.Score{Home: 7}, r.all()[0].Previous)
}

// With the stored baseline (Seed) a final reached while the service was
// down is reported once; one found long after the game is not.
func TestSeededTransitionsAndStaleEnds(t *testing.T) {
	frames := eventstest.MIANEFrames(t)
	for _, c := range []struct {
		name string
		now  time.Time
		want []string
	}{
		{"back within the hour", kickoff.Add(3*time.Hour + 45*time.Minute), []string{ScoreChange, GameEnd}},
		{"back hours later", kickoff.Add(5 * time.Hour), []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := fakeclock.New(c.now)
			d := newDetector(t, t.TempDir(), clk)
			var r recorder
			d.Subscribe(&r)
			d.Seed("nfl", []game.Game{frames[7]}) // stored: live 17-7
			d.Observe("nfl", eventstest.Poll(t, frames[8]))
			assert.Equal(t, c.want, types(r.all()))
		})
	}
}

// The games of an earlier version's single-file outbox are carried over;
// a damaged games file is moved aside and detection starts afresh.
func TestGamesOfEarlierVersionsAndDamage(t *testing.T) {
	clk := fakeclock.New(kickoff)
	dir := t.TempDir()
	legacy := `{"version":1,"queues":{},"games":{"nfl|` + eventstest.MiaNE + `":{"status":"live","home":0,"away":0,"touched":"2022-09-11T17:05:00Z"}}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, legacyOutboxFile), []byte(legacy), 0o600))
	d := newDetector(t, dir, clk)
	assert.Equal(t, game.StatusLive, storedMIANE(t, dir).Status, "written to the games file at once")
	var r recorder
	d.Subscribe(&r)
	d.Observe("nfl", eventstest.Poll(t, eventstest.MIANEFrames(t)[3]))
	assert.Equal(t, []string{ScoreChange}, types(r.all()), "the carried-over state is the baseline")

	require.NoError(t, os.WriteFile(filepath.Join(dir, gamesFile), []byte(`{"games":`), 0o600))
	_, err := New(Options{DataDir: dir, Now: clk.Now})
	require.NoError(t, err)
	aside, _ := filepath.Glob(filepath.Join(dir, gamesFile+".corrupt-*"))
	assert.Len(t, aside, 1)
}

// Polls that change nothing leave the games file alone; Close writes the
// times the games were last seen.
func TestSeenTimesAreWrittenAtClose(t *testing.T) {
	clk := fakeclock.New(kickoff)
	dir := t.TempDir()
	d := newDetector(t, dir, clk)
	frames := eventstest.MIANEFrames(t)
	walk(t, d, clk, frames[1:2])
	before, err := os.Stat(filepath.Join(dir, gamesFile))
	require.NoError(t, err)
	walk(t, d, clk, []game.Game{frames[2], frames[2], frames[2]}) // the clock only
	after, err := os.Stat(filepath.Join(dir, gamesFile))
	require.NoError(t, err)
	assert.True(t, os.SameFile(before, after), "not rewritten for the times alone")
	require.NoError(t, d.Close(t.Context()))
	assert.Equal(t, clk.Now(), storedMIANE(t, dir).SeenAt.UTC())
}
