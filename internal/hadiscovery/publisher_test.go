package hadiscovery

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/sports-data/sports-data/internal/mqtttest"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/teamtracker"
	"github.com/sports-data/sports-data/internal/userteams"
)

const wait = 15 * time.Second

// sensors stands in for the sensor route's source: a state and attributes
// per team id that the test sets, as of a league polled once; the state ""
// is a league not polled yet (NOT_FOUND, no update time).
type sensors struct {
	mu     sync.Mutex
	states map[string]string
	calls  int
	// stamped adds TeamTracker's last_update, new on every call, as the
	// real sensor's changes on every poll.
	stamped bool
}

func (s *sensors) set(teamID, state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states[teamID] = state
}

func (s *sensors) Sensor(m teams.Match) (teamtracker.Sensor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	team, leagueKey := m.Team.ID, m.League.Key
	st, ok := s.states[team]
	if !ok {
		return teamtracker.Sensor{}, fmt.Errorf("no sensor for %s", team)
	}
	attrs := map[string]any{"team_abbr": strings.ToUpper(strings.TrimPrefix(team, leagueKey+"-")), "state_was": st, "league": strings.ToUpper(leagueKey)}
	if st == "" {
		return teamtracker.Sensor{State: teamtracker.StateNotFound, Attributes: attrs, Team: team}, nil
	}
	if s.stamped {
		attrs["last_update"] = fmt.Sprintf("2026-09-13 13:%02d:%02d-04:00", s.calls/60%60, s.calls%60)
	}
	return teamtracker.Sensor{State: st, Attributes: attrs, Team: team, UpdatedAt: "2022-09-11T19:55:00Z"}, nil
}

func (s *sensors) callCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// directory is the real team directory with ESPN's captured NFL and NHL
// teams.
func directory(t *testing.T) *teams.Directory {
	nfl, _ := league.Lookup("nfl")
	nhl, _ := league.Lookup("nhl")
	dir := teams.NewDirectory(t.TempDir(), []league.League{nfl, nhl}, nil)
	for _, l := range []league.League{nfl, nhl} {
		ts, err := espn.ParseTeams(espntest.Load(t, l.Key+"/teams.json"), l)
		require.NoError(t, err)
		require.NoError(t, dir.Set(l, ts))
	}
	return dir
}

// rig is one publisher on its own prefixes, so that tests sharing a broker
// see only their own topics, and a listener subscribed as Home Assistant
// would be.
type rig struct {
	t      *testing.T
	p      *Publisher
	s      *sensors
	url    string
	dp, tp string
	ha     *mqtttest.Listener
	cancel context.CancelFunc
	done   chan struct{}
}

func newRig(t *testing.T, url string, o Options) *rig {
	t.Helper()
	// Unique per run: the shared broker keeps what earlier runs retained.
	name := fmt.Sprintf("%s-%d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")), time.Now().UnixNano())
	r := &rig{t: t, url: url, dp: "ha-" + name, tp: "sd-" + name, s: &sensors{states: map[string]string{}}}
	o.URL = url
	o.DiscoveryPrefix, o.TopicPrefix = r.dp, r.tp
	if o.Directory == nil {
		o.Directory = directory(t)
	}
	o.Leagues = []string{"nfl", "nhl"}
	o.Sensors = r.s
	o.Version = "test"
	var err error
	r.p, err = New(o)
	require.NoError(t, err)
	return r
}

// listen subscribes as Home Assistant: discovery and every state topic.
func (r *rig) listen() *mqtttest.Listener {
	r.ha = mqtttest.Listen(r.t, r.url, r.dp+"/#", r.tp+"/#")
	return r.ha
}

func (r *rig) run() {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan struct{})
	go func() {
		defer close(r.done)
		r.p.Run(ctx)
	}()
	r.t.Cleanup(r.stop)
}

func (r *rig) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	<-r.done
	r.cancel = nil
}

func (r *rig) config(component, id string) map[string]any {
	r.t.Helper()
	m := r.ha.WaitFor(r.p.t.config(component, id), wait, func(m mqtttest.Message) bool { return m.Payload != "" })
	var cfg map[string]any
	require.NoError(r.t, json.Unmarshal([]byte(m.Payload), &cfg), m.Payload)
	return cfg
}

func payloads(ms []mqtttest.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Payload)
	}
	return out
}

func TestDiscoveryConfigurationsCarryWhatHomeAssistantRequires(t *testing.T) {
	r := newRig(t, mqtttest.URL(t), Options{Teams: []string{"Patriots", "nhl-bos"}})
	r.s.set("nfl-ne", "PRE")
	r.s.set("nhl-bos", "IN")
	r.listen()
	r.run()

	unique := map[string]string{}
	for _, tc := range []struct{ id, name, model string }{
		{"nfl-ne", "New England Patriots", "NFL team"},
		{"nhl-bos", "Boston Bruins", "NHL team"},
	} {
		var device any
		for _, c := range components {
			cfg := r.config(c, tc.id)
			// Every platform: a unique id, the device, availability and origin.
			uid, _ := cfg["unique_id"].(string)
			require.NotEmpty(t, uid, "%s %s unique_id", tc.id, c)
			assert.NotContains(t, unique, uid, "unique_id %s used twice", uid)
			unique[uid] = tc.id + " " + c
			assert.Equal(t, r.tp+"/status", cfg["availability_topic"])
			assert.Equal(t, map[string]any{"name": "sports-data", "sw_version": "test"}, cfg["origin"])
			dev, _ := cfg["device"].(map[string]any)
			require.NotNil(t, dev, "%s %s device", tc.id, c)
			assert.Equal(t, tc.name, dev["name"])
			assert.Equal(t, tc.model, dev["model"])
			assert.NotEmpty(t, dev["identifiers"])
			if device != nil {
				assert.Equal(t, device, dev, "one device per team for all its entities")
			}
			device = dev
			assert.NotEmpty(t, cfg["name"])
			st, _ := cfg["state_topic"].(string)
			require.NotEmpty(t, st, "%s %s: state_topic is required by every platform", tc.id, c)
			switch c {
			case "sensor":
				assert.Equal(t, r.tp+"/"+tc.id+"/state", st)
				assert.Equal(t, r.tp+"/"+tc.id+"/attributes", cfg["json_attributes_topic"])
			case "binary_sensor":
				assert.Equal(t, "ON", cfg["payload_on"])
				assert.Equal(t, "OFF", cfg["payload_off"])
			case "event":
				assert.Equal(t, []any{"game_start", "score_change", "game_end"}, cfg["event_types"], "event_types is required by the event platform")
				assert.Equal(t, 1.0, cfg["qos"])
			}
		}
	}
	assert.Len(t, unique, 6)

	// States: retained, the sensor's exact answer, live from it.
	live := r.ha.WaitFor(r.tp+"/nhl-bos/live", wait, func(mqtttest.Message) bool { return true })
	st, _ := r.ha.Last(r.tp + "/nhl-bos/state")
	assert.Equal(t, "IN", st.Payload)
	assert.Equal(t, "ON", live.Payload)
	ne := r.ha.WaitFor(r.tp+"/nfl-ne/live", wait, func(mqtttest.Message) bool { return true })
	assert.Equal(t, "OFF", ne.Payload)
	attrs := r.ha.WaitFor(r.tp+"/nfl-ne/attributes", wait, func(mqtttest.Message) bool { return true })
	assert.JSONEq(t, `{"team_abbr":"NE","state_was":"PRE","league":"NFL"}`, attrs.Payload)
	online := r.ha.WaitFor(r.tp+"/status", wait, func(mqtttest.Message) bool { return true })
	assert.Equal(t, "online", online.Payload)

	// A listener that comes later (Home Assistant restarting) gets it all
	// from the broker: configurations and states are retained.
	late := mqtttest.Listen(t, r.url, r.dp+"/#", r.tp+"/#")
	late.Wait("the retained configurations and states", wait, func(ms []mqtttest.Message) bool {
		return len(ms) >= 6+6+1
	})
	for _, m := range late.Messages() {
		assert.True(t, m.Retained, "%s is retained", m.Topic)
	}
}

// Until its league's first poll a team is announced without a state: a
// NOT_FOUND that only says "not polled yet" would reach Home Assistant's
// history.
func TestNoStateBeforeTheFirstPoll(t *testing.T) {
	r := newRig(t, mqtttest.URL(t), Options{Teams: []string{"nfl-ne"}})
	r.s.set("nfl-ne", "")
	r.listen()
	r.run()
	r.config("sensor", "nfl-ne")
	r.s.set("nfl-ne", "PRE")
	r.p.Observe("nfl", nil)
	r.ha.WaitFor(r.tp+"/nfl-ne/state", wait, func(m mqtttest.Message) bool { return m.Payload == "PRE" })
	assert.Equal(t, []string{"PRE"}, payloads(r.ha.On(r.tp+"/nfl-ne/state")), "no NOT_FOUND before the poll")
	assert.Len(t, r.ha.On(r.tp+"/nfl-ne/attributes"), 1)
}

func TestStatesArePublishedOnlyOnChange(t *testing.T) {
	r := newRig(t, mqtttest.URL(t), Options{Teams: []string{"nfl-ne", "nfl-nyj"}})
	r.s.set("nfl-ne", "PRE")
	r.s.set("nfl-nyj", "PRE")
	r.listen()
	r.run()
	r.ha.WaitFor(r.tp+"/nfl-nyj/state", wait, func(m mqtttest.Message) bool { return m.Payload == "PRE" })
	r.ha.WaitFor(r.tp+"/nfl-ne/state", wait, func(m mqtttest.Message) bool { return m.Payload == "PRE" })

	// Polls without a change publish nothing; a change of one team
	// publishes that team's states only.
	for i := 0; i < 5; i++ {
		r.p.Observe("nfl", nil)
	}
	r.s.set("nfl-ne", "IN")
	r.p.Observe("nfl", nil)
	r.ha.WaitFor(r.tp+"/nfl-ne/live", wait, func(m mqtttest.Message) bool { return m.Payload == "ON" })
	r.s.set("nfl-ne", "POST")
	r.p.Observe("nfl", nil)
	r.ha.Wait("the Patriots' game over", wait, func([]mqtttest.Message) bool { return len(r.ha.On(r.tp+"/nfl-ne/live")) == 3 })
	// A last change, seen after every poll above was handled.
	r.s.set("nfl-nyj", "IN")
	r.p.Observe("nfl", nil)
	r.ha.WaitFor(r.tp+"/nfl-nyj/live", wait, func(m mqtttest.Message) bool { return m.Payload == "ON" })

	assert.Equal(t, []string{"PRE", "IN", "POST"}, payloads(r.ha.On(r.tp+"/nfl-ne/state")))
	assert.Equal(t, []string{"OFF", "ON", "OFF"}, payloads(r.ha.On(r.tp+"/nfl-ne/live")))
	assert.Equal(t, []string{"PRE", "IN"}, payloads(r.ha.On(r.tp+"/nfl-nyj/state")))
	assert.Len(t, r.ha.On(r.tp+"/nfl-nyj/attributes"), 2)
	for _, c := range components {
		assert.Len(t, r.ha.On(r.p.t.config(c, "nfl-ne")), 1, "%s configuration announced once", c)
	}
	assert.Len(t, r.ha.On(r.tp+"/status"), 1)
}

// Home Assistant writes a state row for every attributes message that
// differs from the last: polls that change nothing but last_update publish
// nothing, and the next real change carries the stamp of its own poll.
func TestAPollThatChangesOnlyLastUpdatePublishesNothing(t *testing.T) {
	r := newRig(t, mqtttest.URL(t), Options{Teams: []string{"nfl-ne"}})
	r.s.stamped = true
	r.s.set("nfl-ne", "PRE")
	r.listen()
	r.run()
	first := r.ha.WaitFor(r.tp+"/nfl-ne/attributes", wait, func(mqtttest.Message) bool { return true })

	for i := 0; i < 5; i++ {
		before := r.s.callCount()
		r.p.Observe("nfl", nil)
		require.Eventually(t, func() bool { return r.s.callCount() > before }, wait, 5*time.Millisecond, "poll %d handled", i)
	}
	r.s.set("nfl-ne", "IN")
	r.p.Observe("nfl", nil)
	r.ha.WaitFor(r.tp+"/nfl-ne/live", wait, func(m mqtttest.Message) bool { return m.Payload == "ON" })

	got := r.ha.On(r.tp + "/nfl-ne/attributes")
	require.Len(t, got, 2, "the first announcement and the change, nothing for the five quiet polls: %v", payloads(got))
	assert.Equal(t, first.Payload, got[0].Payload)
	assert.Equal(t, "IN", jsonField(t, got[1].Payload, "state_was"))
	assert.NotEqual(t, jsonField(t, got[0].Payload, "last_update"), jsonField(t, got[1].Payload, "last_update"),
		"the change carries the stamp of the poll that saw it")
}

// event is a game event of a game between the Jets (home) and the
// Patriots.
func event(typ string, prev, next game.Score) events.Event {
	g := game.Game{
		ID:       "401547999",
		League:   "NFL",
		HomeTeam: game.Team{ID: "nfl-nyj", Abbreviation: "NYJ", Name: "New York Jets"},
		AwayTeam: game.Team{ID: "nfl-ne", Abbreviation: "NE", Name: "New England Patriots"},
		Status:   game.StatusLive,
		Score:    next,
	}
	return events.Event{Type: typ, ID: fmt.Sprintf("%s-%d-%d", typ, next.Home, next.Away), League: "nfl", Game: g,
		PreviousStatus: game.StatusLive, Previous: prev, Observed: time.Date(2026, 9, 13, 18, 30, 0, 0, time.UTC)}
}

func TestEventsCarryTheWebhookPayloadToEachTeamInTheGame(t *testing.T) {
	r := newRig(t, mqtttest.URL(t), Options{Teams: []string{"Patriots"}})
	r.s.set("nfl-ne", "IN")
	r.listen()
	r.run()
	r.ha.WaitFor(r.tp+"/nfl-ne/state", wait, func(m mqtttest.Message) bool { return m.Payload == "IN" })

	evs := []events.Event{
		event(events.ScoreChange, game.Score{}, game.Score{Home: 0, Away: 7}),
		event(events.ScoreChange, game.Score{Away: 7}, game.Score{Home: 3, Away: 7}),
	}
	r.p.Events(evs)
	r.ha.Wait("two events", wait, func([]mqtttest.Message) bool { return len(r.ha.On(r.tp+"/nfl-ne/event")) == 2 })
	got := r.ha.On(r.tp + "/nfl-ne/event")
	for i, m := range got {
		assert.False(t, m.Retained, "events are not retained")
		assert.Equal(t, byte(1), m.QoS, "events are QoS 1")
		want := evs[i].Payload("NE")
		assert.JSONEq(t, string(want.JSON()), m.Payload)
		var body map[string]any
		require.NoError(t, json.Unmarshal([]byte(m.Payload), &body))
		assert.Equal(t, "score_change", body["event_type"], "Home Assistant's event entity reads event_type")
		assert.Equal(t, evs[i].ID, body["event_id"])
		assert.Equal(t, "NE", body["team"], "seen from the announced team")
	}
	assert.Equal(t, 7.0, jsonField(t, got[0].Payload, "score_change"), "the Patriots scored 7")
	assert.Equal(t, 0.0, jsonField(t, got[1].Payload, "score_change"), "only the opponent scored")
	// The Jets are not announced: nothing for them.
	assert.Empty(t, r.ha.On(r.tp+"/nfl-nyj/event"))
}

func jsonField(t *testing.T, payload, key string) any {
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(payload), &m))
	return m[key]
}

func TestBirthMessageAnnouncesEverythingAgain(t *testing.T) {
	r := newRig(t, mqtttest.URL(t), Options{Teams: []string{"nhl-bos"}})
	r.s.stamped = true
	r.s.set("nhl-bos", "POST")
	r.listen()
	r.run()
	r.ha.WaitFor(r.tp+"/nhl-bos/state", wait, func(mqtttest.Message) bool { return true })

	mqtttest.Publish(t, r.url, r.dp+"/status", "offline", false)
	mqtttest.Publish(t, r.url, r.dp+"/status", "online", false)
	r.ha.Wait("a second announcement", wait, func([]mqtttest.Message) bool {
		return len(r.ha.On(r.tp+"/nhl-bos/live")) == 2
	})
	for _, c := range components {
		assert.Len(t, r.ha.On(r.p.t.config(c, "nhl-bos")), 2, "%s configuration announced again", c)
	}
	assert.Equal(t, []string{"POST", "POST"}, payloads(r.ha.On(r.tp+"/nhl-bos/state")))
	assert.Len(t, r.ha.On(r.tp+"/nhl-bos/live"), 2)
	attrs := payloads(r.ha.On(r.tp + "/nhl-bos/attributes"))
	require.Len(t, attrs, 2)
	// Nothing changed but last_update: the same bytes again, so that Home
	// Assistant, back from a restart, writes no row for them.
	assert.Equal(t, attrs[0], attrs[1])
}

func TestUnfollowedTeamIsRemoved(t *testing.T) {
	url := mqtttest.URL(t)
	fav, err := userteams.Open(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, fav.Save("default", map[string][]string{"nfl": {"ne", "nfl-buf"}, "nhl": {}}))
	r := newRig(t, url, Options{Favorites: fav})
	// A configuration an earlier run left for a team nobody follows now.
	mqtttest.Publish(t, url, r.p.t.config("sensor", "nfl-kc"), `{"name":"Game"}`, true)
	mqtttest.Publish(t, url, r.p.t.config("event", "nfl-kc"), `{"name":"Game event"}`, true)
	r.s.set("nfl-ne", "PRE")
	r.s.set("nfl-buf", "PRE")
	r.listen()
	r.run()

	r.ha.WaitFor(r.tp+"/nfl-buf/state", wait, func(m mqtttest.Message) bool { return m.Payload == "PRE" })
	r.ha.WaitFor(r.p.t.config("sensor", "nfl-kc"), wait, func(m mqtttest.Message) bool { return m.Payload == "" && !m.Retained })
	r.ha.WaitFor(r.p.t.config("event", "nfl-kc"), wait, func(m mqtttest.Message) bool { return m.Payload == "" && !m.Retained })

	// The Bills are taken off the saved teams.
	// Nobody tells the publisher: it sees the saved teams change.
	require.NoError(t, fav.Save("default", map[string][]string{"nfl": {"ne"}}))
	for _, c := range components {
		r.ha.WaitFor(r.p.t.config(c, "nfl-buf"), wait, func(m mqtttest.Message) bool { return m.Payload == "" })
	}
	for _, topic := range append(r.p.t.stateTopics("nfl-buf"), r.p.t.standingTopics("nfl-buf")...) {
		r.ha.WaitFor(topic, wait, func(m mqtttest.Message) bool { return m.Payload == "" })
	}
	assert.Equal(t, []string{"nfl-ne"}, r.p.Status().Teams)

	// What the broker keeps afterwards: the Patriots only.
	late := mqtttest.Listen(t, url, r.dp+"/#", r.tp+"/#")
	late.Wait("the retained Patriots", wait, func(ms []mqtttest.Message) bool { return len(late.On(r.tp+"/nfl-ne/live")) == 1 })
	for _, m := range late.Messages() {
		assert.NotContains(t, m.Topic, "nfl-buf", "%+v", m)
		assert.NotContains(t, m.Topic, "nfl-kc")
	}
}

func TestTeamsNotYetKnownAreNotRemoved(t *testing.T) {
	url := mqtttest.URL(t)
	nfl, _ := league.Lookup("nfl")
	nhl, _ := league.Lookup("nhl")
	// A directory before the first poll: no teams yet.
	empty := teams.NewDirectory(t.TempDir(), []league.League{nfl, nhl}, nil)
	r := newRig(t, url, Options{Teams: []string{"Patriots"}, Directory: empty})
	mqtttest.Publish(t, url, r.p.t.config("sensor", "nfl-ne"), `{"name":"Game"}`, true)
	r.listen()
	r.run()
	r.ha.WaitFor(r.tp+"/status", wait, func(m mqtttest.Message) bool { return m.Payload == "online" })
	r.p.Observe("nfl", nil)
	// A round trip through the publisher's loop: a later change is seen.
	r.p.Events([]events.Event{event(events.GameStart, game.Score{}, game.Score{})})
	mqtttest.Publish(t, url, r.dp+"/status", "online", false)
	r.ha.Wait("the re-announced status", wait, func([]mqtttest.Message) bool { return len(r.ha.On(r.tp+"/status")) == 2 })
	for _, m := range r.ha.On(r.p.t.config("sensor", "nfl-ne")) {
		assert.NotEmpty(t, m.Payload, "a team the directory does not know yet is not removed")
	}
	assert.Empty(t, r.p.Status().Teams)
}

// At start the team lists are not loaded yet: no warning then, and one
// line per team when it is announced, not again on a re-announcement.
func TestTeamsAnnouncedOnceTheirListArrivesAreLoggedOnce(t *testing.T) {
	url := mqtttest.URL(t)
	nfl, _ := league.Lookup("nfl")
	nhl, _ := league.Lookup("nhl")
	dir := teams.NewDirectory(t.TempDir(), []league.League{nfl, nhl}, nil)
	var logs logbuf.Buffer
	r := newRig(t, url, Options{Teams: []string{"Patriots", "nhl-bos"}, Directory: dir, Logger: logs.Logger(slog.LevelDebug)})
	r.s.set("nfl-ne", "PRE")
	r.s.set("nhl-bos", "PRE")
	r.listen()
	r.run()
	r.ha.WaitFor(r.tp+"/status", wait, func(m mqtttest.Message) bool { return m.Payload == "online" })

	full := directory(t)
	for _, l := range []league.League{nfl, nhl} {
		require.NoError(t, dir.Set(l, full.Teams(l.Key)))
	}
	r.p.Observe("nfl", nil)
	r.ha.WaitFor(r.tp+"/nhl-bos/state", wait, func(m mqtttest.Message) bool { return m.Payload == "PRE" })
	r.ha.WaitFor(r.tp+"/nfl-ne/state", wait, func(m mqtttest.Message) bool { return m.Payload == "PRE" })
	// Home Assistant's birth message: everything announced again.
	mqtttest.Publish(t, url, r.dp+"/status", "online", false)
	r.ha.Wait("the re-announced status", wait, func([]mqtttest.Message) bool { return len(r.ha.On(r.tp+"/status")) == 2 })

	assert.Empty(t, logs.Lines("not announced"), "a team list not loaded yet is not a failure")
	announced := logs.Lines("team announced to Home Assistant")
	require.Len(t, announced, 2, "one line per team: %v", announced)
	assert.Contains(t, strings.Join(announced, "\n"), "team=nfl-ne")
	assert.Contains(t, strings.Join(announced, "\n"), "team=nhl-bos")
}

func TestBrokerTroubleNeverBlocks(t *testing.T) {
	b := mqtttest.Start(t)
	b.Stop()
	r := newRig(t, b.URL, Options{Teams: []string{"Patriots"}, EventQueue: 3})
	r.s.set("nfl-ne", "PRE")
	r.run()

	// Without a broker: the service runs, says why, and never waits.
	require.Eventually(t, func() bool { return r.p.Status().LastError != "" }, wait, 10*time.Millisecond)
	st := r.p.Status()
	assert.False(t, st.Connected)
	assert.Contains(t, st.LastError, "connect")
	for i := 0; i < 5; i++ {
		r.p.Observe("nfl", nil)
		r.p.Events([]events.Event{event(events.ScoreChange, game.Score{}, game.Score{Away: 7 * (i + 1)})})
	}
	st = r.p.Status()
	assert.Equal(t, 3, st.EventsQueued)
	assert.Equal(t, int64(2), st.EventsDropped, "beyond the queue, events are dropped and counted")

	// The broker comes: announced, and the queued events go out.
	b.Restart()
	r.listen()
	r.ha.WaitFor(r.tp+"/nfl-ne/state", wait, func(m mqtttest.Message) bool { return m.Payload == "PRE" })
	r.ha.Wait("the three queued events", wait, func([]mqtttest.Message) bool { return len(r.ha.On(r.tp+"/nfl-ne/event")) == 3 })
	var order []any
	for _, m := range r.ha.On(r.tp + "/nfl-ne/event") {
		order = append(order, jsonField(t, m.Payload, "team_score"))
	}
	assert.Equal(t, []any{7.0, 14.0, 21.0}, order, "the queued events, in the order they happened")
	assert.True(t, r.p.Status().Connected)

	// The broker restarts and forgets everything (no persistence): the
	// client reconnects and announces again.
	b.Stop()
	require.Eventually(t, func() bool { return !r.p.Status().Connected }, wait, 10*time.Millisecond)
	r.s.set("nfl-ne", "IN")
	r.p.Observe("nfl", nil)
	r.p.Events([]events.Event{event(events.GameStart, game.Score{}, game.Score{})})
	b.Restart()
	after := mqtttest.Listen(t, b.URL, r.dp+"/#", r.tp+"/#")
	after.WaitFor(r.tp+"/nfl-ne/state", 2*wait, func(m mqtttest.Message) bool { return m.Payload == "IN" })
	after.WaitFor(r.p.t.config("sensor", "nfl-ne"), wait, func(m mqtttest.Message) bool { return m.Payload != "" })
	after.WaitFor(r.tp+"/status", wait, func(m mqtttest.Message) bool { return m.Payload == "online" })
	after.WaitFor(r.tp+"/nfl-ne/event", wait, func(m mqtttest.Message) bool {
		return jsonField(t, m.Payload, "event_type") == "game_start"
	})
	st = r.p.Status()
	assert.True(t, st.Connected)
	assert.Contains(t, st.LastError, "connection lost")
	assert.Positive(t, st.Published)

	// Stopping says offline, retained.
	r.stop()
	after.WaitFor(r.tp+"/status", wait, func(m mqtttest.Message) bool { return m.Payload == "offline" })
}

// TestABurstOfSavesIsOneAnnouncement: ten team saves used to send 1,816
// messages, each adding or removing 32 devices in Home Assistant. Saves
// in a burst, however many ticks of the publisher it spans, are announced
// once, as they ended: no device of the states in between appears or
// disappears.
func TestABurstOfSavesIsOneAnnouncement(t *testing.T) {
	url := mqtttest.URL(t)
	fav, err := userteams.Open(t.TempDir())
	require.NoError(t, err)
	r := newRig(t, url, Options{Favorites: fav})
	// Ticks far shorter than the pause between saves: every save is
	// seen on a tick of its own.
	r.p.favTick, r.p.savedQuiet = 5*time.Millisecond, 2*time.Second
	all := []string{}
	for _, tm := range directory(t).Teams("nfl") {
		all = append(all, strings.ToLower(tm.Abbreviation))
		r.s.set(tm.ID, "PRE")
	}
	require.Len(t, all, 32)
	r.listen()
	r.run()
	r.ha.WaitFor(r.tp+"/status", wait, func(m mqtttest.Message) bool { return m.Payload == "online" })

	for i := range 10 {
		teams := []string{}
		if i%2 == 0 {
			teams = all
		}
		require.NoError(t, fav.Save("default", map[string][]string{"nfl": teams}))
		time.Sleep(25 * time.Millisecond)
	}
	require.NoError(t, fav.Save("default", map[string][]string{"nfl": {"ne", "kc"}}))
	r.ha.WaitFor(r.tp+"/nfl-kc/state", wait, func(m mqtttest.Message) bool { return m.Payload == "PRE" })
	r.ha.WaitFor(r.tp+"/nfl-ne/state", wait, func(m mqtttest.Message) bool { return m.Payload == "PRE" })
	for _, m := range r.ha.Messages() {
		if strings.HasPrefix(m.Topic, r.dp+"/") {
			assert.True(t, strings.Contains(m.Topic, "/nfl-ne/") || strings.Contains(m.Topic, "/nfl-kc/"),
				"a team of a state in between was announced or removed: %s", m.Topic)
		}
	}
	for _, c := range components {
		assert.Len(t, r.ha.On(r.p.t.config(c, "nfl-ne")), 1, "%s announced once", c)
	}
	assert.ElementsMatch(t, []string{"nfl-kc", "nfl-ne"}, r.p.Status().Teams)
}

// favorites is a Favorites whose version the test moves.
type favorites struct {
	v     uint64
	teams map[string][]string
}

func (f *favorites) Get(string) map[string][]string { return f.teams }
func (f *favorites) Version() uint64                { return f.v }

// TestSavedTeamsSettle: saved teams are taken once unchanged for
// savedQuiet, or savedMaxWait after their first change while they keep
// changing.
func TestSavedTeamsSettle(t *testing.T) {
	f := &favorites{teams: map[string][]string{"nfl": {"ne"}}}
	p := &Publisher{o: Options{Favorites: f}, savedQuiet: 2 * time.Second, savedMaxWait: 10 * time.Second}
	var s settling
	at := time.Date(2026, 12, 6, 13, 0, 0, 0, time.UTC)
	assert.False(t, p.savedTeams(&s, at), "nothing changed")
	f.v, f.teams = 1, map[string][]string{"nfl": {"kc"}}
	assert.False(t, p.savedTeams(&s, at))
	assert.False(t, p.savedTeams(&s, at.Add(1999*time.Millisecond)), "not quiet for long enough")
	assert.Nil(t, p.saved)
	assert.True(t, p.savedTeams(&s, at.Add(2*time.Second)), "quiet: settled")
	assert.Equal(t, []string{"kc"}, p.saved["nfl"])
	assert.False(t, p.savedTeams(&s, at.Add(3*time.Second)), "taken once")

	// Changes every second never pause: taken after savedMaxWait.
	at = at.Add(time.Minute)
	for i := range 10 {
		f.v++
		f.teams = map[string][]string{"nfl": {fmt.Sprintf("t%d", i)}}
		assert.False(t, p.savedTeams(&s, at.Add(time.Duration(i)*time.Second)), "change %d", i)
	}
	f.v++
	f.teams = map[string][]string{"nfl": {"buf"}}
	assert.True(t, p.savedTeams(&s, at.Add(10*time.Second)))
	assert.Equal(t, []string{"buf"}, p.saved["nfl"])
}
