package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/tz"
)

type healthLeagueAnswer struct {
	OK                   bool     `json:"ok"`
	Status               string   `json:"status"`
	Reason               string   `json:"reason"`
	LastError            string   `json:"last_error"`
	LastAnswerStatus     int      `json:"last_answer_status"`
	LastAnswerEvents     int      `json:"last_answer_events"`
	LastAnswerAgeSeconds *float64 `json:"last_answer_age_seconds"`
	TruncatedAnswers     int64    `json:"truncated_answers"`
}

type healthAnswer struct {
	Status  string                        `json:"status"`
	Leagues map[string]healthLeagueAnswer `json:"leagues"`
}

// A dense NHL schedule, 12 games every day around today (derived from the
// real NHL capture), served by a stand-in that answers as ESPN does today
// (25 events to a limit above 500, 100 without one): the whole service
// lists every game of the coming week, and /health shows the last answer.
// The figure is logged for the README:
//
//	go test -run TestUpcomingWeekIsCompleteUnderTodaysLimits -v ./cmd/sports-data/
func TestUpcomingWeekIsCompleteUnderTodaysLimits(t *testing.T) {
	now := time.Now()
	week := 168 * time.Hour
	// No game starts within ten minutes of either end of the window, so
	// that the seconds between this count and the service's do not matter.
	near := func(s time.Time) bool {
		return s.Sub(now).Abs() < 10*time.Minute || s.Sub(now.Add(week)).Abs() < 10*time.Minute
	}
	first := now.In(tz.Eastern).AddDate(0, 0, -3)
	cal := espntest.NewCalendar(t, "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json", first, 45, 12, near)
	srv := espntest.NewServer(t)
	srv.Handle("/hockey/nhl/scoreboard", cal.ServeHTTP)
	srv.ServeFixture(t, "/hockey/nhl/teams", "nhl/teams.json")
	s := startService(t, srv.URL, map[string]string{"LEAGUES": "nhl", "POLL_IDLE_INTERVAL": "1s", "POLL_LIVE_INTERVAL": "1s"})

	scheduled := cal.Between(now, now.Add(week))
	require.GreaterOrEqual(t, scheduled, 80, "12 a day for a week, less the games near the window's ends")
	var up struct {
		Count int `json:"count"`
	}
	s.waitFor("the upcoming week", func() bool {
		return s.get("/api/v1/games/upcoming?league=nhl&hours=168", &up) == http.StatusOK && up.Count == scheduled
	})
	t.Logf("upcoming 168 h: %d games listed of %d scheduled", up.Count, scheduled)

	// The poll's games are published before its answers are judged.
	var h healthAnswer
	s.waitFor("the poll's answers in /health", func() bool {
		return s.get("/health", &h) == http.StatusOK && h.Leagues["nhl"].LastAnswerStatus != 0
	})
	nhl := h.Leagues["nhl"]
	assert.Equal(t, "healthy", h.Status)
	assert.Equal(t, "ok", nhl.Status)
	assert.Empty(t, nhl.Reason)
	assert.Equal(t, http.StatusOK, nhl.LastAnswerStatus)
	assert.Equal(t, 12-countNear(cal, now, near), nhl.LastAnswerEvents, "today's scoreboard")
	require.NotNil(t, nhl.LastAnswerAgeSeconds)
	assert.Less(t, *nhl.LastAnswerAgeSeconds, 60.0)
	for _, u := range srv.Requests() {
		if l := u.Query().Get("limit"); l != "" {
			assert.Equal(t, "500", l, u.String())
		}
	}
}

// countNear counts today's games the calendar left out.
func countNear(cal *espntest.Calendar, now time.Time, near func(time.Time) bool) int {
	e := now.In(tz.Eastern)
	n := 0
	for i := 0; i < 12; i++ {
		if near(time.Date(e.Year(), e.Month(), e.Day(), 12, 0, 0, 0, tz.Eastern).Add(time.Duration(i) * time.Hour)) {
			n++
		}
	}
	return n
}

// ESPN refusing this service's agent (as it refused browser-like ones in
// August 2026; derived: a stand-in that refuses every agent): /health says
// "ESPN refused this User-Agent" and what to do, and so do the log and
// /metrics, while the service keeps answering.
func TestARefusedAgentShowsInHealthLogAndMetrics(t *testing.T) {
	srv := espntest.NewServer(t)
	refuse := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"code":403,"message":"Forbidden"}`))
	}
	srv.Handle("/hockey/nhl/scoreboard", refuse)
	srv.Handle("/hockey/nhl/teams", refuse)
	s := startService(t, srv.URL, map[string]string{"LEAGUES": "nhl", "ESPN_USER_AGENT": "my-house/1.0 (+https://example.org/house)"})

	var h healthAnswer
	s.waitFor("the first poll", func() bool {
		return s.get("/health", &h) == http.StatusOK && h.Leagues["nhl"].LastAnswerStatus == http.StatusForbidden
	})
	nhl := h.Leagues["nhl"]
	assert.Equal(t, "degraded", h.Status)
	assert.Equal(t, "degraded", nhl.Status)
	assert.False(t, nhl.OK)
	assert.True(t, strings.HasPrefix(nhl.Reason, `ESPN refused this User-Agent ("my-house/1.0 (+https://example.org/house)")`), nhl.Reason)
	assert.Contains(t, nhl.Reason, "Set ESPN_USER_AGENT")
	assert.Equal(t, nhl.Reason, nhl.LastError)
	assert.Contains(t, s.out.String(), `msg="ESPN refused this User-Agent; set ESPN_USER_AGENT`)

	var metrics string
	s.waitFor("the degraded gauge", func() bool {
		resp, err := http.Get(s.base + "/metrics")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		metrics = string(b)
		return strings.Contains(metrics, `sports_data_league_degraded{league="nhl"} 1`)
	})
	var games struct {
		Count int `json:"count"`
	}
	assert.Equal(t, http.StatusOK, s.get("/api/v1/games/live?league=nhl", &games), "routes answer from memory meanwhile")
}
