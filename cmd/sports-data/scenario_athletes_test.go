package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/mqtttest"
	"github.com/sports-data/sports-data/internal/simulator"
	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

// startContestSimulator is startSimulator for the simulator's tennis match
// and race (each starts 20 and 25 simulated minutes after start).
func startContestSimulator(t *testing.T, start time.Time, speed float64) *simService {
	return startSimulatorOf(t, simulator.Options{Start: start, Speed: speed, Seed: 11, Leagues: []string{"atp", "f1"}, Days: 1})
}

// TestAthletesFollowedThroughMQTTAndWebhooks follows a simulated tennis
// match and a race through the service: a player and a driver each
// announced to Home Assistant over MQTT (a real Mosquitto) and each with
// a webhook (a real receiver checking the signatures). Every event comes
// once, in order: the start, a score_change per set won (per change in
// the race's first three), the end with the result; and each MQTT event is
// the webhook's, same id and payload.
func TestAthletesFollowedThroughMQTTAndWebhooks(t *testing.T) {
	t.Parallel()
	broker := mqtttest.URL(t)
	const speed = 240
	ss := startContestSimulator(t, simulator.SundayNoonET(time.Now()), speed)
	var tennis, race simulator.ContestTruth
	for _, c := range ss.sim.Contests() {
		switch c.League {
		case "atp":
			tennis = c
		case "f1":
			race = c
		}
	}
	require.NotEmpty(t, tennis.Changes)
	require.NotEmpty(t, race.Changes)
	player := tennis.Athletes[0]
	// A driver in the first three at some point, so that the race's
	// events matter to the follower.
	driver := race.Changes[0].Detail[2]
	playerID, driverID := game.AthleteID("atp", player), game.AthleteID("f1", driver)

	dp, tp := mqttPrefixes(t)
	ha := mqtttest.Listen(t, broker, dp+"/#", tp+"/#")
	recv := webhooktest.New(t)
	playerHook, playerSecret := recv.Hook("player")
	driverHook, driverSecret := recv.Hook("driver")
	ss.serve(map[string]string{
		"LEAGUES":               "atp,f1",
		"MQTT_URL":              broker,
		"MQTT_DISCOVERY_PREFIX": dp,
		"MQTT_TOPIC_PREFIX":     tp,
		// As TeamTracker's configuration names athletes: a surname, a name.
		"MQTT_TEAMS": strings.ToUpper(player[strings.LastIndex(player, " ")+1:]) + "," + driver,
	})
	// The athletes are known once the first polls are in.
	for _, who := range []string{playerID, driverID} {
		require.Eventually(t, func() bool {
			return ss.do(http.MethodGet, "/api/v1/ha/game-status/"+url.PathEscape(who), nil, nil) == http.StatusOK
		}, mqttWait, 10*time.Millisecond, who)
	}
	require.Equal(t, http.StatusCreated, ss.do(http.MethodPost, "/api/v1/ha/webhooks/register",
		map[string]any{"url": playerHook, "secret": playerSecret, "team": player, "league": "atp"}, nil))
	require.Equal(t, http.StatusCreated, ss.do(http.MethodPost, "/api/v1/ha/webhooks/register",
		map[string]any{"url": driverHook, "secret": driverSecret, "team": driver, "league": "f1"}, nil))
	require.True(t, time.Now().Before(ss.wallOf(tennis.Start)), "set up before the match starts; a loaded machine needs a slower speed")

	requireDiscovery(t, ha, dp, tp, playerID, player)
	requireDiscovery(t, ha, dp, tp, driverID, driver)

	for _, c := range []struct {
		name, id, hook string
		truth          simulator.ContestTruth
	}{
		{"tennis", playerID, "player", tennis},
		{"race", driverID, "driver", race},
	} {
		c := c
		t.Run(c.name, func(t *testing.T) {
			ha.WaitFor(tp+"/"+c.id+"/state", 3*mqttWait, func(m mqtttest.Message) bool { return m.Payload == "POST" })
			var hooks []webhooktest.Delivery
			require.Eventually(t, func() bool {
				hooks = nil
				for _, d := range recv.All() {
					if d.Hook == c.hook {
						hooks = append(hooks, d)
					}
				}
				return len(hooks) > 0 && hooks[len(hooks)-1].Body["event"] == "game_end"
			}, mqttWait, 10*time.Millisecond, "the %s webhook's game_end", c.name)

			// In order, once each: the start, a score_change per change
			// of the truth, the end.
			want := []string{"game_start"}
			for range c.truth.Changes {
				want = append(want, "score_change")
			}
			want = append(want, "game_end")
			var got []string
			ids := map[string]bool{}
			for _, d := range hooks {
				got = append(got, d.Body["event"].(string))
				id := d.Body["event_id"].(string)
				assert.False(t, ids[id], "event %s delivered twice", id)
				ids[id] = true
			}
			assert.Equal(t, want, got)
			end := hooks[len(hooks)-1].P
			followed := map[string]string{"tennis": player, "race": driver}[c.name]
			wantResult := "loss"
			if c.truth.Winner == followed {
				wantResult = "win"
			}
			assert.Equal(t, strings.ToUpper(strings.TrimPrefix(game.AthleteID(c.truth.League, c.truth.Winner), c.truth.League+"-")), end.Winner)
			if c.name == "race" {
				assert.Equal(t, race.Changes[len(race.Changes)-1].Detail, podiumNames(race, end.Podium), "the last change's first three finished so")
				assert.Positive(t, end.Position)
			}
			assert.Equal(t, wantResult, end.Result)
			require.NotNil(t, end.Contest)
			assert.Equal(t, c.truth.EventID, end.Contest.EventID)

			// The MQTT event entity got the same events, same ids and bodies.
			ha.WaitFor(tp+"/"+c.id+"/event", mqttWait, func(m mqtttest.Message) bool { return strings.Contains(m.Payload, `"event_type":"game_end"`) })
			events := ha.On(tp + "/" + c.id + "/event")
			require.Len(t, events, len(hooks), "one MQTT event per webhook event")
			for i, m := range events {
				var body map[string]any
				require.NoError(t, json.Unmarshal([]byte(m.Payload), &body))
				wantBody := map[string]any{}
				for k, v := range hooks[i].Body {
					wantBody[k] = v
				}
				for _, k := range []string{"webhook_id", "occurred_at", "attempt"} {
					delete(wantBody, k)
					delete(body, k)
				}
				assert.Equal(t, wantBody, body, "event %d", i)
			}
			assert.Equal(t, []string{"PRE", "IN", "POST"}, dedup(payloads(ha.On(tp+"/"+c.id+"/state"))))
		})
	}

	// What the service says of athletes, in its answers and deliveries, is
	// what api/openapi.yaml documents (every object closed: an
	// undocumented field fails).
	contract := loadContract(t)
	checkCallbacks(t, contract, recv)
	for _, who := range []string{playerID, driverID} {
		for _, route := range []string{"/api/v1/ha/game-status/", "/api/v1/ha/game-context/", "/api/v1/ha/sensor/"} {
			contract.check(t, ss.base, http.MethodGet, route+url.PathEscape(who), nil, nil, http.StatusOK)
		}
		contract.check(t, ss.base, http.MethodGet, "/api/v1/games/history?team_ids="+url.QueryEscape(who), nil, nil, http.StatusOK)
	}
	contract.check(t, ss.base, http.MethodGet, "/api/v1/teams", nil, nil, http.StatusOK)
}

// podiumNames are the names of a payload's podium abbreviations.
func podiumNames(c simulator.ContestTruth, abbrs []string) []string {
	var out []string
	for _, a := range abbrs {
		for _, n := range c.Athletes {
			if strings.EqualFold(strings.TrimPrefix(game.AthleteID(c.League, n), c.League+"-"), a) {
				out = append(out, n)
			}
		}
	}
	return out
}
