package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
)

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

// A games row keeps its broadcasters and its schedule's history, and a
// rewrite replaces them.
func testGamesScheduleHistory(t *testing.T, s store.Store) {
	g := NewGame("nfl", "401671020", sunday, "KC", "BAL")
	first := GamePoint(g, sunday.Add(-30*24*time.Hour), Scheduled, 0, 0)
	first.Broadcasts = "NBC, Peacock"
	first.ScheduleChangedAt = first.ObservedAt
	write(t, s, first)
	equal(t, []store.Point{first}, games(t, s, store.GameQuery{League: "nfl"}))

	moved := g
	moved.Start = sunday.Add(3 * time.Hour)
	second := GamePoint(moved, sunday.Add(-7*24*time.Hour), Postponed, 0, 0)
	second.Broadcasts = "CBS"
	second.ScheduleVersion, second.ScheduleChangedAt = 2, second.ObservedAt
	write(t, s, second)
	equal(t, []store.Point{second}, games(t, s, store.GameQuery{League: "nfl"}))
}
