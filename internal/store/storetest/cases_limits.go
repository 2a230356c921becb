package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
)

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
