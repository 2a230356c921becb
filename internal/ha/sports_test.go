package ha

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
)

// sportFixture holds one capture of a league in memory, with the teams
// it names in the directory.
func sportFixture(t *testing.T, key, rel string, now *time.Time) (asker, *state.State, []game.Game) {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok)
	games, err := espn.ParseScoreboard(espntest.Load(t, rel), l)
	require.NoError(t, err)
	var ts []game.Team
	for _, g := range games {
		ts = append(ts, g.HomeTeam, g.AwayTeam)
	}
	dir := teams.NewDirectory("", []league.League{l}, nil)
	require.NoError(t, dir.Set(l, ts))
	st := state.New(key)
	st.Replace(key, games, *now)
	return asker{svc: New(st, Options{Now: func() time.Time { return *now }}), dir: dir}, st, games
}

// The 2022-09-17 MLB capture holds two doubleheaders: CLE-MIN and STL-CIN
// each finished game one in the afternoon and have game two in the evening.
func TestDoubleheaderPicksTheGameThatMatters(t *testing.T) {
	// Between the games: 5:30 PM EDT, game one ended, game two at 7:10.
	now := time.Date(2022, 9, 17, 21, 30, 0, 0, time.UTC)
	svc, st, games := sportFixture(t, "mlb", "mlb/scoreboard-2022-teamtracker-mixed.json", &now)

	s, err := svc.status("CLE", "mlb")
	require.NoError(t, err)
	assert.Equal(t, "upcoming", s.Status, "game two is next")
	assert.Equal(t, "401356377", *s.GameID)
	assert.Nil(t, s.Result)

	// Game two under way: it is the live one, whatever game one said.
	var next []game.Game
	for _, g := range games {
		if g.ID == "401356377" {
			g.Status, g.Score = game.StatusLive, game.Score{Home: 1}
			g.Period = game.Period{Current: 3, Total: 9}
		}
		next = append(next, g)
	}
	st.Replace("mlb", next, now)
	s, err = svc.status("MIN", "mlb")
	require.NoError(t, err)
	assert.Equal(t, "live", s.Status)
	assert.Equal(t, "401356377", *s.GameID)

	// Both over: the later game is the last one.
	now = time.Date(2022, 9, 18, 2, 30, 0, 0, time.UTC)
	for i := range next {
		if next[i].ID == "401356377" {
			next[i].Status, next[i].Score = game.StatusFinal, game.Score{Home: 2, Away: 4}
		}
	}
	st.Replace("mlb", next, now)
	s, err = svc.status("CLE", "mlb")
	require.NoError(t, err)
	assert.Equal(t, "final", s.Status)
	assert.Equal(t, "401356377", *s.GameID)
	assert.Equal(t, "loss", *s.Result, "game two, not game one's win")
}

func TestSoccerDrawAndShootoutResults(t *testing.T) {
	now := time.Date(2022, 9, 17, 21, 0, 0, 0, time.UTC)
	svc, st, games := sportFixture(t, "mls", "mls/scoreboard-2022-09-17-live-mixed.json", &now)

	s, err := svc.status("PHI", "mls") // 0-0 at Atlanta
	require.NoError(t, err)
	assert.Equal(t, "final", s.Status)
	assert.Equal(t, "tie", *s.Result)

	// Derived: NYC-NY level at 1-1 and won by NY on penalties.
	for i := range games {
		if games[i].ID == "623597" {
			games[i].Score = game.Score{Home: 1, Away: 1}
			games[i].Soccer = &game.Soccer{ExtraTime: true, Shootout: &game.Score{Home: 3, Away: 4}}
		}
	}
	st.Replace("mls", games, now)
	s, err = svc.status("NY", "mls")
	require.NoError(t, err)
	assert.Equal(t, "win", *s.Result)
	s, err = svc.status("NYC", "mls")
	require.NoError(t, err)
	assert.Equal(t, "loss", *s.Result)
	c, err := svc.context("NYC", "mls")
	require.NoError(t, err)
	if assert.NotNil(t, c.Result) {
		assert.Equal(t, "loss", *c.Result)
	}
}
