package storetest

import (
	"time"

	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
)

// StandingPoint is one row of a league table taken at `at`.
func StandingPoint(leagueKey string, season int, at time.Time, e store.Standing) store.Point {
	return store.Point{Series: store.SeriesStandings, League: leagueKey, Time: at.UTC(), Season: season, Standing: &e}
}

// A league's tables are kept as taken: the newest table of a range
// answers, a past date gets the table of then, other leagues and ranges
// without a table get none.
func testStandings(t *testing.T, s store.Store) {
	day := time.Date(2024, time.November, 3, 12, 0, 0, 0, time.UTC)
	entry := func(id, abbr, group string, pos, w, l int) store.Standing {
		return store.Standing{TeamID: id, Team: abbr, TeamName: abbr + " FC", Group: group, GroupAbbr: group[:3],
			Position: pos, GamesPlayed: w + l, Wins: w, Losses: l, Points: float64(3 * w), PointsFor: 10 * w,
			PointsAgainst: 7 * l, WinPercent: float64(w) / float64(w+l), GamesBehind: 1.5, Streak: "W2",
			Clincher: "z", Note: "Champions League", Summary: "3-1"}
	}
	before := []store.Point{
		StandingPoint("epl", 2024, day, entry("359", "ARS", "English Premier League", 1, 3, 1)),
		StandingPoint("epl", 2024, day, entry("364", "LIV", "English Premier League", 2, 2, 2)),
	}
	later := day.Add(7 * 24 * time.Hour)
	after := []store.Point{
		StandingPoint("epl", 2024, later, entry("364", "LIV", "English Premier League", 1, 4, 2)),
		StandingPoint("epl", 2024, later, entry("359", "ARS", "English Premier League", 2, 3, 3)),
		StandingPoint("epl", 2024, later, entry("349", "BOU", "Another Group", 1, 1, 5)),
	}
	nfl := StandingPoint("nfl", 2024, later, entry("12", "KC", "American Football Conference", 1, 8, 0))
	write(t, s, append(append(before, after...), nfl)...)

	got := standings(t, s, "epl", time.Time{}, time.Time{})
	equal(t, []store.Point{after[2], after[0], after[1]}, got, "the newest table, by group and position")
	got = standings(t, s, "epl", day.Add(-time.Hour), day.Add(24*time.Hour))
	equal(t, before, got, "the table of a past date")
	require.Empty(t, standings(t, s, "epl", day.Add(-30*24*time.Hour), day), "before the first table")
	require.Empty(t, standings(t, s, "nhl", time.Time{}, time.Time{}))
	equal(t, []store.Point{nfl}, standings(t, s, "nfl", time.Time{}, later.Add(time.Second)))
}

// A table taken again at the same time (a refresh repeated) replaces its
// rows.
func testStandingsRewrite(t *testing.T, s store.Store) {
	at := time.Date(2025, time.March, 1, 6, 0, 0, 0, time.UTC)
	e := store.Standing{TeamID: "7", Team: "CAR", Group: "Eastern Conference", Position: 2, Wins: 40, Losses: 20, OTLosses: 5, Points: 85}
	write(t, s, StandingPoint("nhl", 2025, at, e))
	e.Position, e.Wins, e.Points = 1, 41, 87
	again := StandingPoint("nhl", 2025, at, e)
	write(t, s, again)
	equal(t, []store.Point{again}, standings(t, s, "nhl", time.Time{}, time.Time{}))
}

func standings(t *testing.T, s store.Store, leagueKey string, from, to time.Time) []store.Point {
	t.Helper()
	got, err := s.Standings(t.Context(), leagueKey, from, to)
	require.NoError(t, err, "Standings(%q, %v, %v)", leagueKey, from, to)
	require.NotNil(t, got, "Standings must return an empty slice, not nil, when no table was taken")
	return got
}
