package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
)

type gamePoints struct {
	rows   []store.Point
	scores []store.Point
}

func byGame(t *testing.T, points []store.Point) map[string]*gamePoints {
	t.Helper()
	out := map[string]*gamePoints{}
	for _, p := range points {
		g := out[p.GameID]
		if g == nil {
			g = &gamePoints{}
			out[p.GameID] = g
		}
		switch p.Series {
		case store.SeriesGames:
			g.rows = append(g.rows, p)
		case store.SeriesScores:
			g.scores = append(g.scores, p)
		default:
			t.Fatalf("unknown series %q", p.Series)
		}
	}
	return out
}

func TestNFLSeasonIsRealistic(t *testing.T) {
	points := SeasonSpec{League: "nfl", Season: 2024}.Points()
	schedule := SeasonSpec{League: "nfl", Season: 2024}.Schedule()
	require.Len(t, schedule, 272, "32 teams, 17 games each")

	perTeam, home := map[string]int{}, map[string]int{}
	weekOf := map[string]map[int]bool{}
	ids := map[string]bool{}
	for _, g := range schedule {
		require.False(t, ids[g.ID], "duplicate id %s", g.ID)
		ids[g.ID] = true
		require.NotEqual(t, g.Home.Abbr, g.Away.Abbr)
		require.GreaterOrEqual(t, g.Week, 1)
		require.LessOrEqual(t, g.Week, 17)
		require.Equal(t, 2024, g.Season)
		require.True(t, g.Start.Year() == 2024 || (g.Start.Year() == 2025 && g.Start.Month() == time.January), g.Start)
		for _, team := range []string{g.Home.Abbr, g.Away.Abbr} {
			perTeam[team]++
			if weekOf[team] == nil {
				weekOf[team] = map[int]bool{}
			}
			require.False(t, weekOf[team][g.Week], "%s plays twice in week %d", team, g.Week)
			weekOf[team][g.Week] = true
		}
		home[g.Home.Abbr]++
	}
	require.Len(t, perTeam, 32)
	for team, n := range perTeam {
		require.Equal(t, 17, n, team)
		require.GreaterOrEqual(t, home[team], 7, "%s home games", team)
		require.LessOrEqual(t, home[team], 10, "%s home games", team)
	}

	games := byGame(t, points)
	require.Len(t, games, 272)
	total, ties, overtime := 0, 0, 0
	for id, g := range games {
		checkGame(t, "nfl", id, g)
		final := g.scores[len(g.scores)-1]
		total += final.HomeScore + final.AwayScore
		if final.HomeScore == final.AwayScore {
			ties++
			require.Equal(t, 5, final.Period, "a tie only after overtime")
		}
		if final.Period > 4 {
			overtime++
		}
		for _, p := range g.scores {
			require.Contains(t, []string{"AFC", "NFC"}, p.HomeConference)
			require.Contains(t, p.HomeDivision, p.HomeConference)
		}
	}
	mean := float64(total) / 272
	require.Greater(t, mean, 30.0, "points per game")
	require.Less(t, mean, 60.0, "points per game")
	require.Less(t, ties, 10)
	require.Positive(t, overtime, "some games go to overtime")
	requireObservationOrder(t, points)
}

func TestNHLSeasonIsRealistic(t *testing.T) {
	spec := SeasonSpec{League: "nhl", Season: 2025}
	points := spec.Points()
	schedule := spec.Schedule()
	require.Len(t, schedule, 32*82/2)
	require.Equal(t, time.October, schedule[0].Start.Month())
	require.Equal(t, 2024, schedule[0].Start.Year(), "ESPN's NHL season 2025 starts in 2024")
	require.Zero(t, schedule[0].Week)

	games := byGame(t, points)
	goals, shootouts, ot := 0, 0, 0
	for id, g := range games {
		checkGame(t, "nhl", id, g)
		final := g.scores[len(g.scores)-1]
		require.NotEqual(t, final.HomeScore, final.AwayScore, "no ties in the NHL (%s)", id)
		goals += final.HomeScore + final.AwayScore
		switch final.Period {
		case 3:
			require.Equal(t, "Final", final.StatusDetail)
		case 4:
			ot++
			require.Equal(t, "Final/OT", final.StatusDetail)
		case 5:
			shootouts++
			require.Equal(t, "Final/SO", final.StatusDetail)
		default:
			t.Fatalf("%s ended in period %d", id, final.Period)
		}
	}
	mean := float64(goals) / float64(len(games))
	require.Greater(t, mean, 4.5, "goals per game")
	require.Less(t, mean, 8.0, "goals per game")
	require.Positive(t, ot)
	require.Positive(t, shootouts)
	requireObservationOrder(t, points)
}

// checkGame checks one simulated game: the rows go scheduled, live,
// finished; the scores series starts with a sighting, runs forward in time
// with scores that only grow, one step at a time, and ends on the result
// the last games row holds.
func checkGame(t *testing.T, leagueKey, id string, g *gamePoints) {
	t.Helper()
	require.Len(t, g.rows, 3, id)
	require.Equal(t, []string{Scheduled, Live, Finished}, []string{g.rows[0].Status, g.rows[1].Status, g.rows[2].Status}, id)
	for i := 1; i < len(g.rows); i++ {
		require.True(t, g.rows[i-1].ObservedAt.Before(g.rows[i].ObservedAt), id)
		require.True(t, g.rows[i].Time.Equal(g.rows[0].Time), "one start time per game (%s)", id)
	}
	require.GreaterOrEqual(t, len(g.scores), 6, id)
	first, last := g.scores[0], g.scores[len(g.scores)-1]
	require.Equal(t, Scheduled, first.Status, id)
	require.Equal(t, Finished, last.Status, id)
	require.True(t, first.Time.Before(g.rows[0].Time), "seen before the start (%s)", id)
	row := g.rows[2]
	require.Equal(t, [3]int{last.HomeScore, last.AwayScore, last.Period}, [3]int{row.HomeScore, row.AwayScore, row.Period}, id)
	require.Equal(t, last.Time, row.ObservedAt, id)
	for i := 1; i < len(g.scores); i++ {
		a, b := g.scores[i-1], g.scores[i]
		require.True(t, a.Time.Before(b.Time), "time order (%s, %d)", id, i)
		require.GreaterOrEqual(t, b.HomeScore, a.HomeScore, id)
		require.GreaterOrEqual(t, b.AwayScore, a.AwayScore, id)
		require.LessOrEqual(t, b.HomeScore+b.AwayScore-a.HomeScore-a.AwayScore, 8, "one score per point (%s)", id)
		require.GreaterOrEqual(t, b.Period, a.Period, id)
		if b.Status == Live && b.StatusDetail != "SO" {
			require.NotEmpty(t, b.TimeRemaining, id)
			require.Contains(t, b.StatusDetail, b.TimeRemaining, id)
		}
		require.Equal(t, leagueKey, b.League)
	}
	require.Less(t, last.Time.Sub(g.rows[0].Time), 5*time.Hour, "a game lasts hours (%s)", id)
}

func requireObservationOrder(t *testing.T, points []store.Point) {
	t.Helper()
	for i := 1; i < len(points); i++ {
		require.False(t, observedAt(points[i]).Before(observedAt(points[i-1])), "points come in observation order (%d)", i)
	}
}

func TestSeasonIsDeterministic(t *testing.T) {
	teams := TeamsByAbbr("nfl", "NE", "BUF", "MIA", "NYJ")
	a := Season("nfl", teams, 6)
	b := Season("nfl", teams, 6)
	require.Equal(t, a, b)
	c := SeasonSpec{League: "nfl", Teams: teams, Games: 6, Seed: 99}.Points()
	require.NotEqual(t, a, c, "another seed, other scores")
	require.Len(t, SeasonSpec{League: "nfl", Teams: teams, Games: 6}.Schedule(), 12)
}

func TestSeasonOfTwoTeams(t *testing.T) {
	points := Season("nfl", TeamsByAbbr("nfl", "NE", "BUF"), 17)
	games := byGame(t, points)
	require.Len(t, games, 17)
	home := 0
	for _, g := range games {
		row := g.rows[0]
		name := row.AwayTeamName
		if row.HomeTeam == "NE" {
			home++
			name = row.HomeTeamName
		}
		require.Equal(t, "New England Patriots", name)
	}
	require.InDelta(t, 8.5, home, 1, "home and away alternate")
}

func TestSeasonWithOddTeamsHasByes(t *testing.T) {
	schedule := SeasonSpec{League: "nhl", Teams: Teams("nhl")[:5], Games: 8}.Schedule()
	n := map[string]int{}
	for _, g := range schedule {
		n[g.Home.Abbr]++
		n[g.Away.Abbr]++
	}
	require.Len(t, n, 5)
	for team, c := range n {
		require.GreaterOrEqual(t, c, 6, team)
		require.LessOrEqual(t, c, 8, team)
	}
	require.Empty(t, SeasonSpec{League: "nhl", Teams: Teams("nhl")[:1], Games: 8}.Points())
}

func TestSeasonCutAtNow(t *testing.T) {
	spec := SeasonSpec{League: "nhl", Teams: Teams("nhl")[:8], Games: 10}
	schedule := spec.Schedule()
	mid := schedule[len(schedule)/2]
	now := mid.Start.Add(30 * time.Minute) // the game is under way
	spec.Now = now
	points := spec.Points()

	games := byGame(t, points)
	require.Len(t, games, len(schedule), "every game is on the published schedule")
	live, upcoming := 0, 0
	for _, p := range points {
		require.False(t, observedAt(p).After(now))
	}
	for id, g := range games {
		last := g.rows[len(g.rows)-1]
		switch {
		case last.Time.After(now):
			upcoming++
			require.Equal(t, Scheduled, last.Status, id)
		case last.Status == Live:
			live++
			require.Equal(t, Live, g.scores[len(g.scores)-1].Status, id)
		case last.Status == Scheduled:
			require.Less(t, now.Sub(last.Time), 10*time.Minute, "only the minutes before the puck drops (%s)", id)
		default:
			require.Equal(t, Finished, last.Status, id)
		}
	}
	require.Positive(t, live)
	require.Positive(t, upcoming)
	unfinished := ExpectUnfinished(points, "nhl", now.Add(-24*time.Hour))
	require.NotEmpty(t, unfinished)
	for _, p := range unfinished {
		require.Contains(t, []string{Scheduled, Live}, p.Status)
	}
}

func TestExpectGamesTakesLastWrittenRowThenFilters(t *testing.T) {
	start := time.Date(2024, 9, 15, 17, 0, 0, 0, time.UTC)
	g := NewGame("nfl", "1", start, "NE", "BUF")
	moved := g
	moved.Start = start.Add(48 * time.Hour)
	old := GamePoint(g, start.Add(-time.Hour), Postponed, 0, 0)
	cur := GamePoint(moved, start, Scheduled, 0, 0)
	points := []store.Point{old, cur}
	require.Equal(t, []store.Point{cur}, ExpectGames(points, store.GameQuery{League: "nfl"}))
	require.Empty(t, ExpectGames(points, store.GameQuery{League: "nfl", Status: Postponed}))
	require.Empty(t, ExpectGames(points, store.GameQuery{League: "nfl", To: start.Add(time.Hour)}))
	require.Equal(t, []store.Point{cur}, ExpectGames(points, store.GameQuery{League: "nfl", Team: "BUF", From: moved.Start}))
	require.Empty(t, ExpectGames(points, store.GameQuery{League: "nhl"}))
}

func TestBuilders(t *testing.T) {
	start := time.Date(2025, 1, 5, 18, 0, 0, 0, time.UTC)
	g := NewGame("nfl", "401", start, "ne", "XYZ")
	require.Equal(t, 2024, g.Season, "a January NFL game belongs to the season before")
	require.Equal(t, "NE", g.Home.Abbr)
	require.Equal(t, "17", g.Home.ID)
	require.Equal(t, Team{Abbr: "XYZ", Name: "XYZ"}, g.Away, "unknown teams are kept as given")

	p := ScorePoint(g, start.Add(time.Hour), Live, 7, 3, 2)
	require.Equal(t, "15:00 - 2nd", p.StatusDetail)
	require.Equal(t, "nfl_scores", p.Measurement())
	require.Equal(t, "Final/OT", ScorePoint(g, start, Finished, 20, 17, 5).StatusDetail)
	require.Equal(t, "Postponed", ScorePoint(g, start, Postponed, 0, 0, 0).StatusDetail)
	row := GamePoint(g, start, Finished, 20, 17)
	require.Equal(t, 4, row.Period)
	require.Equal(t, "nfl_games", row.Measurement())
	require.Equal(t, start, row.Time)

	require.Equal(t, "0:09", Clock(9*time.Second))
	require.Equal(t, "12:34", Clock(12*time.Minute+34*time.Second))
	require.Equal(t, "SO", Detail("nhl", "0:00", 5))
	require.Equal(t, "1:00 - 2OT", Detail("nfl", "1:00", 6))
	require.Equal(t, "Final/SO", FinalDetail("nhl", 5))
	require.Len(t, Teams("nfl"), 32)
	require.Len(t, Teams("nhl"), 32)
	require.Nil(t, Teams("xfl"))
}
