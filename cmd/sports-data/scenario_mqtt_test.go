package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/sports-data/sports-data/internal/mqtttest"
	"github.com/sports-data/sports-data/internal/simulator"
	"github.com/sports-data/sports-data/internal/testenv"
	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

const mqttWait = 30 * time.Second

// mqttPrefixes are a test's own discovery and topic prefixes on the shared
// broker, which keeps what earlier runs retained.
func mqttPrefixes(t *testing.T) (discovery, topics string) {
	n := fmt.Sprintf("%s-%d", strings.ToLower(t.Name()), time.Now().UnixNano())
	return "ha-" + n, "sd-" + n
}

// simService is the service run in-process on a simulator's clock, as the
// demo's attached mode does.
type simService struct {
	t     *testing.T
	sim   *simulator.Sim
	speed float64
	// simNow was the simulated time at wall time epoch.
	simNow, epoch time.Time
	base          string
	attachArgs    []string
	env           map[string]string
}

func startSimulator(t *testing.T, start time.Time, speed float64) *simService {
	return startSimulatorOf(t, simulator.Options{Start: start, Speed: speed, Seed: 7, Leagues: []string{"nfl"}, Days: 1})
}

// startSimulatorOf starts a simulator of opts, for a service to attach to.
func startSimulatorOf(t *testing.T, opts simulator.Options) *simService {
	speed := opts.Speed
	sim, err := simulator.New(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = sim.Close() })
	base, err := sim.Start(context.Background())
	require.NoError(t, err)
	r0 := time.Now()
	simNow := sim.Now()
	epoch := r0.Add(time.Since(r0) / 2)
	return &simService{t: t, sim: sim, speed: speed, simNow: simNow, epoch: epoch,
		attachArgs: []string{"--attach", base, "--clock-start", simNow.Format(time.RFC3339Nano),
			"--clock-epoch", strconv.FormatInt(epoch.UnixNano(), 10), "--speed", strconv.FormatFloat(speed, 'f', -1, 64), "--poll", "20ms"}}
}

// wallOf is the wall time at which the simulator's answers show simulated
// time st.
func (s *simService) wallOf(st time.Time) time.Time {
	return s.epoch.Add(time.Duration(float64(st.Sub(s.simNow)) / s.speed))
}

// serve runs the service attached to the simulator with env.
func (s *simService) serve(env map[string]string) {
	t := s.t
	port := testenv.FreePort(t)
	s.env = env
	d := startDemo(t, env, append([]string{"--port", strconv.Itoa(port), "--data-dir", t.TempDir()}, s.attachArgs...)...)
	d.wait("listening", regexp.MustCompile(`msg=listening`))
	s.base = fmt.Sprintf("http://127.0.0.1:%d", port)
}

func (s *simService) do(method, path string, body any, out any) int {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(s.t, err)
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(s.t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

// sensorRoute is what the HTTP route answers for a team's sensor: its
// state and attributes.
func sensorRoute(s *simService, team string) (string, map[string]any) {
	var out struct {
		State      string         `json:"state"`
		Attributes map[string]any `json:"attributes"`
	}
	require.Equal(s.t, http.StatusOK, s.do(http.MethodGet, "/api/v1/ha/sensor/"+url.PathEscape(team), nil, &out))
	return out.State, out.Attributes
}

// firstGame is the simulated NFL game of a scenario, or the earliest
// 13:00 game.
func firstGame(t *testing.T, sim *simulator.Sim, scenario string) simulator.GameTruth {
	// The truth at the end of the simulation: the whole game.
	for _, g := range sim.TruthAt(sim.OverAt()).Games {
		if g.League == "nfl" && g.Scenario == scenario {
			return g
		}
	}
	t.Fatalf("no NFL game %q in the simulated day", scenario)
	return simulator.GameTruth{}
}

// requireDiscovery checks a team's three configurations as Home
// Assistant reads them and returns them by component.
func requireDiscovery(t *testing.T, ha *mqtttest.Listener, dp, tp, teamID, teamName string) map[string]map[string]any {
	t.Helper()
	node := tp
	out := map[string]map[string]any{}
	for _, c := range []string{"sensor", "binary_sensor", "event"} {
		m := ha.WaitFor(dp+"/"+c+"/"+node+"/"+teamID+"/config", mqttWait, func(m mqtttest.Message) bool { return m.Payload != "" })
		var cfg map[string]any
		require.NoError(t, json.Unmarshal([]byte(m.Payload), &cfg))
		out[c] = cfg
		assert.Equal(t, node+"_"+teamID+"_"+c, cfg["unique_id"])
		assert.Equal(t, tp+"/status", cfg["availability_topic"])
		dev, _ := cfg["device"].(map[string]any)
		require.NotNil(t, dev)
		assert.Equal(t, teamName, dev["name"])
		assert.Equal(t, []any{node + "_" + teamID}, dev["identifiers"])
		origin, _ := cfg["origin"].(map[string]any)
		assert.Equal(t, "sports-data", origin["name"])
		assert.NotEmpty(t, cfg["name"])
		assert.NotEmpty(t, cfg["state_topic"], "state_topic is required by %s", c)
	}
	assert.Equal(t, tp+"/"+teamID+"/state", out["sensor"]["state_topic"])
	assert.Equal(t, tp+"/"+teamID+"/attributes", out["sensor"]["json_attributes_topic"])
	assert.Equal(t, tp+"/"+teamID+"/live", out["binary_sensor"]["state_topic"])
	assert.Equal(t, tp+"/"+teamID+"/event", out["event"]["state_topic"])
	assert.Equal(t, []any{"game_start", "score_change", "game_end"}, out["event"]["event_types"])
	return out
}

// dedup drops consecutive repeats.
func dedup(in []string) []string {
	var out []string
	for _, s := range in {
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return out
}

// matchesRoute waits until the retained attributes of a team equal the
// HTTP route's answer taken while no newer attributes were published, and
// the state agrees: "at the same moment".
func matchesRoute(t *testing.T, s *simService, ha *mqtttest.Listener, tp, teamID, wantState string) map[string]any {
	t.Helper()
	var last string
	deadline := time.Now().Add(mqttWait)
	for time.Now().Before(deadline) {
		before := len(ha.On(tp + "/" + teamID + "/attributes"))
		st, ok := ha.Last(tp + "/" + teamID + "/state")
		attrs, ok2 := ha.Last(tp + "/" + teamID + "/attributes")
		routeState, routeAttrs := sensorRoute(s, teamID)
		after := len(ha.On(tp + "/" + teamID + "/attributes"))
		if ok && ok2 && before == after && st.Payload == wantState && routeState == wantState {
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(attrs.Payload), &got))
			// last_update is the poll's stamp: the route's moves with every
			// poll, MQTT publishes it only with a real change (a poll that
			// changes nothing publishes nothing), so it is not compared.
			if reflect.DeepEqual(withoutKey(got, "last_update"), withoutKey(routeAttrs, "last_update")) {
				return got
			}
			last = fmt.Sprintf("mqtt %s\nroute %s", attrs.Payload, mustJSON(t, routeAttrs))
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the MQTT attributes of %s never equalled the route's in state %s:\n%s", teamID, wantState, last)
	return nil
}

// withoutKey is m without key k, m itself unchanged.
func withoutKey(m map[string]any, k string) map[string]any {
	out := make(map[string]any, len(m))
	for key, v := range m {
		if key != k {
			out[key] = v
		}
	}
	return out
}

// TestMQTTDiscoveryOverASimulatedGame follows a simulated NFL game through
// the service as Home Assistant would over MQTT, beside a real webhook
// receiver.
func TestMQTTDiscoveryOverASimulatedGame(t *testing.T) {
	t.Parallel()
	broker := mqtttest.URL(t)
	const speed = 600
	ss := startSimulator(t, simulator.SundayNoonET(time.Now()).Add(-40*time.Minute), speed)
	g := firstGame(t, ss.sim, "quick-scores")
	home := "nfl-" + strings.ToLower(g.Home.Abbreviation)
	away := "nfl-" + strings.ToLower(g.Away.Abbreviation)
	dp, tp := mqttPrefixes(t)
	ha := mqtttest.Listen(t, broker, dp+"/#", tp+"/#")
	recv := webhooktest.New(t)

	ss.serve(map[string]string{
		"LOG_LEVEL":             "info",
		"MQTT_URL":              broker,
		"MQTT_DISCOVERY_PREFIX": dp,
		"MQTT_TOPIC_PREFIX":     tp,
		"MQTT_TEAMS":            g.Home.Name, // any spelling the resolver takes
	})
	// Teams are known after the first poll.
	require.Eventually(t, func() bool {
		return ss.do(http.MethodGet, "/api/v1/ha/game-status/"+home, nil, nil) == http.StatusOK
	}, mqttWait, 10*time.Millisecond)
	// The away team through the default user's saved teams.
	require.Equal(t, http.StatusOK, ss.do(http.MethodPost, "/api/v1/user/teams",
		map[string]any{"user_id": "default", "nfl_teams": []string{strings.ToLower(g.Away.Abbreviation)}}, nil))
	require.Equal(t, http.StatusCreated, ss.do(http.MethodPost, "/api/v1/ha/webhooks/register",
		map[string]any{"url": recv.URL(), "secret": webhooktest.Secret, "team": g.Home.Abbreviation}, nil))

	requireDiscovery(t, ha, dp, tp, home, g.Home.Name)
	requireDiscovery(t, ha, dp, tp, away, g.Away.Name)
	ha.WaitFor(tp+"/status", mqttWait, func(m mqtttest.Message) bool { return m.Payload == "online" })

	// PRE, IN, POST, each with the route's attributes at that moment.
	matchesRoute(t, ss, ha, tp, home, "PRE")
	ha.WaitFor(tp+"/"+home+"/live", mqttWait, func(m mqtttest.Message) bool { return m.Payload == "ON" })
	matchesRoute(t, ss, ha, tp, home, "IN")
	ha.WaitFor(tp+"/"+home+"/state", 2*mqttWait, func(m mqtttest.Message) bool { return m.Payload == "POST" })
	post := matchesRoute(t, ss, ha, tp, home, "POST")
	// TeamTracker's attributes, seen from the team.
	assert.Equal(t, g.Home.Abbreviation, post["team_abbr"])
	assert.Equal(t, g.Away.Abbreviation, post["opponent_abbr"])
	assert.Equal(t, strconv.Itoa(g.Final.Home), fmt.Sprint(post["team_score"]))
	assert.Equal(t, strconv.Itoa(g.Final.Away), fmt.Sprint(post["opponent_score"]))
	// live follows the state, a message behind it.
	ha.Wait("live OFF after the game", mqttWait, func([]mqtttest.Message) bool {
		return len(dedup(payloads(ha.On(tp+"/"+home+"/live")))) >= 3
	})
	assert.Equal(t, []string{"PRE", "IN", "POST"}, dedup(payloads(ha.On(tp+"/"+home+"/state"))))
	assert.Equal(t, []string{"OFF", "ON", "OFF"}, dedup(payloads(ha.On(tp+"/"+home+"/live"))))
	assert.Equal(t, payloads(ha.On(tp+"/"+home+"/state")), dedup(payloads(ha.On(tp+"/"+home+"/state"))), "states only on change")

	// One MQTT event per webhook event, same id, same payload (the
	// webhook's own id aside), for the webhook's team.
	final := fmt.Sprintf("%d-%d", g.Final.Home, g.Final.Away)
	waitEnd := func() bool {
		for _, d := range recv.All() {
			if d.Body["event"] == "game_end" {
				return true
			}
		}
		return false
	}
	require.Eventually(t, waitEnd, mqttWait, 10*time.Millisecond, "the webhook's game_end (final %s)", final)
	ha.WaitFor(tp+"/"+home+"/event", mqttWait, func(m mqtttest.Message) bool { return strings.Contains(m.Payload, `"event_type":"game_end"`) })
	hooks := recv.All()
	events := ha.On(tp + "/" + home + "/event")
	require.Len(t, events, len(hooks), "one MQTT event per webhook event")
	byID := map[string]map[string]any{}
	for _, m := range events {
		assert.False(t, m.Retained)
		assert.Equal(t, byte(1), m.QoS)
		var body map[string]any
		require.NoError(t, json.Unmarshal([]byte(m.Payload), &body))
		id, _ := body["event_id"].(string)
		require.NotContains(t, byID, id, "event %s published twice", id)
		byID[id] = body
	}
	var scores int
	for _, d := range hooks {
		id, _ := d.Body["event_id"].(string)
		body, ok := byID[id]
		if !assert.True(t, ok, "webhook event %s %s has no MQTT event", d.Body["event"], id) {
			continue
		}
		want := map[string]any{}
		for k, v := range d.Body {
			want[k] = v
		}
		// What only a delivery has: its webhook and attempt.
		for _, k := range []string{"webhook_id", "occurred_at", "attempt"} {
			delete(want, k)
			delete(body, k)
		}
		assert.Equal(t, want, body, "event %s", id)
		if d.Body["event"] == "score_change" {
			scores++
		}
	}
	// Two scores within one poll are one event.
	assert.Positive(t, scores)
	assert.LessOrEqual(t, scores, len(g.Scores))
	// The away team's entity gets the same events, seen from its side (its
	// copy of each event is published right after the home team's).
	ha.WaitFor(tp+"/"+away+"/event", mqttWait, func(m mqtttest.Message) bool { return strings.Contains(m.Payload, `"event_type":"game_end"`) })
	awayEvents := ha.On(tp + "/" + away + "/event")
	assert.Len(t, awayEvents, len(events))

	// Home Assistant restarts: its birth message brings everything again.
	configsBefore := len(ha.On(dp + "/sensor/" + tp + "/" + home + "/config"))
	statesBefore := len(ha.On(tp + "/" + home + "/state"))
	mqtttest.Publish(t, broker, dp+"/status", "online", false)
	ha.Wait("the re-announcement", mqttWait, func([]mqtttest.Message) bool {
		return len(ha.On(tp+"/"+home+"/state")) > statesBefore && len(ha.On(tp+"/"+away+"/live")) >= 2
	})
	assert.Greater(t, len(ha.On(dp+"/sensor/"+tp+"/"+home+"/config")), configsBefore)

	// The away team is unfollowed: its entities go, the home team's stay.
	require.Equal(t, http.StatusOK, ss.do(http.MethodPost, "/api/v1/user/teams",
		map[string]any{"user_id": "default", "nfl_teams": []string{}}, nil))
	for _, c := range []string{"sensor", "binary_sensor", "event"} {
		ha.WaitFor(dp+"/"+c+"/"+tp+"/"+away+"/config", mqttWait, func(m mqtttest.Message) bool { return m.Payload == "" })
	}
	for _, topic := range []string{"state", "attributes", "live"} {
		ha.WaitFor(tp+"/"+away+"/"+topic, mqttWait, func(m mqtttest.Message) bool { return m.Payload == "" })
	}
	var health struct {
		MQTT struct {
			Enabled   bool     `json:"enabled"`
			Connected bool     `json:"connected"`
			Published int64    `json:"messages_published"`
			Teams     []string `json:"teams"`
		} `json:"mqtt"`
	}
	require.Equal(t, http.StatusOK, ss.do(http.MethodGet, "/health", nil, &health))
	assert.True(t, health.MQTT.Enabled)
	assert.True(t, health.MQTT.Connected)
	assert.Equal(t, []string{home}, health.MQTT.Teams)
	assert.Positive(t, health.MQTT.Published)
	late := mqtttest.Listen(t, broker, dp+"/#", tp+"/#")
	late.WaitFor(tp+"/"+home+"/live", mqttWait, func(mqtttest.Message) bool { return true })
	for _, m := range late.Messages() {
		assert.NotContains(t, m.Topic, "/"+away+"/", "nothing of the unfollowed team stays on the broker")
	}
}

func payloads(ms []mqtttest.Message) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Payload)
	}
	return out
}

// TestMQTTBrokerTroubleNeverHurtsTheService starts the service before its
// broker, restarts the broker under it, and checks that requests never
// wait and that Home Assistant's view comes back each time.
func TestMQTTBrokerTroubleNeverHurtsTheService(t *testing.T) {
	t.Parallel()
	b := mqtttest.Start(t)
	b.Stop()
	dp, tp := mqttPrefixes(t)
	espn := newESPN(t)
	s := startService(t, espn.URL, map[string]string{
		"MQTT_URL": b.URL, "MQTT_DISCOVERY_PREFIX": dp, "MQTT_TOPIC_PREFIX": tp, "MQTT_TEAMS": "Chiefs,nhl-bos",
	})
	type mqttHealth struct {
		MQTT struct {
			Enabled   bool   `json:"enabled"`
			Connected bool   `json:"connected"`
			LastError string `json:"last_error"`
		} `json:"mqtt"`
	}
	var h mqttHealth
	s.waitFor("the broker's absence in /health", func() bool {
		return s.get("/health", &h) == http.StatusOK && h.MQTT.LastError != ""
	})
	assert.True(t, h.MQTT.Enabled)
	assert.False(t, h.MQTT.Connected)
	var live map[string]any
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/live", &live))
	s.waitFor("polling without the broker", func() bool { return s.get("/api/v1/ha/game-status/Chiefs", nil) == http.StatusOK })

	b.Restart()
	ha := mqtttest.Listen(t, b.URL, dp+"/#", tp+"/#")
	ha.WaitFor(tp+"/nfl-kc/state", mqttWait, func(m mqtttest.Message) bool { return m.Payload != "" })
	ha.WaitFor(dp+"/sensor/"+tp+"/nhl-bos/config", mqttWait, func(m mqtttest.Message) bool { return m.Payload != "" })
	s.waitFor("connected in /health", func() bool { return s.get("/health", &h) == http.StatusOK && h.MQTT.Connected })

	// The broker restarts without its retained messages: the service
	// reconnects and announces again.
	b.Stop()
	s.waitFor("disconnected in /health", func() bool { return s.get("/health", &h) == http.StatusOK && !h.MQTT.Connected })
	start := time.Now()
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/live", &live))
	assert.Less(t, time.Since(start), 2*time.Second, "requests do not wait on the broker")
	b.Restart()
	again := mqtttest.Listen(t, b.URL, dp+"/#", tp+"/#")
	again.WaitFor(tp+"/nfl-kc/state", 2*mqttWait, func(m mqtttest.Message) bool { return m.Payload != "" })
	again.WaitFor(dp+"/event/"+tp+"/nfl-kc/config", mqttWait, func(m mqtttest.Message) bool { return m.Payload != "" })
	again.WaitFor(tp+"/status", mqttWait, func(m mqtttest.Message) bool { return m.Payload == "online" })
	s.waitFor("connected again", func() bool { return s.get("/health", &h) == http.StatusOK && h.MQTT.Connected })
	// The last error is the lost connection, or a publish the stop cut
	// short when it came in the middle of an announcement.
	assert.Regexp(t, `connection lost|publish .*: .*(closed|EOF|reset)`, h.MQTT.LastError)
}

// TestMQTTLastWillAfterKill runs the built binary, kills it with SIGKILL and
// checks that Home Assistant is told the service is offline by the
// broker, from the last will.
func TestMQTTLastWillAfterKill(t *testing.T) {
	t.Parallel()
	broker := mqtttest.URL(t)
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "sports-data")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run(), "building the binary")

	dp, tp := mqttPrefixes(t)
	espn := newESPN(t)
	ha := mqtttest.Listen(t, broker, tp+"/status", tp+"/+/state", dp+"/#")
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"PORT=0", "DATA_DIR="+t.TempDir(), "ESPN_BASE_URL="+espn.URL, "POLL_LIVE_INTERVAL=50ms", "POLL_IDLE_INTERVAL=50ms",
		"MQTT_URL="+broker, "MQTT_DISCOVERY_PREFIX="+dp, "MQTT_TOPIC_PREFIX="+tp, "MQTT_TEAMS=Chiefs")
	out := &logbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})

	ha.WaitFor(tp+"/nfl-kc/state", mqttWait, func(m mqtttest.Message) bool { return m.Payload != "" })
	ha.WaitFor(tp+"/status", mqttWait, func(m mqtttest.Message) bool { return m.Payload == "online" })
	require.NoError(t, cmd.Process.Kill()) // SIGKILL: no goodbye
	<-exited
	ha.WaitFor(tp+"/status", mqttWait, func(m mqtttest.Message) bool { return m.Payload == "offline" })
	// The will is retained: Home Assistant started later sees it too.
	later := mqtttest.Listen(t, broker, tp+"/status")
	m := later.WaitFor(tp+"/status", mqttWait, func(mqtttest.Message) bool { return true })
	assert.Equal(t, "offline", m.Payload)
	assert.True(t, m.Retained)
	assert.NotContains(t, out.String(), "shutting down", "the process was killed, not stopped")
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

func summary(ds []time.Duration) string {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return fmt.Sprintf("n=%d p50=%s p99=%s max=%s", len(ds), percentile(ds, 0.5).Round(100*time.Microsecond),
		percentile(ds, 0.99).Round(100*time.Microsecond), percentile(ds, 1).Round(100*time.Microsecond))
}

// TestMQTTLatencyBesideWebhooks measures, over the early games of a
// simulated Sunday, the time from a change in the simulator's ESPN answer
// to the MQTT state message, to the MQTT event and to the webhook
// delivery of the same change. It runs when SPORTS_DATA_MEASURE=1 (about a
// minute); run it without -race for figures:
//
//	SPORTS_DATA_MEASURE=1 scripts/with-mosquitto.sh go test -count=1 -run TestMQTTLatencyBesideWebhooks -v ./cmd/sports-data/
func TestMQTTLatencyBesideWebhooks(t *testing.T) {
	t.Parallel()
	if os.Getenv("SPORTS_DATA_MEASURE") != "1" {
		t.Skip("a measurement: SPORTS_DATA_MEASURE=1 runs it")
	}
	broker := mqtttest.URL(t)
	const speed = 600
	ss := startSimulator(t, simulator.SundayNoonET(time.Now()).Add(-40*time.Minute), speed)
	early := simulator.SundayNoonET(time.Now()).Add(time.Hour)
	var games []simulator.GameTruth
	var teams []string
	for _, g := range ss.sim.TruthAt(ss.sim.OverAt()).Games {
		if g.League == "nfl" && g.Scheduled.Equal(early) && g.Final != nil {
			games = append(games, g)
			teams = append(teams, "nfl-"+strings.ToLower(g.Home.Abbreviation))
		}
	}
	require.NotEmpty(t, games)
	dp, tp := mqttPrefixes(t)
	ha := mqtttest.Listen(t, broker, tp+"/#")
	recv := webhooktest.New(t)
	ss.serve(map[string]string{
		"LOG_LEVEL": "info", "MQTT_URL": broker, "MQTT_DISCOVERY_PREFIX": dp, "MQTT_TOPIC_PREFIX": tp,
		"MQTT_TEAMS": strings.Join(teams, ","),
	})
	require.Eventually(t, func() bool {
		return ss.do(http.MethodGet, "/api/v1/ha/game-status/"+teams[0], nil, nil) == http.StatusOK
	}, mqttWait, 10*time.Millisecond)
	require.Equal(t, http.StatusCreated, ss.do(http.MethodPost, "/api/v1/ha/webhooks/register",
		map[string]any{"url": recv.URL(), "secret": webhooktest.Secret}, nil))
	ends := func() int {
		n := 0
		for _, d := range recv.All() {
			if d.Body["event"] == "game_end" {
				n++
			}
		}
		return n
	}
	require.Eventually(t, func() bool { return ends() == len(games) }, 3*time.Minute, 50*time.Millisecond)
	ha.Wait("every game_end over MQTT", mqttWait, func(ms []mqtttest.Message) bool {
		n := 0
		for _, m := range ms {
			if strings.HasSuffix(m.Topic, "/event") && strings.Contains(m.Payload, `"event_type":"game_end"`) {
				n++
			}
		}
		return n == len(games)
	})

	num := func(v any) string { return fmt.Sprint(v) }
	var stateLat, attrLat, eventLat, hookLat []time.Duration
	var missed int
	for i, g := range games {
		team := teams[i]
		// Kick-off and final: the sensor's state message.
		for _, sc := range g.Statuses {
			want := map[string]string{"in": "IN", "post": "POST"}[sc.State]
			if want == "" {
				continue
			}
			w := ss.wallOf(sc.Time)
			for _, m := range ha.On(tp + "/" + team + "/state") {
				if m.Payload == want && !m.At.Before(w) {
					stateLat = append(stateLat, m.At.Sub(w))
					break
				}
			}
		}
		for _, sc := range g.Scores {
			w := ss.wallOf(sc.Time)
			found := false
			for _, m := range ha.On(tp + "/" + team + "/attributes") {
				var a map[string]any
				if json.Unmarshal([]byte(m.Payload), &a) == nil && !m.At.Before(w) &&
					num(a["team_score"]) == strconv.Itoa(sc.Home) && num(a["opponent_score"]) == strconv.Itoa(sc.Away) {
					attrLat = append(attrLat, m.At.Sub(w))
					found = true
					break
				}
			}
			score := map[string]any{"home": float64(sc.Home), "away": float64(sc.Away)}
			for _, m := range ha.On(tp + "/" + team + "/event") {
				var b map[string]any
				if json.Unmarshal([]byte(m.Payload), &b) == nil && b["event_type"] == "score_change" && reflect.DeepEqual(b["score"], score) {
					eventLat = append(eventLat, m.At.Sub(w))
					break
				}
			}
			for _, d := range recv.All() {
				if d.Body["game_id"] == g.ID && d.Body["event"] == "score_change" && reflect.DeepEqual(d.Body["score"], score) {
					hookLat = append(hookLat, d.At.Sub(w))
					break
				}
			}
			if !found {
				missed++ // two scores within one poll: the first was never shown
			}
		}
	}
	t.Logf("%d games, simulator at %dx, polls every 20 ms (%d score changes shown by no poll)", len(games), speed, missed)
	t.Logf("ESPN answer -> MQTT sensor state (kick-off, final): %s", summary(stateLat))
	t.Logf("ESPN answer -> MQTT sensor attributes (score):      %s", summary(attrLat))
	t.Logf("ESPN answer -> MQTT event (score_change):          %s", summary(eventLat))
	t.Logf("ESPN answer -> webhook delivery (score_change):    %s", summary(hookLat))
	assert.NotEmpty(t, stateLat)
	assert.NotEmpty(t, eventLat)
	assert.Len(t, eventLat, len(hookLat), "each score change reached MQTT and the webhook alike")
}
