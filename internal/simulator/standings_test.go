package simulator_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/simulator"
)

// The simulator answers standings as ESPN does: the table at /apis/v2
// (and at the stand-in's own root), a link only under the site API; the
// table reads with the service's parser, every team once, ranked as the
// sport ranks, with the records the team schedules show.
func TestStandingsAsESPNAnswersThem(t *testing.T) {
	sim := newSim(t, simulator.Options{Seed: 3, Leagues: []string{"nfl", "nhl", "mls"}})
	srv := serve(t, sim)
	code, body := get(t, srv.URL+"/apis/site/v2/sports/football/nfl/standings")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, string(body), "fullViewLink")
	_, err := espn.ParseStandings(body, mustLeague(t, "nfl"))
	assert.ErrorIs(t, err, espn.ErrNoTable)

	for _, c := range []struct {
		key, path string
		groups    int
	}{{"nfl", "football/nfl", 2}, {"nhl", "hockey/nhl", 2}, {"mls", "soccer/usa.1", 1}} {
		for _, prefix := range []string{"/apis/v2/sports/", "/"} {
			code, body := get(t, srv.URL+prefix+c.path+"/standings")
			require.Equal(t, http.StatusOK, code, c.path)
			tb, err := espn.ParseStandings(body, mustLeague(t, c.key))
			require.NoError(t, err, c.path)
			groups := map[string]int{}
			for i, e := range tb.Entries {
				groups[e.Group]++
				if i > 0 && tb.Entries[i-1].Group == e.Group {
					prev := tb.Entries[i-1]
					assert.Equal(t, prev.Position+1, e.Position)
					if c.key != "nfl" {
						assert.GreaterOrEqual(t, prev.Points, e.Points, "%s ranked by points", c.key)
					}
				}
				assert.Equal(t, e.Wins+e.Losses+e.Ties+e.OTLosses, e.GamesPlayed, e.Team)
			}
			assert.Len(t, groups, c.groups, c.path)
		}
	}
}

// groups.json holds each conference of the captured NFL and NHL tables
// with exactly the teams the capture lists in it.
func TestStandingsGroupsComeFromCaptures(t *testing.T) {
	var groups map[string]struct {
		Groups []struct {
			Abbreviation string
			Teams        []string
		}
	}
	require.NoError(t, json.Unmarshal(simulator.GroupsJSON(), &groups))
	for key, rel := range map[string]string{"nfl": "nfl/standings-2024-season-2025-05-11.json", "nhl": "nhl/standings-2025-26-2026-05-03.json"} {
		tb, err := espn.ParseStandings(espntest.Load(t, rel), mustLeague(t, key))
		require.NoError(t, err)
		want := map[string][]string{}
		for _, e := range tb.Entries {
			want[e.GroupAbbr] = append(want[e.GroupAbbr], e.TeamID)
		}
		got := map[string][]string{}
		for _, g := range groups[key].Groups {
			got[g.Abbreviation] = append([]string(nil), g.Teams...)
		}
		for _, m := range []map[string][]string{want, got} {
			for k := range m {
				sort.Strings(m[k])
			}
		}
		assert.Equal(t, want, got, key)
	}
}
