package espn

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/retry"
	"github.com/sports-data/sports-data/internal/tz"
)

const (
	nflScoreboard = "/football/nfl/scoreboard"
	nhlScoreboard = "/hockey/nhl/scoreboard"
	nflLive       = "nfl/scoreboard-2022-wk1-sun-live-mixed.json"
)

// fastOptions keep retries quick in tests.
func fastOptions() Options {
	return Options{BaseBackoff: time.Millisecond, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
}

// sequence answers the listed statuses in turn, then the capture.
func sequence(t *testing.T, statuses []int, header http.Header, rel string) http.HandlerFunc {
	body := espntest.Load(t, rel)
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			for k, v := range header {
				w.Header()[k] = v
			}
			w.WriteHeader(statuses[i])
			_, _ = w.Write([]byte(`{"code":` + http.StatusText(statuses[i]) + `}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}
}

type observation struct {
	league string
	err    error
}

type observer struct {
	mu  sync.Mutex
	got []observation
}

func (o *observer) observe(l string, d time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, observation{l, err})
}

func (o *observer) all() []observation {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]observation(nil), o.got...)
}

func TestRetry500ThenSuccess(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.Handle(nflScoreboard, sequence(t, []int{500}, nil, nflLive))
	var obs observer
	o := fastOptions()
	o.Observer = obs.observe
	c := NewClient(srv.URL, o)

	sb, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Date(2022, 9, 11, 12, 0, 0, 0, tz.Eastern))
	games := sb.Games
	require.NoError(t, err)
	assert.Len(t, games, 16)
	assert.Len(t, srv.Requests(), 2)
	u := c.Usage()
	assert.EqualValues(t, 2, u.Total, "both attempts count")
	assert.EqualValues(t, 1, u.Errors)
	assert.Equal(t, map[string]int64{"nfl": 2}, u.ByLeague)
	got := obs.all()
	require.Len(t, got, 1, "one observation per logical call")
	assert.Equal(t, "nfl", got[0].league)
	assert.NoError(t, got[0].err)
}

func TestPersistent503GivesUpWithHTTPError(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.Handle(nflScoreboard, sequence(t, []int{503, 502, 500, 503, 503}, nil, nflLive))
	var obs observer
	o := fastOptions()
	o.MaxRetries = 2
	o.Observer = obs.observe
	c := NewClient(srv.URL, o)

	_, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
	var he *HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 500, he.Status, "the last attempt's status")
	assert.Contains(t, he.URL, nflScoreboard)
	assert.Len(t, srv.Requests(), 3, "one try and two retries")
	assert.EqualValues(t, 3, c.Usage().Errors)
	got := obs.all()
	require.Len(t, got, 1)
	assert.ErrorAs(t, got[0].err, &he)
}

func TestRetryAfterHonouredAndCapped(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"3", 3 * time.Second},
		{"120", maxBackoff},
	} {
		t.Run(tc.header, func(t *testing.T) {
			srv := espntest.NewServer(t)
			srv.Handle(nflScoreboard, sequence(t, []int{429}, http.Header{"Retry-After": {tc.header}}, nflLive))
			c := NewClient(srv.URL, fastOptions())
			var waits []time.Duration
			c.sleep = func(_ context.Context, d time.Duration) error {
				waits = append(waits, d)
				return nil
			}
			sb, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
			games := sb.Games
			require.NoError(t, err)
			assert.Len(t, games, 16)
			assert.Equal(t, []time.Duration{tc.want}, waits)
			assert.Len(t, srv.Requests(), 2)
		})
	}
}

func TestRetryAfterForReal(t *testing.T) {
	// A real wait: Retry-After 1 s, then success.
	srv := espntest.NewServer(t)
	srv.Handle(nflScoreboard, sequence(t, []int{429}, http.Header{"Retry-After": {"1"}}, nflLive))
	c := NewClient(srv.URL, fastOptions())
	start := time.Now()
	_, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), time.Second, "waited as asked")
}

func TestBackoffIsJitteredAndCapped(t *testing.T) {
	c := NewClient("http://127.0.0.1:1", Options{BaseBackoff: 500 * time.Millisecond})
	transport := &transportError{errors.New("reset")}
	for attempt := 0; attempt < 40; attempt++ {
		ceiling := min(500*time.Millisecond<<min(attempt, 16), maxBackoff)
		for i := 0; i < 50; i++ {
			d := c.backoff(attempt, transport)
			assert.GreaterOrEqual(t, d, time.Duration(0))
			assert.LessOrEqual(t, d, ceiling, "attempt %d", attempt)
		}
	}
	assert.Equal(t, 7*time.Second, c.backoff(0, &HTTPError{Status: 429, RetryAfter: 7 * time.Second}))
}

func TestRetryAfterHTTPDateHonoured(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	srv := espntest.NewServer(t)
	srv.Handle(nflScoreboard, sequence(t, []int{503}, http.Header{"Retry-After": {now.Add(4 * time.Second).Format(http.TimeFormat)}}, nflLive))
	o := fastOptions()
	o.Now = func() time.Time { return now }
	c := NewClient(srv.URL, o)
	var waits []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}
	_, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), now)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{4 * time.Second}, waits)
}

func TestRequestTimeoutIsRetried(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.Handle(nflScoreboard, sequence(t, []int{http.StatusRequestTimeout}, nil, nflLive))
	c := NewClient(srv.URL, fastOptions())
	_, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 2)
}

func TestHangingServerTimesOut(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.Handle(nflScoreboard, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; returns when the client gives up
	})
	o := fastOptions()
	o.HTTPClient = &http.Client{Timeout: 100 * time.Millisecond}
	o.MaxRetries = 1
	c := NewClient(srv.URL, o)

	// The outer deadline only guards the test; the client's own timeout
	// must end the call well before it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.ScoreboardDay(ctx, mustLeague(t, "nfl"), time.Now())
	require.Error(t, err)
	require.NoError(t, ctx.Err(), "ended by the HTTP timeout, not the test's deadline")
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
	assert.Len(t, srv.Requests(), 2, "a timeout is retried")
	assert.EqualValues(t, 2, c.Usage().Errors)
}

func TestConnectionRefusedIsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	o := fastOptions()
	o.MaxRetries = 2
	c := NewClient("http://"+addr, o)
	_, err = c.Teams(context.Background(), mustLeague(t, "nhl"))
	require.Error(t, err)
	var te *transportError
	assert.ErrorAs(t, err, &te)
	u := c.Usage()
	assert.EqualValues(t, 3, u.Total)
	assert.EqualValues(t, 3, u.Errors)
	assert.Equal(t, map[string]int64{"nhl": 3}, u.ByLeague)
}

func TestInvalidAndEmptyBodiesAreNotRetried(t *testing.T) {
	for _, tc := range []struct {
		body string
		want error
	}{
		{"<html><body>Service Unavailable</body></html>", ErrInvalidJSON},
		{`{"events": [`, ErrInvalidJSON},
		{"", ErrEmptyBody},
	} {
		srv := espntest.NewServer(t)
		srv.ServeBytes(nflScoreboard, []byte(tc.body))
		c := NewClient(srv.URL, fastOptions())
		_, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
		require.ErrorIs(t, err, tc.want, "%q", tc.body)
		assert.Contains(t, err.Error(), nflScoreboard, "the error names the URL")
		assert.Len(t, srv.Requests(), 1, "%q", tc.body)
		assert.EqualValues(t, 1, c.Usage().Errors)
	}
}

func Test404IsNotRetried(t *testing.T) {
	srv := espntest.NewServer(t) // no handlers: every path is 404
	c := NewClient(srv.URL, fastOptions())
	_, err := c.TeamSchedule(context.Background(), mustLeague(t, "nfl"), "12", 2023)
	var he *HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, http.StatusNotFound, he.Status)
	assert.Len(t, srv.Requests(), 1)
}

func TestDateRangeNeverRequested(t *testing.T) {
	// espntest answers ranges with 400 as ESPN does; a 400 is final.
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, nflScoreboard, nflLive)
	srv.ServeFixture(t, nhlScoreboard, "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json")
	c := NewClient(srv.URL, fastOptions())
	ctx := context.Background()

	// 03:00Z on 12 September is still 11 September in Eastern time.
	_, err := c.ScoreboardDay(ctx, mustLeague(t, "nfl"), time.Date(2022, 9, 12, 3, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	_, err = c.ScoreboardDay(ctx, mustLeague(t, "nhl"), time.Date(2022, 9, 25, 12, 0, 0, 0, tz.Eastern))
	require.NoError(t, err)
	_, err = c.ScoreboardMonth(ctx, mustLeague(t, "nfl"), 2024, time.December)
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, nflScoreboard, reqs[0].Path)
	assert.Equal(t, "dates=20220911", reqs[0].RawQuery)
	assert.Equal(t, nhlScoreboard, reqs[1].Path)
	assert.Equal(t, "dates=20220925", reqs[1].RawQuery)
	assert.Equal(t, "dates=202412&limit=500", reqs[2].RawQuery, "ESPN answers 25 events to a limit above 500")
	assert.Zero(t, srv.RangeRequests())

	_, err = c.ScoreboardMonth(ctx, mustLeague(t, "nfl"), 2024, 13)
	assert.Error(t, err)
	assert.Len(t, srv.Requests(), 3, "an invalid month is not sent")
}

func TestScoreboardDate(t *testing.T) {
	assert.Equal(t, "20230907", ScoreboardDate(time.Date(2023, 9, 8, 0, 20, 0, 0, time.UTC)), "Thursday night kickoff")
	assert.Equal(t, "20230908", ScoreboardDate(time.Date(2023, 9, 8, 4, 0, 0, 0, time.UTC)), "EDT is UTC-4")
	assert.Equal(t, "20241215", ScoreboardDate(time.Date(2024, 12, 16, 4, 59, 0, 0, time.UTC)), "EST is UTC-5")
	assert.Equal(t, "20241216", ScoreboardDate(time.Date(2024, 12, 16, 5, 0, 0, 0, time.UTC)))
}

func TestTeamsAndSchedulePaths(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, "/hockey/nhl/teams", "nhl/teams.json")
	srv.ServeFixture(t, "/football/nfl/teams/12/schedule", "nfl/team-12-kc-schedule-2023-season-final.json")
	c := NewClient(srv.URL+"/", fastOptions())
	ctx := context.Background()

	teams, err := c.Teams(ctx, mustLeague(t, "nhl"))
	require.NoError(t, err)
	assert.Len(t, teams, 32)

	games, err := c.TeamSchedule(ctx, mustLeague(t, "nfl"), "12", 2023)
	require.NoError(t, err)
	assert.Len(t, games, 17)
	_, err = c.TeamSchedule(ctx, mustLeague(t, "nfl"), "12", 0)
	require.NoError(t, err)

	for _, bad := range []string{"", "../12", "12/schedule?x=", "KC%2F", "12?season=1", strings.Repeat("1", 17)} {
		_, err = c.TeamSchedule(ctx, mustLeague(t, "nfl"), bad, 2023)
		assert.Error(t, err, "%q", bad)
	}
	_, err = c.TeamSchedule(ctx, mustLeague(t, "nfl"), " 12 ", 2023)
	require.NoError(t, err)
	_, err = c.TeamSchedule(ctx, mustLeague(t, "nfl"), "12", -1)
	assert.Error(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 4, "invalid ids and seasons are not sent")
	assert.Equal(t, "/hockey/nhl/teams", reqs[0].Path)
	assert.Empty(t, reqs[0].RawQuery)
	assert.Equal(t, "/football/nfl/teams/12/schedule", reqs[1].Path)
	assert.Equal(t, "season=2023", reqs[1].RawQuery)
	assert.Empty(t, reqs[2].RawQuery, "season 0: ESPN's default")
	assert.Equal(t, "/football/nfl/teams/12/schedule", reqs[3].Path, `" 12 " is trimmed`)
}

func TestRequestHeaders(t *testing.T) {
	srv := espntest.NewServer(t)
	var ua, accept atomic.Value
	body := espntest.Load(t, nflLive)
	srv.Handle(nflScoreboard, func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		accept.Store(r.Header.Get("Accept"))
		_, _ = w.Write(body)
	})
	_, err := NewClient(srv.URL, fastOptions()).ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
	require.NoError(t, err)
	assert.Regexp(t, `^sports-data/\S+ \(\+https://github\.com/sports-data/sports-data\)$`, ua.Load())
	assert.Equal(t, "application/json", accept.Load())

	o := fastOptions()
	o.UserAgent = "sports-data/1.2.3"
	_, err = NewClient(srv.URL, o).ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
	require.NoError(t, err)
	assert.Equal(t, "sports-data/1.2.3", ua.Load())
}

func TestContextCancelStopsRetries(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.Handle(nflScoreboard, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	o := fastOptions()
	o.BaseBackoff = time.Hour // the wait would be long; cancelling must end it
	o.MaxRetries = 5
	c := NewClient(srv.URL, o)
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return retry.Sleep(ctx, d)
	}
	_, err := c.ScoreboardDay(ctx, mustLeague(t, "nfl"), time.Now())
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, srv.Requests(), 1)
}

func TestNoRetriesWhenNegative(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.Handle(nflScoreboard, sequence(t, []int{500}, nil, nflLive))
	o := fastOptions()
	o.MaxRetries = -1
	_, err := NewClient(srv.URL, o).ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
	var he *HTTPError
	require.ErrorAs(t, err, &he)
	assert.Len(t, srv.Requests(), 1)
}

func TestUsagePerLeaguePerDay(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, nflScoreboard, nflLive)
	srv.ServeFixture(t, nhlScoreboard, "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json")
	clk := fakeclock.New(time.Date(2026, 11, 27, 23, 59, 0, 0, time.UTC))
	o := fastOptions()
	o.Now = clk.Now
	o.MaxRetries = -1
	c := NewClient(srv.URL, o)
	ctx := context.Background()
	nfl, nhl := mustLeague(t, "nfl"), mustLeague(t, "nhl")

	u := c.Usage()
	assert.Equal(t, "2026-11-27", u.Date)
	assert.Zero(t, u.Total)
	assert.NotNil(t, u.ByLeague)
	assert.NotNil(t, u.History)

	for i := 0; i < 3; i++ {
		_, err := c.ScoreboardDay(ctx, nfl, clk.Now())
		require.NoError(t, err)
	}
	_, err := c.ScoreboardDay(ctx, nhl, clk.Now())
	require.NoError(t, err)
	_, err = c.Teams(ctx, nfl) // 404 here: counted, as an error
	require.Error(t, err)

	u = c.Usage()
	assert.EqualValues(t, 5, u.Total)
	assert.Equal(t, map[string]int64{"nfl": 4, "nhl": 1}, u.ByLeague)
	assert.EqualValues(t, 1, u.Errors)

	// Past midnight UTC: a new day (by UTC, not by Eastern time).
	clk.Set(time.Date(2026, 11, 28, 0, 1, 0, 0, time.UTC))
	_, err = c.ScoreboardDay(ctx, nhl, clk.Now())
	require.NoError(t, err)
	u = c.Usage()
	assert.Equal(t, "2026-11-28", u.Date)
	assert.EqualValues(t, 1, u.Total)
	assert.Equal(t, map[string]int64{"nhl": 1}, u.ByLeague)
	assert.Zero(t, u.Errors)
	require.Len(t, u.History, 2)
	assert.Equal(t, "2026-11-28", u.History[0].Date, "newest first")
	assert.Equal(t, UsageDay{Date: "2026-11-27", Total: 5, Errors: 1, ByLeague: map[string]int64{"nfl": 4, "nhl": 1}}, u.History[1])

	// A week later the 27th has dropped out; the window is seven days.
	clk.Set(time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	u = c.Usage()
	require.Len(t, u.History, 1, "the 28th is the oldest day kept on 4 December")
	assert.Equal(t, "2026-11-28", u.History[0].Date)
	assert.Zero(t, u.Total)
	clk.Set(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	_, err = c.ScoreboardDay(ctx, nfl, clk.Now())
	require.NoError(t, err)
	u = c.Usage()
	require.Len(t, u.History, 1)
	assert.Equal(t, "2026-12-05", u.History[0].Date)

	// The snapshot is a copy.
	u.ByLeague["nfl"] = 999
	assert.EqualValues(t, 1, c.Usage().ByLeague["nfl"])
}

func TestUsageJSONShape(t *testing.T) {
	clk := fakeclock.New(time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC))
	c := NewClient("http://127.0.0.1:1", Options{Now: clk.Now})
	c.usage.record("nfl", false)
	c.usage.record("nfl", true)
	b, err := json.Marshal(c.Usage())
	require.NoError(t, err)
	assert.JSONEq(t, `{"date":"2026-11-28","total":2,"by_league":{"nfl":2},"errors":1,
		"history":[{"date":"2026-11-28","total":2,"by_league":{"nfl":2},"errors":1}]}`, string(b))
}

func TestConcurrentCalls(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, nflScoreboard, nflLive)
	c := NewClient(srv.URL, fastOptions())
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Now())
			assert.NoError(t, err)
			_ = c.Usage()
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 8, c.Usage().Total)
}

// The real college-football capture holds exactly 25 events: asked with
// limit=500 (a college day can pass ESPN's default of 100), 25 looks like
// ESPN's cut, so the day is asked again without a limit, where 25 is below
// the default's 100 and so complete.
func TestCollegeScoreboardAsksForTheWholeDivision(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, "/football/college-football/scoreboard", "ncaaf/scoreboard-2022-09-17-live-mixed.json")
	srv.ServeFixture(t, "/football/nfl/scoreboard", "nfl/scoreboard-2022-wk1-sun-live-mixed.json")
	c := NewClient(srv.URL, fastOptions())
	day := time.Date(2022, 9, 17, 12, 0, 0, 0, tz.Eastern)

	sb, err := c.ScoreboardDay(context.Background(), mustLeague(t, "ncaaf"), day)
	require.NoError(t, err)
	assert.Len(t, sb.Games, 25)
	assert.False(t, sb.Truncated(), "25 events without a limit are the whole day")
	month, err := c.ScoreboardMonth(context.Background(), mustLeague(t, "ncaaf"), 2022, time.September)
	require.NoError(t, err)
	assert.True(t, month.Truncated(), "25 events of a month asked with limit=500 may be ESPN's cut")
	_, err = c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), day)
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, "80", reqs[0].Query().Get("groups"), "FBS: every game, not only the top 25")
	assert.Equal(t, "500", reqs[0].Query().Get("limit"))
	assert.Equal(t, "20220917", reqs[0].Query().Get("dates"))
	assert.Equal(t, "80", reqs[1].Query().Get("groups"))
	assert.False(t, reqs[1].Query().Has("limit"), "the day again in ESPN's default form")
	assert.Equal(t, "80", reqs[2].Query().Get("groups"))
	assert.Equal(t, "500", reqs[2].Query().Get("limit"))
	assert.Equal(t, "202209", reqs[2].Query().Get("dates"))
	assert.Empty(t, reqs[3].Query().Get("groups"), "professional leagues have no groups")
	assert.Empty(t, reqs[3].Query().Get("limit"), "a professional day is far below ESPN's default of 100")
}

// Derived: the NFL team list served as a college league's in pages, as
// ESPN pages NCAA lists (here 20 + 12 teams, then an empty page that ends
// the walk), then as pages that repeat (a server ignoring page=).
func TestCollegeTeamListIsPaged(t *testing.T) {
	ncaaf := mustLeague(t, "ncaaf")
	var doc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, "nfl/teams.json"), &doc))
	lg := doc["sports"].([]any)[0].(map[string]any)["leagues"].([]any)[0].(map[string]any)
	all := lg["teams"].([]any)
	require.Len(t, all, 32)
	pageOf := func(entries []any) []byte {
		lg["teams"] = entries
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		return b
	}
	page1, page2, page3 := pageOf(all[:20]), pageOf(all[20:]), pageOf([]any{})

	srv := espntest.NewServer(t)
	srv.Handle("/football/college-football/teams", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "500", r.URL.Query().Get("limit"))
		switch r.URL.Query().Get("page") {
		case "1":
			_, _ = w.Write(page1)
		case "2":
			_, _ = w.Write(page2)
		case "3":
			_, _ = w.Write(page3)
		default:
			t.Errorf("page %q asked", r.URL.Query().Get("page"))
		}
	})
	c := NewClient(srv.URL, fastOptions())
	teams, err := c.Teams(context.Background(), ncaaf)
	require.NoError(t, err)
	assert.Len(t, teams, 32, "every page's teams")
	assert.Len(t, srv.Requests(), 3)
	for _, tm := range teams {
		assert.True(t, strings.HasPrefix(tm.ID, "ncaaf-"), tm.ID)
	}

	// A server that ignores page= repeats page one: the walk stops there.
	srv2 := espntest.NewServer(t)
	srv2.Handle("/football/college-football/teams", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(page1) })
	teams, err = NewClient(srv2.URL, fastOptions()).Teams(context.Background(), ncaaf)
	require.NoError(t, err)
	assert.Len(t, teams, 20)
	assert.Len(t, srv2.Requests(), 2)

	// Professional leagues ask once, without paging.
	srv3 := espntest.NewServer(t)
	srv3.ServeFixture(t, "/football/nfl/teams", "nfl/teams.json")
	teams, err = NewClient(srv3.URL, fastOptions()).Teams(context.Background(), mustLeague(t, "nfl"))
	require.NoError(t, err)
	assert.Len(t, teams, 32)
	require.Len(t, srv3.Requests(), 1)
	assert.Empty(t, srv3.Requests()[0].RawQuery)
}
