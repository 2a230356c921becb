package espn

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/tz"
)

// smallCapture has small events: the derived days and months of hundreds
// of games stay quick to build and read.
const smallCapture = "ncaavbw/scoreboard-2022-09-11-live-mixed.json"

func TestTruncatedFollowsESPNsLimits(t *testing.T) {
	for _, c := range []struct {
		events, limit int
		want          bool
	}{
		{16, 0, false},
		{99, 0, false},
		{100, 0, true}, // ESPN's default stops at 100
		{24, 500, false},
		{25, 500, true}, // ESPN's answer to a limit it does not honour
		{26, 500, false},
		{499, 500, false},
		{500, 500, true},
		{25, 25, true},
		{25, 0, false}, // no limit: 25 is below the default
		{0, 500, false},
	} {
		sb := Scoreboard{Events: c.events, Limit: c.limit}
		assert.Equal(t, c.want, sb.Truncated(), "%d events, limit %d", c.events, c.limit)
	}
}

// dayServer serves one Eastern day of n games of the small capture's
// teams (derived) as the scoreboard of path.
func dayServer(t *testing.T, path string, day time.Time, n int) *espntest.Server {
	srv := espntest.NewServer(t)
	cal := espntest.NewCalendar(t, smallCapture, day, 1, n, nil)
	srv.Handle(path, cal.ServeHTTP)
	return srv
}

// A professional league's day is asked without a limit; a day of 150
// games (derived) comes back as ESPN's first 100, so it is asked again
// with limit=500 and is complete.
func TestADenseDayIsAskedAgainWithALimit(t *testing.T) {
	day := time.Date(2026, 12, 5, 12, 0, 0, 0, tz.Eastern)
	srv := dayServer(t, nhlScoreboard, day, 150)
	c := NewClient(srv.URL, fastOptions())
	sb, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nhl"), day)
	require.NoError(t, err)
	assert.Len(t, sb.Games, 150)
	assert.Equal(t, 150, sb.Events)
	assert.False(t, sb.Truncated())
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.False(t, reqs[0].Query().Has("limit"))
	assert.Equal(t, "500", reqs[1].Query().Get("limit"))
}

// A college day is asked with limit=500 at once: one request for 150.
func TestACollegeDayIsAskedWithTheLargestCompleteLimit(t *testing.T) {
	day := time.Date(2026, 12, 5, 12, 0, 0, 0, tz.Eastern)
	srv := dayServer(t, "/basketball/mens-college-basketball/scoreboard", day, 150)
	c := NewClient(srv.URL, fastOptions())
	sb, err := c.ScoreboardDay(context.Background(), mustLeague(t, "ncaam"), day)
	require.NoError(t, err)
	assert.Len(t, sb.Games, 150)
	assert.False(t, sb.Truncated())
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "500", reqs[0].Query().Get("limit"))
	assert.Equal(t, "50", reqs[0].Query().Get("groups"))
}

// A day of 600 games is cut in both forms ESPN answers: the larger answer
// (500) is returned and stays Truncated for the caller to report.
func TestADayCutInBothFormsStaysTruncated(t *testing.T) {
	day := time.Date(2026, 12, 5, 12, 0, 0, 0, tz.Eastern)
	srv := dayServer(t, nhlScoreboard, day, 600)
	c := NewClient(srv.URL, fastOptions())
	sb, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nhl"), day)
	require.NoError(t, err)
	assert.Equal(t, 500, sb.Events)
	assert.Len(t, sb.Games, 500)
	assert.True(t, sb.Truncated())
	assert.Len(t, srv.Requests(), 2)
}

// A month of 620 games (20 a day, derived) is asked with limit=500 and
// comes back with 500: Truncated, for the poller to ask its days.
func TestAMonthAboveTheLimitIsTruncated(t *testing.T) {
	srv := espntest.NewServer(t)
	cal := espntest.NewCalendar(t, smallCapture, time.Date(2026, 12, 1, 12, 0, 0, 0, tz.Eastern), 31, 20, nil)
	srv.Handle(nhlScoreboard, cal.ServeHTTP)
	c := NewClient(srv.URL, fastOptions())
	sb, err := c.ScoreboardMonth(context.Background(), mustLeague(t, "nhl"), 2026, time.December)
	require.NoError(t, err)
	assert.Equal(t, 500, sb.Events)
	assert.True(t, sb.Truncated())
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, "dates=202612&limit=500", srv.Requests()[0].RawQuery)
	assert.True(t, strings.HasSuffix(sb.URL, "/hockey/nhl/scoreboard?dates=202612&limit=500"), sb.URL)
}

// Events that do not read as games still count: an answer whose events
// all changed shape says so (more events than games).
func TestEventsCountWhatESPNSentNotWhatParsed(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeBytes(nhlScoreboard, []byte(`{"events":[{"id":"1"},{"id":"2","competitions":"changed"},{"id":"3","competitions":[]}]}`))
	sb, err := NewClient(srv.URL, fastOptions()).ScoreboardDay(context.Background(), mustLeague(t, "nhl"), time.Now())
	require.NoError(t, err)
	assert.Equal(t, 3, sb.Events)
	assert.Empty(t, sb.Games)
}

// The agent the service sends is one ESPN answers today (the stand-in's
// rule: no browser-like and no empty agent); a browser's agent is refused
// with 403, which says what to do and is not retried.
func TestUserAgentESPNAccepts(t *testing.T) {
	srv := espntest.NewServer(t)
	var agents []string
	nfl := espntest.Load(t, nflLive)
	srv.Handle(nflScoreboard, func(w http.ResponseWriter, r *http.Request) {
		agents = append(agents, r.UserAgent())
		_, _ = w.Write(nfl)
	})
	o := fastOptions()
	o.Version = "2.1.0"
	sb, err := NewClient(srv.URL, o).ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
	require.NoError(t, err)
	assert.Len(t, sb.Games, 16)
	require.Equal(t, []string{"sports-data/2.1.0 (+https://github.com/sports-data/sports-data)"}, agents)

	o.UserAgent = "curl/8.5.0"
	_, err = NewClient(srv.URL, o).ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
	require.NoError(t, err, "a configured agent ESPN answers")
	assert.Equal(t, "curl/8.5.0", agents[1])

	o.UserAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15"
	before := len(srv.Requests())
	_, err = NewClient(srv.URL, o).ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
	require.Error(t, err)
	var he *HTTPError
	require.True(t, errors.As(err, &he))
	assert.Equal(t, http.StatusForbidden, he.Status)
	assert.True(t, he.AgentRefused())
	assert.True(t, strings.HasPrefix(err.Error(), "ESPN refused this User-Agent"), err.Error())
	assert.Contains(t, err.Error(), "Set ESPN_USER_AGENT")
	assert.Len(t, srv.Requests(), before+1, "a refusal is not retried")
	assert.Len(t, agents, 2, "the stand-in refused it before the handler")
}
