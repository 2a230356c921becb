// Package storetest holds the conformance suite every store kind passes and
// the builders and season generator that store, history and benchmark tests
// share. It uses only the store.Store interface.
package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
)

// Run runs the whole suite. open returns a fresh, empty store for each
// subtest (a new SQLite file, a new InfluxDB database) and registers its own
// cleanup.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		// Every read of a fresh store, and the two series of two leagues apart.
		{"EmptyStore", testEmptyStore},
		{"BothSeriesBothLeagues", testBothSeriesBothLeagues},
		// The games rows (cases_games.go).
		{"GamesFilters", testGamesFilters},
		{"GamesOrder", testGamesOrder},
		{"GamesRewrites", testGamesRewrites},
		{"GamesRescheduled", testGamesRescheduled},
		{"GamesTagChange", testGamesTagChange},
		{"GamesObservedAtFilled", testGamesObservedAtFilled},
		// A game's score points and the unfinished games (cases_timeline.go).
		{"Timeline", testTimeline},
		{"TimelineRewrite", testTimelineRewrite},
		{"Unfinished", testUnfinished},
		// Awkward values, large and invalid batches, pruning, the store's
		// info, a cancelled context, whole seasons (cases_limits.go).
		{"HostileStrings", testHostileStrings},
		{"SignedIntegers", testSignedIntegers},
		{"LargeBatch", testLargeBatch},
		{"InvalidPoints", testInvalidPoints},
		{"PruneKeepsNewer", testPruneKeepsNewer},
		{"Info", testInfo},
		{"CanceledContext", testCanceledContext},
		{"GeneratedSeasons", testGeneratedSeasons},
		// A games row's schedule history (cases_games.go) and the league
		// tables (standings.go).
		{"GamesScheduleHistory", testGamesScheduleHistory},
		{"Standings", testStandings},
		{"StandingsRewrite", testStandingsRewrite},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			require.NotNil(t, s, "open returned no store")
			c.fn(t, s)
		})
	}
}

// Dates of the suite's fixtures: the 2024 NFL season and the 2024-25 NHL
// season (ESPN season 2025).
var (
	sunday = time.Date(2024, time.September, 15, 17, 0, 0, 0, time.UTC)
	puck   = time.Date(2024, time.October, 12, 23, 0, 0, 0, time.UTC)
)

func write(t *testing.T, s store.Store, points ...store.Point) {
	t.Helper()
	require.NoError(t, s.Write(t.Context(), points))
}

func games(t *testing.T, s store.Store, q store.GameQuery) []store.Point {
	t.Helper()
	got, err := s.Games(t.Context(), q)
	require.NoError(t, err, "Games(%+v)", q)
	require.NotNil(t, got, "Games(%+v) must return an empty slice, not nil, when nothing matches", q)
	return got
}

func timeline(t *testing.T, s store.Store, leagueKey, gameID string) []store.Point {
	t.Helper()
	got, err := s.Timeline(t.Context(), leagueKey, gameID)
	require.NoError(t, err, "Timeline(%q, %q)", leagueKey, gameID)
	require.NotNil(t, got, "Timeline(%q, %q) must return an empty slice, not nil, for an unknown game", leagueKey, gameID)
	return got
}

func unfinished(t *testing.T, s store.Store, leagueKey string, since time.Time) []store.Point {
	t.Helper()
	got, err := s.Unfinished(t.Context(), leagueKey, since)
	require.NoError(t, err, "Unfinished(%q, %v)", leagueKey, since)
	require.NotNil(t, got, "Unfinished must return an empty slice, not nil, when nothing is unfinished")
	got = NormalizeAll(got)
	SortByGame(got)
	return got
}

// equal compares point lists after normalising times.
func equal(t *testing.T, want, got []store.Point, msgAndArgs ...any) {
	t.Helper()
	require.Equal(t, NormalizeAll(want), NormalizeAll(got), msgAndArgs...)
}

func ids(points []store.Point) []string {
	out := make([]string, len(points))
	for i, p := range points {
		out[i] = p.GameID
	}
	return out
}

// A fresh store answers every read with an empty result, not an error: a
// new installation is asked for history before its first write.
func testEmptyStore(t *testing.T, s store.Store) {
	for _, lg := range []string{"nfl", "nhl"} {
		require.Empty(t, games(t, s, store.GameQuery{League: lg}))
		require.Empty(t, games(t, s, store.GameQuery{League: lg, Team: "NE", Season: 2024, Status: Finished}))
		require.Empty(t, timeline(t, s, lg, "401547417"))
		require.Empty(t, unfinished(t, s, lg, time.Time{}))
	}
}

func testBothSeriesBothLeagues(t *testing.T, s store.Store) {
	nfl := NewGame("nfl", "401671001", sunday, "NE", "BUF")
	nhl := NewGame("nhl", "401671001", puck, "BOS", "BUF") // same id, other league
	nflRow := GamePoint(nfl, sunday.Add(-time.Hour), Scheduled, 0, 0)
	nhlRow := GamePoint(nhl, puck.Add(-time.Hour), Scheduled, 0, 0)
	nflPts := []store.Point{
		ScorePoint(nfl, sunday.Add(-24*time.Hour), Scheduled, 0, 0, 0),
		ScorePoint(nfl, sunday.Add(2*time.Minute), Live, 0, 0, 1),
		ScorePoint(nfl, sunday.Add(11*time.Minute), Live, 7, 0, 1),
	}
	nhlPts := []store.Point{
		ScorePoint(nhl, puck.Add(3*time.Minute), Live, 0, 0, 1),
		ScorePoint(nhl, puck.Add(20*time.Minute), Live, 0, 1, 1),
	}
	write(t, s, append(append([]store.Point{nflRow, nhlRow}, nflPts...), nhlPts...)...)

	require.Equal(t, "nfl", nflRow.League)
	equal(t, []store.Point{nflRow}, games(t, s, store.GameQuery{League: "nfl"}))
	equal(t, []store.Point{nhlRow}, games(t, s, store.GameQuery{League: "nhl"}))
	equal(t, nflPts, timeline(t, s, "nfl", nfl.ID))
	equal(t, nhlPts, timeline(t, s, "nhl", nhl.ID))
	// BUF is a team in both leagues: each league answers with its own game.
	equal(t, []store.Point{nflRow}, games(t, s, store.GameQuery{League: "nfl", Team: "BUF"}))
	equal(t, []store.Point{nhlRow}, games(t, s, store.GameQuery{League: "nhl", Team: "BUF"}))
	require.Empty(t, games(t, s, store.GameQuery{League: "nba"}))
	require.Empty(t, timeline(t, s, "nba", nfl.ID))
}
