package storetest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
)

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
