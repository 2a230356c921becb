package hadiscovery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
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
	// Club lists a team in every followed competition it plays in, itself
	// first (teams.Directory.Club): a club's events in each reach its one
	// device. Nil: the team alone.
	Club func(m teams.Match) []teams.Match
	// Standings, when set, gives each team's line in its league's table
	// for the device's Standing sensor (standing.go).
	Standings Standings
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
	clubs    map[string]team // a followed club's ids in its other competitions
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
		for _, side := range ev.Game.Participants() {
			tm, ok := p.followed[side.ID]
			if !ok {
				tm, ok = p.clubs[side.ID]
			}
			if !ok {
				continue
			}
			body := ev.Payload(side.Abbreviation).JSON()
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
