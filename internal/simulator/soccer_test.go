package simulator_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/simulator"
)

func scenarioGame(t *testing.T, tr simulator.Truth, league, scenario string) simulator.GameTruth {
	t.Helper()
	for _, g := range tr.Games {
		if g.League == league && g.Scenario == scenario {
			return g
		}
	}
	t.Fatalf("no %s %s game", league, scenario)
	return simulator.GameTruth{}
}

// A simulated MLS week holds a draw and a match decided on penalties, and
// the service's parser reads them as ESPN's soccer answers read.
func TestSoccerDrawAndPenalties(t *testing.T) {
	s := newSim(t, simulator.Options{Leagues: []string{"mls"}, Seed: 7})
	end := s.OverAt()
	tr := s.TruthAt(end)
	var games int
	for _, g := range tr.Games {
		require.Equal(t, "mls", g.League)
		require.NotNil(t, g.Final, g.ID)
		games++
	}
	assert.Greater(t, games, 10)

	draw := scenarioGame(t, tr, "mls", simulator.ScenarioDraw)
	assert.True(t, draw.Final.Tie)
	assert.Equal(t, 2, draw.Final.Period)
	g := gameAt(t, s, end, "mls", draw.ID)
	require.NotNil(t, g)
	assert.Equal(t, game.StatusFinal, g.Status)
	assert.Equal(t, game.Score{Home: 1, Away: 1}, g.Score)
	assert.Equal(t, "FT", g.StatusDetail)
	require.NotNil(t, g.Soccer)
	assert.Nil(t, g.Soccer.Shootout)
	assert.False(t, g.Soccer.ExtraTime)
	assert.Equal(t, 90, g.Soccer.Minute)
	assert.Positive(t, g.Soccer.AddedTime, "stoppage time at full time")
	assert.Equal(t, game.Level, g.Winner(), "a draw")

	// The first half: minutes, then stoppage time, then halftime.
	at := draw.Start.Add(22*time.Minute + 10*time.Second)
	g = gameAt(t, s, at, "mls", draw.ID)
	assert.Equal(t, game.StatusLive, g.Status)
	assert.Equal(t, "23'", g.Period.TimeRemaining)
	assert.Equal(t, game.Period{Current: 1, Total: 2, TimeRemaining: "23'"}, g.Period)
	assert.Equal(t, 23, g.Soccer.Minute)
	g = gameAt(t, s, draw.Start.Add(45*time.Minute+30*time.Second), "mls", draw.ID)
	assert.Equal(t, "45'+1'", g.Period.TimeRemaining)
	assert.Equal(t, [2]int{45, 1}, [2]int{g.Soccer.Minute, g.Soccer.AddedTime})
	g = gameAt(t, s, draw.Start.Add(55*time.Minute), "mls", draw.ID)
	assert.Equal(t, game.StatusLive, g.Status)
	assert.Equal(t, "HT", g.StatusDetail)
	assert.Equal(t, game.Score{Home: 1}, g.Score, "the 23rd-minute goal")

	pens := scenarioGame(t, tr, "mls", simulator.ScenarioPenalties)
	assert.True(t, pens.Final.Tie, "level in the table")
	assert.Equal(t, 5, pens.Final.Period)
	assert.Contains(t, pens.Tags, simulator.TagShootout)
	g = gameAt(t, s, end, "mls", pens.ID)
	assert.Equal(t, game.StatusFinal, g.Status)
	assert.Equal(t, game.Score{Home: 1, Away: 1}, g.Score)
	assert.Equal(t, "FT-Pens", g.StatusDetail)
	require.NotNil(t, g.Soccer)
	assert.Equal(t, &game.Score{Home: 3, Away: 4}, g.Soccer.Shootout)
	assert.True(t, g.Soccer.ExtraTime)
	assert.Equal(t, 120, g.Soccer.Minute)
	assert.Equal(t, game.Away, g.Winner(), "won on penalties")
	assert.True(t, g.Overtime())

	// Extra time is live at period 3 and the shoot-out at period 5.
	var sawET, sawPens bool
	for _, st := range pens.Statuses {
		sawET = sawET || st.Period == 3 && st.State == "in"
		sawPens = sawPens || st.Name == "STATUS_SHOOTOUT" && st.Period == 5
	}
	assert.True(t, sawET)
	assert.True(t, sawPens)
	last := pens.Statuses[len(pens.Statuses)-1]
	assert.Equal(t, "STATUS_FINAL_PEN", last.Name)
}

// Records are W-D-L with the draws of the week counted, and the teams
// answer is served at ESPN's soccer path.
func TestSoccerRecordsAndPaths(t *testing.T) {
	s := newSim(t, simulator.Options{Leagues: []string{"mls"}, Seed: 7})
	end := s.OverAt()
	tr := s.TruthAt(end)
	draw := scenarioGame(t, tr, "mls", simulator.ScenarioDraw)
	before := gameAt(t, s, draw.Start, "mls", draw.ID)
	after := gameAt(t, s, end, "mls", draw.ID)
	require.NotNil(t, before.HomeTeam.Record)
	require.NotNil(t, after.HomeTeam.Record)
	require.NotNil(t, after.HomeTeam.Record.Points, "soccer records carry points")
	assert.Greater(t, *after.HomeTeam.Record.Ties, *before.HomeTeam.Record.Ties-1)
	assert.Equal(t, 3*after.HomeTeam.Record.Wins+*after.HomeTeam.Record.Ties, *after.HomeTeam.Record.Points)

	base, err := s.Start(t.Context())
	require.NoError(t, err)
	resp, err := http.Get(base + "/soccer/usa.1/teams")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var doc struct {
		Sports []struct {
			Leagues []struct {
				Teams []json.RawMessage
			}
		}
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
	assert.Len(t, doc.Sports[0].Leagues[0].Teams, 28)
	resp2, err := http.Get(base + "/soccer/mls/teams")
	require.NoError(t, err)
	resp2.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp2.StatusCode, "ESPN's path is usa.1")
}

// A club's team schedule lists the matches begun, as ESPN's soccer
// schedules do; its coming matches are its fixtures (soccer/all, with
// fixture=true), each naming its competition, which the service's
// fixtures parser reads.
func TestSoccerFixturesAndPlayedMatches(t *testing.T) {
	s := newSim(t, simulator.Options{Leagues: []string{"mls"}, Seed: 7})
	tr := s.Truth()
	first := tr.Games[0]
	for _, g := range tr.Games {
		if g.Scheduled.Before(first.Scheduled) {
			first = g
		}
	}
	club := first.Home
	at := first.Scheduled.Add(3 * time.Hour) // its first match is over
	var coming, begun int
	for _, g := range tr.Games {
		if g.Home.ID != club.ID && g.Away.ID != club.ID {
			continue
		}
		if g.Scheduled.After(at) {
			coming++
		} else {
			begun++
		}
	}
	require.Positive(t, coming)
	require.Positive(t, begun)
	mls := mustLeague(t, "mls")

	body, err := s.TeamScheduleAt(at, "mls", club.ID, 0)
	require.NoError(t, err)
	played, err := espn.ParseSchedule(body, mls)
	require.NoError(t, err)
	assert.Len(t, played, begun)
	for _, g := range played {
		assert.NotEqual(t, game.StatusScheduled, g.Status, g.ID)
	}

	body, err = s.FixturesAt(at, club.ID, true)
	require.NoError(t, err)
	fixtures, err := espn.ParseFixtures(body, mls)
	require.NoError(t, err)
	assert.Len(t, fixtures, coming)
	for _, g := range fixtures {
		assert.Equal(t, game.StatusScheduled, g.Status, g.ID)
		assert.Equal(t, "MLS", g.League)
		assert.True(t, g.Start.After(at), g.ID)
	}
	var doc struct {
		Events []struct {
			League struct{ ID, Slug string } `json:"league"`
		} `json:"events"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	require.NotEmpty(t, doc.Events)
	assert.Equal(t, "usa.1", doc.Events[0].League.Slug)
	assert.Equal(t, "770", doc.Events[0].League.ID)

	body, err = s.FixturesAt(at, club.ID, false)
	require.NoError(t, err)
	past, err := espn.ParseFixtures(body, mls)
	require.NoError(t, err)
	assert.Len(t, past, begun)

	srv := serve(t, s)
	status, _ := get(t, srv.URL+"/soccer/all/teams/"+club.ID+"/schedule?fixture=true")
	assert.Equal(t, http.StatusOK, status)
	status, _ = get(t, srv.URL+"/soccer/all/teams/99999/schedule?fixture=true")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = get(t, srv.URL+"/soccer/all/scoreboard")
	assert.Equal(t, http.StatusNotFound, status)
}
