package schedule_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/schedule"
)

// The teams users care about are fetched first and back to back at
// start; the other 62 teams stay spread over the first cycle.
func TestWantedTeamsAreRefreshedFirstAndWithoutThePause(t *testing.T) {
	srv := espntest.NewServer(t)
	serveAll(t, srv)
	nfl, nhl := lookup(t, "nfl"), lookup(t, "nhl")
	asked := 0
	r := schedule.NewRefresher(client(srv), teamsOf(t), newObserved(), []league.League{nfl, nhl}, schedule.Options{
		Every: 24 * time.Hour, Spread: 6 * time.Hour, FirstSpread: time.Hour, Season: season2023,
		Wanted: func() []schedule.TeamKey {
			asked++
			return []schedule.TeamKey{
				{League: "nhl", Abbreviation: "bos"},
				{Abbreviation: "KC"}, // any league: the NFL's
				{League: "nfl", Abbreviation: "XYZ"},
			}
		},
	})
	stop := run(context.Background(), r)
	want := []string{path(nfl, "12"), path(nhl, "1")}
	require.Eventually(t, func() bool { return len(srv.Requests()) >= len(want) }, 10*time.Second, time.Millisecond)
	// 62 teams over an hour: the next one is due in about a minute.
	stop()
	var got []string
	for _, u := range srv.Requests() {
		got = append(got, u.Path)
	}
	assert.Equal(t, want, got, "the wanted teams, in league order, and nothing else yet")
	assert.Equal(t, 1, asked)
}

func TestWantedJoinsTheTeamIDsOfEverySource(t *testing.T) {
	saved := func() []string { return []string{"nfl-hou", "nhl-bos"} }
	hooks := func() []string { return []string{"nfl-kc", "bare", "-"} }
	none := func() []string { return nil }
	assert.Equal(t, []schedule.TeamKey{
		{League: "nfl", Abbreviation: "hou"}, {League: "nhl", Abbreviation: "bos"}, {League: "nfl", Abbreviation: "kc"},
	}, schedule.Wanted(saved, hooks, none)())
}
