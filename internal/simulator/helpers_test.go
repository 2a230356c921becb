package simulator_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/simulator"
	"github.com/sports-data/sports-data/internal/tz"
)

var et = tz.Eastern

// sunday is the start used across the tests: Sunday 29 November 2026,
// 12:00 Eastern, an hour before the early NFL window.
var sunday = time.Date(2026, time.November, 29, 12, 0, 0, 0, et)

func newSim(t testing.TB, o simulator.Options) *simulator.Sim {
	t.Helper()
	if o.Start.IsZero() {
		o.Start = sunday
	}
	s, err := simulator.New(o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func mustLeague(t testing.TB, key string) league.League {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok, key)
	return l
}

// boardAt parses the scoreboard of day at simulated time at with the
// service's own parser.
func boardAt(t testing.TB, s *simulator.Sim, at time.Time, key string, day time.Time) []game.Game {
	t.Helper()
	b, err := s.ScoreboardAt(at, key, day)
	require.NoError(t, err)
	games, err := espn.ParseScoreboard(b, mustLeague(t, key))
	require.NoError(t, err, "scoreboard %s %s at %s", key, day.Format("2006-01-02"), at)
	return games
}

// gameAt parses the one-game answer of GameAt.
func gameAt(t testing.TB, s *simulator.Sim, at time.Time, key, id string) *game.Game {
	t.Helper()
	b, err := s.GameAt(at, key, id)
	require.NoError(t, err)
	games, err := espn.ParseScoreboard(b, mustLeague(t, key))
	require.NoError(t, err, "game %s at %s", id, at)
	return findGame(games, id)
}

func findGame(games []game.Game, id string) *game.Game {
	for i := range games {
		if games[i].ID == id {
			return &games[i]
		}
	}
	return nil
}

// midnight is 00:00 Eastern of t's Eastern day.
func midnight(t time.Time) time.Time {
	e := t.In(et)
	return time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, et)
}

// scoreAt is the last score state at or before at (0-0 before the first).
func scoreAt(g simulator.GameTruth, at time.Time) game.Score {
	var sc game.Score
	for _, c := range g.Scores {
		if c.Time.After(at) {
			break
		}
		sc = game.Score{Home: c.Home, Away: c.Away}
	}
	return sc
}

// statusAt is the last status change at or before at.
func statusAt(g simulator.GameTruth, at time.Time) simulator.StatusChange {
	var st simulator.StatusChange
	for _, c := range g.Statuses {
		if c.Time.After(at) {
			break
		}
		st = c
	}
	return st
}

// apiStatus is what the service's parser should make of a truth status.
func apiStatus(c simulator.StatusChange) game.Status {
	switch {
	case c.Name == "STATUS_POSTPONED":
		return game.StatusPostponed
	case c.State == "pre":
		return game.StatusScheduled
	case c.State == "in":
		return game.StatusLive
	}
	return game.StatusFinal
}

func hasTag(g simulator.GameTruth, tag string) bool {
	for _, x := range g.Tags {
		if x == tag {
			return true
		}
	}
	return false
}

// everything is the truth once every game of the window is over.
func everything(s *simulator.Sim) simulator.Truth {
	return s.TruthAt(s.OverAt())
}

// listingDay is the Eastern day whose scoreboard lists the game once it
// is played: the day it starts.
func listingDay(g simulator.GameTruth) time.Time {
	if !g.Start.IsZero() {
		return g.Start
	}
	return g.Scheduled
}
