package ha

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
)

// athleteFixture holds one capture of a league of athletes in memory, the
// athletes learned from it as the poller's directory learns them.
func athleteFixture(t *testing.T, key, rel string, now time.Time) asker {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok)
	games, err := espn.ParseScoreboard(espntest.Load(t, rel), l)
	require.NoError(t, err)
	dir := teams.NewDirectory("", []league.League{l}, nil)
	dir.Observe(key, games)
	st := state.New(key)
	st.Replace(key, games, now)
	return asker{svc: New(st, Options{Now: func() time.Time { return now }}), dir: dir}
}

// A golfer in the middle of the field: the place, the strokes to par, the
// leader as the opponent and a loss, since only the winner wins.
func TestGameStatusOfAGolferInTheField(t *testing.T) {
	// The Memorial Tournament's last day, two hours after it ended.
	now := time.Date(2025, 6, 1, 23, 0, 0, 0, time.UTC)
	a := athleteFixture(t, "pga", "pga/scoreboard-2025-06-03-final.json", now)
	s, err := a.status("Straka", "pga")
	require.NoError(t, err)
	assert.Equal(t, "final", s.Status)
	assert.Equal(t, "POST", s.State)
	require.NotNil(t, s.Position)
	assert.Equal(t, 3, *s.Position)
	assert.Equal(t, -5, *s.TeamScore, "strokes to par")
	assert.Equal(t, "SCOTTIE-SCHEFFLER", *s.Opponent, "the leader")
	assert.Equal(t, -10, *s.OpponentScore)
	assert.Equal(t, "loss", *s.Result)
	assert.Equal(t, "away", *s.HomeAway)

	w, err := a.status("Scheffler", "pga")
	require.NoError(t, err)
	assert.Equal(t, "win", *w.Result)
	assert.Equal(t, "BEN-GRIFFIN", *w.Opponent, "the leader's opponent is the second")
	assert.Equal(t, 1, *w.Position)
	assert.Equal(t, "the Memorial Tournament pres. by Workday", w.Contest.EventName)
}

// A tennis player's retirement is a loss for the one who retired, whatever
// the sets said; the next match of the draw follows.
func TestGameStatusOfATennisPlayer(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	a := athleteFixture(t, "atp", "atp/scoreboard-2025-06-01-roland-garros.json", now)
	c, err := a.context("Dimitrov", "atp")
	require.NoError(t, err)
	require.NotNil(t, c.LastGame)
	assert.Equal(t, "156690", c.LastGame.ID)
	assert.Equal(t, "loss", *c.Result, "he led two sets to one and retired")
	assert.Equal(t, "ETHAN-QUINN", *c.Opponent)
}
