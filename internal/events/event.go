package events

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// Event types as they appear in registrations, payloads, the
// X-Webhook-Event header and MQTT's event entity.
const (
	GameStart   = "game_start"
	GameEnd     = "game_end"
	ScoreChange = "score_change"
)

// Types are every event type, in the order registrations list them.
var Types = []string{GameStart, GameEnd, ScoreChange}

// Event is one happening in one game, before any subscriber addresses it
// to anyone.
type Event struct {
	Type string
	// ID is the same for the same happening however often it is detected
	// (retries, restarts, a baseline that lags behind), and differs between
	// happenings. It is the payload's event_id and a webhook's webhook-id.
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

// Due is when a subscriber that holds events back by delay (a webhook's
// delay_seconds, so as not to spoil a TV picture that runs behind) may
// pass the event on: delay after it was observed.
func (e Event) Due(delay time.Duration) time.Time { return e.Observed.Add(delay) }

// snapshot is what detection needs to remember of a game between polls:
// its status, score and, in the sports scored by a mark (mark.go), that
// mark.
type snapshot struct {
	Status game.Status
	Score  game.Score
	Mark   string
}

// snapshotOf is what detection remembers of g.
func snapshotOf(g *game.Game) snapshot {
	return snapshot{Status: g.Status, Score: g.Score, Mark: markOf(rule(g), g)}
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
// In MMA, golf, racing and cricket a change of the sport's mark (mark.go)
// is the score_change instead of a change of the score.
//
// Event ids from Detect assume the score has never gone down earlier in the
// game. The Detector counts such corrections per game (persisting the
// count) so that 7-0 → 0-0 → 7-0 gives the second 0-0 → 7-0 an id of its
// own.
func Detect(prev *game.Game, next game.Game) []Event {
	if prev == nil {
		return nil
	}
	evs, _ := detect(snapshotOf(prev), next, 0)
	return evs
}

// detect is Detect with the game's count of score corrections so far; it
// returns the count after next.
func detect(prev snapshot, next game.Game, corrections int) ([]Event, int) {
	r := rule(&next)
	if prev.Status == next.Status && prev.Score == next.Score && prev.Mark == markOf(r, &next) {
		return nil, corrections
	}
	lk := next.LeagueKey()
	mk := func(typ, id string) Event {
		return Event{Type: typ, ID: id, League: lk, Game: next, PreviousStatus: prev.Status, Previous: prev.Score}
	}
	var evs []Event
	if next.Status == game.StatusLive && (prev.Status == game.StatusScheduled || prev.Status == game.StatusPostponed) {
		evs = append(evs, mk(GameStart, eventID(lk, next.ID, GameStart)))
	}
	toFinal := next.Status == game.StatusFinal && prev.Status != game.StatusFinal
	if r != byScore {
		var changed []Event
		changed, corrections = markChange(r, prev, &next, lk, corrections, mk)
		evs = append(evs, changed...)
	} else if prev.Score != next.Score && (next.Status == game.StatusLive || toFinal) {
		if next.Score.Home < prev.Score.Home || next.Score.Away < prev.Score.Away {
			corrections++
		}
		evs = append(evs, mk(ScoreChange, eventID(lk, next.ID, ScoreChange,
			scoreKey(prev.Score), scoreKey(next.Score), fmt.Sprint(corrections))))
	}
	if toFinal {
		// One game_end per final score: an ESPN flip back to live and to
		// final again with the same score is the same ending.
		evs = append(evs, mk(GameEnd, eventID(lk, next.ID, GameEnd, scoreKey(next.Score))))
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
