package espn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
)

func standing(t *testing.T, tb game.Table, abbr string) game.Standing {
	t.Helper()
	for _, e := range tb.Entries {
		if e.Team == abbr {
			return e
		}
	}
	t.Fatalf("%s not in the table", abbr)
	return game.Standing{}
}

// Every captured standings answer reads into its groups, each ordered by
// position from 1, with the values ESPN shows.
func TestParseStandingsCaptures(t *testing.T) {
	cases := []struct {
		league, rel string
		season      int
		groups      map[string]int // group abbreviation → entries
	}{
		{"nfl", "nfl/standings-2024-season-2025-05-11.json", 2024, map[string]int{"AFC": 16, "NFC": 16}},
		{"nba", "nba/standings-2024-25-2025-06-01.json", 2025, map[string]int{"East": 15, "West": 15}},
		{"nba", "nba/standings-2025-26-2026-05-03.json", 2026, map[string]int{"East": 15, "West": 15}},
		{"nhl", "nhl/standings-2025-26-2026-05-03.json", 2026, map[string]int{"East": 16, "West": 16}},
		{"epl", "epl/standings-2024-25-2025-06-01.json", 2024, map[string]int{"2024-2025": 20}},
	}
	for _, c := range cases {
		t.Run(c.rel, func(t *testing.T) {
			tb, err := ParseStandings(espntest.Load(t, c.rel), mustLeague(t, c.league))
			require.NoError(t, err)
			assert.Equal(t, c.league, tb.League)
			assert.Equal(t, c.season, tb.Season)
			got := map[string]int{}
			next := map[string]int{}
			for _, e := range tb.Entries {
				got[e.GroupAbbr]++
				next[e.GroupAbbr]++
				assert.Equal(t, next[e.GroupAbbr], e.Position, "%s: positions 1, 2, … in order", e.Team)
				assert.NotEmpty(t, e.TeamID)
				assert.NotEmpty(t, e.Team)
				assert.NotEmpty(t, e.Group)
				assert.Positive(t, e.GamesPlayed, e.Team)
				assert.NotEmpty(t, e.Summary, e.Team)
			}
			assert.Equal(t, c.groups, got)
		})
	}

	nfl, err := ParseStandings(espntest.Load(t, "nfl/standings-2024-season-2025-05-11.json"), mustLeague(t, "nfl"))
	require.NoError(t, err)
	kc := standing(t, nfl, "KC")
	assert.Equal(t, game.Standing{TeamID: "12", Team: "KC", TeamName: "Kansas City Chiefs", Group: "American Football Conference",
		GroupAbbr: "AFC", Position: 1, GamesPlayed: 17, Wins: 15, Losses: 2, PointsFor: kc.PointsFor, PointsAgainst: kc.PointsAgainst,
		WinPercent: kc.WinPercent, Streak: kc.Streak, Clincher: kc.Clincher, Summary: "15-2"}, kc)
	assert.InDelta(t, 0.882, kc.WinPercent, 0.001)
	assert.Equal(t, 2.0, standing(t, nfl, "BUF").GamesBehind)

	nhl, err := ParseStandings(espntest.Load(t, "nhl/standings-2025-26-2026-05-03.json"), mustLeague(t, "nhl"))
	require.NoError(t, err)
	car := standing(t, nhl, "CAR")
	assert.Equal(t, [5]int{82, 53, 22, 7, 1}, [5]int{car.GamesPlayed, car.Wins, car.Losses, car.OTLosses, car.Position})
	assert.Equal(t, 113.0, car.Points)
	assert.Equal(t, "W1", car.Streak)

	epl, err := ParseStandings(espntest.Load(t, "epl/standings-2024-25-2025-06-01.json"), mustLeague(t, "epl"))
	require.NoError(t, err)
	bou := standing(t, epl, "BOU")
	assert.Equal(t, [6]int{9, 38, 15, 11, 12, 58}, [6]int{bou.Position, bou.GamesPlayed, bou.Wins, bou.Ties, bou.Losses, bou.PointsFor})
	assert.Equal(t, 56.0, bou.Points)
	assert.Equal(t, "Champions League", standing(t, epl, "LIV").Note)
}

// What is not a table is an error: ESPN's site API path (a link only),
// garbage, an empty body.
func TestParseStandingsRefusesWhatIsNoTable(t *testing.T) {
	nfl := mustLeague(t, "nfl")
	for _, body := range []string{
		`{"fullViewLink":{"text":"Full Standings","href":"https://www.espn.com/nfl/standings"}}`,
		`{}`, `{"children":[{"standings":{"entries":[]}}]}`, `{"children":[{"standings":{"entries":[{"stats":[]}]}}]}`,
	} {
		_, err := ParseStandings([]byte(body), nfl)
		assert.ErrorIs(t, err, ErrNoTable, body)
	}
	_, err := ParseStandings([]byte("<html>"), nfl)
	assert.ErrorIs(t, err, ErrInvalidJSON)
	_, err = ParseStandings(nil, nfl)
	assert.ErrorIs(t, err, ErrEmptyBody)
}

// The standings are asked at ESPN's /apis/v2 path beside the site API's,
// on the same host and budget; a stand-in base serves them itself.
func TestStandingsAddress(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, "/apis/v2/sports/football/nfl/standings", "nfl/standings-2024-season-2025-05-11.json")
	c := NewClient(srv.URL+"/apis/site/v2/sports", Options{})
	tb, err := c.Standings(t.Context(), mustLeague(t, "nfl"))
	require.NoError(t, err)
	assert.Len(t, tb.Entries, 32)
	assert.False(t, tb.TakenAt.IsZero())

	srv.ServeFixture(t, "/hockey/nhl/standings", "nhl/standings-2025-26-2026-05-03.json")
	tb, err = NewClient(srv.URL, Options{}).Standings(t.Context(), mustLeague(t, "nhl"))
	require.NoError(t, err)
	assert.Len(t, tb.Entries, 32)
	assert.Equal(t, "/hockey/nhl/standings", srv.Requests()[len(srv.Requests())-1].Path)
}
