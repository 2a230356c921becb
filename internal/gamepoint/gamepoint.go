// Package gamepoint is the one mapping between games (package game) and
// the points that store them (package store), both ways: the recorder and
// backfill write with it, and history and the start-up baseline read with
// it, so that a game stored by any of them reads back the same.
//
// Both series carry the game's identity (id, season, season type, week,
// teams), its status, score, period, clock, status detail and the teams'
// conferences and divisions; the games row adds the scheduled start (its
// time), the teams' ESPN ids and names, the venue, the broadcasters and
// when it was observed; the recorder adds its schedule's history.
// docs/storage.md describes the stored layout.
package gamepoint

import (
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// Score is the score point of g as observed at observed.
func Score(leagueKey string, g *game.Game, observed time.Time) store.Point {
	p := shared(leagueKey, g)
	p.Series = store.SeriesScores
	p.Time = observed.UTC()
	return p
}

// Row is the games row of g, stamped at its scheduled start, as observed
// at observed. A game without a start has no row; callers check g.Start.
func Row(leagueKey string, g *game.Game, observed time.Time) store.Point {
	p := shared(leagueKey, g)
	p.Series = store.SeriesGames
	p.Time = g.Start.UTC()
	p.ObservedAt = observed.UTC()
	// A row written without the recorder's history (backfill) is a game
	// first seen now, as the recorder counts it.
	p.ScheduleChangedAt = p.ObservedAt
	p.HomeTeamID, p.AwayTeamID = g.HomeTeam.ESPNID, g.AwayTeam.ESPNID
	p.HomeTeamName, p.AwayTeamName = g.HomeTeam.Name, g.AwayTeam.Name
	p.Venue = g.Venue
	p.Broadcasts = strings.Join(g.Broadcasts, broadcastSep)
	return p
}

// broadcastSep joins a game's broadcasters in the one stored value.
const broadcastSep = ", "

// shared is what both series carry.
func shared(leagueKey string, g *game.Game) store.Point {
	return store.Point{
		League:         strings.ToLower(strings.TrimSpace(leagueKey)),
		GameID:         g.ID,
		Season:         g.Season,
		SeasonType:     g.SeasonType,
		Week:           g.Week,
		HomeTeam:       strings.ToUpper(g.HomeTeam.Abbreviation),
		AwayTeam:       strings.ToUpper(g.AwayTeam.Abbreviation),
		Status:         g.Status.StorageWord(),
		HomeConference: g.HomeTeam.Conference,
		AwayConference: g.AwayTeam.Conference,
		HomeDivision:   g.HomeTeam.Division,
		AwayDivision:   g.AwayTeam.Division,
		HomeScore:      g.Score.Home,
		AwayScore:      g.Score.Away,
		Period:         g.Period.Current,
		TimeRemaining:  g.Period.TimeRemaining,
		StatusDetail:   g.StatusDetail,
	}
}

// espnTime is the form ESPN writes dates in (StartTime of a live game).
const espnTime = "2006-01-02T15:04Z"

// Game reads a stored point of leagueKey back as a game. ok is false when
// the stored status is not a word the service knows; the game then
// carries the word as it is, for readers that show it rather than hide it.
// A games row gives the start (and StartTime in ESPN's form); a score
// point's time is when it was observed, so its game has no start.
func Game(leagueKey string, p store.Point) (g game.Game, ok bool) {
	key := strings.ToLower(strings.TrimSpace(leagueKey))
	l, known := league.Lookup(key)
	if !known {
		l = league.League{Key: key, Name: strings.ToUpper(key)}
	}
	status, ok := Status(p.Status)
	g = game.Game{
		ID:     p.GameID,
		League: l.Name,
		Status: status,
		HomeTeam: game.Team{ID: game.TeamID(key, p.HomeTeam), Abbreviation: p.HomeTeam, Name: p.HomeTeamName,
			ESPNID: p.HomeTeamID, Conference: p.HomeConference, Division: p.HomeDivision},
		AwayTeam: game.Team{ID: game.TeamID(key, p.AwayTeam), Abbreviation: p.AwayTeam, Name: p.AwayTeamName,
			ESPNID: p.AwayTeamID, Conference: p.AwayConference, Division: p.AwayDivision},
		Score:        game.Score{Home: p.HomeScore, Away: p.AwayScore},
		Period:       game.Period{Current: p.Period, Total: l.Periods, TimeRemaining: p.TimeRemaining},
		StatusDetail: p.StatusDetail,
		Season:       p.Season,
		SeasonType:   p.SeasonType,
		Week:         p.Week,
		Venue:        p.Venue,
	}
	if p.Broadcasts != "" {
		g.Broadcasts = strings.Split(p.Broadcasts, broadcastSep)
	}
	if p.Series == store.SeriesGames && !p.Time.IsZero() {
		g.Start = p.Time.UTC()
		g.StartTime = g.Start.Format(espnTime)
		g.TimeValid = true
	}
	return g, ok
}

// Status reads a stored status word ("finished" is the API's "final"). ok
// is false for a word the service does not know, which is returned as it
// is rather than hidden.
func Status(word string) (s game.Status, ok bool) {
	if s, ok := game.ParseStatus(word); ok {
		return s, true
	}
	return game.Status(word), false
}

// Live reports whether a point is of a game in play: the writer stores
// such points (and the next ones of the same game) without waiting.
func Live(p store.Point) bool { return p.Status == game.StatusLive.StorageWord() }
