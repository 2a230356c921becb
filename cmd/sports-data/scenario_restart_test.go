package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The NHL game of the restart scenario: 401461557, Canucks at Flames, a
// preseason game that is "pre" in the 2022-09-25 capture. Frames are
// derived from that event (see scGame.body); the story is made up and
// ends in overtime.
const scNHLGameID = "401461557"

func scNHLGame(t *testing.T) *scGame {
	g := scLoadGame(t, "nhl", scNHLPath, scNHLCapture, scNHLGameID, time.Now().Add(-30*time.Minute))
	require.Equal(t, "CGY", g.Home)
	require.Equal(t, "VAN", g.Away)
	return g
}

// TestScenarioRestartDuringAGame stops the service three times during a
// game: once with nothing changing while it is down, twice with the game
// moving on meanwhile. Every change is stored exactly once.
func TestScenarioRestartDuringAGame(t *testing.T) {
	t.Parallel()
	feed := newScFeed(t)
	g := scNHLGame(t)
	w := &scWalk{t: t, feed: feed, g: g}
	s := startService(t, feed.URL, nil)

	var seen []scFrame
	show := func(fr scFrame) {
		w.show(s, fr)
		seen = append(seen, fr)
	}
	// whileDown stops the service, moves the game on, and starts again.
	whileDown := func(fr scFrame) {
		s.stop()
		w.set(fr)
		s.start()
		w.await(s, fr)
		seen = append(seen, fr)
	}

	show(scFrame{State: "pre", Period: 0, Clock: "0:00"})
	show(scFrame{State: "in", Period: 1, Clock: "20:00", Detail: "20:00 - 1st Period"})
	show(scFrame{State: "in", Period: 1, Clock: "13:12", Home: 1, Detail: "13:12 - 1st Period"})

	// Nothing happens while the service is down.
	s.restart()
	w.await(s, seen[len(seen)-1])
	show(scFrame{State: "in", Period: 1, Clock: "9:40", Home: 1, Detail: "9:40 - 1st Period"}) // clock only
	show(scFrame{State: "in", Period: 2, Clock: "14:02", Home: 1, Away: 1, Detail: "14:02 - 2nd Period"})

	// A goal while the service is down.
	whileDown(scFrame{State: "in", Period: 2, Clock: "3:15", Home: 2, Away: 1, Detail: "3:15 - 2nd Period"})
	show(scFrame{State: "in", Period: 3, Clock: "5:00", Home: 2, Away: 2, Detail: "5:00 - 3rd Period"})
	// Overtime starts while the service is down.
	whileDown(scFrame{State: "in", Period: 4, Clock: "4:10", Home: 2, Away: 2, Detail: "4:10 - OT", Name: "STATUS_OVERTIME"})
	show(scFrame{State: "post", Period: 4, Clock: "0:00", Home: 3, Away: 2, Detail: "Final/OT"})
	w.settle(s)

	want := scExpectedTimeline(seen)
	require.Len(t, want, 8)
	var tl scTimeline
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/timeline/"+g.ID, &tl))
	assert.Equal(t, want, tl.entries(), "every change once: nothing repeated by a restart, the changes made while down stored once")
	assert.Equal(t, "NHL", tl.League)
	for i := 1; i < len(tl.Timeline); i++ {
		assert.True(t, tl.Timeline[i].Time.After(tl.Timeline[i-1].Time), "entry %d is later than entry %d", i, i-1)
	}

	var hist scHistoryPage
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/history?team=Canucks&league=nhl", &hist))
	require.Equal(t, 1, hist.Total)
	assert.Equal(t, "final", hist.Games[0].Status)
	assert.Equal(t, 3, hist.Games[0].HomeScore)
	assert.Equal(t, 2, hist.Games[0].AwayScore)
	assert.Equal(t, 4, hist.Games[0].Period)
	if assert.NotNil(t, hist.Statistics) {
		assert.Equal(t, 1, hist.Statistics.OTLosses, "a loss after regulation is an overtime loss in the NHL")
		assert.Equal(t, 0, hist.Statistics.Losses)
		assert.Equal(t, "0-0-1", hist.Statistics.AwayRecord)
	}
}

// TestScenarioRestartAfterTheFinal restarts the service while ESPN still
// shows a game that ended (it does so for the rest of the day): the final
// state is already stored and must not be stored again.
func TestScenarioRestartAfterTheFinal(t *testing.T) {
	t.Parallel()
	feed := newScFeed(t)
	g := scNHLGame(t)
	w := &scWalk{t: t, feed: feed, g: g}
	s := startService(t, feed.URL, nil)
	frames := []scFrame{
		{State: "pre", Period: 0, Clock: "0:00"},
		{State: "in", Period: 3, Clock: "1:00", Home: 1, Away: 4, Detail: "1:00 - 3rd Period"},
		{State: "post", Period: 3, Clock: "0:00", Home: 1, Away: 4, Detail: "Final"},
	}
	for _, fr := range frames {
		w.show(s, fr)
	}
	w.settle(s)
	var before scTimeline
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/timeline/"+g.ID, &before))
	require.Equal(t, scExpectedTimeline(frames), before.entries())

	s.restart()
	w.await(s, frames[len(frames)-1])
	w.settle(s)
	var after scTimeline
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/timeline/"+g.ID, &after))
	assert.Equal(t, before.entries(), after.entries(), "a restart adds nothing for a game that did not change")
}
