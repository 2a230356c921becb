// Package storetest holds the conformance suite every store kind passes and
// the builders and season generator that store, history and benchmark tests
// share. It uses only the store.Store interface.
package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
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
		{"EmptyStore", testEmptyStore},
		{"BothSeriesBothLeagues", testBothSeriesBothLeagues},
		{"GamesFilters", testGamesFilters},
		{"GamesOrder", testGamesOrder},
		{"GamesRewrites", testGamesRewrites},
		{"GamesRescheduled", testGamesRescheduled},
		{"GamesTagChange", testGamesTagChange},
		{"GamesObservedAtFilled", testGamesObservedAtFilled},
		{"Timeline", testTimeline},
		{"TimelineRewrite", testTimelineRewrite},
		{"Unfinished", testUnfinished},
		{"HostileStrings", testHostileStrings},
		{"SignedIntegers", testSignedIntegers},
		{"LargeBatch", testLargeBatch},
		{"InvalidPoints", testInvalidPoints},
		{"PruneKeepsNewer", testPruneKeepsNewer},
		{"Info", testInfo},
		{"CanceledContext", testCanceledContext},
		{"GeneratedSeasons", testGeneratedSeasons},
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

// Dates of the fixtures below: the 2024 NFL season and the 2024-25 NHL
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

func testGamesFilters(t *testing.T, s store.Store) {
	day := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	mk := func(id string, start time.Time, home, away string, week int) Game {
		g := NewGame("nfl", id, start, home, away)
		g.Week = week
		return g
	}
	g1 := mk("401500001", day(2023, 10, 1, 17, 0), "NE", "BUF", 4)
	g2 := mk("401600002", day(2024, 9, 8, 17, 0), "NE", "MIA", 1)
	g3 := mk("401600003", day(2024, 9, 15, 20, 25), "KC", "NE", 2)
	g4 := mk("401600004", day(2024, 9, 15, 17, 0), "BUF", "MIA", 2)
	g5 := mk("401600005", day(2024, 9, 22, 17, 0), "NE", "NYJ", 3)
	g6 := mk("401600006", day(2024, 9, 22, 20, 25), "SF", "KC", 3)
	g7 := mk("401600007", day(2024, 12, 22, 18, 0), "NE", "BUF", 16)
	g8 := mk("401600008", day(2025, 1, 5, 18, 0), "NYJ", "NE", 18) // January: still season 2024
	require.Equal(t, 2024, g8.Season)
	obs := day(2024, 8, 1, 0, 0)
	r1 := GamePoint(g1, day(2023, 10, 1, 20, 30), Finished, 24, 17)
	r2 := GamePoint(g2, day(2024, 9, 8, 20, 20), Finished, 16, 10)
	r3 := GamePoint(g3, day(2024, 9, 15, 23, 40), Finished, 20, 23)
	r4 := GamePoint(g4, day(2024, 9, 15, 20, 15), Finished, 31, 10)
	r5 := GamePoint(g5, obs, Scheduled, 0, 0)
	r6 := GamePoint(g6, day(2024, 9, 20, 12, 0), Postponed, 0, 0)
	r7 := GamePoint(g7, obs, Scheduled, 0, 0)
	r8 := GamePoint(g8, obs, Scheduled, 0, 0)
	nhl := NewGame("nhl", "401600009", day(2024, 10, 12, 23, 0), "BUF", "NYR")
	rn := GamePoint(nhl, obs, Scheduled, 0, 0)
	// Written out of order: the answer's order is the store's job.
	write(t, s, r7, r3, rn, r5, r1, r8, r2, r6, r4)

	cases := []struct {
		q    store.GameQuery
		want []store.Point
	}{
		{store.GameQuery{League: "nfl"}, []store.Point{r1, r2, r4, r3, r5, r6, r7, r8}},
		{store.GameQuery{League: "nfl", Team: "NE"}, []store.Point{r1, r2, r3, r5, r7, r8}},
		{store.GameQuery{League: "nfl", Team: "NE", Season: 2024}, []store.Point{r2, r3, r5, r7, r8}},
		{store.GameQuery{League: "nfl", Season: 2023}, []store.Point{r1}},
		{store.GameQuery{League: "nfl", Season: 2022}, []store.Point{}},
		{store.GameQuery{League: "nfl", Status: Finished}, []store.Point{r1, r2, r4, r3}},
		{store.GameQuery{League: "nfl", Status: Scheduled, Team: "NE"}, []store.Point{r5, r7, r8}},
		{store.GameQuery{League: "nfl", Status: Postponed}, []store.Point{r6}},
		{store.GameQuery{League: "nfl", Status: Live}, []store.Point{}},
		// From is inclusive, To exclusive.
		{store.GameQuery{League: "nfl", From: g4.Start, To: g5.Start}, []store.Point{r4, r3}},
		{store.GameQuery{League: "nfl", From: g5.Start}, []store.Point{r5, r6, r7, r8}},
		{store.GameQuery{League: "nfl", To: g2.Start.Add(time.Nanosecond)}, []store.Point{r1, r2}},
		{store.GameQuery{League: "nfl", Team: "NE", Season: 2024, Status: Finished,
			From: day(2024, 9, 1, 0, 0), To: day(2024, 10, 1, 0, 0)}, []store.Point{r2, r3}},
		{store.GameQuery{League: "nfl", Team: "KC", Status: Postponed}, []store.Point{r6}},
		{store.GameQuery{League: "nfl", Team: "BUF"}, []store.Point{r1, r4, r7}},
		{store.GameQuery{League: "nhl", Team: "BUF"}, []store.Point{rn}},
		{store.GameQuery{League: "nfl", Team: "NYR"}, []store.Point{}},
		{store.GameQuery{League: "nfl", Team: "XYZ"}, []store.Point{}},
		// Teams match exactly: no prefixes, no patterns.
		{store.GameQuery{League: "nfl", Team: "N"}, []store.Point{}},
		{store.GameQuery{League: "nfl", Team: "N_"}, []store.Point{}},
		{store.GameQuery{League: "nfl", Team: "%"}, []store.Point{}},
		{store.GameQuery{League: "nfl", Team: ".*"}, []store.Point{}},
	}
	for _, c := range cases {
		equal(t, c.want, games(t, s, c.q), "Games(%+v)", c.q)
	}
}

func testGamesOrder(t *testing.T, s store.Store) {
	early := GamePoint(NewGame("nfl", "401000099", sunday.Add(-3*24*time.Hour), "BAL", "CIN"), sunday, Finished, 21, 14)
	var same []store.Point
	for _, id := range []string{"401000030", "401000010", "401000020"} {
		same = append(same, GamePoint(NewGame("nfl", id, sunday, "DAL", "NYG"), sunday.Add(-time.Hour), Scheduled, 0, 0))
	}
	write(t, s, same[0], early, same[1], same[2])
	got := games(t, s, store.GameQuery{League: "nfl"})
	require.Equal(t, []string{"401000099", "401000010", "401000020", "401000030"}, ids(got),
		"games are ordered by start time, then game id")
}

// A game's row is rewritten as it goes from scheduled to live to final;
// readers see the latest only, however often the same rows are written.
func testGamesRewrites(t *testing.T, s store.Store) {
	g := NewGame("nfl", "401671010", sunday, "PHI", "DAL")
	other := NewGame("nfl", "401671011", sunday.Add(3*time.Hour+25*time.Minute), "SEA", "ARI")
	scheduled := GamePoint(g, sunday.Add(-7*24*time.Hour), Scheduled, 0, 0)
	live := GamePoint(g, sunday.Add(3*time.Minute), Live, 0, 0)
	final := GamePoint(g, sunday.Add(3*time.Hour+10*time.Minute), Finished, 27, 20)
	otherFinal := GamePoint(other, other.Start.Add(3*time.Hour), Finished, 10, 13)

	write(t, s, scheduled)
	equal(t, []store.Point{scheduled}, games(t, s, store.GameQuery{League: "nfl"}))
	write(t, s, live)
	equal(t, []store.Point{live}, games(t, s, store.GameQuery{League: "nfl"}))
	require.Empty(t, games(t, s, store.GameQuery{League: "nfl", Status: Scheduled}),
		"the scheduled version was replaced")
	write(t, s, final, otherFinal)
	want := []store.Point{final, otherFinal}
	equal(t, want, games(t, s, store.GameQuery{League: "nfl"}))

	// Idempotent: the same history again, singly and in one batch.
	write(t, s, scheduled)
	write(t, s, live)
	write(t, s, final)
	equal(t, want, games(t, s, store.GameQuery{League: "nfl"}))
	write(t, s, scheduled, live, final, otherFinal)
	write(t, s, scheduled, live, final, otherFinal)
	equal(t, want, games(t, s, store.GameQuery{League: "nfl"}))
	require.Empty(t, games(t, s, store.GameQuery{League: "nfl", Status: Live}))
	equal(t, []store.Point{final}, games(t, s, store.GameQuery{League: "nfl", Team: "DAL", Status: Finished}))

	// A stat correction after the final rewrites the row once more.
	corrected := GamePoint(g, sunday.Add(26*time.Hour), Finished, 27, 23)
	write(t, s, corrected)
	equal(t, []store.Point{corrected, otherFinal}, games(t, s, store.GameQuery{League: "nfl"}))
}

// A game whose start time moves is one game with the new start. InfluxDB
// keeps a row per start time (and per tag set), so readers take the version
// written last (ObservedAt) and filter after: the old start and the old
// status must not leak into range or status queries.
func testGamesRescheduled(t *testing.T, s store.Store) {
	s1 := sunday
	g := NewGame("nfl", "401671020", s1, "BUF", "KC")
	g.Week = 5
	moved := g
	moved.Start = s1.Add(48*time.Hour + 3*time.Hour) // Tuesday night, same week
	t0 := s1.Add(-30 * 24 * time.Hour)
	rows := []store.Point{
		GamePoint(g, t0, Scheduled, 0, 0),
		GamePoint(g, s1.Add(-20*time.Hour), Postponed, 0, 0),
		GamePoint(moved, s1.Add(-10*time.Hour), Scheduled, 0, 0),
	}
	final := GamePoint(moved, moved.Start.Add(3*time.Hour), Finished, 17, 20)
	for _, r := range rows {
		write(t, s, r)
	}
	equal(t, []store.Point{rows[2]}, games(t, s, store.GameQuery{League: "nfl"}))
	write(t, s, final)

	want := []store.Point{final}
	equal(t, want, games(t, s, store.GameQuery{League: "nfl"}))
	equal(t, want, games(t, s, store.GameQuery{League: "nfl", Team: "KC", Season: 2024}))
	equal(t, want, games(t, s, store.GameQuery{League: "nfl", From: moved.Start, To: moved.Start.Add(time.Hour)}))
	require.Empty(t, games(t, s, store.GameQuery{League: "nfl", From: s1.Add(-time.Hour), To: s1.Add(time.Hour)}),
		"the old start time is gone")
	require.Empty(t, games(t, s, store.GameQuery{League: "nfl", Status: Postponed}), "the postponed version is gone")
	require.Empty(t, games(t, s, store.GameQuery{League: "nfl", Status: Scheduled}))

	// Moved into the next week (week is a tag: another series in InfluxDB),
	// then back to where it was.
	h := NewGame("nfl", "401671021", s1, "MIN", "GB")
	h.Week = 5
	h6 := h
	h6.Week = 6
	h6.Start = s1.Add(7 * 24 * time.Hour)
	write(t, s, GamePoint(h, t0, Scheduled, 0, 0))
	write(t, s, GamePoint(h6, t0.Add(time.Hour), Scheduled, 0, 0))
	got := games(t, s, store.GameQuery{League: "nfl", Team: "MIN"})
	equal(t, []store.Point{GamePoint(h6, t0.Add(time.Hour), Scheduled, 0, 0)}, got)
	back := GamePoint(h, t0.Add(2*time.Hour), Scheduled, 0, 0)
	write(t, s, back)
	equal(t, []store.Point{back}, games(t, s, store.GameQuery{League: "nfl", Team: "MIN"}))
	require.Empty(t, games(t, s, store.GameQuery{League: "nfl", Team: "GB", From: h6.Start.Add(-time.Hour)}))
	equal(t, []store.Point{back, final}, games(t, s, store.GameQuery{League: "nfl"}))
}

// A tag of a games row changes without the start moving (ESPN corrects the
// week): still one game, with the new tags.
func testGamesTagChange(t *testing.T, s store.Store) {
	g := NewGame("nfl", "401671030", sunday, "LAR", "SF")
	g.Week = 5
	fixed := g
	fixed.Week = 6
	first := GamePoint(g, sunday.Add(-48*time.Hour), Scheduled, 0, 0)
	second := GamePoint(fixed, sunday.Add(-24*time.Hour), Scheduled, 0, 0)
	write(t, s, first)
	write(t, s, second)
	equal(t, []store.Point{second}, games(t, s, store.GameQuery{League: "nfl"}))
	write(t, s, second)
	equal(t, []store.Point{second}, games(t, s, store.GameQuery{League: "nfl", Team: "SF"}))
}

// Callers that leave ObservedAt zero get it filled in by the store at write
// time, and the later write still wins for a rescheduled game.
func testGamesObservedAtFilled(t *testing.T, s store.Store) {
	g := NewGame("nhl", "401671040", puck, "EDM", "CGY")
	moved := g
	moved.Start = puck.Add(24 * time.Hour)
	first := GamePoint(g, time.Time{}, Scheduled, 0, 0)
	first.ObservedAt = time.Time{}
	second := GamePoint(moved, time.Time{}, Postponed, 0, 0)
	second.ObservedAt = time.Time{}

	before := time.Now()
	write(t, s, first)
	write(t, s, second)
	after := time.Now()

	got := games(t, s, store.GameQuery{League: "nhl"})
	require.Len(t, got, 1)
	require.False(t, got[0].ObservedAt.IsZero(), "the store records when the row was written")
	// A second of slack for stores that keep coarser times.
	require.False(t, got[0].ObservedAt.Before(before.Add(-time.Second)), "ObservedAt %v before the write at %v", got[0].ObservedAt, before)
	require.False(t, got[0].ObservedAt.After(after.Add(time.Second)), "ObservedAt %v after the write ended at %v", got[0].ObservedAt, after)
	got[0].ObservedAt = time.Time{}
	equal(t, []store.Point{second}, got)
}

// nflOvertimeGame is a full timeline with the awkward parts: a team scoring
// twice in a row, a touchdown taken back on review (the score goes down),
// overtime and a game-winning field goal.
func nflOvertimeGame(g Game) []store.Point {
	at := func(m int) time.Time { return g.Start.Add(time.Duration(m) * time.Minute) }
	live := func(m, home, away, period int, clock string) store.Point {
		p := ScorePoint(g, at(m), Live, home, away, period)
		p.TimeRemaining = clock
		p.StatusDetail = Detail(g.League, clock, period)
		return p
	}
	scheduled := ScorePoint(g, at(-6*24*60), Scheduled, 0, 0, 0)
	scheduled.TimeRemaining = ""
	final := ScorePoint(g, at(215), Finished, 27, 24, 5)
	return []store.Point{
		scheduled,
		live(2, 0, 0, 1, "15:00"),
		live(14, 7, 0, 1, "9:41"),
		live(31, 10, 0, 1, "0:12"), // twice in a row
		live(44, 10, 0, 2, "15:00"),
		live(60, 10, 7, 2, "6:02"),
		live(66, 10, 14, 2, "2:00"),
		live(69, 10, 7, 2, "1:58"), // touchdown overturned on review
		live(98, 10, 7, 3, "15:00"),
		live(120, 17, 7, 3, "3:33"),
		live(138, 17, 7, 4, "15:00"),
		live(150, 17, 14, 4, "8:20"),
		live(162, 24, 14, 4, "2:45"),
		live(166, 24, 21, 4, "1:10"),
		live(170, 24, 24, 4, "0:03"),
		live(185, 24, 24, 5, "10:00"),
		live(200, 27, 24, 5, "4:51"),
		final,
	}
}

func testTimeline(t *testing.T, s store.Store) {
	g := NewGame("nfl", "401671050", sunday, "DET", "CHI")
	other := NewGame("nfl", "401671051", sunday, "GB", "MIN") // same kickoff, interleaved points
	nhl := NewGame("nhl", g.ID, sunday, "DET", "CHI")         // same id and teams, other league
	want := nflOvertimeGame(g)
	require.Equal(t, "Final/OT", want[len(want)-1].StatusDetail)
	require.Equal(t, "AFC", LookupTeam("nfl", "NE").Conference)
	require.NotEmpty(t, want[1].HomeConference, "conference tags are part of the round trip")

	var noise []store.Point
	for i := range 10 {
		noise = append(noise, ScorePoint(other, sunday.Add(time.Duration(i*7)*time.Minute+30*time.Second), Live, i, 0, 1+i/3))
		noise = append(noise, ScorePoint(nhl, sunday.Add(time.Duration(i*9)*time.Minute), Live, 0, i, 1+i/4))
	}
	batch := append(append([]store.Point{}, want...), noise...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
	write(t, s, batch[:len(batch)/2]...)
	write(t, s, batch[len(batch)/2:]...)

	got := timeline(t, s, "nfl", g.ID)
	equal(t, want, got, "every point in time order, every field intact")
	for i := 1; i < len(got); i++ {
		require.True(t, got[i-1].Time.Before(got[i].Time), "time order at %d", i)
	}
	require.Len(t, timeline(t, s, "nfl", other.ID), 10)
	require.Len(t, timeline(t, s, "nhl", g.ID), 10)
	for _, p := range timeline(t, s, "nhl", g.ID) {
		require.Equal(t, "nhl", p.League)
		require.Equal(t, store.SeriesScores, p.Series)
	}
	require.Empty(t, timeline(t, s, "nfl", "401671099"))
	require.Empty(t, timeline(t, s, "nfl", ""))
}

// Writing the same points again changes nothing; a point rewritten at the
// same time (ESPN corrected the score) replaces the earlier one.
func testTimelineRewrite(t *testing.T, s store.Store) {
	g := NewGame("nhl", "401671060", puck, "TOR", "MTL")
	pts := []store.Point{
		ScorePoint(g, puck.Add(-24*time.Hour), Scheduled, 0, 0, 0),
		ScorePoint(g, puck.Add(4*time.Minute), Live, 0, 0, 1),
		ScorePoint(g, puck.Add(17*time.Minute), Live, 1, 0, 1),
		ScorePoint(g, puck.Add(50*time.Minute), Live, 1, 1, 2),
	}
	write(t, s, pts...)
	write(t, s, pts...)
	write(t, s, pts[2])
	equal(t, pts, timeline(t, s, "nhl", g.ID))

	fixed := pts[2]
	fixed.HomeScore, fixed.AwayScore = 0, 1 // the goal went to the other side
	fixed.StatusDetail = "8:15 - 1st"
	fixed.TimeRemaining = "8:15"
	write(t, s, fixed)
	want := []store.Point{pts[0], pts[1], fixed, pts[3]}
	equal(t, want, timeline(t, s, "nhl", g.ID))
}

func testUnfinished(t *testing.T, s store.Store) {
	since := sunday
	game := func(id, home, away string) Game { return NewGame("nfl", id, sunday.Add(time.Hour), home, away) }
	a, b, c, d := game("401671071", "NE", "NYJ"), game("401671072", "BUF", "MIA"), game("401671073", "KC", "DEN"), game("401671074", "LV", "LAC")
	e, f, h, k := game("401671075", "PIT", "CLE"), game("401671076", "BAL", "CIN"), game("401671077", "HOU", "IND"), game("401671078", "JAX", "TEN")
	n := NewGame("nhl", "401671079", since.Add(time.Hour), "BOS", "FLA")

	aLatest := ScorePoint(a, since.Add(2*time.Hour), Live, 7, 0, 1)
	cOnly := ScorePoint(c, since.Add(30*time.Minute), Scheduled, 0, 0, 0)
	fAtSince := ScorePoint(f, since, Live, 3, 3, 2)
	dStale := ScorePoint(d, since.Add(-time.Hour), Live, 14, 10, 3)
	nLive := ScorePoint(n, since.Add(90*time.Minute), Live, 1, 0, 1)
	write(t, s,
		ScorePoint(a, since.Add(-24*time.Hour), Scheduled, 0, 0, 0),
		ScorePoint(a, since.Add(time.Hour), Live, 0, 0, 1),
		aLatest,
		ScorePoint(b, since.Add(-2*time.Hour), Live, 0, 0, 1),
		ScorePoint(b, since.Add(time.Hour), Live, 10, 3, 3),
		ScorePoint(b, since.Add(2*time.Hour), Finished, 20, 3, 4),
		cOnly,
		dStale,
		ScorePoint(e, since.Add(-time.Hour), Scheduled, 0, 0, 0),
		ScorePoint(e, since.Add(time.Hour), Postponed, 0, 0, 0),
		ScorePoint(f, since.Add(-time.Hour), Live, 0, 0, 1),
		fAtSince,
		ScorePoint(h, since.Add(time.Hour), Live, 0, 0, 1),
		ScorePoint(h, since.Add(2*time.Hour), Suspended, 0, 0, 2),
		ScorePoint(k, since.Add(time.Hour), Canceled, 0, 0, 0),
		nLive,
	)
	want := []store.Point{aLatest, cOnly, fAtSince}
	SortByGame(want)
	equal(t, want, unfinished(t, s, "nfl", since), "latest point since `since`, scheduled or live only")
	equal(t, []store.Point{nLive}, unfinished(t, s, "nhl", since))

	all := []store.Point{aLatest, cOnly, dStale, fAtSince}
	SortByGame(all)
	equal(t, all, unfinished(t, s, "nfl", time.Time{}), "a zero since means since ever")
	require.Empty(t, unfinished(t, s, "nfl", since.Add(3*time.Hour)))

	// The game ends: it is no longer unfinished.
	write(t, s, ScorePoint(a, since.Add(3*time.Hour), Finished, 7, 3, 4))
	want = []store.Point{cOnly, fAtSince}
	SortByGame(want)
	equal(t, want, unfinished(t, s, "nfl", since))
}

// Values that break naive query building or line protocol are just data.
// (Tag values never end in a backslash: line protocol cannot carry that.)
func testHostileStrings(t *testing.T, s store.Store) {
	home, away := `NE' OR '1'='1`, `"; DROP TABLE x; --`
	id := `401 "x", y=z C:\dir ü`
	g := NewGame("nfl", id, sunday, home, away)
	g.Home.Name = `Bills, "Buffalo" = \ Zürich 🏈 \`
	g.Away.Name = `Robert'); DROP TABLE games;--`
	g.Home.ID, g.Away.ID = `1,2`, `3 = 4`
	g.Home.Conference, g.Away.Conference = `A,F C=1`, `N "F" C`
	g.Home.Division, g.Away.Division = `Nord "Süd"`, `日本 リーグ`
	g.Venue = `Estadio "Azteca", Ciudad de México = 🏟 \`
	row := GamePoint(g, sunday.Add(4*time.Hour), Finished, 3, 0)
	row.TimeRemaining = `0:00 "end" \`
	pts := []store.Point{
		ScorePoint(g, sunday.Add(time.Minute), Live, 0, 0, 1),
		ScorePoint(g, sunday.Add(20*time.Minute), Live, 3, 0, 1),
	}
	pts[1].StatusDetail = `4:12 - 2nd, "review" = \ ✓ 'x'`
	pts[1].TimeRemaining = `4'12"`
	plain := NewGame("nfl", "401671080", sunday.Add(time.Hour), "NE", "BUF")
	plainRow := GamePoint(plain, sunday, Scheduled, 0, 0)
	write(t, s, append([]store.Point{row, plainRow}, pts...)...)

	equal(t, []store.Point{row}, games(t, s, store.GameQuery{League: "nfl", Team: home}))
	equal(t, []store.Point{row}, games(t, s, store.GameQuery{League: "nfl", Team: away, Season: 2024, Status: Finished}))
	equal(t, []store.Point{plainRow}, games(t, s, store.GameQuery{League: "nfl", Team: "NE"}))
	equal(t, pts, timeline(t, s, "nfl", id))
	for _, team := range []string{`' OR '1'='1`, `NE' OR '1'='1' --`, `BUF' OR home_team =~ /.*/ OR '`, `" OR ""="`, `NE\`, "NE\x00"} {
		require.Empty(t, games(t, s, store.GameQuery{League: "nfl", Team: team}), "team %q", team)
	}
	for _, gid := range []string{`' OR '1'='1`, `401 "x"`, `%`, `401671080' OR game_id =~ /.*/ --`} {
		require.Empty(t, timeline(t, s, "nfl", gid), "game id %q", gid)
	}
	for _, lg := range []string{`nfl' OR '1'='1`, `nfl"; DROP TABLE x; --`, `nfl_games`, `*`} {
		got, err := s.Games(t.Context(), store.GameQuery{League: lg})
		if err == nil {
			require.Empty(t, got, "league %q", lg)
		}
		tl, err := s.Timeline(t.Context(), lg, id)
		if err == nil {
			require.Empty(t, tl, "league %q", lg)
		}
	}
	// Everything is still there.
	equal(t, []store.Point{row, plainRow}, games(t, s, store.GameQuery{League: "nfl"}))
}

// Integers are signed: negative values (no real score, but nothing in the
// store may depend on that) and values beyond 32 bits round-trip.
func testSignedIntegers(t *testing.T, s store.Store) {
	g := NewGame("nfl", "401671090", sunday, "TB", "NO")
	g.Week = 0
	g.SeasonType = 1
	row := GamePoint(g, sunday, Live, -1, 1<<40)
	row.Period = 0
	p1 := ScorePoint(g, sunday.Add(time.Minute), Live, 0, -3, 0)
	p2 := ScorePoint(g, sunday.Add(2*time.Minute), Live, 1<<40, -(1 << 35), 7)
	write(t, s, row, p1, p2)
	equal(t, []store.Point{row}, games(t, s, store.GameQuery{League: "nfl"}))
	equal(t, []store.Point{p1, p2}, timeline(t, s, "nfl", g.ID))
	// The same fields written again with other values keep one type.
	p3 := ScorePoint(g, sunday.Add(3*time.Minute), Live, 2, 0, 1)
	write(t, s, p3)
	require.Len(t, timeline(t, s, "nfl", g.ID), 3)
}

func testLargeBatch(t *testing.T, s store.Store) {
	var batch []store.Point
	for i := range 50 {
		g := NewGame("nhl", fmt.Sprintf("40170%04d", i), puck.Add(time.Duration(i%5)*time.Hour).AddDate(0, 0, i/5), "SEA", "VAN")
		batch = append(batch, GamePoint(g, g.Start.Add(3*time.Hour), Finished, i%7, i%5))
		for j := range 99 {
			batch = append(batch, ScorePoint(g, g.Start.Add(time.Duration(j)*time.Minute), Live, j, i, 1+j/33))
		}
	}
	require.Len(t, batch, 5000)
	write(t, s, batch...)

	equal(t, ExpectGames(batch, store.GameQuery{League: "nhl"}), games(t, s, store.GameQuery{League: "nhl"}))
	require.Len(t, games(t, s, store.GameQuery{League: "nhl", Team: "VAN"}), 50)
	for _, i := range []int{0, 17, 49} {
		id := fmt.Sprintf("40170%04d", i)
		got := timeline(t, s, "nhl", id)
		require.Len(t, got, 99)
		equal(t, ExpectTimeline(batch, "nhl", id), got)
	}
	require.Len(t, unfinished(t, s, "nhl", time.Time{}), 50)
}

// A batch with a point no store can hold is refused as a whole with an
// error that is not ErrUnavailable: retrying it later would not help.
func testInvalidPoints(t *testing.T, s store.Store) {
	g := NewGame("nfl", "401671100", sunday, "ATL", "CAR")
	good := GamePoint(g, sunday, Scheduled, 0, 0)
	bad := map[string]func(p *store.Point){
		"unknown series": func(p *store.Point) { p.Series = "odds" },
		"no series":      func(p *store.Point) { p.Series = "" },
		"no league":      func(p *store.Point) { p.League = "" },
		"no game id":     func(p *store.Point) { p.GameID = "" },
		"no time":        func(p *store.Point) { p.Time = time.Time{} },
	}
	for name, spoil := range bad {
		for _, series := range []string{store.SeriesGames, store.SeriesScores} {
			p := GamePoint(g, sunday, Scheduled, 0, 0)
			if series == store.SeriesScores {
				p = ScorePoint(g, sunday.Add(time.Minute), Live, 0, 0, 1)
			}
			spoil(&p)
			err := s.Write(t.Context(), []store.Point{good, p})
			require.Error(t, err, "%s (%s)", name, series)
			require.NotErrorIs(t, err, store.ErrUnavailable, "%s (%s)", name, series)
		}
	}
	require.Empty(t, games(t, s, store.GameQuery{League: "nfl"}), "nothing of a refused batch is written")
	require.Empty(t, timeline(t, s, "nfl", g.ID))

	_, err := s.Games(t.Context(), store.GameQuery{Team: "NE"})
	require.Error(t, err, "Games needs a league")
	require.NotErrorIs(t, err, store.ErrUnavailable)

	require.NoError(t, s.Write(t.Context(), nil), "an empty batch is fine")
	require.NoError(t, s.Write(t.Context(), []store.Point{}))
}

// Prune never removes what is newer than its cut-off (InfluxDB kinds leave
// pruning to the retention policy and remove nothing at all).
func testPruneKeepsNewer(t *testing.T, s store.Store) {
	g := NewGame("nfl", "401671110", sunday, "SF", "SEA")
	row := GamePoint(g, sunday.Add(3*time.Hour), Finished, 20, 17)
	pts := []store.Point{
		ScorePoint(g, sunday.Add(time.Minute), Live, 0, 0, 1),
		ScorePoint(g, sunday.Add(3*time.Hour), Finished, 20, 17, 4),
	}
	write(t, s, append([]store.Point{row}, pts...)...)
	require.NoError(t, s.Prune(t.Context(), sunday.Add(-24*time.Hour)))
	equal(t, []store.Point{row}, games(t, s, store.GameQuery{League: "nfl"}))
	equal(t, pts, timeline(t, s, "nfl", g.ID))
}

func testInfo(t *testing.T, s store.Store) {
	g := NewGame("nhl", "401671120", puck, "NJ", "NYI")
	write(t, s, GamePoint(g, puck, Scheduled, 0, 0), ScorePoint(g, puck, Scheduled, 0, 0, 0))
	info := s.Info(t.Context())
	require.Contains(t, []string{"sqlite", "influxdb"}, info.Kind)
	require.NotEmpty(t, info.Version)
	require.Positive(t, info.Bytes, "something was stored")
}

func testCanceledContext(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	g := NewGame("nfl", "401671130", sunday, "NYG", "PHI")
	require.Error(t, s.Write(ctx, []store.Point{GamePoint(g, sunday, Scheduled, 0, 0)}))
	_, err := s.Games(ctx, store.GameQuery{League: "nfl"})
	require.Error(t, err)
	_, err = s.Timeline(ctx, "nfl", g.ID)
	require.Error(t, err)
	_, err = s.Unfinished(ctx, "nfl", time.Time{})
	require.Error(t, err)
}

// Whole generated seasons, written in batches of 100 as the batch writer
// does, answer like the plain model of the contract (the Expect functions).
func testGeneratedSeasons(t *testing.T, s store.Store) {
	nfl := SeasonSpec{League: "nfl", Season: 2024}.Points()
	nhlSpec := SeasonSpec{League: "nhl", Season: 2025, Teams: Teams("nhl")[:10], Games: 12}
	nhlSpec.Now = nhlSpec.withDefaults().Start.AddDate(0, 0, 12).Add(23*time.Hour + 50*time.Minute)
	nhl := nhlSpec.Points()
	all := append(append([]store.Point{}, nfl...), nhl...)
	for i := 0; i < len(all); i += 100 {
		write(t, s, all[i:min(i+100, len(all))]...)
	}

	for _, team := range Teams("nfl") {
		q := store.GameQuery{League: "nfl", Team: team.Abbr, Season: 2024}
		got := games(t, s, q)
		require.Len(t, got, 17, team.Abbr)
		equal(t, ExpectGames(nfl, q), got, team.Abbr)
	}
	week5 := SeasonSpec{League: "nfl", Season: 2024}.withDefaults().Start.AddDate(0, 0, 28)
	for _, q := range []store.GameQuery{
		{League: "nfl"},
		{League: "nfl", Status: Finished, From: week5, To: week5.AddDate(0, 0, 7)},
		{League: "nhl"},
		{League: "nhl", Status: Scheduled},
		{League: "nhl", Status: Live},
		{League: "nhl", Team: "BOS", Status: Finished},
	} {
		equal(t, ExpectGames(all, q), games(t, s, q), "%+v", q)
	}
	schedule := SeasonSpec{League: "nfl", Season: 2024}.Schedule()
	for i := 0; i < len(schedule); i += 9 {
		id := schedule[i].ID
		equal(t, ExpectTimeline(nfl, "nfl", id), timeline(t, s, "nfl", id), id)
	}
	since := nhlSpec.Now.Add(-48 * time.Hour)
	want := ExpectUnfinished(nhl, "nhl", since)
	require.NotEmpty(t, want, "the cut season has games under way or coming up")
	equal(t, want, unfinished(t, s, "nhl", since))
	require.Empty(t, unfinished(t, s, "nfl", time.Time{}), "the NFL season is over")
}
