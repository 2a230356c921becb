package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/logbuf"
)

const scKCSchedule = "nfl/team-12-kc-schedule-2023-season-final.json"

// scCapturedSeason is one team's season read from a team-schedule capture
// by the test itself.
type scCapturedSeason struct {
	games map[string][4]any // id → home, away, home score, away score (completed games)
	stats scStatistics
}

func scReadSeason(t *testing.T, rel, team string) scCapturedSeason {
	var doc struct {
		Events []struct {
			ID           string `json:"id"`
			Competitions []struct {
				Status struct {
					Type struct {
						Completed bool `json:"completed"`
					} `json:"type"`
				} `json:"status"`
				Competitors []struct {
					HomeAway string `json:"homeAway"`
					Score    struct {
						Value float64 `json:"value"`
					} `json:"score"`
					Team struct {
						Abbreviation string `json:"abbreviation"`
					} `json:"team"`
				} `json:"competitors"`
			} `json:"competitions"`
		} `json:"events"`
	}
	require.NoError(t, json.Unmarshal(espntest.Load(t, rel), &doc))
	out := scCapturedSeason{games: map[string][4]any{}}
	st := &out.stats
	var hw, hl, aw, al int
	for _, e := range doc.Events {
		c := e.Competitions[0]
		if !c.Status.Type.Completed {
			continue
		}
		var home, away string
		var hs, as int
		for _, comp := range c.Competitors {
			if comp.HomeAway == "home" {
				home, hs = comp.Team.Abbreviation, int(comp.Score.Value)
			} else {
				away, as = comp.Team.Abbreviation, int(comp.Score.Value)
			}
		}
		out.games[e.ID] = [4]any{home, away, hs, as}
		us, them, atHome := hs, as, home == team
		if !atHome {
			us, them = as, hs
		}
		st.GamesPlayed++
		st.PointsFor += us
		st.PointsAgainst += them
		won := us > them
		require.NotEqual(t, us, them, "the capture has no ties")
		switch {
		case won && atHome:
			hw++
		case won:
			aw++
		case atHome:
			hl++
		default:
			al++
		}
	}
	st.Wins, st.Losses = hw+aw, hl+al
	st.PointDifferential = st.PointsFor - st.PointsAgainst
	st.HomeRecord = fmt.Sprintf("%d-%d", hw, hl)
	st.AwayRecord = fmt.Sprintf("%d-%d", aw, al)
	return out
}

// TestScenarioSeasonRecordFromTheTeamSchedule loads KC's 2023 season from
// ESPN's team schedule (the real capture) and checks the records the
// service computes against the capture, then the edges of the history
// routes: ambiguous and unknown teams, pages, bad values, injection
// attempts and the rate limit.
//
// The season is loaded with the backfill command against the service's
// DATA_DIR: the service's own schedule refresher spreads the teams of all
// leagues over six hours and loads the current season only, so it cannot
// store a past season within a test.
func TestScenarioSeasonRecordFromTheTeamSchedule(t *testing.T) {
	t.Parallel()
	espn := newESPN(t)
	espn.ServeFixture(t, "/football/nfl/teams/12/schedule", scKCSchedule)
	dataDir := t.TempDir()
	// The 2023 season is older than the default retention of 730 days:
	// the backfill refuses it, and the embedded store would prune it.
	env := map[string]string{"DATA_DIR": dataDir, "ESPN_BASE_URL": espn.URL, "INFLUXDB_RETENTION_DAYS": "3650"}
	out := &logbuf.Buffer{}
	require.NoError(t, run(t.Context(), []string{"sports-data", "backfill", "--league", "nfl", "--season", "2023", "--team", "KC"},
		func(k string) string { return env[k] }, out), out.String())
	t.Log(out.String())

	s := startService(t, espn.URL, env)
	want := scReadSeason(t, scKCSchedule, "KC")
	require.Equal(t, 17, want.stats.GamesPlayed)
	season := 2023
	want.stats.Team, want.stats.Season = "KC", &season
	want.stats.WinPercentage = float64(int(float64(want.stats.Wins)/float64(want.stats.GamesPlayed)*1000+0.5)) / 1000

	checkStats := func(what string, got *scStatistics) {
		t.Helper()
		require.NotNil(t, got, what)
		assert.Equal(t, want.stats.Wins, got.Wins, what)
		assert.Equal(t, want.stats.Losses, got.Losses, what)
		assert.Equal(t, 0, got.Ties, what)
		assert.Equal(t, want.stats.GamesPlayed, got.GamesPlayed, what)
		assert.Equal(t, want.stats.PointsFor, got.PointsFor, what)
		assert.Equal(t, want.stats.PointsAgainst, got.PointsAgainst, what)
		assert.Equal(t, want.stats.PointDifferential, got.PointDifferential, what)
		assert.Equal(t, want.stats.HomeRecord, got.HomeRecord, what)
		assert.Equal(t, want.stats.AwayRecord, got.AwayRecord, what)
		assert.Equal(t, want.stats.WinPercentage, got.WinPercentage, what)
		assert.Equal(t, "KC", got.Team, what)
		if assert.NotNil(t, got.Season, what) {
			assert.Equal(t, 2023, *got.Season, what)
		}
	}

	var sched struct {
		Team       string        `json:"team"`
		League     string        `json:"league"`
		Season     int           `json:"season"`
		Games      []scHistGame  `json:"games"`
		Statistics *scStatistics `json:"statistics"`
	}
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/schedule/KC?season=2023", &sched))
	assert.Equal(t, "KC", sched.Team)
	assert.Equal(t, "NFL", sched.League)
	assert.Equal(t, 2023, sched.Season)
	checkStats("schedule", sched.Statistics)
	require.Len(t, sched.Games, len(want.games))
	for i, g := range sched.Games {
		c, ok := want.games[g.GameID]
		if !assert.True(t, ok, "game %s is not in the capture", g.GameID) {
			continue
		}
		assert.Equal(t, c, [4]any{g.HomeTeam, g.AwayTeam, g.HomeScore, g.AwayScore}, g.GameID)
		assert.Equal(t, "final", g.Status, g.GameID)
		if i > 0 {
			assert.Less(t, sched.Games[i-1].StartTime, g.StartTime, "the schedule is in start order")
		}
	}

	var hist scHistoryPage
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/history?team=Chiefs&season=2023", &hist))
	checkStats("history", hist.Statistics)
	assert.Equal(t, 17, hist.Total)
	assert.Equal(t, 1, hist.Page)
	assert.Equal(t, 100, hist.PageSize)
	assert.Equal(t, 1, hist.TotalPages)
	for i := 1; i < len(hist.Games); i++ {
		assert.Greater(t, hist.Games[i-1].StartTime, hist.Games[i].StartTime, "history is newest first")
	}

	// A name of teams in two leagues, and a misspelt one.
	var amb struct {
		Detail     string `json:"detail"`
		Candidates []struct {
			ID     string `json:"id"`
			League string `json:"league"`
		} `json:"candidates"`
	}
	require.Equal(t, http.StatusConflict, s.get("/api/v1/games/history?team=Jets", &amb))
	assert.NotEmpty(t, amb.Detail)
	var ids []string
	for _, c := range amb.Candidates {
		ids = append(ids, c.ID)
	}
	assert.ElementsMatch(t, []string{"nfl-nyj", "nhl-wpg"}, ids)
	var jets scHistoryPage
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/history?team=Jets&league=nfl&season=2023", &jets), "the league decides")
	assert.Equal(t, 1, jets.Total, "the Jets played KC once in 2023")
	var unknown struct {
		Detail      string `json:"detail"`
		Suggestions []struct {
			ID string `json:"id"`
		} `json:"suggestions"`
	}
	require.Equal(t, http.StatusNotFound, s.get("/api/v1/games/history?team=Patriotz", &unknown))
	assert.NotEmpty(t, unknown.Detail)
	var sugg []string
	for _, c := range unknown.Suggestions {
		sugg = append(sugg, c.ID)
	}
	assert.Contains(t, sugg, "nfl-ne")

	// Pages.
	var big scHistoryPage
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/history?team=KC&season=2023&page_size=1000", &big))
	assert.Equal(t, 17, big.Total)
	assert.Len(t, big.Games, 17)
	assert.Equal(t, 1000, big.PageSize)
	assert.Equal(t, 1, big.TotalPages)
	collected := map[string]bool{}
	for page := 1; page <= 4; page++ {
		var p scHistoryPage
		require.Equal(t, http.StatusOK, s.get(fmt.Sprintf("/api/v1/games/history?team=KC&season=2023&page_size=5&page=%d", page), &p))
		assert.Equal(t, 17, p.Total)
		assert.Equal(t, 4, p.TotalPages)
		assert.Equal(t, page, p.Page)
		wantLen := 5
		if page == 4 {
			wantLen = 2 // the last page
		}
		require.Len(t, p.Games, wantLen, "page %d", page)
		for i, g := range p.Games {
			assert.False(t, collected[g.GameID], "game %s on two pages", g.GameID)
			collected[g.GameID] = true
			assert.Equal(t, big.Games[(page-1)*5+i].GameID, g.GameID, "pages cut the same order")
		}
	}
	assert.Len(t, collected, 17)
	var past struct {
		Games      []any `json:"games"`
		Total      int   `json:"total"`
		Page       int   `json:"page"`
		TotalPages int   `json:"total_pages"`
	}
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/history?team=KC&season=2023&page_size=5&page=5", &past))
	assert.NotNil(t, past.Games, "an empty list, not null")
	assert.Empty(t, past.Games)
	assert.Equal(t, 17, past.Total)
	assert.Equal(t, 5, past.Page)
	assert.Equal(t, 4, past.TotalPages)

	// Bad values and injection attempts: a 4xx with a sentence, and the
	// data is still there afterwards.
	for _, q := range []string{
		"page_size=0",
		"page_size=1001",
		"page=0",
		"team=" + url.QueryEscape("KC' OR '1'='1"),
		"season=" + url.QueryEscape("2023;DROP"),
		"season=" + url.QueryEscape("2023; DROP TABLE games"),
		"status=" + url.QueryEscape("final' --"),
		"league=nfl_scores",
		"team=KC&league=" + url.QueryEscape("nfl; DROP MEASUREMENT nfl_games"),
		"team=" + url.QueryEscape(`KC" OR 1=1 --`),
		"team=" + url.QueryEscape("/.*/"),
	} {
		var e map[string]any
		code := s.get("/api/v1/games/history?"+q, &e)
		assert.True(t, code >= 400 && code < 500, "%s answered %d", q, code)
		assert.NotEmpty(t, e["detail"], q)
		assert.NotContains(t, fmt.Sprint(e["detail"]), "sql", q)
	}
	for _, p := range []string{
		"/api/v1/games/schedule/" + url.PathEscape("KC' OR '1'='1") + "?season=2023",
		"/api/v1/games/schedule/KC?season=" + url.QueryEscape("2023;DROP"),
		"/api/v1/games/timeline/" + url.PathEscape("1 OR 1=1"),
		"/api/v1/games/timeline/401547353?league=nfl_scores",
	} {
		var e map[string]any
		code := s.get(p, &e)
		assert.True(t, code >= 400 && code < 500, "%s answered %d", p, code)
		assert.NotEmpty(t, e["detail"], p)
	}
	var h scHealth
	require.Equal(t, http.StatusOK, s.get("/health", &h))
	assert.True(t, h.InfluxDB.Connected)
	assert.Equal(t, "sqlite", h.InfluxDB.Kind)
	var after scHistoryPage
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/history?team=KC&season=2023", &after))
	assert.Equal(t, 17, after.Total, "nothing was dropped")
	var tl scTimeline
	require.Equal(t, http.StatusNotFound, s.get("/api/v1/games/timeline/401547353999", &tl), "an unknown game")

	// History requests in a row from one client: the minute's 100 go
	// through (and what comes back while they are answered), then one is
	// refused until a request's worth is back (0.6 s). The client is told
	// apart by the address a local proxy forwards.
	client := http.Header{"X-Real-IP": {"203.0.113.50"}}
	paths := []string{
		"/api/v1/games/history?team=KC&season=2023",
		"/api/v1/games/schedule/KC?season=2023",
		"/api/v1/games/timeline/401547353",
	}
	var resp *http.Response
	allowed := 0
	for i := 0; i < 1000; i++ {
		req, err := http.NewRequest(http.MethodGet, s.base+paths[i%len(paths)], nil)
		require.NoError(t, err)
		req.Header = client.Clone()
		resp, err = http.DefaultClient.Do(req)
		require.NoError(t, err)
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		allowed++
	}
	var limited map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&limited))
	resp.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "never refused")
	assert.GreaterOrEqual(t, allowed, 100, "the minute's budget at once")
	assert.Equal(t, "1", resp.Header.Get("Retry-After"), "a request's worth is back within a second")
	assert.NotEmpty(t, limited["detail"])
	// Another client is not affected, nor are the live routes.
	require.Equal(t, http.StatusOK, s.do(http.MethodGet, paths[0], nil, http.Header{"X-Real-IP": {"203.0.113.51"}}, nil))
	require.Equal(t, http.StatusOK, s.do(http.MethodGet, "/api/v1/games/live", nil, client, nil))
}

// scHistGame is one HistoricalGame.
type scHistGame struct {
	GameID    string `json:"game_id"`
	StartTime string `json:"start_time"`
	HomeTeam  string `json:"home_team"`
	AwayTeam  string `json:"away_team"`
	HomeScore int    `json:"home_score"`
	AwayScore int    `json:"away_score"`
	Status    string `json:"status"`
	Season    int    `json:"season"`
}
