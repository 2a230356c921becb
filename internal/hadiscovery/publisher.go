package hadiscovery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/retry"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/teamtracker"
)

// Directory resolves team names the way every route does.
type Directory interface {
	Resolve(input, leagueKey string) (teams.Match, error)
	Teams(leagueKey string) []game.Team
}

// Favorites are the saved team selections; the default user's are
// announced.
type Favorites interface {
	Get(userID string) map[string][]string
	// Version changes whenever the selections may have changed.
	Version() uint64
}

// Sensors answers what GET /api/v1/ha/sensor/{team} answers for a team:
// the sensor's state and its attributes (published as JSON).
type Sensors interface {
	Sensor(m teams.Match) (teamtracker.Sensor, error)
}

// Options configure a Publisher. URL, Directory and Sensors are required.
type Options struct {
	URL             string
	Username        string
	Password        string
	DiscoveryPrefix string // "homeassistant" when empty
	TopicPrefix     string // "sports-data" when empty
	// Teams are MQTT_TEAMS as written.
	Teams []string
	// Leagues are the followed league keys: until the directory knows the
	// teams of every one of them, configurations left by an earlier run are
	// not removed (a team that cannot be resolved yet is not unfollowed).
	Leagues   []string
	Directory Directory
	Favorites Favorites
	Sensors   Sensors
	Version   string
	Logger    *slog.Logger
	// EventQueue bounds the events waiting for the broker (1000 when 0).
	EventQueue int
	// Refresh is how often states are recomputed without a poll, for the
	// attributes that move with the clock (30 s when 0).
	Refresh time.Duration
	// ClientID is the MQTT client id; a random one when empty.
	ClientID string
}

// Publisher keeps Home Assistant's view of the followed teams on the
// broker. Run owns its goroutines; Observe and Events never
// block.
type Publisher struct {
	o      Options
	t      topics
	log    *slog.Logger
	client mqtt.Client

	wake       chan struct{}
	reannounce chan struct{} // Home Assistant's birth message
	connected  chan struct{} // a (re)connection, subscriptions in place
	events     chan outEvent
	// up is set by Run when it has taken a connection in hand and cleared
	// when the connection is lost: nothing is published on a connection
	// before Run re-announces everything on it.
	up atomic.Bool

	mu       sync.Mutex
	followed map[string]team // by team id; read by Events
	leftover map[string]bool // team ids of configurations seen on the broker
	st       Status

	// Owned by Run's goroutine.
	sent      map[string]string   // retained topic → the key of what this connection published
	last      map[string]retained // retained topic → what was last published, on any connection
	announced map[string]team
	failed    map[string]string // input → why it did not resolve (logged once)
	held      *outEvent         // an event whose publish failed, sent before the queue

	// saved are the default user's saved teams as they last settled
	// (savedTeams); owned by Run's goroutine.
	saved map[string][]string
	// How often Run reads the saved teams' version [1 s], how long they
	// must stay unchanged to be announced [2 s], and how long teams that
	// keep changing wait at most [10 s].
	favTick, savedQuiet, savedMaxWait time.Duration
}

// settling follows the saved teams' version across Run's ticks.
type settling struct {
	version     uint64
	first, last time.Time // the first and the latest change not taken yet
}

// retained is a retained payload and the key it was published under.
type retained struct {
	key     string
	payload []byte
}

type outEvent struct {
	topic   string
	payload []byte
}

// Status is the publisher's connection and counters (the mqtt section of
// /health).
type Status struct {
	Enabled       bool
	Connected     bool
	LastError     string
	LastErrorAt   *time.Time
	Published     int64 // messages the broker accepted
	PublishErrors int64
	EventsQueued  int // events waiting for the broker
	EventsDropped int64
	Teams         []string // announced team ids
}

// New checks the options and prepares the client; nothing connects before
// Run.
func New(o Options) (*Publisher, error) {
	if o.URL == "" || o.Directory == nil || o.Sensors == nil {
		return nil, errors.New("hadiscovery: URL, Directory and Sensors are required")
	}
	if o.DiscoveryPrefix == "" {
		o.DiscoveryPrefix = "homeassistant"
	}
	if o.TopicPrefix == "" {
		o.TopicPrefix = "sports-data"
	}
	if o.EventQueue <= 0 {
		o.EventQueue = 1000
	}
	if o.Refresh <= 0 {
		o.Refresh = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Publisher{
		o:          o,
		t:          newTopics(o.DiscoveryPrefix, o.TopicPrefix),
		log:        o.Logger.With("component", "mqtt"),
		wake:       make(chan struct{}, 1),
		reannounce: make(chan struct{}, 1),
		connected:  make(chan struct{}, 1),
		events:     make(chan outEvent, o.EventQueue),
		followed:   map[string]team{},
		leftover:   map[string]bool{},
		sent:       map[string]string{},
		last:       map[string]retained{},
		announced:  map[string]team{},
		failed:     map[string]string{},
		st:         Status{Enabled: true, Teams: []string{}},
	}
	// A burst of saves is one announcement, yet saves that never pause
	// are announced too.
	p.favTick, p.savedQuiet, p.savedMaxWait = time.Second, 2*time.Second, 10*time.Second
	if o.ClientID == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		o.ClientID = p.t.node + "-" + hex.EncodeToString(b[:])
	}
	opts := mqtt.NewClientOptions().
		AddBroker(o.URL).
		SetClientID(o.ClientID).
		SetUsername(o.Username).
		SetPassword(o.Password).
		SetCleanSession(true).
		SetKeepAlive(30*time.Second).
		SetPingTimeout(10*time.Second).
		SetConnectTimeout(5*time.Second).
		SetWriteTimeout(10*time.Second).
		SetAutoReconnect(true).
		SetMaxReconnectInterval(30*time.Second).
		// Message handlers only note things and wake Run, so they need not
		// hold up the client's own goroutines.
		SetOrderMatters(false).
		SetWill(p.t.status(), Offline, 1, true).
		SetOnConnectHandler(p.onConnect).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) {
			p.up.Store(false)
			p.fail(fmt.Errorf("connection lost: %w", err))
			p.log.Warn("MQTT broker connection lost; reconnecting", "err", err)
		})
	p.client = mqtt.NewClient(opts)
	return p, nil
}

// Observe is a poller observer: a poll may have changed a sensor.
func (p *Publisher) Observe(string, []game.Game) { p.poke() }

func (p *Publisher) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Events makes the publisher a subscriber of event detection (package
// events): each event goes, with the payload a webhook of that team gets,
// to the event entity of each announced team that plays in the game. It
// only queues them for Run (never waiting on the broker).
func (p *Publisher) Events(batch []events.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ev := range batch {
		for _, side := range []game.Team{ev.Game.HomeTeam, ev.Game.AwayTeam} {
			tm, ok := p.followed[side.ID]
			if !ok {
				continue
			}
			body := ev.Payload(tm.Abbr).JSON()
			select {
			case p.events <- outEvent{topic: p.t.event(tm.ID), payload: body}:
			default:
				p.st.EventsDropped++
				p.log.Warn("MQTT event queue full; event dropped", "team", tm.ID, "event", ev.Type, "event_id", ev.ID, "dropped", p.st.EventsDropped)
			}
		}
	}
}

// Status reports the connection and the counters; it never waits on the
// broker.
func (p *Publisher) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.st
	s.Connected = p.online()
	s.EventsQueued = len(p.events)
	s.Teams = append([]string(nil), p.st.Teams...)
	return s
}

func (p *Publisher) fail(err error) {
	now := time.Now().UTC()
	p.mu.Lock()
	p.st.LastError = err.Error()
	p.st.LastErrorAt = &now
	p.mu.Unlock()
}

// onConnect runs on the client's goroutine after every (re)connection:
// listen for Home Assistant's birth message and for this service's
// configurations on the broker, then have Run announce everything again.
func (p *Publisher) onConnect(c mqtt.Client) {
	p.log.Info("MQTT broker connected")
	subs := map[string]byte{p.t.birth(): 1, p.t.configs(): 1}
	tok := c.SubscribeMultiple(subs, p.onMessage)
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		p.fail(fmt.Errorf("subscribe: %v", tok.Error()))
	}
	select {
	case p.connected <- struct{}{}:
	default:
	}
}

// online reports whether messages may be published now.
func (p *Publisher) online() bool { return p.up.Load() && p.client.IsConnectionOpen() }

func (p *Publisher) onMessage(_ mqtt.Client, m mqtt.Message) {
	if m.Topic() == p.t.birth() {
		if string(m.Payload()) == Online {
			p.log.Info("Home Assistant is online; announcing every team again")
			select {
			case p.reannounce <- struct{}{}:
			default:
			}
		}
		return
	}
	id := p.t.objectOf(m.Topic())
	if id == "" {
		return
	}
	// Retained deliveries are what the broker held when this connection
	// subscribed; live ones are this service's own announcements.
	p.mu.Lock()
	switch {
	case len(m.Payload()) == 0:
		delete(p.leftover, id)
	case m.Retained():
		p.leftover[id] = true
	}
	p.mu.Unlock()
	p.poke()
}

// Run connects (retrying with backoff until it succeeds; the client then
// reconnects on its own) and keeps the broker current until ctx ends. On
// the way out it says offline and disconnects.
func (p *Publisher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.connect(ctx)
	}()
	defer wg.Wait()

	tick := time.NewTicker(p.o.Refresh)
	defer tick.Stop()
	// The saved teams say when they changed only through their version;
	// reading it is cheap.
	favTick := time.NewTicker(p.favTick)
	defer favTick.Stop()
	var fav settling
	if p.o.Favorites != nil {
		fav.version = p.o.Favorites.Version()
		p.saved = p.o.Favorites.Get("default")
	}
	dirty := true
	for {
		if dirty {
			p.refresh()
			dirty = false
		}
		var events chan outEvent
		if p.online() && p.held == nil {
			events = p.events
		}
		select {
		case <-ctx.Done():
			p.stop()
			return
		case <-p.wake:
			dirty = true
		case <-tick.C:
			dirty = true
		case <-favTick.C:
			if p.savedTeams(&fav, time.Now()) {
				dirty = true
			}
		case <-p.connected:
			p.up.Store(true)
			clear(p.sent)
			dirty = true
		case <-p.reannounce:
			clear(p.sent)
			dirty = true
		case e := <-events:
			p.publishEvent(e)
		}
		if p.held != nil && p.online() {
			e := *p.held
			p.held = nil
			p.publishEvent(e)
		}
	}
}

// savedTeams takes the saved teams in hand once they settle: unchanged
// for savedQuiet, or savedMaxWait after their first change while they
// keep changing. Saves come in bursts (someone clicking through a team
// picker, a script), and each state announced on the way would add or
// remove every device of it in Home Assistant; the last one is what
// counts. It reports whether p.saved changed.
func (p *Publisher) savedTeams(s *settling, now time.Time) bool {
	if p.o.Favorites == nil {
		return false
	}
	if v := p.o.Favorites.Version(); v != s.version {
		s.version, s.last = v, now
		if s.first.IsZero() {
			s.first = now
		}
	}
	if s.first.IsZero() || (now.Sub(s.last) < p.savedQuiet && now.Sub(s.first) < p.savedMaxWait) {
		return false
	}
	*s = settling{version: s.version}
	p.saved = p.o.Favorites.Get("default")
	return true
}

// connectBackoff paces the first connection's attempts: waits drawn below
// 1 s, 2 s, 4 s, … up to 30 s (the service's retry policy).
var connectBackoff = retry.Backoff{Base: time.Second, Max: 30 * time.Second}

// connect makes the first connection, retrying until it succeeds or ctx
// ends; later reconnections are the client's own.
func (p *Publisher) connect(ctx context.Context) {
	for attempt := 0; ; attempt++ {
		tok := p.client.Connect()
		select {
		case <-tok.Done():
		case <-ctx.Done():
			return
		}
		if tok.Error() == nil {
			return
		}
		wait := connectBackoff.Delay(attempt)
		p.fail(fmt.Errorf("connect: %w", tok.Error()))
		p.log.Warn("MQTT broker not reachable; retrying", "err", tok.Error(), "in", wait.Round(time.Millisecond))
		if retry.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// stop publishes offline (the last will is for deaths, not for goodbyes)
// and disconnects.
func (p *Publisher) stop() {
	if p.online() {
		p.publish(p.t.status(), []byte(Offline), 1, true)
	}
	p.client.Disconnect(250)
}

// publish sends one message and waits for the broker to take it (QoS 1)
// or for the client to write it (QoS 0).
func (p *Publisher) publish(topic string, payload []byte, qos byte, retained bool) bool {
	if !p.online() {
		return false
	}
	tok := p.client.Publish(topic, qos, retained, payload)
	var err error
	switch {
	case !tok.WaitTimeout(15 * time.Second):
		err = errors.New("publish timed out")
	default:
		err = tok.Error()
	}
	p.mu.Lock()
	if err != nil {
		p.st.PublishErrors++
	} else {
		p.st.Published++
	}
	p.mu.Unlock()
	if err != nil {
		p.fail(fmt.Errorf("publish %s: %w", topic, err))
		return false
	}
	return true
}

// retain publishes a retained message unless the broker already holds
// exactly that payload from this connection.
func (p *Publisher) retain(topic string, payload []byte) {
	p.retainAs(topic, payload, string(payload))
}

// retainAs publishes a retained message unless what the broker holds from
// this connection was published under the same key: a payload whose
// differences do not count is not published again. Announced again (a
// new connection, Home Assistant's birth), a payload under the key last
// published goes out as it was then, byte for byte.
func (p *Publisher) retainAs(topic string, payload []byte, key string) {
	if last, ok := p.sent[topic]; ok && last == key {
		return
	}
	if prev, ok := p.last[topic]; ok && prev.key == key {
		payload = prev.payload
	}
	if p.publish(topic, payload, 1, true) {
		p.sent[topic] = key
		p.last[topic] = retained{key: key, payload: payload}
	}
}

// publishEvent sends one event; one that did not go out (the connection
// went while it was being sent) is kept to go first, so that events keep
// their order.
func (p *Publisher) publishEvent(e outEvent) {
	if !p.publish(e.topic, e.payload, 1, false) {
		p.held = &e
	}
}

// refresh brings the broker to the current set of teams and their states.
func (p *Publisher) refresh() {
	want, settled := p.teams()
	p.mu.Lock()
	p.followed = want
	p.st.Teams = sortedKeys(want)
	var stale []string
	if settled {
		for id := range p.leftover {
			if _, ok := want[id]; !ok {
				stale = append(stale, id)
			}
		}
	}
	p.mu.Unlock()
	if !p.online() {
		return
	}
	p.retain(p.t.status(), []byte(Online))
	for id := range p.announced {
		if _, ok := want[id]; !ok {
			p.remove(id)
		}
	}
	for _, id := range stale {
		p.remove(id)
	}
	for _, id := range sortedKeys(want) {
		p.announce(want[id])
	}
}

// announce publishes a team's configurations and its current states.
func (p *Publisher) announce(tm team) {
	for _, c := range components {
		p.retain(p.t.config(c, tm.ID), p.t.discoveryConfig(c, tm, p.o.Version))
	}
	if _, was := p.announced[tm.ID]; !was {
		p.log.Info("team announced to Home Assistant", "team", tm.ID, "name", tm.Name)
	}
	p.announced[tm.ID] = tm
	sensor, err := p.o.Sensors.Sensor(tm.match)
	if err != nil {
		p.log.Debug("no sensor for an announced team", "team", tm.ID, "err", err)
		return
	}
	if sensor.UpdatedAt == "" {
		// Before its league's first poll the sensor knows no game: not a
		// state (NOT_FOUND) worth pushing to Home Assistant.
		return
	}
	state, attrs := sensor.State, sensor.Attributes
	ab, err := json.Marshal(attrs)
	if err != nil {
		p.log.Warn("sensor attributes not encodable", "team", tm.ID, "err", err)
		return
	}
	live := "OFF"
	if state == "IN" {
		live = "ON"
	}
	p.retainAs(p.t.attributes(tm.ID), ab, attributesKey(attrs, ab))
	p.retain(p.t.state(tm.ID), []byte(state))
	p.retain(p.t.live(tm.ID), []byte(live))
}

// remove takes a team's entities out of Home Assistant: an empty retained
// configuration deletes an entity, an empty retained state clears the
// broker's copy.
func (p *Publisher) remove(id string) {
	ok := true
	for _, c := range components {
		topic := p.t.config(c, id)
		if p.publish(topic, nil, 1, true) {
			p.sent[topic] = ""
			delete(p.last, topic)
		} else {
			ok = false
		}
	}
	for _, topic := range p.t.stateTopics(id) {
		if p.publish(topic, nil, 1, true) {
			p.sent[topic] = ""
			delete(p.last, topic)
		} else {
			ok = false
		}
	}
	if ok {
		delete(p.announced, id)
		p.mu.Lock()
		delete(p.leftover, id)
		p.mu.Unlock()
		p.log.Info("team no longer followed; its Home Assistant entities removed", "team", id)
	}
}

// pollStamp is the attribute that says when ESPN answered (TeamTracker's
// last_update): it changes on every poll.
const pollStamp = "last_update"

// attributesKey is what decides whether the attributes are published again:
// all of them but pollStamp. Home Assistant writes a state row for every
// attributes message that differs from the last, so republishing on every
// poll for the stamp alone would add a row per poll to its recorder; a poll
// that changes nothing else publishes nothing, and the stamp published is
// that of the last poll that changed something.
func attributesKey(attrs any, encoded []byte) string {
	m, ok := attrs.(map[string]any)
	if !ok {
		return string(encoded)
	}
	if _, has := m[pollStamp]; !has {
		return string(encoded)
	}
	rest := make(map[string]any, len(m))
	for k, v := range m {
		if k != pollStamp {
			rest[k] = v
		}
	}
	b, err := json.Marshal(rest)
	if err != nil {
		return string(encoded)
	}
	return string(b)
}
