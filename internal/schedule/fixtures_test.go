package schedule_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/schedule"
)

const totFixtures = "epl/team-367-tot-schedule-fixture-2026-09-29-trimmed.json"

// fixturesServer answers Tottenham's plain schedule without future games
// (derived: ESPN's soccer schedules list played games only, as the
// Columbus capture shows) and its fixtures with the capture, its second
// match moved to the Champions League and a Carabao Cup match added
// (derived: no capture spans competitions).
func fixturesServer(t *testing.T) *espntest.Server {
	srv := espntest.NewServer(t)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, totFixtures), &doc))
	events := doc["events"].([]any)
	doc["events"] = []any{}
	plain, err := json.Marshal(doc)
	require.NoError(t, err)
	srv.ServeBytes("/soccer/eng.1/teams/367/schedule", plain)

	events[1].(map[string]any)["league"] = map[string]any{"id": "775", "slug": "uefa.champions"}
	var cup map[string]any
	b, _ := json.Marshal(events[0])
	require.NoError(t, json.Unmarshal(b, &cup))
	cup["id"], cup["league"] = "401900001", map[string]any{"id": "9999", "slug": "eng.league_cup"}
	doc["events"] = append(events, cup)
	fixtures, err := json.Marshal(doc)
	require.NoError(t, err)
	srv.ServeBytes("/soccer/all/teams/367/schedule", fixtures)
	return srv
}

var tot = game.Team{ID: "epl-tot", Abbreviation: "TOT", ESPNID: "367", Name: "Tottenham Hotspur"}

func refresher(srv *espntest.Server, obs schedule.Observer, now time.Time, leagues ...league.League) *schedule.Refresher {
	c := espn.NewClient(srv.URL, espn.Options{MaxRetries: -1})
	return schedule.NewRefresher(c, func(string) []game.Team { return []game.Team{tot} }, obs, leagues,
		schedule.Options{Now: func() time.Time { return now }, Fixtures: c.TeamFixtures})
}

// A club's coming matches come from its fixtures, each under the
// followed league of its competition; a cup nobody follows is left out.
func TestAClubsNextMatchesComeFromItsFixtures(t *testing.T) {
	srv := fixturesServer(t)
	epl, cl := lookup(t, "epl"), lookup(t, "cl")
	now := time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)

	obs := newObserved()
	n, err := refresher(srv, obs, now, epl, cl).RefreshTeam(context.Background(), epl, tot, 2026)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	games := obs.snapshot()
	require.Len(t, games, 2)
	next := games["epl/401878773"]
	assert.Equal(t, "2026-10-10T16:30Z", next.StartTime, "ten days ahead")
	assert.Equal(t, "epl-tot", next.AwayTeam.ID)
	assert.Equal(t, "cl-tot", games["cl/401879257"].HomeTeam.ID)
	assert.Equal(t, 1, requestsByPath(srv)["/soccer/all/teams/367/schedule"])
	for _, u := range srv.Requests() {
		if u.Path == "/soccer/all/teams/367/schedule" {
			assert.Equal(t, "fixture=true", u.RawQuery)
		}
	}

	// Without the Champions League followed, only the EPL match.
	obs = newObserved()
	n, err = refresher(srv, obs, now, epl).RefreshTeam(context.Background(), epl, tot, 2026)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Contains(t, obs.snapshot(), "epl/401878773")

	// Once a match has started, the poller follows it, not the fixtures.
	obs = newObserved()
	n, err = refresher(srv, obs, time.Date(2026, 10, 10, 16, 31, 0, 0, time.UTC), epl, cl).RefreshTeam(context.Background(), epl, tot, 2026)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Contains(t, obs.snapshot(), "cl/401879257")
}

// Only soccer asks for fixtures, and a failed fixtures request fails the
// team's refresh, to be tried again like a failed schedule.
func TestFixturesAreSoccersOnly(t *testing.T) {
	srv := espntest.NewServer(t)
	serveAll(t, srv)
	calls := 0
	c := espn.NewClient(srv.URL, espn.Options{MaxRetries: -1})
	nfl := lookup(t, "nfl")
	r := schedule.NewRefresher(c, teamsOf(t), newObserved(), []league.League{nfl}, schedule.Options{
		Season: season2023,
		Fixtures: func(context.Context, league.League, string) ([]game.Game, error) {
			calls++
			return nil, nil
		},
	})
	n, err := r.RefreshTeam(context.Background(), nfl, parsedTeams(t, "nfl")[0], 2023)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, n, 0)
	assert.Zero(t, calls)

	bare := fixturesServer(t)
	epl := lookup(t, "epl")
	bare.Handle("/soccer/all/teams/367/schedule", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	_, err = refresher(bare, newObserved(), time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC), epl).RefreshTeam(context.Background(), epl, tot, 2026)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fixtures epl TOT")
}
