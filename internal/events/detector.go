package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/atomicfile"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/outage"
)

// A Subscriber is handed the events of each poll of a league, in the order
// they happened, every event id once. Events is called on the poller's
// goroutine, before the Detector records the games' new state: a
// subscriber that must not lose an event (webhook delivery) writes it down
// before returning, and one that only shows them (MQTT, a live page) hands
// them off. Either way it must not wait on anything slow: a receiver, a
// broker, a client. A subscriber that panics is logged and the others
// carry on.
type Subscriber interface {
	Events(batch []Event)
}

// Options configure a Detector. Zero values take the defaults in brackets.
type Options struct {
	// DataDir holds gamesFile, what detection remembers of each game.
	// Required.
	DataDir string
	// Now is the clock events are observed by [time.Now].
	Now func() time.Time
	// StaleAfter: a game that was already over longer than this when its end
	// was first observed (the service was down) gets no events [1 h].
	StaleAfter time.Duration
	Logger     *slog.Logger
}

const (
	// gamesFile keeps its name from the release where webhook delivery
	// detected events itself, so that an upgrade carries it over.
	gamesFile = "webhook-games.json"
	// legacyOutboxFile is the single-file outbox of earlier versions
	// (pending deliveries and games): its games are read here when there
	// is no games file yet; webhook delivery takes its deliveries and
	// removes it.
	legacyOutboxFile = "webhook-outbox.json"

	forgetGamesAfter   = 36 * time.Hour
	gamesTimesInterval = time.Minute
)

// Detector turns each poll's games into events and hands them to its
// subscribers. It remembers the last observed state of every game in
// DataDir, so that the next start compares with what this service last
// saw; Seed fills in games it has no record of from the store's baseline.
// It is safe for concurrent use; it owns no goroutine.
type Detector struct {
	o    Options
	log  *slog.Logger
	path string

	// mu serialises Observe and Seed: detection, the hand-over to the
	// subscribers and the write of the games file happen in that order,
	// so the file never records a state whose events a subscriber has not
	// been given.
	mu        sync.Mutex
	subs      []Subscriber
	games     map[string]*gameState
	announced map[string]time.Time // event ids handed over, while their game is remembered
	// dirty: a game's status or score changed since the last write;
	// times: only the times games were last seen did (written at most
	// every gamesTimesInterval, wall clock).
	dirty, times bool
	lastSave     time.Time

	// saving reports a games file that cannot be written (a full disk)
	// when it begins and when it ends, not at every poll.
	saving *outage.Reporter
}

type gameState struct {
	snap        snapshot
	corrections int
	seenAt      time.Time // last observation; zero when only seeded
	touched     time.Time // last observation or seed, for forgetting
}

// New loads what detection remembered. An unreadable games file is moved
// aside and logged: detection then starts from the stored baseline.
func New(o Options) (*Detector, error) {
	if o.DataDir == "" {
		return nil, errors.New("events: DataDir is required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	d := &Detector{o: o, log: o.Logger, path: filepath.Join(o.DataDir, gamesFile),
		games: map[string]*gameState{}, announced: map[string]time.Time{}, lastSave: time.Now(),
		saving: outage.New(o.Logger, "writing event detection's games", "events are still detected and handed on; the file is written again at each poll")}
	// No Detector on this folder has written yet: a temp file is a
	// crash's leftover.
	leftovers, _ := filepath.Glob(atomicfile.TempPattern(d.path))
	for _, p := range leftovers {
		_ = os.Remove(p)
	}
	records, found, err := loadGames(d.path, o.Now())
	if err != nil {
		d.log.Warn("event detection's games unreadable; detection starts from the stored baseline", "err", err)
	}
	if !found {
		if records, found = legacyGames(filepath.Join(o.DataDir, legacyOutboxFile)); found {
			d.dirty = true
		}
	}
	for k, g := range records {
		d.games[k] = &gameState{
			snap:        snapshot{Status: g.Status, Score: game.Score{Home: g.Home, Away: g.Away}},
			corrections: g.Corrections,
			seenAt:      g.SeenAt,
			touched:     g.Touched,
		}
	}
	if d.dirty {
		if err := d.save(); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		d.log.Info("event detection's games carried over", "from", legacyOutboxFile, "to", gamesFile)
	}
	return d, nil
}

// Subscribe adds a subscriber; it is handed every event detected from
// then on.
func (d *Detector) Subscribe(s Subscriber) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.subs = append(d.subs, s)
}

// Seed primes the previous state of games from the store's baseline (the
// latest stored state of every unfinished game) at start-up, so that a
// transition that happened while the service was down is detected once.
// Games this Detector has its own record of keep it: that record is at
// least as new as anything it detected events from.
func (d *Detector) Seed(leagueKey string, previous []game.Game) {
	lk := strings.ToLower(strings.TrimSpace(leagueKey))
	now := d.o.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, g := range previous {
		if g.ID == "" {
			continue
		}
		k := gameKey(lk, g.ID)
		if _, ok := d.games[k]; ok {
			continue
		}
		d.games[k] = &gameState{snap: snapshot{Status: g.Status, Score: g.Score}, touched: now}
		d.dirty = true
	}
}

// Observe takes every game of one poll of a league, detects events against
// the previous state of each game and hands them to the subscribers. An
// event of a game that was over long before it was observed is not handed
// on (see stale), nor is an id already handed on. The new states are
// written to DataDir after the subscribers have the events.
func (d *Detector) Observe(leagueKey string, games []game.Game) {
	lk := strings.ToLower(strings.TrimSpace(leagueKey))
	now := d.o.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	batch, detected := d.detectLocked(lk, games, now)
	for k, st := range d.games {
		if now.Sub(st.touched) > forgetGamesAfter {
			delete(d.games, k)
			d.dirty = true
		}
	}
	for id, at := range d.announced {
		if now.Sub(at) > forgetGamesAfter {
			delete(d.announced, id)
		}
	}
	if len(batch) > 0 {
		for _, s := range d.subs {
			d.hand(s, batch)
		}
	}
	if detected || d.dirty || d.times && time.Since(d.lastSave) >= gamesTimesInterval {
		d.saving.Report(d.save())
	}
}

// detectLocked compares each game with its previous state and returns the
// events to hand on, and whether any was detected at all.
func (d *Detector) detectLocked(lk string, games []game.Game, now time.Time) ([]Event, bool) {
	var batch []Event
	detected := false
	for _, g := range games {
		if g.ID == "" {
			continue
		}
		if lk != "" {
			// The league the caller polled is the league of its games.
			g.League = strings.ToUpper(lk)
		}
		k := gameKey(lk, g.ID)
		st := d.games[k]
		if st == nil {
			d.games[k] = &gameState{snap: snapshot{Status: g.Status, Score: g.Score}, seenAt: now, touched: now}
			d.dirty = true
			continue
		}
		evs, corrections := detect(st.snap, g, st.corrections)
		lastSeen := st.seenAt
		next := snapshot{Status: g.Status, Score: g.Score}
		if next != st.snap || corrections != st.corrections {
			d.dirty = true
		} else {
			d.times = true
		}
		st.snap = next
		st.corrections, st.seenAt, st.touched = corrections, now, now
		if len(evs) == 0 {
			continue
		}
		detected = true
		if stale(g, lastSeen, now, d.o.StaleAfter) {
			d.log.Info("no events for a game that was over long before it was observed",
				"league", lk, "game_id", g.ID, "events", len(evs))
			continue
		}
		for _, ev := range evs {
			if _, seen := d.announced[ev.ID]; seen {
				continue
			}
			ev.Observed = now
			d.announced[ev.ID] = now
			batch = append(batch, ev)
		}
	}
	return batch, detected
}

// hand gives one subscriber a batch; a subscriber that panics is logged.
func (d *Detector) hand(s Subscriber, batch []Event) {
	defer func() {
		if r := recover(); r != nil {
			d.log.Error("event subscriber panicked", "subscriber", fmt.Sprintf("%T", s), "events", len(batch), "panic", r)
		}
	}()
	s.Events(batch)
}

// Close writes what is not written yet (the times games were last seen).
func (d *Detector) Close(context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.dirty && !d.times {
		return nil
	}
	return d.save()
}

func gameKey(leagueKey, id string) string { return leagueKey + "|" + id }

// gameRecord is what detection remembers of a game across restarts.
type gameRecord struct {
	Status      game.Status `json:"status"`
	Home        int         `json:"home"`
	Away        int         `json:"away"`
	Corrections int         `json:"corrections,omitempty"`
	SeenAt      time.Time   `json:"seen_at,omitzero"`
	Touched     time.Time   `json:"touched"`
}

type gamesDoc struct {
	Version int                   `json:"version"`
	Games   map[string]gameRecord `json:"games"`
}

// save writes every game's state; the caller holds mu.
func (d *Detector) save() error {
	doc := gamesDoc{Version: 1, Games: make(map[string]gameRecord, len(d.games))}
	for k, g := range d.games {
		doc.Games[k] = gameRecord{
			Status: g.snap.Status, Home: g.snap.Score.Home, Away: g.snap.Score.Away,
			Corrections: g.corrections, SeenAt: g.seenAt, Touched: g.touched,
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	// Written whole (temp file, fsync, rename): a crash leaves the old or
	// the new version.
	if err := atomicfile.Write(d.path, b, 0o600); err != nil {
		return err
	}
	d.dirty, d.times, d.lastSave = false, false, time.Now()
	return nil
}

// loadGames reads the games file; found is false when there is none. One
// that cannot be read as JSON is moved aside and the reason returned.
func loadGames(path string, now time.Time) (map[string]gameRecord, bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	var doc gamesDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, true, atomicfile.MoveAside(path, now, err)
	}
	return doc.Games, true, nil
}

// legacyGames reads the games of an earlier version's single-file outbox;
// found is false when there is none or it holds no games.
func legacyGames(path string) (map[string]gameRecord, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var doc struct {
		Games map[string]gameRecord `json:"games"`
	}
	if json.Unmarshal(b, &doc) != nil || doc.Games == nil {
		return nil, false
	}
	return doc.Games, true
}
