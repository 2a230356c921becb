package poller

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/tz"
)

// busyCapture is a small real scoreboard with live games (three of six);
// every league is served it (derived: how often the poller asks does not
// depend on the sport, only on a game being live).
const busyCapture = "ncaavbw/scoreboard-2022-09-11-live-mixed.json"

// busyQuarter drives each league's loop, one after the other, over the
// same simulated quarter of an hour of a busy day: the team list, then
// every poll at the interval the previous poll chose (15 s while a game
// is live), against srv, which counts real HTTP requests. It returns the
// requests by league and by kind (today's scoreboard, yesterday's, other
// days filling a cut month, months, team-list pages), and the polls by
// league.
func busyQuarter(t *testing.T, srv *espntest.Server, leagues []league.League, start time.Time) (perLeague, kinds, polls map[string]int) {
	t.Helper()
	client := espn.NewClient(srv.URL, espn.Options{MaxRetries: -1})
	keys := make([]string, len(leagues))
	for i, l := range leagues {
		keys[i] = l.Key
	}
	dir := teams.NewDirectory("", leagues, nil)
	now := start
	p := New(client, state.New(keys...), dir, nil, leagues, Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	perLeague, kinds, polls = map[string]int{}, map[string]int{}, map[string]int{}
	before := len(srv.Requests())
	for _, l := range leagues {
		now = start
		require.NoError(t, p.refreshTeams(ctx, l), l.Key)
		games := map[string]game.Game{}
		var upcomingAt time.Time
		for first := true; now.Before(start.Add(busySpan)); first = false {
			_, err := p.poll(ctx, l, games, now, &upcomingAt, first)
			require.NoError(t, err, l.Key)
			polls[l.Key]++
			now = now.Add(p.interval(p.liveCadence(games, now)))
		}
		n := len(srv.Requests())
		perLeague[l.Key] = n - before
		before = n
	}
	today := espn.ScoreboardDate(start)
	yesterday := espn.ScoreboardDate(start.AddDate(0, 0, -1))
	for _, u := range srv.Requests() {
		switch d := u.Query().Get("dates"); {
		case strings.HasSuffix(u.Path, "/teams"):
			kinds["teams"]++
		case len(d) == 6:
			kinds["month"]++
		case d == today:
			kinds["today"]++
		case d == yesterday:
			kinds["yesterday"]++
		default:
			kinds["fill"]++
		}
	}
	return perLeague, kinds, polls
}

const busySpan = 15 * time.Minute

// steadyPerMinute is the rate past start-up: today's scoreboard at every
// poll, the months and the days filling them once an hour, the team list
// once a day (yesterday's scoreboard is asked at start only, the days
// being over).
func steadyPerMinute(kinds map[string]int) float64 {
	return float64(kinds["today"])/busySpan.Minutes() + float64(kinds["month"]+kinds["fill"])/60 + float64(kinds["teams"])/1440
}

// teamLists serves every league's team list: the NFL's, and an empty
// second page for the paged college lists.
func teamLists(t *testing.T, srv *espntest.Server, leagues []league.League) {
	var teamsDoc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, "nfl/teams.json"), &teamsDoc))
	teamsDoc["sports"].([]any)[0].(map[string]any)["leagues"].([]any)[0].(map[string]any)["teams"] = []any{}
	emptyTeams, err := json.Marshal(teamsDoc)
	require.NoError(t, err)
	nflTeams := espntest.Load(t, "nfl/teams.json")
	for _, l := range leagues {
		srv.Handle("/"+l.Sport+"/"+l.ESPNLeague+"/teams", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("page") == "2" {
				_, _ = w.Write(emptyTeams)
				return
			}
			_, _ = w.Write(nflTeams)
		})
	}
}

// The ESPN requests of a busy quarter of an hour with every league enabled
// and a game live in each, through the poller's own schedule and the real
// client (see busyQuarter). The figure is logged for the README:
//
//	go test -run TestESPNRequestsAllLeaguesBusy -v ./internal/poller/
func TestESPNRequestsAllLeaguesBusy(t *testing.T) {
	leagues := league.All()
	require.Len(t, leagues, 32)
	srv := espntest.NewServer(t)
	teamLists(t, srv, leagues)
	for _, l := range leagues {
		srv.ServeFixture(t, "/"+l.Sport+"/"+l.ESPNLeague+"/scoreboard", busyCapture)
	}
	start := time.Date(2026, 12, 5, 19, 0, 0, 0, time.UTC)
	perLeague, kinds, polls := busyQuarter(t, srv, leagues, start)
	total := len(srv.Requests())
	minutes := busySpan.Minutes()
	t.Logf("ESPN requests in %v of a busy day, %d leagues each with a live game: %d (%.1f per minute): %d day scoreboards, %d month scoreboards, %d team-list pages",
		busySpan, len(leagues), total, float64(total)/minutes, kinds["today"]+kinds["yesterday"]+kinds["fill"], kinds["month"], kinds["teams"])
	t.Logf("steady state: %.1f per minute", steadyPerMinute(kinds))
	keysSorted := make([]string, 0, len(leagues))
	for _, l := range leagues {
		keysSorted = append(keysSorted, l.Key)
	}
	sort.Strings(keysSorted)
	for _, k := range keysSorted {
		t.Logf("  %-8s %3d requests, %3d polls", k, perLeague[k], polls[k])
	}

	// Each live league polls every 15 s: 60 polls in 15 minutes, one day
	// scoreboard each (yesterday's too on the first), one month, and its
	// team list (two pages for college leagues; none for leagues of
	// athletes, which ESPN has no list of).
	for _, l := range leagues {
		assert.Equal(t, 60, polls[l.Key], l.Key)
		wantTeams := 1
		switch {
		case l.College:
			wantTeams = 2
		case !l.TeamList():
			wantTeams = 0
		}
		assert.Equal(t, 60+1+1+wantTeams, perLeague[l.Key], l.Key)
	}
	assert.Zero(t, srv.RangeRequests(), "never a date range")
}

// The default leagues (NFL and NHL) on a busy evening with dense
// schedules (derived: 14 NFL and 12 NHL games every day from today to the
// month's end, more than ESPN's 25 and ESPN's default of 100 a month), and
// a college league whose month passes 500 (20 games a day): a month within
// 500 events costs one request an hour, a month beyond it its window's
// days too (seven more an hour). The figures are logged for the README:
//
//	go test -run TestESPNRequestsDefaultLeaguesBusy -v ./internal/poller/
func TestESPNRequestsDefaultLeaguesBusy(t *testing.T) {
	start := time.Date(2026, 12, 5, 19, 0, 0, 0, tz.Eastern)
	// From today: the derived games never end, so a yesterday with games
	// would be asked at every poll as unfinished.
	first := time.Date(2026, 12, 5, 12, 0, 0, 0, tz.Eastern)
	perDay := map[string]int{"nfl": 14, "nhl": 12, "ncaam": 20}
	for _, keys := range [][]string{{"nfl", "nhl"}, {"ncaam"}} {
		var leagues []league.League
		for _, k := range keys {
			leagues = append(leagues, mustLeagueKey(t, k))
		}
		srv := espntest.NewServer(t)
		teamLists(t, srv, leagues)
		for _, l := range leagues {
			cal := espntest.NewCalendar(t, smallCapture, first, 27, perDay[l.Key], nil)
			srv.Handle("/"+l.Sport+"/"+l.ESPNLeague+"/scoreboard", cal.ServeHTTP)
		}
		perLeague, kinds, polls := busyQuarter(t, srv, leagues, start)
		t.Logf("%v busy for %v: %d requests (%d of today, %d of yesterday, %d days filling a cut month, %d months, %d team-list pages); steady state %.2f per minute",
			keys, busySpan, len(srv.Requests()), kinds["today"], kinds["yesterday"], kinds["fill"], kinds["month"], kinds["teams"], steadyPerMinute(kinds))
		for _, l := range leagues {
			assert.Equal(t, 60, polls[l.Key], l.Key)
			wantTeams := 1
			if l.College {
				wantTeams = 2
			}
			// 60 polls of today, yesterday's on the first, one month.
			want := 60 + 1 + 1 + wantTeams
			if l.Key == "ncaam" {
				// Its December (540 games) is cut at 500: December 6-12,
				// the window's days after today, are asked one by one.
				want += 7
			}
			assert.Equal(t, want, perLeague[l.Key], l.Key)
		}
		assert.Zero(t, srv.RangeRequests())
	}
}

// resolving is an observer that looks up, at every poll, the teams the
// poll names, as the routes and the webhooks do.
type resolving struct {
	dir   *teams.Directory
	found []bool
}

func (r *resolving) Observe(leagueKey string, games []game.Game) {
	for _, g := range games {
		_, ok := r.dir.Lookup(leagueKey, g.HomeTeam.Abbreviation)
		r.found = append(r.found, ok)
	}
}

// A college team ESPN's list lacks is learned from the poll that names it
// before any observer sees that poll.
func TestTheDirectoryLearnsAPollsTeamsBeforeTheObservers(t *testing.T) {
	l, ok := league.Lookup("ncaaf")
	require.True(t, ok)
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, "/football/college-football/scoreboard", "ncaaf/scoreboard-2022-09-17-live-mixed.json")
	dir := teams.NewDirectory("", []league.League{l}, nil)
	// The list ESPN gave: one team, none of the poll's home teams.
	require.NoError(t, dir.Set(l, []game.Team{{ID: "ncaaf-zzz", Abbreviation: "ZZZ", Name: "Nowhere State"}}))
	obs := &resolving{dir: dir}
	p := New(espn.NewClient(srv.URL, espn.Options{MaxRetries: -1}), state.New("ncaaf"), dir, []Observer{obs}, []league.League{l},
		Options{Now: func() time.Time { return time.Date(2022, 9, 17, 20, 0, 0, 0, time.UTC) }})
	games := map[string]game.Game{}
	var upcomingAt time.Time
	_, err := p.poll(context.Background(), l, games, time.Date(2022, 9, 17, 20, 0, 0, 0, time.UTC), &upcomingAt, true)
	require.NoError(t, err)
	require.NotEmpty(t, obs.found)
	for i, ok := range obs.found {
		assert.True(t, ok, "home team of game %d known when the observer saw the poll", i)
	}
}
