package webhook

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/testenv"
)

func TestLoadJournal(t *testing.T) {
	add := func(w, id string) string {
		b, _ := json.Marshal(journalRec{Op: opAdd, Webhook: w, Item: &item{EventID: id, Event: events.ScoreChange, Body: `{"event_id":"` + id + `"}`}})
		return string(b)
	}
	done := func(w, id string) string {
		b, _ := json.Marshal(journalRec{Op: opDone, Webhook: w, Event: id})
		return string(b)
	}
	lines := []string{
		add("a", "1"), add("a", "2"), add("b", "1"), add("a", "3"),
		done("a", "2"),          // ended in the middle of the queue
		add("a", "1"),           // queued again after a compaction raced: once
		done("b", "9"),          // unknown: nothing
		`{"op":"drop","w":"b"}`, // b deleted
		add("b", "4"),           // b's id re-used after the drop
		`{"op":"add","w":"c"}`,  // no item
		`not json`,
		add("c", "5"),
		`{"op":"add","w":"c","i":{"event_id":"6","bo`, // torn by a crash
	}
	path := filepath.Join(t.TempDir(), outboxFile)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600))
	queues, found, err := loadJournal(path)
	require.NoError(t, err)
	assert.True(t, found)
	ids := map[string][]string{}
	for w, items := range queues {
		for _, it := range items {
			ids[w] = append(ids[w], it.EventID)
		}
	}
	assert.Equal(t, map[string][]string{"a": {"1", "3"}, "b": {"4"}, "c": {"5"}}, ids)
	assert.Equal(t, `{"event_id":"3"}`, queues["a"][1].Body, "the exact body")

	_, found, err = loadJournal(filepath.Join(t.TempDir(), "none"))
	require.NoError(t, err)
	assert.False(t, found)
}

// Writes follow events, not polls: polls that change nothing (or only the
// clock) and retries of unreachable receivers leave the outbox and games
// files alone; an event adds one line per webhook it is queued for.
func TestOutboxIsWrittenPerEvent(t *testing.T) {
	dead := "http://" + testenv.FreeAddr(t) + "/api/webhook/x"
	o := testOptions(t)
	s := start(t, o)
	for i := range 3 {
		register(t, s.Service, fmt.Sprintf("%s%d", dead, i), "")
	}
	frames := eventstest.MIANEFrames(t)
	s.Observe("nfl", eventstest.Poll(t, frames[1])) // first sighting: remembered, no event
	s.flush(false)
	// The games file is event detection's (package events), beside the outbox.
	journalPath, gamesPath := filepath.Join(o.DataDir, outboxFile), filepath.Join(o.DataDir, "webhook-games.json")
	journalBefore, err := os.Stat(journalPath)
	require.NoError(t, err)
	gamesBefore, err := os.Stat(gamesPath)
	require.NoError(t, err)

	for range 50 { // the same scoreboard, poll after poll
		s.Observe("nfl", eventstest.Poll(t, frames[2]))
		s.flush(false)
	}
	journalAfter, err := os.Stat(journalPath)
	require.NoError(t, err)
	gamesAfter, err := os.Stat(gamesPath)
	require.NoError(t, err)
	assert.Equal(t, journalBefore.Size(), journalAfter.Size(), "no event, no outbox write")
	assert.True(t, os.SameFile(gamesBefore, gamesAfter), "games not rewritten for seen-at times alone")

	s.Observe("nfl", eventstest.Poll(t, frames[3])) // 7-0: one event for three webhooks
	b, err := os.ReadFile(journalPath)
	require.NoError(t, err)
	assert.Equal(t, 3, strings.Count(string(b), `"op":"add"`))
	gamesNow, err := os.Stat(gamesPath)
	require.NoError(t, err)
	assert.False(t, os.SameFile(gamesBefore, gamesNow), "a score change is written before Observe returns")
	require.Eventually(t, func() bool {
		for _, r := range s.List() {
			if r.Stats.FailedCalls < 2 {
				return false
			}
		}
		return true
	}, 10*time.Second, time.Millisecond, "the receivers are being retried")
	b2, err := os.ReadFile(journalPath)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(b2), "retries write nothing to the outbox")
}

// The single-file outbox of earlier versions is carried over: its pending
// deliveries go out and its games are the baseline of detection.
func TestLegacyOutboxIsCarriedOver(t *testing.T) {
	o := testOptions(t)
	rc := newReceiver(t, nil)
	s1, err := New(o)
	require.NoError(t, err)
	reg := register(t, s1, rc.URL(), "NE")

	frames := eventstest.MIANEFrames(t)
	ev := events.Detect(ptr(frames[0]), frames[1])[0]
	ev.Observed = kickoff
	p := ev.Payload("NE")
	p.WebhookID = reg.ID
	pending := item{EventID: ev.ID, Event: ev.Type, Body: string(p.JSON()), NotBefore: time.Now(), Observed: time.Now()}
	// The earlier version's file: the queues and what detection knew of
	// each game (live, 0-0).
	b, err := json.Marshal(map[string]any{"version": 1,
		"queues": map[string][]item{reg.ID: {pending}},
		"games":  map[string]any{"nfl|" + eventstest.MiaNE: map[string]any{"status": "live", "home": 0, "away": 0, "touched": time.Now()}},
	})
	require.NoError(t, err)
	// As an earlier version left DATA_DIR: no journal, no games file.
	require.NoError(t, os.Remove(filepath.Join(o.DataDir, outboxFile)))
	require.NoFileExists(t, filepath.Join(o.DataDir, "webhook-games.json"))
	require.NoError(t, os.WriteFile(filepath.Join(o.DataDir, legacyOutboxFile), b, 0o600))

	// The service's order: event detection first (it takes the games),
	// then webhook delivery (it takes the queues and removes the file).
	s2 := start(t, o)
	assert.NoFileExists(t, filepath.Join(o.DataDir, legacyOutboxFile))
	got := rc.WaitDelivered(t, 1)
	assert.Equal(t, ev.ID, got[0].P.EventID)
	assert.Equal(t, pending.Body, string(got[0].Raw), "the stored body, byte for byte")
	// The carried-over game state (live, 0-0) is the baseline: 7-0 is an event.
	s2.Observe("nfl", eventstest.Poll(t, frames[3]))
	got = rc.WaitDelivered(t, 2)
	assert.Equal(t, events.ScoreChange, got[1].P.Event)
}

// Whatever the journal holds (damage, torn lines, replays), loading never
// fails on content and yields queues without empty or repeated ids.
func FuzzLoadJournal(f *testing.F) {
	for _, seed := range []string{
		`{"op":"add","w":"a","i":{"event_id":"1","event":"game_start","body":"{}"}}` + "\n" + `{"op":"done","w":"a","e":"1"}`,
		`{"op":"add","w":"a","i":{"event_id":"1"}}` + "\n" + `{"op":"add","w":"a","i":{"event_id":"1"}}` + "\n" + `{"op":"drop","w":"a"}`,
		`{"op":"add","w":"a","i":{"event_id":"2","bo`,
		"\n\n\r\n", `{"op":"done"}`, `[]`, `null`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), outboxFile)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		queues, found, err := loadJournal(path)
		if err != nil || !found {
			t.Fatalf("loadJournal: found %v, err %v", found, err)
		}
		for w, items := range queues {
			seen := map[string]bool{}
			for _, it := range items {
				if w == "" || it.EventID == "" || seen[it.EventID] {
					t.Fatalf("webhook %q: item %+v (seen %v)", w, it, seen[it.EventID])
				}
				seen[it.EventID] = true
			}
		}
	})
}
