package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/simulator"
)

// The planned game is the one the checks need: upcoming for half a minute
// or more of real time, then both teams scoring, a goal taken back, and
// enough score changes around the middle for the restart.
func TestPlanGameFindsTheQuickScoresGameSoonAfterTheStart(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		p, err := planGame(seed, 50, 100*time.Minute)
		require.NoError(t, err)
		g, err := p.start()
		require.NoError(t, err)
		defer g.sim.Close()

		lead := g.truth.Scheduled.Sub(p.clock)
		assert.GreaterOrEqual(t, lead, 100*time.Minute)
		assert.LessOrEqual(t, lead, 115*time.Minute)
		assert.Equal(t, simulator.ScenarioQuick, g.truth.Scenario)
		assert.Contains(t, g.truth.Tags, simulator.TagOverturned)
		require.NotNil(t, g.truth.Final, "the truth is read past the end")
		assert.GreaterOrEqual(t, len(g.truth.Scores), 4)
		assert.Equal(t, "nhl-", p.team[:4])
		// The real clock runs speed times slower than the simulated one.
		assert.InDelta(t, float64(lead)/50, float64(g.wall(g.truth.Scheduled).Sub(g.epoch)), float64(time.Second))
	}
}

func TestPackageAutomationsReadsTheThreeWebhookAutomations(t *testing.T) {
	autos, err := packageAutomations("../../deployments/homeassistant/sports_data.yaml")
	require.NoError(t, err)
	events := map[string]automation{}
	for _, a := range autos {
		events[a.Event] = a
	}
	require.Len(t, events, 3)
	assert.Equal(t, "score-update", events["score_change"].Route)
	assert.Contains(t, events["score_change"].Fields, "score_change")
	assert.Contains(t, events["game_end"].Fields, "result")
	assert.NotEmpty(t, events["game_start"].WebhookID)
}

func TestQuantileIsNearestRank(t *testing.T) {
	ms := time.Millisecond
	s := []time.Duration{5 * ms, 1 * ms, 4 * ms, 2 * ms, 3 * ms}
	assert.Equal(t, 3*ms, quantile(s, 0.5))
	assert.Equal(t, 5*ms, quantile(s, 0.99))
	assert.Equal(t, 1*ms, quantile(s, 0))
}

func TestNumberReadsBothScoreShapes(t *testing.T) {
	for _, v := range []any{float64(3), "3"} {
		n, ok := number(v)
		assert.True(t, ok)
		assert.Equal(t, 3.0, n)
	}
	_, ok := number(nil)
	assert.False(t, ok)
}

// An attribute the service never answered around the write fails the
// match; fields of two answers sampled apart pass.
func TestMatchesAnswerFieldByField(t *testing.T) {
	at := time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC)
	answers := []answer{
		{Body: map[string]any{"status": "upcoming", "minutes_until_start": 110.0, "updated_at": "a"}, First: at.Add(-time.Second), Last: at.Add(-900 * time.Millisecond)},
		{Body: map[string]any{"status": "upcoming", "minutes_until_start": 109.0, "updated_at": "b"}, First: at.Add(-100 * time.Millisecond), Last: at},
	}
	state := func(min float64, upd string) haState {
		return haState{State: "upcoming", LastUpdated: at, Attributes: map[string]any{"minutes_until_start": min, "updated_at": upd}}
	}
	attrs := []string{"minutes_until_start", "updated_at"}
	assert.True(t, matchesAnswer(state(110, "b"), answers, attrs, 3*time.Second))
	assert.False(t, matchesAnswer(state(111, "b"), answers, attrs, 3*time.Second))
	assert.False(t, matchesAnswer(state(110, "c"), answers, attrs, 3*time.Second))
	late := state(110, "a")
	late.LastUpdated = at.Add(10 * time.Second)
	assert.False(t, matchesAnswer(late, answers, attrs, 3*time.Second))
	// While Home Assistant starts it may write a state that late.
	assert.True(t, matchesAnswer(late, answers, attrs, 15*time.Second))
}

// The attributes compared are the package's: the per-poll stamp is not
// among them.
func TestPackageAttributesAreTheGameSensorsJSONAttributes(t *testing.T) {
	attrs, err := packageAttributes("../../deployments/homeassistant/sports_data.yaml", "sports_data_patriots_game")
	require.NoError(t, err)
	assert.Contains(t, attrs, "team_score")
	assert.NotContains(t, attrs, "updated_at")
	_, err = packageAttributes("../../deployments/homeassistant/sports_data.yaml", "no_such_sensor")
	assert.Error(t, err)
}

// A row that differs from the one before it only in the poll's stamp is a
// quiet row; rows outside the window or in the skipped span are not
// counted.
func TestCountRowsTellsQuietRowsFromChanges(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC)
	row := func(sec int, state, clock, stamp string) haState {
		return haState{EntityID: "sensor.x", State: state, LastUpdated: t0.Add(time.Duration(sec) * time.Second),
			Attributes: map[string]any{"clock": clock, "last_update": stamp}}
	}
	rows := []haState{
		row(0, "PRE", "", "a"),
		row(10, "PRE", "", "b"),       // quiet
		row(20, "IN", "20:00", "c"),   // change
		row(30, "IN", "19:00", "d"),   // change
		row(40, "IN", "19:00", "e"),   // quiet, skipped
		row(50, "IN", "19:00", "f"),   // quiet
		row(70, "POST", "Final", "g"), // outside
	}
	pr := countRows(rows, window{t0.Add(5 * time.Second), t0.Add(60 * time.Second)}, window{t0.Add(35 * time.Second), t0.Add(45 * time.Second)})
	assert.Equal(t, phaseRows{Entity: "sensor.x", Seconds: 45, Rows: 4, Changes: 2, Quiet: 2}, pr)
}

// The final first shown during the restart is not measured, and a later
// state of the final (an attribute changed) is not taken for it.
func TestStateLatenciesLeaveOutTheRestartWithoutMeasuringLaterStates(t *testing.T) {
	p, err := planGame(1, 50, 100*time.Minute)
	require.NoError(t, err)
	g, err := p.start()
	require.NoError(t, err)
	defer g.sim.Close()
	end := g.wall(g.truth.End)
	r := &run{g: g, haStopped: end.Add(-time.Minute), haBack: end.Add(-5 * time.Second)}
	st := func(at time.Time, state string) haState {
		return haState{EntityID: "sensor.x", State: state, LastUpdated: at,
			Attributes: map[string]any{"team_score": "4", "opponent_score": "2"}}
	}
	states := []haState{st(end.Add(time.Second), "POST"), st(end.Add(2*time.Minute), "POST")}
	assert.Empty(t, r.stateLatencies(states, "sensor.x", "IN", "POST", "team_score", "opponent_score"))
}
