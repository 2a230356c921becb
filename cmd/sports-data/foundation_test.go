package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/logbuf"
)

// capturedGame is what the test reads from a capture on its own, to compare
// with what the service serves.
type capturedGame struct {
	ID, State, HomeAbbr, AwayAbbr, Clock string
	HomeScore, AwayScore, Period         int
}

func readCapture(t *testing.T, rel string) []capturedGame {
	var doc struct {
		Events []struct {
			ID           string `json:"id"`
			Competitions []struct {
				Status struct {
					DisplayClock string `json:"displayClock"`
					Period       int    `json:"period"`
					Type         struct {
						State string `json:"state"`
					} `json:"type"`
				} `json:"status"`
				Competitors []struct {
					HomeAway string `json:"homeAway"`
					Score    string `json:"score"`
					Team     struct {
						Abbreviation string `json:"abbreviation"`
					} `json:"team"`
				} `json:"competitors"`
			} `json:"competitions"`
		} `json:"events"`
	}
	require.NoError(t, json.Unmarshal(espntest.Load(t, rel), &doc))
	var out []capturedGame
	for _, e := range doc.Events {
		c := e.Competitions[0]
		g := capturedGame{ID: e.ID, State: c.Status.Type.State, Clock: c.Status.DisplayClock, Period: c.Status.Period}
		for _, comp := range c.Competitors {
			n, _ := strconv.Atoi(comp.Score)
			if comp.HomeAway == "home" {
				g.HomeAbbr, g.HomeScore = comp.Team.Abbreviation, n
			} else {
				g.AwayAbbr, g.AwayScore = comp.Team.Abbreviation, n
			}
		}
		out = append(out, g)
	}
	return out
}

type apiTeam struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Abbreviation string            `json:"abbreviation"`
	Logo         string            `json:"logo"`
	Colors       map[string]string `json:"colors"`
	Record       map[string]int    `json:"record"`
}

type apiGame struct {
	ID        string  `json:"id"`
	League    string  `json:"league"`
	Status    string  `json:"status"`
	StartTime string  `json:"start_time"`
	HomeTeam  apiTeam `json:"home_team"`
	AwayTeam  apiTeam `json:"away_team"`
	Score     struct {
		Home int `json:"home"`
		Away int `json:"away"`
	} `json:"score"`
	Period struct {
		Current       int    `json:"current"`
		Total         int    `json:"total"`
		TimeRemaining string `json:"time_remaining"`
	} `json:"period"`
	IsFavorite bool `json:"is_favorite"`
}

type gameList struct {
	Games           []apiGame `json:"games"`
	Count           int       `json:"count"`
	FilteredByTeams []string  `json:"filtered_by_teams"`
}

func TestLiveGamesMatchTheCaptures(t *testing.T) {
	t.Parallel()
	espn := newESPN(t)
	s := startService(t, espn.URL, nil)
	var live gameList
	s.waitFor("live games", func() bool {
		return s.get("/api/v1/games/live", &live) == 200 && live.Count == 13
	})

	byID := map[string]apiGame{}
	for _, g := range live.Games {
		byID[g.ID] = g
	}
	for league, rel := range map[string]string{
		"NFL": "nfl/scoreboard-2022-wk1-sun-live-mixed.json",
		"NHL": "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json",
	} {
		for _, c := range readCapture(t, rel) {
			g, ok := byID[c.ID]
			if c.State != "in" {
				assert.False(t, ok, "game %s is %s, not live", c.ID, c.State)
				continue
			}
			require.True(t, ok, "live game %s missing", c.ID)
			assert.Equal(t, league, g.League)
			assert.Equal(t, "live", g.Status)
			assert.Equal(t, c.HomeAbbr, g.HomeTeam.Abbreviation)
			assert.Equal(t, c.AwayAbbr, g.AwayTeam.Abbreviation)
			assert.Equal(t, strings.ToLower(league)+"-"+strings.ToLower(c.HomeAbbr), g.HomeTeam.ID)
			assert.Equal(t, c.HomeScore, g.Score.Home, c.ID)
			assert.Equal(t, c.AwayScore, g.Score.Away, c.ID)
			assert.Equal(t, c.Period, g.Period.Current, c.ID)
			assert.Equal(t, c.Clock, g.Period.TimeRemaining, c.ID)
			assert.NotEmpty(t, g.HomeTeam.Colors["primary"])
			assert.NotEmpty(t, g.HomeTeam.Colors["secondary"])
		}
	}

	// League filter, team filter, and the echo of the requested ids.
	var nhl gameList
	require.Equal(t, 200, s.get("/api/v1/games/live?league=nhl", &nhl))
	assert.Equal(t, 5, nhl.Count)
	for _, g := range nhl.Games {
		assert.Equal(t, "NHL", g.League)
	}
	var hou gameList
	require.Equal(t, 200, s.get("/api/v1/games/live?team_ids=NFL-HOU,nfl-zzz", &hou))
	require.Equal(t, 1, hou.Count)
	assert.Contains(t, []string{hou.Games[0].HomeTeam.Abbreviation, hou.Games[0].AwayTeam.Abbreviation}, "HOU")
	assert.Equal(t, []string{"nfl-hou", "nfl-zzz"}, hou.FilteredByTeams)
	var none gameList
	require.Equal(t, 200, s.get("/api/v1/games/live?team_ids=nope", &none))
	assert.Equal(t, 0, none.Count)
	assert.NotNil(t, none.Games, "an empty list, not null")

	assert.Zero(t, espn.RangeRequests(), "the service never asks ESPN for a date range")
}

func TestBadQueryValuesAre400(t *testing.T) {
	t.Parallel()
	s := startService(t, newESPN(t).URL, nil)
	for _, path := range []string{
		"/api/v1/games/upcoming?hours=abc",
		"/api/v1/games/upcoming?hours=-1",
		"/api/v1/games/upcoming?hours=0",
		"/api/v1/games/live?league=xfl",
		"/api/v1/games/live?league=nba",
		"/api/v1/teams?league=%27%3B%20DROP",
	} {
		var body map[string]any
		assert.Equal(t, http.StatusBadRequest, s.get(path, &body), path)
		assert.NotEmpty(t, body["detail"], path)
	}
}

// TestOversizedHeadersAre431: the server reads at most 64 KiB of request
// line and headers (Go's default is 1 MiB).
func TestOversizedHeadersAre431(t *testing.T) {
	t.Parallel()
	s := startService(t, newESPN(t).URL, nil)
	req, err := http.NewRequest(http.MethodGet, s.base+"/health", nil)
	require.NoError(t, err)
	req.Header.Set("X-Padding", strings.Repeat("a", 80<<10))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)

	req.Header.Set("X-Padding", strings.Repeat("a", 32<<10))
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "headers under the bound pass")
}

// shiftCapture rewrites every event date of a capture so that its first
// game starts at first; the result is derived from the real capture.
func shiftCapture(t *testing.T, rel string, first time.Time) []byte {
	raw := espntest.Load(t, rel)
	re := regexp.MustCompile(`"date":\s*"(\d{4}-\d\d-\d\dT\d\d:\d\dZ)"`)
	var earliest time.Time
	for _, m := range re.FindAllSubmatch(raw, -1) {
		ts, err := time.Parse("2006-01-02T15:04Z", string(m[1]))
		require.NoError(t, err)
		if earliest.IsZero() || ts.Before(earliest) {
			earliest = ts
		}
	}
	shift := first.Sub(earliest).Truncate(time.Minute)
	return re.ReplaceAllFunc(raw, func(m []byte) []byte {
		sub := re.FindSubmatch(m)
		ts, _ := time.Parse("2006-01-02T15:04Z", string(sub[1]))
		return []byte(`"date":"` + ts.Add(shift).UTC().Format("2006-01-02T15:04Z") + `"`)
	})
}

func TestUpcomingRespectsHours(t *testing.T) {
	t.Parallel()
	espn := newESPN(t)
	// Derived from the 2023 week 5 capture (all pre-game): the first game
	// moved to two hours from now; the rest keep their spacing (up to four
	// days later).
	start := time.Now().Add(2 * time.Hour)
	espn.ServeBytes("/football/nfl/scoreboard", shiftCapture(t, "nfl/scoreboard-2023-wk5-all-pre-odds.json", start))
	s := startService(t, espn.URL, nil)

	var week gameList
	s.waitFor("upcoming games", func() bool {
		return s.get("/api/v1/games/upcoming?hours=168&league=NFL", &week) == 200 && week.Count == 14
	})
	var day gameList
	require.Equal(t, 200, s.get("/api/v1/games/upcoming?league=nfl", &day))
	assert.Positive(t, day.Count)
	assert.Less(t, day.Count, 14, "hours defaults to 24")
	limit := time.Now().Add(24*time.Hour + time.Minute)
	for _, g := range day.Games {
		ts, err := time.Parse("2006-01-02T15:04Z", g.StartTime)
		require.NoError(t, err)
		assert.True(t, ts.Before(limit), g.StartTime)
		assert.Equal(t, "scheduled", g.Status)
	}
	var short gameList
	require.Equal(t, 200, s.get("/api/v1/games/upcoming?hours=1", &short))
	assert.Zero(t, short.Count)
}

func TestTeamsAreTheRealESPNTeams(t *testing.T) {
	t.Parallel()
	s := startService(t, newESPN(t).URL, nil)
	var all struct {
		League string    `json:"league"`
		Teams  []apiTeam `json:"teams"`
		Count  int       `json:"count"`
	}
	s.waitFor("teams", func() bool { return s.get("/api/v1/teams", &all) == 200 && all.Count == 64 })
	assert.Equal(t, "ALL", all.League)
	var nhl struct {
		League string    `json:"league"`
		Teams  []apiTeam `json:"teams"`
		Count  int       `json:"count"`
	}
	require.Equal(t, 200, s.get("/api/v1/teams?league=nhl", &nhl))
	assert.Equal(t, "NHL", nhl.League)
	assert.Equal(t, 32, nhl.Count)
	names := map[string]bool{}
	for _, tm := range nhl.Teams {
		names[tm.Name] = true
		assert.True(t, strings.HasPrefix(tm.ID, "nhl-"), tm.ID)
		assert.NotEmpty(t, tm.Colors["primary"])
	}
	assert.False(t, names["Arizona Coyotes"])
	found := false
	for n := range names {
		found = found || strings.HasPrefix(n, "Utah")
	}
	assert.True(t, found, "Utah is in the NHL team list")
}

func TestTeamsSurviveARestartWithoutESPN(t *testing.T) {
	t.Parallel()
	espn := newESPN(t)
	dataDir := t.TempDir()
	s := startService(t, espn.URL, map[string]string{"DATA_DIR": dataDir})
	var list struct{ Count int }
	s.waitFor("teams", func() bool { return s.get("/api/v1/teams", &list) == 200 && list.Count == 64 })
	s.stop()

	down := espntest.NewServer(t) // answers 404 to everything
	again := startService(t, down.URL, map[string]string{"DATA_DIR": dataDir})
	require.Equal(t, 200, again.get("/api/v1/teams", &list))
	assert.Equal(t, 64, list.Count, "teams come from the cache in DATA_DIR")
}

func TestHealthReportsPollingWithoutCallingESPN(t *testing.T) {
	t.Parallel()
	espn := newESPN(t)
	s := startService(t, espn.URL, nil)
	var h map[string]any
	s.waitFor("a successful poll", func() bool {
		return s.get("/health", &h) == 200 && h["api_status"] == true
	})
	for _, k := range []string{"status", "service", "timestamp", "cache_status", "api_status", "influxdb"} {
		assert.Contains(t, h, k)
	}
	assert.Equal(t, "sports-data", h["service"])
	assert.Equal(t, true, h["cache_status"])

	// Stop polling traffic from counting: ESPN goes away, /health keeps
	// answering from what the poller last saw and calls nobody.
	espn.Handle("/football/nfl/scoreboard", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	})
	s.waitFor("degraded", func() bool {
		return s.get("/health", &h) == 200 && h["status"] == "degraded" && h["api_status"] == false
	})
	leagues := h["leagues"].(map[string]any)
	nfl := leagues["nfl"].(map[string]any)
	assert.NotEmpty(t, nfl["last_error"])
	assert.NotNil(t, nfl["stale_seconds"])
	var live gameList
	require.Equal(t, 200, s.get("/api/v1/games/live?league=nfl", &live))
	assert.Equal(t, 8, live.Count, "the last good data is still served")
}

func TestUserTeamsPersistAndMarkFavorites(t *testing.T) {
	t.Parallel()
	espn := newESPN(t)
	dataDir := t.TempDir()
	s := startService(t, espn.URL, map[string]string{"DATA_DIR": dataDir})
	var saved map[string]any
	code := s.do(http.MethodPost, "/api/v1/user/teams", map[string]any{"user_id": "default", "nfl_teams": []string{"hou"}, "nhl_teams": []string{}}, nil, &saved)
	require.Equal(t, 200, code, mustJSON(t, saved))
	assert.Equal(t, true, saved["success"])
	s.restart()

	var got map[string]any
	require.Equal(t, 200, s.get("/api/v1/user/teams", &got))
	assert.Equal(t, "default", got["user_id"])
	assert.Equal(t, []any{"hou"}, got["nfl_teams"])
	assert.Equal(t, []any{}, got["nhl_teams"])

	var live gameList
	s.waitFor("live games", func() bool { return s.get("/api/v1/games/live?league=nfl", &live) == 200 && live.Count == 8 })
	for _, g := range live.Games {
		fav := g.HomeTeam.Abbreviation == "HOU" || g.AwayTeam.Abbreviation == "HOU"
		assert.Equal(t, fav, g.IsFavorite, g.ID)
	}

	var bad map[string]any
	assert.Equal(t, http.StatusUnprocessableEntity, s.do(http.MethodPost, "/api/v1/user/teams", "{nope", nil, &bad))
	assert.Equal(t, http.StatusUnprocessableEntity, s.do(http.MethodPost, "/api/v1/user/teams", map[string]any{"nfl_teams": "hou"}, nil, &bad))
	assert.NotEmpty(t, bad["detail"])
}

func TestGameJSONKeepsTheContract(t *testing.T) {
	t.Parallel()
	s := startService(t, newESPN(t).URL, nil)
	var raw struct {
		Games []map[string]json.RawMessage `json:"games"`
	}
	s.waitFor("live games", func() bool {
		return s.get("/api/v1/games/live?league=nfl", &raw) == 200 && len(raw.Games) == 8
	})
	g := raw.Games[0]
	for _, k := range []string{"id", "league", "status", "start_time", "home_team", "away_team", "score", "period", "is_favorite"} {
		require.Contains(t, g, k)
	}
	var team map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(g["home_team"], &team))
	for _, k := range []string{"id", "name", "abbreviation", "logo", "colors", "record"} {
		require.Contains(t, team, k)
	}
	var colors map[string]string
	require.NoError(t, json.Unmarshal(team["colors"], &colors))
	assert.Regexp(t, `^#[0-9A-Fa-f]{6}$`, colors["primary"])
	assert.Regexp(t, `^#[0-9A-Fa-f]{6}$`, colors["secondary"])
	var record map[string]int
	require.NoError(t, json.Unmarshal(team["record"], &record))
	assert.Contains(t, record, "wins")
	assert.Contains(t, record, "losses")
	assert.Contains(t, record, "ties")
	var period map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(g["period"], &period))
	assert.ElementsMatch(t, []string{"current", "total", "time_remaining"}, keys(period))
	var score map[string]int
	require.NoError(t, json.Unmarshal(g["score"], &score))
	assert.ElementsMatch(t, []string{"home", "away"}, keysInt(score))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\dZ$`, strings.Trim(string(g["start_time"]), `"`))
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func keysInt(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestBadConfigurationStopsStartUp(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ key, value string }{
		{"PORT", "abc"}, {"POLL_LIVE_INTERVAL", "fast"}, {"LEAGUES", "nfl,xfl"},
	} {
		env := map[string]string{c.key: c.value, "DATA_DIR": t.TempDir()}
		err := run(t.Context(), []string{"sports-data"}, func(k string) string { return env[k] }, &logbuf.Buffer{})
		require.Error(t, err, c.key)
		assert.True(t, strings.HasPrefix(err.Error(), c.key+":"), err.Error())
	}
}

func TestHealthcheckCommand(t *testing.T) {
	t.Parallel()
	s := startService(t, newESPN(t).URL, nil)
	port := s.base[strings.LastIndex(s.base, ":")+1:]
	out := &logbuf.Buffer{}
	require.NoError(t, run(t.Context(), []string{"sports-data", "healthcheck"}, func(k string) string {
		if k == "PORT" {
			return port
		}
		return ""
	}, out))
	assert.Contains(t, out.String(), `"service":"sports-data"`)
	require.Error(t, run(t.Context(), []string{"sports-data", "healthcheck"}, func(k string) string {
		if k == "PORT" {
			return "1"
		}
		return ""
	}, out))
}

var _ = os.ReadFile
var _ = filepath.Join

// TestMetricsMoveWithTheService: the hooks are wired: polls, ESPN calls,
// store writes and requests show up on /metrics.
func TestMetricsMoveWithTheService(t *testing.T) {
	t.Parallel()
	s := startService(t, newESPN(t).URL, nil)
	var live gameList
	s.waitFor("live games", func() bool { return s.get("/api/v1/games/live", &live) == 200 && live.Count == 13 })
	metric := func(name string) bool {
		resp, err := http.Get(s.base + "/metrics")
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, name) && !strings.HasSuffix(line, " 0") {
				return true
			}
		}
		return false
	}
	for _, name := range []string{
		`sports_data_espn_requests_total{league="nfl"}`,
		`sports_data_polls_total{league="nhl",result="ok"}`,
		`sports_data_store_writes_total{result="ok"}`,
		`sports_data_http_request_duration_seconds_count{code="200",method="GET",route="/api/v1/games/live"}`,
	} {
		s.waitFor(name, func() bool { return metric(name) })
	}
}

// Temporary files that writes a crash interrupted, anywhere in DATA_DIR,
// are removed at start.
func TestLeftoverTempFilesInDataDirAreRemoved(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	past := time.Now().Add(-time.Hour)
	paths := []string{
		filepath.Join(dataDir, ".webhook-outbox.log.tmp-1"),
		filepath.Join(dataDir, ".webhook-games.json.tmp-2"),
		filepath.Join(dataDir, ".user_teams.json.tmp-3"),
		filepath.Join(dataDir, "teams", ".nfl.json.tmp-4"),
	}
	for _, p := range paths {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("{"), 0o600))
		require.NoError(t, os.Chtimes(p, past, past))
	}
	startService(t, newESPN(t).URL, map[string]string{"DATA_DIR": dataDir, "STORE": "none"})
	for _, p := range paths {
		assert.NoFileExists(t, p)
	}
}
