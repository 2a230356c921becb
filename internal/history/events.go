package history

import (
	"context"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// GameEvent is one event of a game as event detection makes it from the
// stored timeline: the id and type a webhook or MQTT got, the observation
// it was made from, and the scores before and after.
type GameEvent struct {
	EventID       string     `json:"event_id"`
	EventType     string     `json:"event_type"`
	Time          time.Time  `json:"time"`
	Score         game.Score `json:"score"`
	PreviousScore game.Score `json:"previous_score"`
	Period        int        `json:"period"`
	Clock         string     `json:"clock"`
}

// GameEvents is the answer of GET /api/v1/games/events/{game_id}.
type GameEvents struct {
	GameID string      `json:"game_id"`
	League string      `json:"league"`
	Events []GameEvent `json:"events"`
}

// Events replays event detection over a game's stored timeline (package
// events, Replay): the events of each change, with the ids the webhooks
// and MQTT carried. Its errors are Timeline's.
func (s *Service) Events(ctx context.Context, gameID, leagueKey string) (*GameEvents, error) {
	tl, err := s.Timeline(ctx, gameID, leagueKey)
	if err != nil {
		return nil, err
	}
	obs := make([]events.Observation, 0, len(tl.Timeline))
	for _, e := range tl.Timeline {
		obs = append(obs, events.Observation{At: e.Time, Game: game.Game{
			ID: tl.GameID, League: tl.League, Status: e.Status,
			Score:  game.Score{Home: e.HomeScore, Away: e.AwayScore},
			Period: game.Period{Current: e.Period, TimeRemaining: e.TimeRemaining},
		}})
	}
	lk := strings.ToLower(tl.League)
	if l, ok := league.Lookup(tl.League); ok {
		lk = l.Key
	}
	out := &GameEvents{GameID: tl.GameID, League: tl.League, Events: []GameEvent{}}
	for _, ev := range events.Replay(lk, obs) {
		out.Events = append(out.Events, GameEvent{
			EventID: ev.ID, EventType: ev.Type, Time: ev.Observed,
			Score: ev.Game.Score, PreviousScore: ev.Previous,
			Period: ev.Game.Period.Current, Clock: ev.Game.Period.TimeRemaining,
		})
	}
	return out, nil
}
