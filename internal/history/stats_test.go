package history

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

func mustLeague(t testing.TB, key string) league.League {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok, key)
	return l
}

// hg builds a game day days after a fixed Sunday.
func hg(id string, day int, home, away string, hs, as int, st game.Status, period int) HistoricalGame {
	start := time.Date(2024, 9, 8, 17, 0, 0, 0, time.UTC).AddDate(0, 0, day)
	return HistoricalGame{GameID: id, HomeTeam: home, AwayTeam: away, HomeScore: hs, AwayScore: as, Status: st, Period: period, start: start}
}

func TestTeamStatisticsNFL(t *testing.T) {
	nfl := mustLeague(t, "nfl")
	games := []HistoricalGame{
		hg("1", 0, "KC", "BAL", 27, 20, game.StatusFinal, 4),      // home W
		hg("2", 7, "CIN", "KC", 25, 26, game.StatusFinal, 4),      // away W
		hg("3", 14, "ATL", "KC", 22, 22, game.StatusFinal, 5),     // away T after OT
		hg("4", 21, "KC", "LAC", 17, 10, game.StatusPostponed, 2), // never counts
		hg("5", 28, "KC", "NO", 0, 0, game.StatusCanceled, 0),
		hg("6", 35, "KC", "NO", 20, 23, game.StatusFinal, 5), // OT loss is a loss in the NFL
		hg("7", 42, "LV", "KC", 19, 24, game.StatusFinal, 4), // away W
		hg("8", 49, "KC", "DEN", 7, 0, game.StatusLive, 2),
		hg("9", 56, "KC", "DEN", 0, 0, game.StatusScheduled, 0),
		hg("10", 63, "KC", "TB", 30, 24, game.StatusFinal, 5),    // home W in OT
		hg("7", 42, "LV", "KC", 19, 24, game.StatusFinal, 4),     // the same game twice counts once
		hg("11", 70, "BUF", "NE", 30, 3, game.StatusFinal, 4),    // not KC's
		hg("12", 77, "KC", "PIT", 0, 0, game.StatusSuspended, 3), // never counts
	}
	season := 2024
	st := TeamStatistics(nfl, "kc", &season, games)
	assert.Equal(t, Statistics{
		Team: "KC", Season: &season,
		GamesPlayed: 6, Wins: 4, Losses: 1, Ties: 1, OTLosses: 0,
		WinPercentage:     0.75, // (4 + 0.5) / 6
		PointsFor:         27 + 26 + 22 + 20 + 24 + 30,
		PointsAgainst:     20 + 25 + 22 + 23 + 19 + 24,
		PointDifferential: (27 + 26 + 22 + 20 + 24 + 30) - (20 + 25 + 22 + 23 + 19 + 24),
		HomeRecord:        "2-1-0", // ties exist this season, so both records show them
		AwayRecord:        "2-0-1",
		Streak:            "W2",
		Form:              "WTLWW", // the last five, oldest first
	}, st)
}

func TestTeamStatisticsNHLOvertimeLosses(t *testing.T) {
	nhl := mustLeague(t, "nhl")
	games := []HistoricalGame{
		hg("1", 0, "BOS", "TOR", 4, 1, game.StatusFinal, 3), // home W
		hg("2", 1, "BOS", "MTL", 1, 3, game.StatusFinal, 3), // home L in regulation
		hg("3", 2, "NYR", "BOS", 2, 3, game.StatusFinal, 4), // away W in OT
		hg("4", 3, "BOS", "FLA", 2, 3, game.StatusFinal, 4), // home OT loss
		hg("5", 4, "TBL", "BOS", 3, 2, game.StatusFinal, 5), // away shootout loss
	}
	st := TeamStatistics(nhl, "BOS", nil, games)
	assert.Equal(t, 5, st.GamesPlayed)
	assert.Equal(t, 2, st.Wins)
	assert.Equal(t, 1, st.Losses)
	assert.Equal(t, 2, st.OTLosses)
	assert.Equal(t, 0, st.Ties)
	assert.Equal(t, 0.4, st.WinPercentage)
	assert.Equal(t, "1-1-1", st.HomeRecord)
	assert.Equal(t, "1-0-1", st.AwayRecord)
	assert.Equal(t, "OT2", st.Streak)
	assert.Nil(t, st.Season)

	// The same overtime results in a league without overtime losses are losses.
	nba := mustLeague(t, "nba")
	st = TeamStatistics(nba, "BOS", nil, games)
	assert.Equal(t, 3, st.Losses)
	assert.Equal(t, 0, st.OTLosses)
	assert.Equal(t, "1-2", st.HomeRecord)
	assert.Equal(t, "L2", st.Streak)
}

func TestTeamStatisticsStreaksAndRounding(t *testing.T) {
	nfl := mustLeague(t, "nfl")
	cases := []struct {
		name   string
		games  []HistoricalGame
		streak string
		pct    float64
		home   string
	}{
		{"none", nil, "", 0, "0-0"},
		{"only unplayed", []HistoricalGame{hg("1", 0, "KC", "LV", 0, 0, game.StatusScheduled, 0)}, "", 0, "0-0"},
		{"two thirds", []HistoricalGame{
			hg("1", 0, "KC", "LV", 3, 0, game.StatusFinal, 4),
			hg("2", 1, "KC", "LV", 0, 3, game.StatusFinal, 4),
			hg("3", 2, "KC", "LV", 3, 0, game.StatusFinal, 4),
		}, "W1", 0.667, "2-1"},
		{"streak counts from the latest game, whatever the input order", []HistoricalGame{
			hg("3", 2, "KC", "LV", 0, 3, game.StatusFinal, 4),
			hg("1", 0, "KC", "LV", 3, 0, game.StatusFinal, 4),
			hg("4", 3, "KC", "LV", 0, 7, game.StatusFinal, 4),
			hg("2", 1, "KC", "LV", 0, 3, game.StatusFinal, 4),
			hg("5", 4, "KC", "LV", 0, 3, game.StatusPostponed, 1), // does not break the run
		}, "L3", 0.25, "1-3"},
		{"tie last", []HistoricalGame{
			hg("1", 0, "KC", "LV", 3, 0, game.StatusFinal, 4),
			hg("2", 1, "KC", "LV", 10, 10, game.StatusFinal, 5),
		}, "T1", 0.75, "1-0-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := TeamStatistics(nfl, "KC", nil, c.games)
			assert.Equal(t, c.streak, st.Streak)
			assert.Equal(t, c.pct, st.WinPercentage)
			assert.Equal(t, c.home, st.HomeRecord)
		})
	}

	// 10-6-1: (10 + 0.5) / 17 = 0.6176… → 0.618
	var games []HistoricalGame
	day := 0
	add := func(n, hs, as int) {
		for range n {
			games = append(games, hg(string(rune('a'+day)), day, "KC", "LV", hs, as, game.StatusFinal, 4))
			day++
		}
	}
	add(10, 1, 0)
	add(6, 0, 1)
	add(1, 2, 2)
	assert.Equal(t, 0.618, TeamStatistics(nfl, "KC", nil, games).WinPercentage)
}

func TestTeamStatisticsSoccerTable(t *testing.T) {
	epl := mustLeague(t, "epl")
	games := []HistoricalGame{
		hg("1", 0, "LIV", "BHA", 2, 0, game.StatusFinal, 2),  // home W
		hg("2", 7, "CHE", "LIV", 1, 1, game.StatusFinal, 2),  // away D
		hg("3", 14, "LIV", "EVE", 0, 1, game.StatusFinal, 2), // home L
		hg("4", 21, "ARS", "LIV", 2, 2, game.StatusFinal, 2), // away D
		hg("5", 28, "LIV", "MNC", 0, 0, game.StatusPostponed, 0),
		hg("6", 35, "LIV", "FUL", 3, 3, game.StatusFinal, 2), // home D
	}
	st := TeamStatistics(epl, "LIV", nil, games)
	assert.Equal(t, 5, st.GamesPlayed)
	assert.Equal(t, [3]int{1, 3, 1}, [3]int{st.Wins, st.Ties, st.Losses}, "wins, draws, losses")
	assert.Zero(t, st.OTLosses)
	require.NotNil(t, st.Points)
	assert.Equal(t, 6, *st.Points, "3 for the win, 1 for each draw")
	require.NotNil(t, st.GoalDifference)
	assert.Equal(t, (2+1+0+2+3)-(0+1+1+2+3), *st.GoalDifference)
	assert.Equal(t, "1-1-1", st.HomeRecord, "W-D-L")
	assert.Equal(t, "0-2-0", st.AwayRecord)
	assert.Equal(t, "D2", st.Streak, "the last two finals were draws")

	// Other sports carry neither points nor goal difference.
	nfl := TeamStatistics(mustLeague(t, "nfl"), "LIV", nil, games)
	assert.Nil(t, nfl.Points)
	assert.Nil(t, nfl.GoalDifference)
	assert.Equal(t, "T2", nfl.Streak)
}

func TestTeamStatisticsPerSport(t *testing.T) {
	// The same three finals (a win, a loss after extra periods, a level
	// score) read by the rules of each sport.
	games := []HistoricalGame{
		hg("1", 0, "AAA", "BBB", 3, 1, game.StatusFinal, 0),
		hg("2", 1, "BBB", "AAA", 2, 1, game.StatusFinal, 0),
		hg("3", 2, "AAA", "CCC", 1, 1, game.StatusFinal, 0),
	}
	cases := []struct {
		league           string
		extraPeriod      int
		w, l, t, otl     int
		home, away, strk string
	}{
		{"nhl", 4, 1, 0, 1, 1, "1-0-0", "0-0-1", "T1"},
		{"nba", 5, 1, 1, 1, 0, "1-0-1", "0-1-0", "T1"},
		{"ncaam", 3, 1, 1, 1, 0, "1-0-1", "0-1-0", "T1"},
		{"mlb", 10, 1, 1, 1, 0, "1-0-1", "0-1-0", "T1"},
		{"ncaavbw", 5, 1, 1, 1, 0, "1-0-1", "0-1-0", "T1"},
		{"mls", 3, 1, 1, 1, 0, "1-1-0", "0-0-1", "D1"},
	}
	for _, c := range cases {
		gs := append([]HistoricalGame(nil), games...)
		gs[1].Period = c.extraPeriod
		st := TeamStatistics(mustLeague(t, c.league), "AAA", nil, gs)
		assert.Equal(t, [4]int{c.w, c.l, c.t, c.otl}, [4]int{st.Wins, st.Losses, st.Ties, st.OTLosses}, c.league)
		assert.Equal(t, c.home, st.HomeRecord, c.league)
		assert.Equal(t, c.away, st.AwayRecord, c.league)
		assert.Equal(t, c.strk, st.Streak, c.league)
	}
}
