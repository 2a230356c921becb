package espn

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

const totFixtures = "epl/team-367-tot-schedule-fixture-2026-09-29-trimmed.json"

// The only capture of a fixture=true answer: Tottenham's next two EPL
// matches, ten and nineteen days after the capture.
func TestParseFixturesOfTheCapture(t *testing.T) {
	games, err := ParseFixtures(espntest.Load(t, totFixtures), mustLeague(t, "epl"))
	require.NoError(t, err)
	require.Len(t, games, 2)
	g := games[0]
	assert.Equal(t, "401878773", g.ID)
	assert.Equal(t, "EPL", g.League)
	assert.Equal(t, game.StatusScheduled, g.Status)
	assert.Equal(t, "2026-10-10T16:30Z", g.StartTime)
	assert.Equal(t, time.Date(2026, 10, 10, 16, 30, 0, 0, time.UTC), g.Start)
	assert.Equal(t, "epl-man", g.HomeTeam.ID)
	assert.Equal(t, "epl-tot", g.AwayTeam.ID)
	assert.Equal(t, "367", g.AwayTeam.ESPNID)
	assert.Equal(t, 2026, g.Season)
	assert.Equal(t, "401879257", games[1].ID)
	assert.Equal(t, "epl-cov", games[1].AwayTeam.ID)
}

// crossCompetition is the capture with its second event moved to the
// Champions League, and two more: one of a cup outside the registry, one
// naming no competition (derived: no capture spans competitions).
func crossCompetition(t testing.TB) []byte {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, totFixtures), &doc))
	events := doc["events"].([]any)
	second := events[1].(map[string]any)
	second["league"] = map[string]any{"id": "775", "slug": "uefa.champions", "name": "UEFA Champions League"}
	cup := clone(t, events[0])
	cup["id"] = "401900001"
	cup["league"] = map[string]any{"id": "9999", "slug": "eng.league_cup", "name": "Carabao Cup"}
	bare := clone(t, events[0])
	bare["id"] = "401900002"
	delete(bare, "league")
	doc["events"] = append(events, cup, bare)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return b
}

func clone(t testing.TB, v any) map[string]any {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func TestParseFixturesAcrossCompetitions(t *testing.T) {
	games, err := ParseFixtures(crossCompetition(t), mustLeague(t, "epl"))
	require.NoError(t, err)
	got := map[string]string{}
	for _, g := range games {
		got[g.ID] = g.League
	}
	assert.Equal(t, map[string]string{
		"401878773": "EPL",
		"401879257": "CL",  // by its league's slug
		"401900002": "EPL", // no competition named: the club's league
	}, got, "a cup outside the registry is left out")
	for _, g := range games {
		if g.League == "CL" {
			assert.Equal(t, "cl-tot", g.HomeTeam.ID, "teams are named in the competition's league")
		}
	}
}

// The fixtures are asked of the second host, with fixture=true, counted
// under the club's league; only soccer has them.
func TestTeamFixturesAsksTheWebHost(t *testing.T) {
	api, web := espntest.NewServer(t), espntest.NewServer(t)
	web.ServeFixture(t, "/soccer/all/teams/367/schedule", totFixtures)
	o := fastOptions()
	o.WebBaseURL = web.URL + "/"
	c := NewClient(api.URL, o)
	games, err := c.TeamFixtures(context.Background(), mustLeague(t, "epl"), "367")
	require.NoError(t, err)
	assert.Len(t, games, 2)
	require.Len(t, web.Requests(), 1)
	assert.Equal(t, "fixture=true", web.Requests()[0].RawQuery)
	assert.Empty(t, api.Requests())
	assert.Equal(t, map[string]int64{"epl": 1}, c.Usage().ByLeague)

	_, err = c.TeamFixtures(context.Background(), mustLeague(t, "nfl"), "12")
	assert.Error(t, err)
	_, err = c.TeamFixtures(context.Background(), mustLeague(t, "epl"), "../367")
	assert.Error(t, err)
	assert.Len(t, web.Requests(), 1, "neither is sent")

	// Without a second host, the base URL serves both (a stand-in).
	api.ServeFixture(t, "/soccer/all/teams/367/schedule", totFixtures)
	games, err = NewClient(api.URL, fastOptions()).TeamFixtures(context.Background(), mustLeague(t, "epl"), "367")
	require.NoError(t, err)
	assert.Len(t, games, 2)
}

func FuzzParseFixtures(f *testing.F) {
	f.Add(espntest.Load(f, totFixtures))
	f.Add(crossCompetition(f))
	f.Add([]byte(`{"events":[{"id":"1","league":{"slug":7},"uid":"s:600~l:775~e:1"}]}`))
	f.Add([]byte(`{"events":"none"}`))
	epl := mustLeague(f, "epl")
	f.Fuzz(func(t *testing.T, data []byte) {
		games, err := ParseFixtures(data, epl)
		if err != nil {
			return
		}
		for _, g := range games {
			l, ok := league.Lookup(g.League)
			if !ok || l.Sport != league.Soccer {
				t.Fatalf("game %s in league %q", g.ID, g.League)
			}
			if g.ID == "" {
				t.Fatal("a game without id")
			}
		}
	})
}
