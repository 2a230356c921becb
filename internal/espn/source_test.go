package espn

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
)

// Each game keeps the event it was read from, decoded once with the rest
// of the answer, with the request and time it came from.
func TestScoreboardKeepsEachEvent(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, "/football/nfl/scoreboard", "nfl/scoreboard-2022-wk1-sun-live-mixed.json")
	at := time.Date(2022, 9, 11, 20, 0, 0, 0, time.UTC)
	c := NewClient(srv.URL, Options{Now: func() time.Time { return at }})
	sb, err := c.ScoreboardDay(t.Context(), mustLeague(t, "nfl"), at)
	games := sb.Games
	require.NoError(t, err)
	require.Len(t, games, 16)
	for _, g := range games {
		require.NotNil(t, g.Source, g.ID)
		require.NotNil(t, g.Source.Event, g.ID)
		assert.Equal(t, g.ID, g.Source.Event.ID.Text(), "each game keeps its own event")
		assert.Equal(t, srv.URL+"/football/nfl/scoreboard?dates=20220911", g.Source.URL)
		assert.Equal(t, at, g.Source.FetchedAt)
		require.NotNil(t, g.Source.League)
		assert.Equal(t, "National Football League", g.Source.League.Name.String())
	}
	// A team schedule's games are not scoreboard events.
	sched, err := ParseSchedule(espntest.Load(t, "nfl/team-12-kc-schedule-2023-season-final.json"), mustLeague(t, "nfl"))
	require.NoError(t, err)
	require.NotEmpty(t, sched)
	assert.Nil(t, sched[0].Source)
}
