package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The NFL game the scenarios walk: 401437640, Giants at Titans, week 1 of
// 2022, "pre" in the capture. Frames are derived from that event (see
// scGame.body); the story is made up: the Titans score, the Giants answer,
// the Titans score again, both teams score between two polls, a Titans
// touchdown is overturned, regulation ends tied and the Titans win in
// overtime.
const (
	scNFLGameID = "401437640"
)

func scNFLGame(t *testing.T) *scGame {
	g := scLoadGame(t, "nfl", scNFLPath, scNFLCapture, scNFLGameID, time.Now().Add(-30*time.Minute))
	require.Equal(t, "TEN", g.Home)
	require.Equal(t, "NYG", g.Away)
	return g
}

// scNFLFrames is the walk: every frame a distinct stored state except the
// clock-only ones, which must not add a timeline entry.
func scNFLFrames() []scFrame {
	return []scFrame{
		{State: "pre", Period: 1, Clock: "15:00"},
		{State: "in", Period: 1, Clock: "15:00", Detail: "15:00 - 1st Quarter"},
		{State: "in", Period: 1, Clock: "8:12", Home: 7, Detail: "8:12 - 1st Quarter"},
		{State: "in", Period: 1, Clock: "5:40", Home: 7, Detail: "5:40 - 1st Quarter"}, // clock only
		{State: "in", Period: 1, Clock: "2:03", Home: 7, Away: 3, Detail: "2:03 - 1st Quarter"},
		{State: "in", Period: 2, Clock: "11:30", Home: 14, Away: 3, Detail: "11:30 - 2nd Quarter"},
		// Both teams scored between two polls.
		{State: "in", Period: 2, Clock: "0:45", Home: 17, Away: 10, Detail: "0:45 - 2nd Quarter"},
		// The Titans' last touchdown is overturned: the score goes down.
		{State: "in", Period: 2, Clock: "0:31", Home: 10, Away: 10, Detail: "0:31 - 2nd Quarter"},
		{State: "in", Period: 4, Clock: "0:00", Home: 10, Away: 10, Detail: "End of 4th Quarter", Name: "STATUS_END_PERIOD"},
		{State: "in", Period: 5, Clock: "10:00", Home: 10, Away: 10, Detail: "10:00 - OT", Name: "STATUS_OVERTIME"},
		{State: "in", Period: 5, Clock: "6:12", Home: 10, Away: 10, Detail: "6:12 - OT", Name: "STATUS_OVERTIME"}, // clock only
		{State: "post", Period: 5, Clock: "0:00", Home: 16, Away: 10, Detail: "Final/OT"},
	}
}

// scPersistenceWalk walks the NFL game through a started service and
// checks what it stored. It returns the timeline and the team's history
// for comparison between store kinds.
func scPersistenceWalk(t *testing.T, feed *scFeed, s *service) (scTimeline, scHistoryPage) {
	g := scNFLGame(t)
	frames := scNFLFrames()
	w := &scWalk{t: t, feed: feed, g: g}
	for _, fr := range frames {
		w.show(s, fr)
	}

	want := scExpectedTimeline(frames)
	require.Len(t, want, 10, "the walk has ten distinct states")
	var tl scTimeline
	s.waitFor("the final state in the timeline", func() bool {
		tl = scTimeline{}
		return scGetQuiet(s, "/api/v1/games/timeline/"+g.ID, &tl) == http.StatusOK &&
			len(tl.Timeline) > 0 && tl.Timeline[len(tl.Timeline)-1].Status == "final"
	})
	assert.Equal(t, want, tl.entries(), "one timeline entry per distinct observed state, in order")
	assert.Equal(t, g.ID, tl.GameID)
	assert.Equal(t, "NFL", tl.League)
	assert.Equal(t, "TEN", tl.HomeTeam)
	assert.Equal(t, "NYG", tl.AwayTeam)
	for i := 1; i < len(tl.Timeline); i++ {
		assert.True(t, tl.Timeline[i].Time.After(tl.Timeline[i-1].Time), "entry %d is later than entry %d", i, i-1)
	}
	if assert.NotNil(t, tl.FinalScore) {
		assert.Equal(t, 16, tl.FinalScore.Home)
		assert.Equal(t, 10, tl.FinalScore.Away)
	}
	assert.NotNil(t, tl.DurationMinutes, "first live and first final are both stored")

	var hist scHistoryPage
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/history?team="+url.QueryEscape("Tennessee Titans"), &hist))
	require.Equal(t, 1, hist.Total, mustJSON(t, hist))
	hg := hist.Games[0]
	assert.Equal(t, g.ID, hg.GameID)
	assert.Equal(t, "NFL", hg.League)
	assert.Equal(t, "final", hg.Status)
	assert.Equal(t, 16, hg.HomeScore)
	assert.Equal(t, 10, hg.AwayScore)
	assert.Equal(t, 5, hg.Period)
	assert.Equal(t, "TEN", hg.HomeTeam)
	assert.Equal(t, "NYG", hg.AwayTeam)
	assert.Equal(t, "Tennessee Titans", hg.HomeTeamName)
	assert.Equal(t, "New York Giants", hg.AwayTeamName)
	assert.Equal(t, 2022, hg.Season, "ESPN's season of the event")
	assert.Equal(t, g.Start.Format("2006-01-02T15:04Z"), hg.StartTime)
	if assert.NotNil(t, hist.Statistics) {
		st := hist.Statistics
		assert.Equal(t, "TEN", st.Team)
		assert.Equal(t, 1, st.GamesPlayed)
		assert.Equal(t, 1, st.Wins)
		assert.Equal(t, 0, st.Losses)
		assert.Equal(t, 16, st.PointsFor)
		assert.Equal(t, 10, st.PointsAgainst)
		assert.Equal(t, "1-0", st.HomeRecord)
		assert.Equal(t, "0-0", st.AwayRecord)
		assert.Equal(t, "W1", st.Streak)
	}
	// The other side sees the same game as a loss.
	var away scHistoryPage
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/history?team=nfl-nyg&status=finished", &away))
	require.Equal(t, 1, away.Total)
	if assert.NotNil(t, away.Statistics) {
		assert.Equal(t, 1, away.Statistics.Losses)
		assert.Equal(t, "0-1", away.Statistics.AwayRecord)
	}
	return tl, hist
}

func TestScenarioPersistenceSQLite(t *testing.T) {
	t.Parallel()
	feed := newScFeed(t)
	s := startService(t, feed.URL, nil)
	scPersistenceWalk(t, feed, s)

	var h scHealth
	require.Equal(t, http.StatusOK, s.get("/health", &h))
	assert.Equal(t, "sqlite", h.InfluxDB.Kind)
	assert.True(t, h.InfluxDB.Enabled)
	assert.True(t, h.InfluxDB.Connected)
	assert.Positive(t, h.InfluxDB.WritesSuccess)
	assert.Positive(t, h.InfluxDB.StorageBytes)
	assert.Zero(t, h.InfluxDB.Spooled)
	assert.Zero(t, h.InfluxDB.Dropped)
	assert.Equal(t, "healthy", h.Status)

	assert.Zero(t, feed.RangeRequests(), "the service never asks ESPN for a date range")
}

func TestScenarioPersistenceInfluxDB18(t *testing.T) {
	t.Parallel()
	base := influxtest.URL(t)
	db := scDatabase()
	t.Cleanup(func() { scDropDatabase(t, base, db) })

	feed := newScFeed(t)
	s := startService(t, feed.URL, map[string]string{
		"INFLUXDB_URL":      base,
		"INFLUXDB_DATABASE": db,
	})
	tl, hist := scPersistenceWalk(t, feed, s)

	var h scHealth
	require.Equal(t, http.StatusOK, s.get("/health", &h))
	assert.Equal(t, "influxdb", h.InfluxDB.Kind)
	assert.True(t, h.InfluxDB.Connected)
	assert.Positive(t, h.InfluxDB.WritesSuccess)
	assert.Positive(t, h.InfluxDB.StorageBytes)

	// The same walk on the embedded store gives the same answers.
	feed2 := newScFeed(t)
	s2 := startService(t, feed2.URL, nil)
	tl2, hist2 := scPersistenceWalk(t, feed2, s2)
	assert.Equal(t, tl2.entries(), tl.entries(), "timeline identical to the SQLite run")
	// The two walks ran a moment apart; their games start a moment apart.
	for i := range hist.Games {
		hist.Games[i].StartTime = ""
	}
	for i := range hist2.Games {
		hist2.Games[i].StartTime = ""
	}
	assert.Equal(t, hist2.Games, hist.Games, "history identical to the SQLite run")
	assert.Equal(t, hist2.Statistics, hist.Statistics)
}

// scDropDatabase removes a test database from the shared server.
func scDropDatabase(t *testing.T, base, db string) {
	resp, err := http.PostForm(base+"/query", url.Values{"q": {`DROP DATABASE "` + strings.ReplaceAll(db, `"`, ``) + `"`}})
	if err != nil {
		t.Logf("dropping %s: %v", db, err)
		return
	}
	resp.Body.Close()
}
