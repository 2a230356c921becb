package events

import (
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
)

// Observation is one observed state of a game and when it was observed:
// a point of a stored timeline.
type Observation struct {
	Game game.Game
	At   time.Time
}

// Replay is what event detection makes of one game's observations, in the
// order given: each compared with the one before, score corrections
// counted as the Detector counts them, each id once. The ids are those the
// subscribers were handed when the Detector saw the same changes (the
// stored timeline holds every change of status and score it saw); Observed
// is the time of the observation an event was made from. The first
// observation makes no event, as a game seen for the first time makes none.
func Replay(leagueKey string, observations []Observation) []Event {
	lk := strings.ToLower(strings.TrimSpace(leagueKey))
	var out []Event
	seen := map[string]bool{}
	corrections := 0
	for i := 1; i < len(observations); i++ {
		prev, next := observations[i-1].Game, observations[i].Game
		next.League = strings.ToUpper(lk)
		var evs []Event
		evs, corrections = detect(snapshot{Status: prev.Status, Score: prev.Score}, next, corrections)
		for _, ev := range evs {
			if seen[ev.ID] {
				continue
			}
			seen[ev.ID] = true
			ev.Observed = observations[i].At
			out = append(out, ev)
		}
	}
	return out
}
