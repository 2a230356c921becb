package events

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// The game_end of soccer matches from the MLS capture: a draw, and (derived)
// the same match level after extra time and decided on penalties.
func TestSoccerGameEndPayload(t *testing.T) {
	l, ok := league.Lookup("mls")
	require.True(t, ok)
	games, err := espn.ParseScoreboard(espntest.Load(t, "mls/scoreboard-2022-09-17-live-mixed.json"), l)
	require.NoError(t, err)
	at := time.Date(2022, 9, 17, 21, 0, 0, 0, time.UTC)

	draw := eventstest.Find(t, games, "623599") // Atlanta 0-0 Philadelphia
	require.Equal(t, game.StatusFinal, draw.Status)
	live := eventstest.With(draw, game.StatusLive, 0, 0, 2, "90'+7'")
	evs := Detect(&live, draw)
	require.Equal(t, []string{GameEnd}, types(evs))
	p := observedAt(evs[0], at).Payload("PHI")
	assert.Equal(t, "tie", p.Winner, "a draw")
	assert.Equal(t, "tie", p.Result)
	assert.Nil(t, p.Shootout)
	assert.NotContains(t, string(encode(p)), "shootout")

	// Derived: level at 1-1, won 4-3 on penalties by the away side.
	pens := eventstest.Find(t, games, "623597") // NYC v NY
	pens.Score = game.Score{Home: 1, Away: 1}
	pens.Period.Current = 5
	pens.Soccer = &game.Soccer{Minute: 120, ExtraTime: true, Shootout: &game.Score{Home: 3, Away: 4}}
	live = eventstest.With(pens, game.StatusLive, 1, 1, 5, "120'")
	live.Soccer = &game.Soccer{Minute: 120, ExtraTime: true, Shootout: &game.Score{Home: 3, Away: 3}}
	evs = Detect(&live, pens)
	require.Equal(t, []string{GameEnd}, types(evs))
	home := observedAt(evs[0], at).Payload("NYC")
	assert.Equal(t, "NY", home.Winner)
	assert.Equal(t, "loss", home.Result)
	away := observedAt(evs[0], at).Payload("NY")
	assert.Equal(t, "win", away.Result)
	all := observedAt(evs[0], at).Payload("")
	assert.Equal(t, "NY", all.Winner)
	assert.Empty(t, all.Result)

	var body map[string]any
	require.NoError(t, json.Unmarshal(encode(home), &body))
	assert.Equal(t, map[string]any{"home": 3.0, "away": 4.0}, body["shootout"])
	assert.Equal(t, map[string]any{"home": 1.0, "away": 1.0}, body["score"])
}
