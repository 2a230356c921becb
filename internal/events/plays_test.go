package events

import (
	"bytes"
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

func parseCapture(t *testing.T, leagueKey, rel string) []game.Game {
	t.Helper()
	l, ok := league.Lookup(leagueKey)
	require.True(t, ok)
	games, err := espn.ParseScoreboard(espntest.Load(t, rel), l)
	require.NoError(t, err)
	return games
}

// scoreChange is the score_change of g reached from prev (derived: the
// capture's game a goal earlier).
func scoreChange(t *testing.T, g game.Game, prev game.Score) Event {
	t.Helper()
	before := g
	before.Status, before.Score = game.StatusLive, prev
	evs := Detect(&before, g)
	for _, ev := range evs {
		if ev.Type == ScoreChange {
			return observedAt(ev, time.Date(2025, 5, 25, 17, 0, 0, 0, time.UTC))
		}
	}
	t.Fatalf("no score_change from %v to %v", prev, g.Score)
	return Event{}
}

// Soccer goals come from the captured details: the scorer, the minute,
// a penalty; the webhook body and the MQTT event carry them as they are.
func TestScoreChangeCarriesTheSoccerGoal(t *testing.T) {
	games := parseCapture(t, "epl", "epl/scoreboard-2025-05-25-final-details.json")

	// TOT 1-4 BHA: the last goal, Diego Gómez in stoppage time.
	tot := eventstest.Find(t, games, "704657")
	p := scoreChange(t, tot, game.Score{Home: 1, Away: 3}).Payload("BHA")
	require.NotNil(t, p.ScoringPlay)
	assert.Equal(t, game.ScoringPlay{Team: "BHA", Scorer: "Diego Gómez", Type: "Goal", Clock: "90'+3'", Minute: 90, Points: 1}, *p.ScoringPlay)
	assert.Len(t, p.ScoringPlays, 1)

	// FUL 0-2 MNC: Haaland's penalty.
	ful := eventstest.Find(t, games, "704650")
	p = scoreChange(t, ful, game.Score{Home: 0, Away: 1}).Payload("MNC")
	require.NotNil(t, p.ScoringPlay)
	assert.Equal(t, "Erling Haaland", p.ScoringPlay.Scorer)
	assert.Equal(t, "Penalty - Scored", p.ScoringPlay.Type)
	assert.Equal(t, 72, p.ScoringPlay.Minute)
	assert.True(t, p.ScoringPlay.Penalty)
	assert.False(t, p.ScoringPlay.OwnGoal)

	// Two goals between two polls (IPS 1-3 WHU from 1-1): both, oldest first.
	ips := eventstest.Find(t, games, "704651")
	p = scoreChange(t, ips, game.Score{Home: 1, Away: 1}).Payload("")
	require.Len(t, p.ScoringPlays, 2)
	assert.Equal(t, "Jarrod Bowen", p.ScoringPlays[0].Scorer)
	assert.Equal(t, "Mohammed Kudus", p.ScoringPlay.Scorer)

	var body map[string]any
	require.NoError(t, json.Unmarshal(p.JSON(), &body))
	sp, ok := body["scoring_play"].(map[string]any)
	require.True(t, ok, "the body has scoring_play: %s", p.JSON())
	assert.Equal(t, map[string]any{"team": "WHU", "scorer": "Mohammed Kudus", "type": "Goal", "clock": "87'",
		"minute": 87.0, "points": 1.0, "own_goal": false, "penalty": false}, sp)
}

// Where ESPN's answer cannot say which play scored, the payload has no
// scoring play: details behind the score, a goal taken back, a last play
// that scored nothing (the real NBA, NHL and NFL captures), a last play
// of the other side.
func TestScoringPlayIsAbsentWhereESPNDoesNotSayIt(t *testing.T) {
	games := parseCapture(t, "epl", "epl/scoreboard-2025-05-25-final-details.json")
	tot := eventstest.Find(t, games, "704657")
	lagging := tot
	lagging.ScoringPlays = tot.ScoringPlays[:4] // derived: details one goal behind the score
	p := scoreChange(t, lagging, game.Score{Home: 1, Away: 3}).Payload("")
	assert.Nil(t, p.ScoringPlay)
	assert.NotContains(t, string(p.JSON()), "scoring_play")

	down := tot
	down.Status = game.StatusLive
	before := tot
	before.Status, before.Score = game.StatusLive, game.Score{Home: 2, Away: 4}
	evs := Detect(&before, down)
	require.Equal(t, []string{ScoreChange}, types(evs))
	assert.Nil(t, evs[0].Payload("").ScoringPlay, "a goal taken back has no scoring play")

	for _, c := range []struct{ league, rel string }{
		{"nba", "nba/scoreboard-2026-05-02-live-lastplay.json"},
		{"nfl", eventstest.Capture},
		{"nhl", "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json"},
	} {
		for _, g := range parseCapture(t, c.league, c.rel) {
			if g.Status != game.StatusLive {
				continue
			}
			assert.Empty(t, g.ScoringPlays, "%s %s: ESPN's last play scored nothing", c.league, g.ID)
		}
	}
}

// Football, hockey and basketball: ESPN's last play when it scored.
// Derived from the NBA capture: its last play (a foul) made a three by
// Paul George, scoreValue 3.
func TestScoreChangeCarriesTheLastPlayWhenItScored(t *testing.T) {
	raw := espntest.Load(t, "nba/scoreboard-2026-05-02-live-lastplay.json")
	raw = bytes.Replace(raw, []byte(`"scoreValue":0`), []byte(`"scoreValue":3`), 1)
	raw = bytes.Replace(raw, []byte(`"text":"Paul George foul"`), []byte(`"text":"Paul George makes 26-foot three point jumper"`), 1)
	l, _ := league.Lookup("nba")
	games, err := espn.ParseScoreboard(raw, l)
	require.NoError(t, err)
	require.Len(t, games, 1)
	g := games[0]
	require.Len(t, g.ScoringPlays, 1)
	sp := g.ScoringPlays[0]
	require.NotEmpty(t, sp.Team, "credited to a side by ESPN's team id")
	assert.Equal(t, "Paul George", sp.Scorer)
	assert.Equal(t, 3, sp.Points)

	side := func(abbr string) (home bool) { return g.HomeTeam.Abbreviation == abbr }
	prev := g.Score
	if side(sp.Team) {
		prev.Home -= 3
	} else {
		prev.Away -= 3
	}
	p := scoreChange(t, g, prev).Payload(sp.Team)
	require.NotNil(t, p.ScoringPlay)
	assert.Equal(t, "Paul George makes 26-foot three point jumper", p.ScoringPlay.Text)
	assert.Equal(t, 3, p.ScoreChange)

	// The other side's score rose: the three is not that play.
	prev = g.Score
	if side(sp.Team) {
		prev.Away -= 2
	} else {
		prev.Home -= 2
	}
	assert.Nil(t, scoreChange(t, g, prev).Payload("").ScoringPlay)
	// A one-point rise cannot be a three.
	prev = g.Score
	if side(sp.Team) {
		prev.Home--
	} else {
		prev.Away--
	}
	assert.Nil(t, scoreChange(t, g, prev).Payload("").ScoringPlay)
}
