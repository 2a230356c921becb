package hadiscovery

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/mqtttest"
	"github.com/sports-data/sports-data/internal/standings"
	"github.com/sports-data/sports-data/internal/teams"
)

// liveStandings is the standings service with the NFL's captured 2024
// table, asked from an ESPN stand-in as the service asks it.
func liveStandings(t *testing.T) *standings.Service {
	t.Helper()
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, "/football/nfl/standings", "nfl/standings-2024-season-2025-05-11.json")
	nfl, _ := league.Lookup("nfl")
	svc := standings.New(espn.NewClient(srv.URL, espn.Options{}), nil, nil, []league.League{nfl}, standings.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.Run(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
	require.Eventually(t, func() bool { _, ok := svc.Current("nfl"); return ok }, wait, 10*time.Millisecond)
	return svc
}

// A followed team's device has a Standing sensor: its place in its
// league's table as the state, its line as attributes.
func TestStandingSensor(t *testing.T) {
	r := newRig(t, mqtttest.URL(t), Options{Teams: []string{"Chiefs", "Bills"}, Standings: liveStandings(t)})
	r.s.set("nfl-kc", "POST")
	r.s.set("nfl-buf", "POST")
	r.listen()
	r.run()

	m := r.ha.WaitFor(r.p.t.standingConfig("nfl-kc"), wait, func(m mqtttest.Message) bool { return m.Payload != "" })
	var cfg map[string]any
	require.NoError(t, json.Unmarshal([]byte(m.Payload), &cfg))
	assert.Equal(t, "Standing", cfg["name"])
	assert.Equal(t, r.tp+"/nfl-kc/standing", cfg["state_topic"])
	assert.Equal(t, r.tp+"/nfl-kc/standing/attributes", cfg["json_attributes_topic"])
	assert.Equal(t, r.p.t.node+"_nfl-kc_standing", cfg["unique_id"])
	dev := cfg["device"].(map[string]any)
	assert.Equal(t, []any{r.p.t.node + "_nfl-kc"}, dev["identifiers"], "on the team's device")

	assert.Equal(t, "1", r.ha.WaitFor(r.tp+"/nfl-kc/standing", wait, func(mqtttest.Message) bool { return true }).Payload)
	assert.Equal(t, "2", r.ha.WaitFor(r.tp+"/nfl-buf/standing", wait, func(mqtttest.Message) bool { return true }).Payload)
	attrs := r.ha.WaitFor(r.tp+"/nfl-buf/standing/attributes", wait, func(mqtttest.Message) bool { return true })
	var line map[string]any
	require.NoError(t, json.Unmarshal([]byte(attrs.Payload), &line))
	assert.Equal(t, "American Football Conference", line["group"])
	assert.Equal(t, 13.0, line["wins"])
	assert.Equal(t, 2.0, line["games_behind"])
	assert.Equal(t, "13-4", line["record"])

	// The topic of the Standing sensor's configuration names the team:
	// it is one of its configurations, not a team of its own.
	assert.Equal(t, "nfl-kc", r.p.t.objectOf(r.p.t.standingConfig("nfl-kc")))
}

// A club followed in the Premier League gets its Champions League events
// on its one device, seen from the club. Derived: Arsenal's last league
// game of the capture replayed as a Champions League game.
func TestAClubsEventsInEveryCompetitionReachItsDevice(t *testing.T) {
	epl, _ := league.Lookup("epl")
	cl, _ := league.Lookup("cl")
	games, err := espn.ParseScoreboard(espntest.Load(t, "epl/scoreboard-2025-05-25-final-details.json"), epl)
	require.NoError(t, err)
	dir := teams.NewDirectory("", []league.League{epl, cl}, nil)
	var eplTeams []game.Team
	var sou game.Game
	for _, g := range games {
		eplTeams = append(eplTeams, g.HomeTeam, g.AwayTeam)
		if g.ID == "704656" {
			sou = g
		}
	}
	require.NoError(t, dir.Set(epl, eplTeams))
	recast := func(tm game.Team) game.Team {
		tm.ID = game.TeamID("cl", tm.Abbreviation)
		return tm
	}
	require.NoError(t, dir.Set(cl, []game.Team{recast(sou.HomeTeam), recast(sou.AwayTeam)}))

	r := newRig(t, mqtttest.URL(t), Options{Teams: []string{"Arsenal"}, Directory: dir, Club: dir.Club})
	r.p.o.Leagues = []string{"epl", "cl"}
	r.s.set("epl-ars", "IN")
	r.listen()
	r.run()
	r.ha.WaitFor(r.tp+"/epl-ars/state", wait, func(m mqtttest.Message) bool { return m.Payload == "IN" })

	g := sou
	g.ID, g.League, g.Status = "9000001", "CL", game.StatusLive
	g.HomeTeam, g.AwayTeam = recast(sou.HomeTeam), recast(sou.AwayTeam)
	g.Score = game.Score{Home: 1, Away: 2}
	ev := events.Event{Type: events.ScoreChange, ID: "cl-goal", League: "cl", Game: g, PreviousStatus: game.StatusLive,
		Previous: game.Score{Home: 1, Away: 1}, Observed: time.Date(2025, 5, 25, 16, 0, 0, 0, time.UTC)}
	r.p.Events([]events.Event{ev})
	m := r.ha.WaitFor(r.tp+"/epl-ars/event", wait, func(mqtttest.Message) bool { return true })
	assert.JSONEq(t, string(ev.Payload("ARS").JSON()), m.Payload)
	assert.Equal(t, "CL", jsonField(t, m.Payload, "league"))
	assert.Equal(t, 1.0, jsonField(t, m.Payload, "score_change"))
	assert.Empty(t, r.ha.On(r.tp+"/cl-ars/event"), "one device for the club")
}
