package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/testenv"
)

// eplStandIn answers as ESPN does for the EPL the day after the only
// fixtures capture (Tottenham, 2026-09-29): the capture at
// soccer/all/teams/367/schedule; everything else derived from it: a team
// list of its three clubs, plain team schedules without future games (as
// ESPN's soccer schedules are) and scoreboards without a match in the
// week asked.
func eplStandIn(t *testing.T) *espntest.Server {
	const capture = "epl/team-367-tot-schedule-fixture-2026-09-29-trimmed.json"
	var doc struct {
		Events []struct {
			Competitions []struct {
				Competitors []struct {
					Team map[string]any `json:"team"`
				} `json:"competitors"`
			} `json:"competitions"`
		} `json:"events"`
	}
	raw := espntest.Load(t, capture)
	require.NoError(t, json.Unmarshal(raw, &doc))
	var entries []any
	seen := map[string]bool{}
	add := func(team map[string]any) {
		if id := team["id"].(string); !seen[id] {
			seen[id] = true
			entries = append(entries, map[string]any{"team": team})
		}
	}
	for _, ev := range doc.Events {
		for _, c := range ev.Competitions[0].Competitors {
			add(c.Team)
		}
	}
	teams, err := json.Marshal(map[string]any{"sports": []any{map[string]any{"leagues": []any{map[string]any{"teams": entries}}}}})
	require.NoError(t, err)

	srv := espntest.NewServer(t)
	srv.ServeBytes("/soccer/eng.1/teams", teams)
	srv.ServeBytes("/soccer/eng.1/scoreboard", []byte(`{"leagues":[],"events":[]}`))
	for id := range seen {
		srv.ServeBytes("/soccer/eng.1/teams/"+id+"/schedule", []byte(`{"status":"success","events":[]}`))
		srv.ServeBytes("/soccer/all/teams/"+id+"/schedule", []byte(`{"status":"success","events":[]}`))
	}
	srv.ServeBytes("/soccer/all/teams/367/schedule", raw)
	return srv
}

// A followed club's next match, ten days ahead and on no scoreboard the
// service asks, comes from its fixtures: the sensor shows it, game-status
// calls it upcoming (within a two-week HA_UPCOMING_WINDOW), game-context
// names it, and the schedule route lists both coming matches.
func TestAClubsNextMatchIsKnownFromItsFixtures(t *testing.T) {
	srv := eplStandIn(t)
	now := time.Date(2026, 9, 30, 16, 0, 0, 0, time.UTC)
	// The club is followed (here through MQTT_TEAMS; the broker is down,
	// which changes nothing for schedules): its schedule and fixtures are
	// asked first.
	s := startFrozen(t, srv.URL, map[string]string{"LEAGUES": "epl", "HA_UPCOMING_WINDOW": "336h", "MQTT_TEAMS": "epl-tot",
		"MQTT_URL": "mqtt://" + testenv.FreeAddr(t)}, now)

	var sensor struct {
		State      string         `json:"state"`
		Attributes map[string]any `json:"attributes"`
	}
	s.waitFor("the next match on the sensor", func() bool {
		return s.get("/api/v1/ha/sensor/TOT?league=epl", &sensor) == http.StatusOK && sensor.Attributes["event_id"] == "401878773"
	})
	assert.Equal(t, "PRE", sensor.State)
	assert.Equal(t, "2026-10-10T16:30Z", sensor.Attributes["date"])
	assert.Equal(t, "MAN", sensor.Attributes["opponent_abbr"])

	var status struct {
		Status            string  `json:"status"`
		StartTime         *string `json:"start_time"`
		MinutesUntilStart *int    `json:"minutes_until_start"`
		Opponent          *string `json:"opponent"`
	}
	require.Equal(t, http.StatusOK, s.get("/api/v1/ha/game-status/TOT?league=epl", &status))
	assert.Equal(t, "upcoming", status.Status)
	require.NotNil(t, status.StartTime)
	assert.Equal(t, "2026-10-10T16:30Z", *status.StartTime)
	require.NotNil(t, status.MinutesUntilStart)
	assert.Equal(t, 10*24*60+30, *status.MinutesUntilStart)

	var ctx struct {
		NextGame *struct {
			ID string `json:"id"`
		} `json:"next_game"`
	}
	require.Equal(t, http.StatusOK, s.get("/api/v1/ha/game-context/TOT?league=epl", &ctx))
	require.NotNil(t, ctx.NextGame)
	assert.Equal(t, "401878773", ctx.NextGame.ID)

	var sched struct {
		Games []struct {
			GameID    string `json:"game_id"`
			StartTime string `json:"start_time"`
			Status    string `json:"status"`
		} `json:"games"`
	}
	s.waitFor("both fixtures in the schedule", func() bool {
		return s.get("/api/v1/games/schedule/TOT?league=epl", &sched) == http.StatusOK && len(sched.Games) == 2
	})
	assert.Equal(t, "401878773", sched.Games[0].GameID)
	assert.Equal(t, "401879257", sched.Games[1].GameID)
	assert.Equal(t, "2026-10-19T19:00Z", sched.Games[1].StartTime)

	asked := false
	for _, u := range srv.Requests() {
		if u.Path == "/soccer/all/teams/367/schedule" {
			asked = true
			assert.Equal(t, "fixture=true", u.RawQuery)
		}
	}
	assert.True(t, asked)
}
