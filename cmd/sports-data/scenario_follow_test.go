package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/calendar/icaltest"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/userteams"
	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

// standingsTeamsDoc is an ESPN team list made of a standings capture's
// teams (derived: ESPN's own team objects, in its teams answer's shape),
// for leagues whose team list was not captured.
func standingsTeamsDoc(t *testing.T, rel string) []byte {
	t.Helper()
	var doc struct {
		Children []struct {
			Standings struct {
				Entries []struct {
					Team json.RawMessage `json:"team"`
				} `json:"entries"`
			} `json:"standings"`
		} `json:"children"`
	}
	require.NoError(t, json.Unmarshal(espntest.Load(t, rel), &doc))
	var teams []map[string]json.RawMessage
	for _, c := range doc.Children {
		for _, e := range c.Standings.Entries {
			teams = append(teams, map[string]json.RawMessage{"team": e.Team})
		}
	}
	out, err := json.Marshal(map[string]any{"sports": []any{map[string]any{"leagues": []any{map[string]any{"teams": teams}}}}})
	require.NoError(t, err)
	return out
}

// followed is a service on a frozen clock with the default user's saved
// team (so its schedule is asked for first) and an ESPN stand-in serving
// the league's team list, an empty day and the captures given by path.
func followed(t *testing.T, leagueKey, sportPath, standings, team string, now time.Time, day []byte, captures map[string]string) *service {
	t.Helper()
	srv := espntest.NewServer(t)
	srv.ServeBytes("/"+sportPath+"/scoreboard", day)
	srv.ServeBytes("/"+sportPath+"/teams", standingsTeamsDoc(t, standings))
	srv.ServeFixture(t, "/"+sportPath+"/standings", standings)
	for path, rel := range captures {
		srv.ServeFixture(t, path, rel)
	}
	dir := t.TempDir()
	fav, err := userteams.Open(dir)
	require.NoError(t, err)
	require.NoError(t, fav.Save("default", map[string][]string{leagueKey: {team}}))
	// Saved teams reach the file when the store stops (Run's end).
	stopped, stop := context.WithCancel(context.Background())
	stop()
	fav.Run(stopped)
	// The clock stands still, and so would the history rate limit's bucket.
	return startFrozen(t, srv.URL, map[string]string{"LEAGUES": leagueKey, "DATA_DIR": dir,
		"HISTORY_RATE_LIMIT_PER_MINUTE": "1000000"}, now)
}

// The table, the season record and the calendar agree through the whole
// service: AFC Bournemouth's 2024-25 Premier League season (its captured
// schedule, stored by the schedule refresher) against ESPN's captured
// final table, on the day both were taken.
func TestTheTableTheRecordAndTheCalendarOfASeason(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := followed(t, "epl", "soccer/eng.1", "epl/standings-2024-25-2025-06-01.json", "BOU", now,
		scEmptyDay(t, "epl/scoreboard-2025-05-25-final-details.json"), map[string]string{
			"/soccer/eng.1/teams/349/schedule": "epl/team-349-bou-schedule-2024-25-2025-06-01.json",
		})

	var sched struct {
		Games      []any          `json:"games"`
		Statistics map[string]any `json:"statistics"`
	}
	s.waitFor("the stored season", func() bool {
		return scGetQuiet(s, "/api/v1/games/schedule/BOU?season=2024", &sched) == 200 && len(sched.Games) == 38
	})
	var table struct {
		Season int `json:"season"`
		Groups []struct {
			Entries []map[string]any `json:"entries"`
		} `json:"groups"`
	}
	s.waitFor("the table", func() bool { return scGetQuiet(s, "/api/v1/standings?league=epl", &table) == 200 })
	require.Len(t, table.Groups, 1)
	var bou map[string]any
	for _, e := range table.Groups[0].Entries {
		if e["team"] == "BOU" {
			bou = e
		}
	}
	require.NotNil(t, bou)
	st := sched.Statistics
	for table, record := range map[string]string{"wins": "wins", "ties": "ties", "losses": "losses", "points": "points",
		"goal_difference": "goal_difference", "games_played": "games_played", "form": "form"} {
		assert.Equal(t, st[record], bou[table], "%s: table %v, record %v", table, bou[table], st[record])
	}
	assert.EqualValues(t, 56, bou["points"])
	t.Logf("AFC Bournemouth 2024-25: table W%v D%v L%v %v pts, form %v; record from the 38 stored games W%v D%v L%v %v pts",
		bou["wins"], bou["ties"], bou["losses"], bou["points"], bou["form"], st["wins"], st["ties"], st["losses"], st["points"])

	var sensor struct {
		Attributes map[string]any `json:"attributes"`
	}
	require.Equal(t, 200, s.get("/api/v1/ha/sensor/BOU", &sensor))
	assert.EqualValues(t, 9, sensor.Attributes["standing_position"])
	assert.EqualValues(t, 56, sensor.Attributes["standing_points"])

	feed := s.raw(t, "/api/v1/calendar/BOU.ics", nil)
	for _, r := range icaltest.Parse(t, feed.body, now) {
		assert.Len(t, r.Events, 38, "ical %s", r.Version)
		assert.Nil(t, r.Next, "the season is over")
		t.Logf("ical %s: %d events", r.Version, len(r.Events))
	}
}

// A season still being played: the Lakers' captured schedule on the day it
// was taken (seven games to come). The sensor shows the next game days
// ahead with the next five, game-status lists them too, and the calendar
// Home Assistant's Remote Calendar reads has the next game first;
// If-None-Match gets 304.
func TestTheNextGamesAndTheCalendarOfASeasonUnderWay(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC)
	s := followed(t, "nba", "basketball/nba", "nba/standings-2025-26-2026-05-03.json", "LAL", now,
		scEmptyDay(t, "nba/scoreboard-2026-05-02-live-lastplay.json"), map[string]string{
			"/basketball/nba/teams/13/schedule": "nba/team-schedule-13-2026-05-03-future-games.json",
		})

	var sensor struct {
		State      string         `json:"state"`
		Attributes map[string]any `json:"attributes"`
	}
	s.waitFor("the next games", func() bool {
		if scGetQuiet(s, "/api/v1/ha/sensor/LAL", &sensor) != 200 {
			return false
		}
		n, _ := sensor.Attributes["next_games"].([]any)
		return len(n) == 5
	})
	assert.Equal(t, "PRE", sensor.State)
	assert.Equal(t, "401871326", sensor.Attributes["event_id"], "the next game, days ahead")
	next := sensor.Attributes["next_games"].([]any)
	assert.Equal(t, map[string]any{"date": "2026-05-06T00:30:00Z", "time_tbd": false, "league": "NBA", "game_id": "401871326",
		"opponent": "OKC", "opponent_name": "Oklahoma City Thunder", "home_away": "away", "venue": "Paycom Center", "tv": "NBC, Peacock"}, next[0])
	assert.Equal(t, true, next[4].(map[string]any)["time_tbd"])

	var status struct {
		Status    string `json:"status"`
		NextGames []any  `json:"next_games"`
	}
	require.Equal(t, 200, s.get("/api/v1/ha/game-status/LAL", &status))
	assert.Equal(t, "none", status.Status, "nothing within HA_UPCOMING_WINDOW")
	assert.Len(t, status.NextGames, 5, "but the next games are there")

	var feed answerRaw
	s.waitFor("the calendar", func() bool {
		feed = s.raw(t, "/api/v1/calendar/LAL.ics", nil)
		return feed.status == 200 && bytes.Count(feed.body, []byte("BEGIN:VEVENT")) == 13
	})
	assert.Equal(t, "text/calendar; charset=utf-8", feed.header.Get("Content-Type"))
	for _, r := range icaltest.Parse(t, feed.body, now) {
		require.NotNil(t, r.Next, "ical %s", r.Version)
		assert.Equal(t, "Los Angeles Lakers at Oklahoma City Thunder", r.Next.Summary)
		assert.Equal(t, "2026-05-06T00:30:00+00:00", r.Next.Start)
		t.Logf("ical %s: %d events; next: %s at %s", r.Version, len(r.Events), r.Next.Summary, r.Next.Start)
	}
	again := s.raw(t, "/api/v1/calendar/LAL.ics", http.Header{"If-None-Match": {feed.header.Get("ETag")}})
	assert.Equal(t, http.StatusNotModified, again.status)
	assert.Empty(t, again.body)
}

// Who scored reaches the webhook: the captured last Premier League
// matchday, Tottenham–Brighton seen at 1-3 (derived from the capture) and
// then as ESPN finally answered it, 1-4. The score_change carries ESPN's
// last goal: Diego Gómez in stoppage time.
func TestWhoScoredReachesTheWebhook(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	g := scLoadGame(t, "epl", "/soccer/eng.1/scoreboard", "epl/scoreboard-2025-05-25-final-details.json", "704657", now.Add(-100*time.Minute))
	srv := espntest.NewServer(t)
	srv.ServeBytes("/soccer/eng.1/teams", standingsTeamsDoc(t, "epl/standings-2024-25-2025-06-01.json"))
	var mu sync.Mutex
	body := g.body(t, scFrame{State: "in", Period: 2, Clock: "89'", Home: 1, Away: 3, Detail: "89'"})
	srv.Handle("/soccer/eng.1/scoreboard", func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	s := startService(t, srv.URL, map[string]string{"LEAGUES": "epl"})
	var st struct {
		Status string `json:"status"`
	}
	s.waitFor("the game live", func() bool { return scGetQuiet(s, "/api/v1/ha/game-status/BHA", &st) == 200 && st.Status == "live" })
	// Registered once the league's teams are known (before, a team is 503).
	recv := webhooktest.New(t)
	url, secret := recv.Hook("brighton")
	require.Equal(t, http.StatusCreated, s.do(http.MethodPost, "/api/v1/ha/webhooks/score-update",
		map[string]any{"url": url, "secret": secret, "team": "Brighton"}, nil, nil))

	mu.Lock()
	body = g.body(t, scFrame{State: "post", Period: 2, Clock: "90'+7'", Home: 1, Away: 4, Detail: "FT"})
	mu.Unlock()
	got := recv.WaitDelivered(t, 1)
	p := got[0].Body
	assert.Equal(t, "score_change", p["event"])
	assert.Equal(t, "BHA", p["team"])
	assert.Equal(t, map[string]any{"team": "BHA", "scorer": "Diego Gómez", "type": "Goal", "clock": "90'+3'", "minute": 90.0,
		"points": 1.0, "own_goal": false, "penalty": false}, p["scoring_play"])
	t.Logf("score_change 1-3 → 1-4: scoring_play %s", mustJSON(t, p["scoring_play"]))
}

// answerRaw is an answer as bytes.
type answerRaw struct {
	status int
	header http.Header
	body   []byte
}

// raw fetches a path and keeps the answer as it came.
func (s *service) raw(t *testing.T, path string, header http.Header) answerRaw {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	require.NoError(t, err)
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answerRaw{status: resp.StatusCode, header: resp.Header, body: b}
}
