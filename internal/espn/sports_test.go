package espn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
)

func intp(n int) *int { return &n }

func TestSoccerMLSLive(t *testing.T) {
	games := parseCapture(t, "mls/scoreboard-2022-09-17-live-mixed.json")
	cases := []struct {
		id       string
		status   game.Status
		score    game.Score
		period   game.Period
		minute   int
		added    int
		winner   game.Side
		shots    *game.Score
		onTarget *game.Score
	}{
		// Second half, 58th minute: the clock is ESPN's minutes.
		{"623601", game.StatusLive, game.Score{}, game.Period{Current: 2, Total: 2, TimeRemaining: "58'"}, 58, 0, game.Level, &game.Score{Home: 7, Away: 8}, &game.Score{Home: 2, Away: 0}},
		// The end of the first half shows 45'.
		{"623602", game.StatusLive, game.Score{Home: 2}, game.Period{Current: 1, Total: 2, TimeRemaining: "45'"}, 45, 0, game.Level, nil, nil},
		// Full time after five minutes of stoppage: NYC won.
		{"623597", game.StatusFinal, game.Score{Home: 2}, game.Period{Current: 2, Total: 2, TimeRemaining: "0:00"}, 90, 5, game.Home, nil, nil},
		// A goalless draw.
		{"623599", game.StatusFinal, game.Score{}, game.Period{Current: 2, Total: 2, TimeRemaining: "0:00"}, 90, 8, game.Level, nil, nil},
		// Not started: no clock.
		{"623604", game.StatusScheduled, game.Score{}, game.Period{Total: 2}, 0, 0, game.Level, nil, nil},
	}
	for _, c := range cases {
		g := byID(t, games, c.id)
		assert.Equal(t, c.status, g.Status, c.id)
		assert.Equal(t, c.score, g.Score, c.id)
		assert.Equal(t, c.period, g.Period, c.id)
		require.NotNil(t, g.Soccer, c.id)
		assert.Equal(t, c.minute, g.Soccer.Minute, c.id)
		assert.Equal(t, c.added, g.Soccer.AddedTime, c.id)
		assert.False(t, g.Soccer.ExtraTime, c.id)
		assert.Nil(t, g.Soccer.Shootout, c.id)
		assert.Equal(t, c.winner, g.Winner(), c.id)
		if c.shots != nil {
			assert.Equal(t, c.shots, g.Soccer.Shots, c.id)
			assert.Equal(t, c.onTarget, g.Soccer.ShotsOnTarget, c.id)
		}
		assert.Nil(t, g.Baseball, c.id)
		assert.Nil(t, g.Sets, c.id)
	}
	// ESPN writes soccer records wins-draws-losses: the Revolution's
	// "9-11-11" is 9 wins, 11 draws and 11 losses, 38 points; Montreal's
	// "17-5-9" is 56 points.
	g := byID(t, games, "623601")
	assert.Equal(t, &game.Record{Wins: 9, Ties: intp(11), Losses: 11, Points: intp(38)}, g.HomeTeam.Record)
	assert.Equal(t, &game.Record{Wins: 17, Ties: intp(5), Losses: 9, Points: intp(56)}, g.AwayTeam.Record)
}

func TestSoccerTenLeaguesOneDay(t *testing.T) {
	games := parseCapture(t, "soccer/scoreboard-2026-03-21-ten-leagues-final.json")
	perLeague := map[string]int{}
	draws := 0
	for _, g := range games {
		perLeague[g.LeagueKey()]++
		if g.Status == game.StatusFinal && g.Winner() == game.Level {
			draws++
			assert.Equal(t, g.Score.Home, g.Score.Away, g.ID)
		}
	}
	assert.Equal(t, map[string]int{"epl": 5, "liga": 5, "bund": 5, "sera": 3, "lig1": 3, "mls": 10, "nwsl": 3}, perLeague)
	// Draws of the day in the registry's leagues: LEE-BRE, HDH-B04,
	// KOE-BMG, ATL-DC, ATX-LAFC, GFC-NC, JUV-SAS.
	assert.Equal(t, 7, draws)

	g := byID(t, games, "746952") // Heidenheim 3-3 Leverkusen
	assert.Equal(t, "BUND", g.League)
	assert.Equal(t, "bund-hdh", g.HomeTeam.ID)
	assert.Equal(t, game.Level, g.Winner())
	assert.Equal(t, 2025, g.Season, "ESPN names the 2025-26 season 2025")

	g = byID(t, games, "740898") // Brighton 2-1 Liverpool
	assert.Equal(t, "EPL", g.League)
	assert.Equal(t, game.Home, g.Winner())
	assert.Equal(t, &game.Record{Wins: 11, Ties: intp(10), Losses: 10, Points: intp(43)}, g.HomeTeam.Record)
	assert.Equal(t, &game.Score{Home: 16, Away: 12}, g.Soccer.Shots)
	assert.Equal(t, &game.Score{Home: 7, Away: 5}, g.Soccer.ShotsOnTarget)
	assert.Equal(t, 8, g.Soccer.AddedTime)

	g = byID(t, games, "740902") // Manchester City v Crystal Palace, postponed
	assert.Equal(t, game.StatusPostponed, g.Status)
	assert.Equal(t, game.Level, g.Winner())
	assert.Zero(t, g.Soccer.Minute)

	// The same abbreviation in two leagues is two teams.
	nwslHOU := byID(t, games, "401854042")
	mlsHOU := byTeams(t, games, "HOU", "DAL")
	assert.Equal(t, "nwsl-hou", nwslHOU.HomeTeam.ID)
	assert.Equal(t, "mls-hou", mlsHOU.AwayTeam.ID)
}

func TestDerivedSoccerShootoutAndExtraTime(t *testing.T) {
	// Derived from the MLS capture: NYC-NY (2-0) turned into a cup tie level
	// at 1-1 after extra time and won 4-3 on penalties by the away side,
	// the way ESPN sends it (shootoutScore beside the score, a _PEN status).
	const rel = "mls/scoreboard-2022-09-17-live-mixed.json"
	data := mutate(t, rel, func(doc map[string]any) {
		for _, ev := range events(doc) {
			if ev.(map[string]any)["id"] != "623597" {
				continue
			}
			st := competition(ev)["status"].(map[string]any)
			st["period"] = 5
			st["displayClock"] = "120'+3'"
			st["type"].(map[string]any)["name"] = "STATUS_FINAL_PEN"
			st["type"].(map[string]any)["shortDetail"] = "FT-Pens"
			for _, c := range competitors(ev) {
				cm := c.(map[string]any)
				cm["score"] = "1"
				if cm["homeAway"] == "home" {
					cm["shootoutScore"] = 3
				} else {
					cm["shootoutScore"] = 4
				}
			}
		}
	})
	games, err := ParseScoreboard(data, mustLeague(t, "mls"))
	require.NoError(t, err)
	g := byID(t, games, "623597")
	assert.Equal(t, game.StatusFinal, g.Status)
	assert.Equal(t, game.Score{Home: 1, Away: 1}, g.Score)
	require.NotNil(t, g.Soccer)
	assert.Equal(t, &game.Score{Home: 3, Away: 4}, g.Soccer.Shootout)
	assert.True(t, g.Soccer.ExtraTime)
	assert.Equal(t, 120, g.Soccer.Minute)
	assert.Equal(t, 3, g.Soccer.AddedTime)
	assert.Equal(t, game.Away, g.Winner(), "level after extra time, won on penalties")
	assert.True(t, g.Overtime())

	// Derived: a live match in the first half of extra time (period 3).
	data = mutate(t, rel, func(doc map[string]any) {
		for _, ev := range events(doc) {
			if ev.(map[string]any)["id"] == "623601" {
				st := competition(ev)["status"].(map[string]any)
				st["period"] = 3
				st["displayClock"] = "97'"
			}
		}
	})
	games, err = ParseScoreboard(data, mustLeague(t, "mls"))
	require.NoError(t, err)
	g = byID(t, games, "623601")
	assert.True(t, g.Soccer.ExtraTime)
	assert.Nil(t, g.Soccer.Shootout, "no shoot-out without shootoutScore")
	assert.Equal(t, game.Level, g.Winner(), "a live game has no winner")
}

func TestMinuteClock(t *testing.T) {
	cases := []struct {
		in            string
		minute, added int
	}{
		{"45'+2'", 45, 2}, {"90'+10'", 90, 10}, {"58'", 58, 0}, {"0'", 0, 0},
		{"", 0, 0}, {"HT", 0, 0}, {"12:30", 0, 0}, {"-5'", 0, 0}, {"45'+'", 45, 0},
	}
	for _, c := range cases {
		m, a := minuteClock(c.in)
		assert.Equal(t, [2]int{c.minute, c.added}, [2]int{m, a}, c.in)
	}
}

func TestSoccerRecordsFromTheTeamSchedule(t *testing.T) {
	games := parseCapture(t, "mls/team-clb-schedule-2026-final.json")
	require.Len(t, games, 5)
	// The records beside each game are the teams' after it, in W-D-L.
	want := map[string]*game.Record{
		"761451": {Wins: 0, Ties: intp(0), Losses: 1, Points: intp(0)},
		"761461": {Wins: 0, Ties: intp(1), Losses: 1, Points: intp(1)},
		"761472": {Wins: 0, Ties: intp(2), Losses: 1, Points: intp(2)},
		"761486": {Wins: 0, Ties: intp(2), Losses: 2, Points: intp(2)},
		"761499": {Wins: 0, Ties: intp(2), Losses: 3, Points: intp(2)},
	}
	for _, g := range games {
		clb := g.HomeTeam
		if clb.Abbreviation != "CLB" {
			clb = g.AwayTeam
		}
		assert.Equal(t, "CLB", clb.Abbreviation, g.ID)
		assert.Equal(t, want[g.ID], clb.Record, g.ID)
		assert.Equal(t, 2026, g.Season)
	}
}

func TestBaseballInningsAndCount(t *testing.T) {
	games := parseCapture(t, "mlb/scoreboard-2022-teamtracker-mixed.json")
	cases := []struct {
		id   string
		want *game.Baseball
	}{
		{"401356370", &game.Baseball{Half: "top", Outs: 2, Strikes: 1, OnFirst: true}},
		{"401356376", &game.Baseball{Half: "bottom", Outs: 2, Strikes: 1, OnFirst: true, OnSecond: true}},
		{"401356374", &game.Baseball{Half: "bottom", Outs: 2, Balls: 1, Strikes: 3, OnFirst: true}},
		{"401423263", nil}, // final
		{"401356371", nil}, // scheduled
	}
	for _, c := range cases {
		g := byID(t, games, c.id)
		assert.Equal(t, c.want, g.Baseball, c.id)
		assert.Nil(t, g.Soccer, c.id)
	}
	games = parseCapture(t, "mlb/scoreboard-2025-06-04-live-final-postponed.json")
	g := byTeams(t, games, "MIN", "ATH")
	assert.Equal(t, &game.Baseball{Half: "end"}, g.Baseball, "between innings ESPN sends no situation")
	g = byID(t, games, "401695818")
	assert.Equal(t, &game.Baseball{Half: "top", Outs: 2, OnThird: true}, g.Baseball)
}

func TestDerivedBaseballExtraInningsAndSuspended(t *testing.T) {
	// Derived: CLE-MIN's final turned into a 10-inning final ("Final/10").
	const rel = "mlb/scoreboard-2022-teamtracker-mixed.json"
	data := mutate(t, rel, func(doc map[string]any) {
		for _, ev := range events(doc) {
			if ev.(map[string]any)["id"] == "401423263" {
				st := competition(ev)["status"].(map[string]any)
				st["period"] = 10
				st["type"].(map[string]any)["shortDetail"] = "Final/10"
			}
			if ev.(map[string]any)["id"] == "401356376" {
				st := competition(ev)["status"].(map[string]any)
				st["type"].(map[string]any)["name"] = "STATUS_SUSPENDED"
				st["type"].(map[string]any)["state"] = "post"
				st["type"].(map[string]any)["shortDetail"] = "Suspended"
			}
		}
	})
	games, err := ParseScoreboard(data, mustLeague(t, "mlb"))
	require.NoError(t, err)
	g := byID(t, games, "401423263")
	assert.Equal(t, game.Period{Current: 10, Total: 9, TimeRemaining: "0:00"}, g.Period)
	assert.True(t, g.Overtime(), "extra innings")
	assert.Equal(t, game.Home, g.Winner())
	g = byID(t, games, "401356376")
	assert.Equal(t, game.StatusSuspended, g.Status)
	assert.Equal(t, 5, g.Period.Current, "a suspended game keeps its inning")
	assert.Nil(t, g.Baseball, "no live situation once suspended")
	assert.Equal(t, game.Level, g.Winner())
}

func TestVolleyballSets(t *testing.T) {
	games := parseCapture(t, "ncaavbw/scoreboard-2022-09-11-live-mixed.json")
	cases := []struct {
		id             string
		status         game.Status
		setsWon        game.Score
		current        int
		sets           []game.Score
		homeRk, awayRk *int
		winner         game.Side
	}{
		// Georgia Tech (5) v Ohio State (8), OSU up two sets to one, fourth set starting.
		{"401460293", game.StatusLive, game.Score{Home: 1, Away: 2}, 4, []game.Score{{Home: 19, Away: 25}, {Home: 25, Away: 20}, {Home: 21, Away: 25}, {}}, intp(5), intp(8), game.Level},
		// Auburn won at North Florida in three sets.
		{"401450283", game.StatusFinal, game.Score{Home: 0, Away: 3}, 3, []game.Score{{Home: 18, Away: 25}, {Home: 16, Away: 25}, {Home: 19, Away: 25}}, nil, nil, game.Away},
		// Marquette (23) before the match.
		{"401483160", game.StatusScheduled, game.Score{}, 0, nil, intp(23), nil, game.Level},
	}
	for _, c := range cases {
		g := byID(t, games, c.id)
		assert.Equal(t, c.status, g.Status, c.id)
		assert.Equal(t, c.setsWon, g.Score, c.id)
		assert.Equal(t, c.current, g.Period.Current, c.id)
		assert.Equal(t, 5, g.Period.Total, c.id)
		assert.False(t, g.Overtime(), c.id)
		assert.Equal(t, c.sets, g.Sets, c.id)
		assert.Equal(t, c.homeRk, g.HomeTeam.Rank, c.id)
		assert.Equal(t, c.awayRk, g.AwayTeam.Rank, c.id)
		assert.Equal(t, c.winner, g.Winner(), c.id)
	}
}

func TestCollegeFootballRankings(t *testing.T) {
	games := parseCapture(t, "ncaaf/scoreboard-2022-09-17-live-mixed.json")
	g := byID(t, games, "401403888") // (1) Georgia at South Carolina, halftime
	assert.Equal(t, game.StatusLive, g.Status, "halftime is live")
	assert.Equal(t, intp(1), g.AwayTeam.Rank)
	assert.Nil(t, g.HomeTeam.Rank, "99 is unranked")
	g = byID(t, games, "401404071")
	assert.Equal(t, intp(17), g.HomeTeam.Rank)
	// Professional leagues carry no rank even where ESPN sends curatedRank.
	for _, g := range parseCapture(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json") {
		assert.Nil(t, g.HomeTeam.Rank)
		assert.Nil(t, g.AwayTeam.Rank)
	}
}

func TestDerivedBasketballHalvesAndQuarters(t *testing.T) {
	// Derived from the NBA capture: the same finals read as NCAA men's
	// (halves) and women's (quarters) games without ESPN's format block,
	// and one NBA game that went to overtime (period 5).
	const rel = "nba/scoreboard-2024-12-15-all-final.json"
	data := mutate(t, rel, func(doc map[string]any) {
		for i, ev := range events(doc) {
			delete(competition(ev), "format")
			st := competition(ev)["status"].(map[string]any)
			if i == 0 {
				st["period"] = 5
			} else {
				st["period"] = 2
			}
		}
	})
	cases := []struct {
		league           string
		total            int
		firstOT, otherOT bool
	}{
		{"nba", 4, true, false},
		{"ncaam", 2, true, false},
		{"ncaaw", 4, true, false},
		{"wnba", 4, true, false},
	}
	for _, c := range cases {
		games, err := ParseScoreboard(data, mustLeague(t, c.league))
		require.NoError(t, err)
		require.Len(t, games, 7)
		assert.Equal(t, c.total, games[0].Period.Total, c.league)
		assert.Equal(t, c.firstOT, games[0].Overtime(), c.league)
		assert.Equal(t, c.otherOT, games[1].Overtime(), "%s: period 2 of %d", c.league, c.total)
	}
}

// BenchmarkParseScoreboardPerSport is the parse time of one real
// scoreboard answer of each sport (go test -bench ParseScoreboardPerSport).
func BenchmarkParseScoreboardPerSport(b *testing.B) {
	cases := []struct {
		name, league, rel string
		games             int
	}{
		{"football-nfl", "nfl", "nfl/scoreboard-2022-wk1-sun-live-mixed.json", 16},
		{"football-ncaaf", "ncaaf", "ncaaf/scoreboard-2022-09-17-live-mixed.json", 25},
		{"hockey-nhl", "nhl", "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json", 10},
		{"basketball-nba", "nba", "nba/scoreboard-2024-12-15-all-final.json", 7},
		{"baseball-mlb", "mlb", "mlb/scoreboard-2025-06-04-live-final-postponed.json", 15},
		{"soccer-mls", "mls", "mls/scoreboard-2022-09-17-live-mixed.json", 11},
		{"soccer-all", "epl", "soccer/scoreboard-2026-03-21-ten-leagues-final.json", 50},
		{"volleyball-ncaavbw", "ncaavbw", "ncaavbw/scoreboard-2022-09-11-live-mixed.json", 6},
		{"tennis-atp", "atp", "atp/scoreboard-2025-06-01-roland-garros.json", 635},
		{"golf-pga", "pga", "pga/scoreboard-2025-06-03-final.json", 1},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			data := espntest.Load(b, c.rel)
			l := mustLeague(b, c.league)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				games, err := ParseScoreboard(data, l)
				if err != nil || len(games) != c.games {
					b.Fatalf("got %d games, %v", len(games), err)
				}
			}
		})
	}
}
