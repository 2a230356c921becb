package events

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/game"
)

func athlete(league, name string) game.Team {
	id := game.AthleteID(league, name)
	return game.Team{ID: id, Name: name, Abbreviation: id[len(league)+1:], Athlete: true}
}

// race is a session of f1 with the drivers in this order.
func race(status game.Status, lap int, order ...string) game.Game {
	g := game.Game{ID: "401505955", League: "F1", Status: status, Period: game.Period{Current: lap},
		Contest: &game.Contest{EventID: "600026751", EventName: "Azerbaijan GP", Kind: "Race"}}
	for i, n := range order {
		g.Field = append(g.Field, game.Entrant{Team: athlete("f1", n), Position: i + 1})
	}
	g.HomeTeam, g.AwayTeam = g.Field[0].Team, g.Field[1].Team
	g.Score = game.Score{Home: 1, Away: 2}
	if status == game.StatusFinal {
		g.Contest.Winner, g.Contest.Decided = game.Home, true
	}
	return g
}

// A race's score_change is a place in the top three changing hands; places
// further back change nothing; the end is game_end with the winner.
func TestRaceEventsAreTopThreeChanges(t *testing.T) {
	grid := race(game.StatusScheduled, 0, "Charles Leclerc", "Max Verstappen", "Sergio Pérez", "Carlos Sainz", "Lewis Hamilton")
	start := race(game.StatusLive, 1, "Charles Leclerc", "Max Verstappen", "Sergio Pérez", "Carlos Sainz", "Lewis Hamilton")
	assert.Equal(t, []string{GameStart}, types(Detect(&grid, start)))

	back := race(game.StatusLive, 5, "Charles Leclerc", "Max Verstappen", "Sergio Pérez", "Lewis Hamilton", "Carlos Sainz")
	assert.Empty(t, Detect(&start, back), "fourth and fifth swapped: no news")

	pass := race(game.StatusLive, 9, "Max Verstappen", "Charles Leclerc", "Sergio Pérez", "Lewis Hamilton", "Carlos Sainz")
	evs := Detect(&back, pass)
	require.Equal(t, []string{ScoreChange}, types(evs))
	p := evs[0].Payload("SERGIO-PEREZ")
	assert.Equal(t, []string{"MAX-VERSTAPPEN", "CHARLES-LECLERC", "SERGIO-PEREZ"}, p.Podium)
	assert.Equal(t, 3, p.Position, "the followed driver's place")
	assert.Equal(t, 3, p.TeamScore, "a driver's score is the place")
	assert.Equal(t, "MAX-VERSTAPPEN", p.Opponent, "the leader")
	assert.Equal(t, "Azerbaijan GP", p.Contest.EventName)

	// Back and forth: each change its own id.
	again := race(game.StatusLive, 12, "Charles Leclerc", "Max Verstappen", "Sergio Pérez", "Lewis Hamilton", "Carlos Sainz")
	prev := snapshotOf(&back)
	e1, n := detect(prev, pass, 0)
	e2, n := detect(snapshotOf(&pass), again, n)
	e3, n := detect(snapshotOf(&again), pass, n)
	assert.Equal(t, 3, n)
	assert.NotEqual(t, e1[0].ID, e3[0].ID, "the same pass a second time is a second event")
	assert.NotEqual(t, e1[0].ID, e2[0].ID)

	end := race(game.StatusFinal, 51, "Max Verstappen", "Charles Leclerc", "Sergio Pérez", "Lewis Hamilton", "Carlos Sainz")
	evs = Detect(&pass, end)
	require.Equal(t, []string{GameEnd}, types(evs), "the same top three at the flag: only the end")
	assert.Equal(t, "win", evs[0].Payload("MAX-VERSTAPPEN").Result)
	loser := evs[0].Payload("LEWIS-HAMILTON")
	assert.Equal(t, "loss", loser.Result)
	assert.Equal(t, 4, loser.Position)
	assert.Equal(t, "MAX-VERSTAPPEN", loser.Winner)
}

// A tennis match's score is sets won: a set won is a score_change, games
// within a set are not.
func TestTennisEventsAreSetsWon(t *testing.T) {
	match := func(status game.Status, sets game.Score, games ...game.Score) game.Game {
		return game.Game{ID: "147745", League: "ATP", Status: status, Score: sets, Sets: games,
			HomeTeam: athlete("atp", "Francisco Cabral"), AwayTeam: athlete("atp", "Jan-Lennard Struff"),
			Contest: &game.Contest{EventID: "771-2024", Kind: "Men's Singles", Round: "Round 1"}}
	}
	a := match(game.StatusLive, game.Score{}, game.Score{Home: 2, Away: 3})
	b := match(game.StatusLive, game.Score{}, game.Score{Home: 2, Away: 5})
	assert.Empty(t, Detect(&a, b), "games within a set")
	c := match(game.StatusLive, game.Score{Away: 1}, game.Score{Home: 2, Away: 6}, game.Score{})
	evs := Detect(&b, c)
	require.Equal(t, []string{ScoreChange}, types(evs))
	p := evs[0].Payload("JAN-LENNARD-STRUFF")
	assert.Equal(t, 1, p.ScoreChange, "a set won by the followed player")
	assert.Equal(t, 1, p.TeamScore)
	retired := match(game.StatusFinal, game.Score{Home: 1, Away: 1}, game.Score{Home: 2, Away: 6}, game.Score{Home: 6, Away: 1}, game.Score{Home: 0, Away: 1})
	retired.Contest.Winner, retired.Contest.Decided, retired.Contest.Note = game.Home, true, "retired"
	evs = Detect(&c, retired)
	require.Equal(t, []string{ScoreChange, GameEnd}, types(evs))
	end := evs[1].Payload("JAN-LENNARD-STRUFF")
	assert.Equal(t, "loss", end.Result, "he retired at a set all")
	assert.Equal(t, "FRANCISCO-CABRAL", end.Winner)
	assert.Equal(t, "retired", end.Contest.Note)
}

// A bout's score_change is a round finished; its result is the game_end.
func TestMMAEventsAreRoundsFinished(t *testing.T) {
	bout := func(status game.Status, round int, score game.Score) game.Game {
		return game.Game{ID: "401505365", League: "UFC", Status: status, Score: score, Period: game.Period{Current: round, Total: 3},
			HomeTeam: athlete("ufc", "Alex Caceres"), AwayTeam: athlete("ufc", "Julian Erosa")}
	}
	pre, r1 := bout(game.StatusScheduled, 0, game.Score{}), bout(game.StatusLive, 1, game.Score{})
	assert.Equal(t, []string{GameStart}, types(Detect(&pre, r1)))
	r2 := bout(game.StatusLive, 2, game.Score{})
	evs := Detect(&r1, r2)
	require.Equal(t, []string{ScoreChange}, types(evs), "round 1 finished")
	assert.Equal(t, 2, evs[0].Payload("ALEX-CACERES").Period)
	assert.Empty(t, Detect(&r2, r2))
	ko := bout(game.StatusFinal, 2, game.Score{Home: 1})
	ko.Contest = &game.Contest{Winner: game.Home, Decided: true}
	evs = Detect(&r2, ko)
	require.Equal(t, []string{GameEnd}, types(evs), "a finish: the end, not a round")
	assert.Equal(t, "win", evs[0].Payload("ALEX-CACERES").Result)
	nc := ko
	nc.Score, nc.Contest = game.Score{}, &game.Contest{Decided: true, Note: "no contest"}
	evs = Detect(&r2, nc)
	require.Equal(t, []string{GameEnd}, types(evs))
	p := evs[0].Payload("JULIAN-EROSA")
	assert.Equal(t, "tie", p.Result, "a no-contest is no loss")
	assert.Equal(t, "no contest", p.Contest.Note)
}

// A cricket match's score_change is a wicket, not every run.
func TestCricketEventsAreWickets(t *testing.T) {
	match := func(runs, wickets game.Score) game.Game {
		return game.Game{ID: "1324647", League: "CRICKET8044", Status: game.StatusLive, Score: runs,
			HomeTeam: game.Team{ID: "cricket8044-mr", Abbreviation: "MR"}, AwayTeam: game.Team{ID: "cricket8044-ps", Abbreviation: "PS"},
			Cricket: &game.Cricket{Wickets: wickets}}
	}
	a := match(game.Score{Home: 155, Away: 120}, game.Score{Home: 6, Away: 2})
	b := match(game.Score{Home: 155, Away: 125}, game.Score{Home: 6, Away: 2})
	assert.Empty(t, Detect(&a, b), "runs alone")
	c := match(game.Score{Home: 155, Away: 125}, game.Score{Home: 6, Away: 3})
	evs := Detect(&b, c)
	require.Equal(t, []string{ScoreChange}, types(evs))
	p := evs[0].Payload("MR")
	assert.Equal(t, &game.Score{Home: 6, Away: 3}, p.Wickets)
}

// Team sports' payloads carry none of the individual sports' fields.
func TestTeamSportPayloadUnchanged(t *testing.T) {
	g := game.Game{ID: "1", League: "NFL", Status: game.StatusLive, Score: game.Score{Home: 7},
		HomeTeam: game.Team{ID: "nfl-ne", Abbreviation: "NE"}, AwayTeam: game.Team{ID: "nfl-kc", Abbreviation: "KC"}}
	prev := g
	prev.Score = game.Score{}
	evs := Detect(&prev, g)
	require.Len(t, evs, 1)
	var m map[string]any
	require.NoError(t, json.Unmarshal(evs[0].Payload("KC").JSON(), &m))
	for _, k := range []string{"contest", "podium", "position", "wickets"} {
		assert.NotContains(t, m, k)
	}
	assert.Equal(t, "KC", m["team"])
	assert.EqualValues(t, 0, m["score_change"])
	assert.EqualValues(t, 7, m["opponent_score_change"])
}
