package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// Event names as they appear in registrations, payloads and the
// X-Webhook-Event header.
const (
	EventGameStart   = "game_start"
	EventGameEnd     = "game_end"
	EventScoreChange = "score_change"
	// EventTest is only ever sent by Service.Test.
	EventTest = "test"
)

// allEvents is the default subscription and the canonical order of events
// in a registration.
var allEvents = []string{EventGameStart, EventGameEnd, EventScoreChange}

// Event is one happening in one game, before it is addressed to any webhook.
type Event struct {
	Type string
	// ID is the same for the same happening however often it is detected
	// (retries, restarts, a baseline that lags behind), and differs between
	// happenings. It is the event_id of the payload and the webhook-id header.
	ID string
	// League is the registry key: "nfl".
	League string
	// Game is the game as observed when the event was detected.
	Game game.Game
	// PreviousStatus and Previous are the state before that observation.
	PreviousStatus game.Status
	Previous       game.Score
	// Observed is when the service observed the change (zero from Detect).
	// It is the payload's occurred_at and timestamp.
	Observed time.Time
}

// snapshot is what detection needs to remember of a game between polls.
type snapshot struct {
	Status game.Status
	Score  game.Score
}

// Detect compares two observations of one game and returns the events
// between them, in the order game_start, score_change, game_end.
//
//   - game_start: scheduled (or postponed) → live.
//   - score_change: a score differs while the game is live, or at the
//     transition to final (including scheduled → final, when the whole game
//     happened between two observations). Both teams scoring in one interval
//     is one event carrying both diffs; a score going down is an event too.
//     Overtime needs no special case: it is more periods.
//   - game_end: live or scheduled → final (also postponed or suspended →
//     final: a game resumed and finished between two observations).
//
// Transitions into postponed, suspended or canceled produce no event, nor do
// changes between two observations that are both final (stat corrections).
// A nil prev (a game seen for the first time) produces nothing: without a
// previous state nothing can be said about what changed.
//
// Event ids from Detect assume the score has never gone down earlier in the
// game. The Service counts such corrections per game (persisting the count)
// so that 7-0 → 0-0 → 7-0 gives the second 0-0 → 7-0 an id of its own.
func Detect(prev *game.Game, next game.Game) []Event {
	if prev == nil {
		return nil
	}
	evs, _ := detect(snapshot{Status: prev.Status, Score: prev.Score}, next, 0)
	return evs
}

// detect is Detect with the game's count of score corrections so far; it
// returns the count after next.
func detect(prev snapshot, next game.Game, corrections int) ([]Event, int) {
	if prev.Status == next.Status && prev.Score == next.Score {
		return nil, corrections
	}
	lk := next.LeagueKey()
	mk := func(typ, id string) Event {
		return Event{Type: typ, ID: id, League: lk, Game: next, PreviousStatus: prev.Status, Previous: prev.Score}
	}
	var evs []Event
	if next.Status == game.StatusLive && (prev.Status == game.StatusScheduled || prev.Status == game.StatusPostponed) {
		evs = append(evs, mk(EventGameStart, eventID(lk, next.ID, EventGameStart)))
	}
	toFinal := next.Status == game.StatusFinal && prev.Status != game.StatusFinal
	if prev.Score != next.Score && (next.Status == game.StatusLive || toFinal) {
		if next.Score.Home < prev.Score.Home || next.Score.Away < prev.Score.Away {
			corrections++
		}
		evs = append(evs, mk(EventScoreChange, eventID(lk, next.ID, EventScoreChange,
			scoreKey(prev.Score), scoreKey(next.Score), fmt.Sprint(corrections))))
	}
	if toFinal {
		// One game_end per final score: an ESPN flip back to live and to
		// final again with the same score is the same ending.
		evs = append(evs, mk(EventGameEnd, eventID(lk, next.ID, EventGameEnd, scoreKey(next.Score))))
	}
	return evs, corrections
}

func scoreKey(s game.Score) string { return fmt.Sprintf("%d-%d", s.Home, s.Away) }

// eventID hashes what identifies a happening; 128 bits of SHA-256 in hex.
func eventID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "|")))
	return hex.EncodeToString(sum[:16])
}

// estimatedEnd is when the game is taken to have ended: its start plus the
// league's usual game length. Zero when the start time is unknown.
func estimatedEnd(g game.Game) time.Time {
	start := g.Start
	if start.IsZero() {
		for _, layout := range []string{"2006-01-02T15:04Z07:00", time.RFC3339} {
			if t, err := time.Parse(layout, g.StartTime); err == nil {
				start = t
				break
			}
		}
	}
	if start.IsZero() {
		return time.Time{}
	}
	length := 3 * time.Hour
	if l, ok := league.Lookup(g.LeagueKey()); ok {
		length = l.GameLength()
	}
	return start.Add(length)
}

// stale reports whether events for next describe a game that had been over
// longer than staleAfter before anyone could observe it: the service was
// down (lastSeen zero: the state came from Seed) or the game went unobserved
// for long. A game last seen unfinished within staleAfter cannot have been
// over longer than that, so it is never stale.
func stale(next game.Game, lastSeen, now time.Time, staleAfter time.Duration) bool {
	if next.Status != game.StatusFinal {
		return false
	}
	if !lastSeen.IsZero() && now.Sub(lastSeen) <= staleAfter {
		return false
	}
	end := estimatedEnd(next)
	return !end.IsZero() && now.Sub(end) > staleAfter
}

// Seed primes the previous state of games from the store's baseline (the
// latest stored state of every unfinished game) at start-up, so that a
// transition that happened while the service was down is detected once.
// Games this service has its own record of keep it: that record is at least
// as new as anything it detected events from.
func (s *Service) Seed(leagueKey string, previous []game.Game) {
	lk := strings.ToLower(strings.TrimSpace(leagueKey))
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range previous {
		if g.ID == "" {
			continue
		}
		k := gameKey(lk, g.ID)
		if _, ok := s.games[k]; ok {
			continue
		}
		s.games[k] = &gameState{snap: snapshot{Status: g.Status, Score: g.Score}, touched: now}
		s.gamesDirty = true
	}
}

// Observe takes every game of one poll of a league, detects events against
// the previous state of each game and queues a delivery for every webhook
// that wants one. It never waits for a receiver; when it detected something
// it writes the outbox and the games before returning, so a crash right
// after loses nothing.
func (s *Service) Observe(leagueKey string, games []game.Game) {
	lk := strings.ToLower(strings.TrimSpace(leagueKey))
	now := s.now()
	var wake []*hook
	var added []journalRec
	detected := false

	s.outboxMu.Lock()
	s.mu.Lock()
	for _, g := range games {
		if g.ID == "" {
			continue
		}
		if lk != "" {
			// The league the caller polled is the league of its games.
			g.League = strings.ToUpper(lk)
		}
		k := gameKey(lk, g.ID)
		st := s.games[k]
		if st == nil {
			s.games[k] = &gameState{snap: snapshot{Status: g.Status, Score: g.Score}, seenAt: now, touched: now}
			s.gamesDirty = true
			continue
		}
		evs, corrections := detect(st.snap, g, st.corrections)
		lastSeen := st.seenAt
		next := snapshot{Status: g.Status, Score: g.Score}
		if next != st.snap || corrections != st.corrections {
			s.gamesDirty = true
		} else {
			s.gamesTimes = true
		}
		st.snap = next
		st.corrections, st.seenAt, st.touched = corrections, now, now
		if len(evs) == 0 {
			continue
		}
		detected = true
		if stale(g, lastSeen, now, s.opts.StaleAfter) {
			s.log.Info("not sending events of a game that was over long before it was observed",
				"league", lk, "game_id", g.ID, "events", len(evs))
			continue
		}
		for _, ev := range evs {
			ev.Observed = now
			s.announceLocked(ev, now)
			for _, h := range s.hooks {
				if it, ok := s.enqueueLocked(h, ev, now); ok {
					added = append(added, journalRec{Op: opAdd, Webhook: h.rec.ID, Item: &it})
					wake = append(wake, h)
				}
			}
		}
	}
	for k, st := range s.games {
		if now.Sub(st.touched) > forgetGamesAfter {
			delete(s.games, k)
			s.gamesDirty = true
		}
	}
	s.forgetAnnouncedLocked(now)
	s.mu.Unlock()
	// The deliveries first: a crash between the two writes re-detects the
	// same events (same ids) from the older games, and they are queued once.
	s.journalLocked(added, true)
	s.outboxMu.Unlock()

	if detected {
		if err := s.saveGames(); err != nil {
			s.log.Error("writing webhook games", "err", err)
		}
	}
	for _, h := range wake {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
}
