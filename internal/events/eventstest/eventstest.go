// Package eventstest holds the games the event tests of every package
// walk through: the real 2022 week 1 NFL Sunday scoreboard and, derived
// from its final MIA–NE, that game from kick-off to the final whistle.
package eventstest

import (
	"sync"
	"testing"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// Games of the capture.
const (
	Capture  = "nfl/scoreboard-2022-wk1-sun-live-mixed.json"
	MiaNE    = "401437630" // MIA 20 – NE 7, final in the capture
	AtlNO    = "401437650" // ATL 26 – NO 24, live in the 4th
	LaBuffal = "401437654" // LAR 10 – BUF 31, final two days earlier
)

var (
	once  sync.Once
	games []game.Game
	err   error
)

// Scoreboard is the capture parsed by the service's own parser (once);
// callers get their own copy of the slice.
func Scoreboard(t testing.TB) []game.Game {
	t.Helper()
	once.Do(func() {
		l, _ := league.Lookup("nfl")
		games, err = espn.ParseScoreboard(espntest.Load(t, Capture), l)
	})
	if err != nil || len(games) != 16 {
		t.Fatalf("eventstest: parsing %s: %d games, %v", Capture, len(games), err)
	}
	return append([]game.Game(nil), games...)
}

// Find is the game with id among games.
func Find(t testing.TB, games []game.Game, id string) game.Game {
	t.Helper()
	for _, g := range games {
		if g.ID == id {
			return g
		}
	}
	t.Fatalf("eventstest: game %s not in capture", id)
	return game.Game{}
}

// With returns a copy of g in another state. Frames built with it are
// derived from the capture: ids, teams and start time are real, status,
// score and clock are set to show the game as it unfolded.
func With(g game.Game, st game.Status, home, away, period int, clockText string) game.Game {
	g.Status = st
	g.Score = game.Score{Home: home, Away: away}
	g.Period.Current = period
	g.Period.TimeRemaining = clockText
	switch st {
	case game.StatusScheduled:
		g.StatusDetail = "9/11 - 1:00 PM EDT"
	case game.StatusFinal:
		g.StatusDetail = "Final"
	default:
		g.StatusDetail = clockText + " - " + []string{"", "1st", "2nd", "3rd", "4th", "OT"}[min(period, 5)]
	}
	return g
}

// MIANEFrames is MIA–NE (home MIA) from kick-off to the final 20-7. MIA
// scores twice in a row, NE scores once, the last MIA points arrive with
// the transition to final: seven events (a start, five score changes, an
// end).
func MIANEFrames(t testing.TB) []game.Game {
	g := Find(t, Scoreboard(t), MiaNE)
	return []game.Game{
		With(g, game.StatusScheduled, 0, 0, 0, "0:00"), // 0
		With(g, game.StatusLive, 0, 0, 1, "15:00"),     // 1 kick-off
		With(g, game.StatusLive, 0, 0, 1, "9:12"),      // 2 nothing
		With(g, game.StatusLive, 7, 0, 1, "4:40"),      // 3 MIA TD
		With(g, game.StatusLive, 10, 0, 2, "11:02"),    // 4 MIA FG
		With(g, game.StatusLive, 10, 7, 2, "0:31"),     // 5 NE TD
		With(g, game.StatusLive, 17, 7, 3, "6:15"),     // 6 MIA TD
		With(g, game.StatusLive, 17, 7, 4, "12:00"),    // 7 quarter change only
		With(g, game.StatusFinal, 20, 7, 4, "0:00"),    // 8 MIA FG, then final
	}
}

// Poll is one scoreboard answer: every game of the capture as captured,
// with the frame's game replaced by the frame.
func Poll(t testing.TB, frame game.Game) []game.Game {
	games := Scoreboard(t)
	for i := range games {
		if games[i].ID == frame.ID {
			games[i] = frame
		}
	}
	return games
}
