package history_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history"
)

// A stored game's events are those event detection makes of its
// timeline: the start, each score, the end, with their ids and the
// observation each came from.
func TestEventsOfAStoredGame(t *testing.T) {
	s := openSQLite(t)
	seedKC(t, s)
	svc := newService(t, s, history.Options{})

	got, err := svc.Events(context.Background(), "101", "")
	require.NoError(t, err)
	assert.Equal(t, "101", got.GameID)
	assert.Equal(t, "NFL", got.League)
	var types []string
	for _, e := range got.Events {
		types = append(types, e.EventType)
	}
	assert.Equal(t, []string{events.GameStart, events.ScoreChange, events.ScoreChange, events.ScoreChange, events.GameEnd}, types)
	assert.Equal(t, week(1).Add(20*time.Minute), got.Events[1].Time)
	assert.Equal(t, game.Score{Home: 7, Away: 0}, got.Events[1].Score)
	assert.Equal(t, game.Score{}, got.Events[1].PreviousScore)
	assert.Equal(t, 1, got.Events[1].Period)

	// The ids are event detection's, compared change by change.
	tl, err := svc.Timeline(context.Background(), "101", "nfl")
	require.NoError(t, err)
	var obs []events.Observation
	for _, e := range tl.Timeline {
		obs = append(obs, events.Observation{At: e.Time, Game: game.Game{ID: "101", League: "NFL", Status: e.Status,
			Score: game.Score{Home: e.HomeScore, Away: e.AwayScore}}})
	}
	for i, ev := range events.Replay("nfl", obs) {
		assert.Equal(t, ev.ID, got.Events[i].EventID)
	}

	_, err = svc.Events(context.Background(), "999999", "")
	assert.ErrorIs(t, err, history.ErrNotFound)
	_, err = svc.Events(context.Background(), "1 or 1", "")
	assert.ErrorIs(t, err, history.ErrInvalid)
}
