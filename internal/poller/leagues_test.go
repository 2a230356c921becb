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
)

// busyCapture is a small real scoreboard with live games (three of six);
// every league is served it (derived: how often the poller asks does not
// depend on the sport, only on a game being live).
const busyCapture = "ncaavbw/scoreboard-2022-09-11-live-mixed.json"

// The ESPN requests of a busy quarter of an hour with every league enabled
// and a game live in each: the poller's own schedule, driven by a
// simulated clock (each poll at the moment the previous one asked for),
// against a server that counts real HTTP requests. The figure is logged
// for the README:
//
//	go test -run TestESPNRequestsAllLeaguesBusy -v ./internal/poller/
func TestESPNRequestsAllLeaguesBusy(t *testing.T) {
	leagues := league.All()
	require.Len(t, leagues, 24)
	srv := espntest.NewServer(t)
	// A college list's second page: the same document with no teams.
	var teamsDoc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, "nfl/teams.json"), &teamsDoc))
	teamsDoc["sports"].([]any)[0].(map[string]any)["leagues"].([]any)[0].(map[string]any)["teams"] = []any{}
	emptyTeams, err := json.Marshal(teamsDoc)
	require.NoError(t, err)
	for _, l := range leagues {
		base := "/" + l.Sport + "/" + l.ESPNLeague
		srv.ServeFixture(t, base+"/scoreboard", busyCapture)
		nflTeams := espntest.Load(t, "nfl/teams.json")
		srv.Handle(base+"/teams", func(w http.ResponseWriter, r *http.Request) {
			// College lists are paged: the second page is empty.
			if r.URL.Query().Get("page") == "2" {
				_, _ = w.Write(emptyTeams)
				return
			}
			_, _ = w.Write(nflTeams)
		})
	}
	client := espn.NewClient(srv.URL, espn.Options{MaxRetries: -1})
	keys := make([]string, len(leagues))
	for i, l := range leagues {
		keys[i] = l.Key
	}
	dir := teams.NewDirectory("", leagues, nil)
	start := time.Date(2026, 12, 5, 19, 0, 0, 0, time.UTC)
	now := start
	p := New(client, state.New(keys...), dir, nil, leagues, Options{Now: func() time.Time { return now }})
	ctx := context.Background()

	// Each league's loop, one after the other, over the same simulated
	// quarter of an hour: the team list, then every poll at the interval the previous
	// poll chose (15 s while a game is live).
	const span = 15 * time.Minute
	perLeague := map[string]int{}
	polls := map[string]int{}
	before := 0
	for _, l := range leagues {
		now = start
		require.NoError(t, p.refreshTeams(ctx, l), l.Key)
		games := map[string]game.Game{}
		var upcomingAt time.Time
		for first := true; now.Before(start.Add(span)); first = false {
			require.NoError(t, p.poll(ctx, l, games, now, &upcomingAt, first), l.Key)
			polls[l.Key]++
			now = now.Add(p.interval(p.liveCadence(games, now)))
		}
		n := len(srv.Requests())
		perLeague[l.Key] = n - before
		before = n
	}

	total := len(srv.Requests())
	kinds := map[string]int{}
	for _, u := range srv.Requests() {
		switch q := u.Query(); {
		case strings.HasSuffix(u.Path, "/teams"):
			kinds["teams"]++
		case len(q.Get("dates")) == 6:
			kinds["month"]++
		default:
			kinds["day"]++
		}
	}
	minutes := span.Minutes()
	t.Logf("ESPN requests in %v of a busy day, %d leagues each with a live game: %d (%.1f per minute): %d day scoreboards, %d month scoreboards, %d team-list pages",
		span, len(leagues), total, float64(total)/minutes, kinds["day"], kinds["month"], kinds["teams"])
	// Past start-up: the day scoreboards, a month per league an hour and a
	// team list a day.
	t.Logf("steady state: %.1f per minute (%.1f day scoreboards + %.2f months + %.3f team-list pages)",
		float64(kinds["day"]-len(leagues))/minutes+float64(kinds["month"])/60+float64(kinds["teams"])/1440,
		float64(kinds["day"]-len(leagues))/minutes, float64(kinds["month"])/60, float64(kinds["teams"])/1440)
	keysSorted := append([]string(nil), keys...)
	sort.Strings(keysSorted)
	for _, k := range keysSorted {
		t.Logf("  %-8s %3d requests, %3d polls", k, perLeague[k], polls[k])
	}

	// Each live league polls every 15 s: 60 polls in 15 minutes, one day
	// scoreboard each (yesterday's too on the first), one month, and its
	// team list (two pages for college leagues).
	for _, l := range leagues {
		assert.Equal(t, 60, polls[l.Key], l.Key)
		wantTeams := 1
		if l.College {
			wantTeams = 2
		}
		assert.Equal(t, 60+1+1+wantTeams, perLeague[l.Key], l.Key)
	}
	assert.Zero(t, srv.RangeRequests(), "never a date range")
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
	require.NoError(t, p.poll(context.Background(), l, games, time.Date(2022, 9, 17, 20, 0, 0, 0, time.UTC), &upcomingAt, true))
	require.NotEmpty(t, obs.found)
	for i, ok := range obs.found {
		assert.True(t, ok, "home team of game %d known when the observer saw the poll", i)
	}
}
