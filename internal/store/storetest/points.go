package storetest

import (
	"fmt"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// Storage status words, as store points carry them.
const (
	Scheduled = "scheduled"
	Live      = "live"
	Finished  = "finished"
	Postponed = "postponed"
	Suspended = "suspended"
	Canceled  = "canceled"
)

// Game is the fixed part of a game: what every point of it shares. Build
// points of it with ScorePoint and GamePoint and adjust the returned structs
// where a test needs something special.
type Game struct {
	League     string
	ID         string
	Season     int
	SeasonType int
	Week       int
	Start      time.Time
	Home, Away Team
	Venue      string
}

// NewGame describes a regular-season game of league between two teams given
// by abbreviation. Known abbreviations (Teams) bring their names, ids,
// conferences and venue; the season follows the league's calendar; the week
// is 1.
func NewGame(leagueKey, id string, start time.Time, home, away string) Game {
	g := Game{
		League:     leagueKey,
		ID:         id,
		Season:     start.Year(),
		SeasonType: 2,
		Week:       1,
		Start:      start.UTC(),
		Home:       LookupTeam(leagueKey, home),
		Away:       LookupTeam(leagueKey, away),
	}
	if l, ok := league.Lookup(leagueKey); ok {
		g.Season = l.SeasonFor(start.Year(), int(start.Month()))
	}
	g.Venue = g.Home.Venue
	return g
}

// regulation is the number of regulation periods and their length.
func regulation(leagueKey string) (int, time.Duration) {
	switch leagueKey {
	case "nhl":
		return 3, 20 * time.Minute
	case "nfl", "ncaaf":
		return 4, 15 * time.Minute
	}
	if l, ok := league.Lookup(leagueKey); ok {
		return l.Periods, 12 * time.Minute
	}
	return 4, 15 * time.Minute
}

// ScorePoint is a point of the scores series of g observed at `at`. Clock and
// status detail follow the status: a live point shows the start of its
// period ("15:00 - 2nd"), a finished one "Final" (or "Final/OT", "Final/SO").
func ScorePoint(g Game, at time.Time, status string, home, away, period int) store.Point {
	clock, detail := "", ""
	_, length := regulation(g.League)
	switch status {
	case Scheduled:
		detail = g.Start.Format("Mon, January 2 at 15:04 UTC")
	case Live:
		clock = Clock(length)
		detail = Detail(g.League, clock, period)
	case Finished:
		clock = "0:00"
		detail = FinalDetail(g.League, period)
	case Postponed, Suspended, Canceled:
		detail = strings.ToUpper(status[:1]) + status[1:]
	}
	return store.Point{
		Series:         store.SeriesScores,
		League:         g.League,
		Time:           at.UTC(),
		GameID:         g.ID,
		Season:         g.Season,
		SeasonType:     g.SeasonType,
		Week:           g.Week,
		HomeTeam:       g.Home.Abbr,
		AwayTeam:       g.Away.Abbr,
		Status:         status,
		HomeConference: g.Home.Conference,
		AwayConference: g.Away.Conference,
		HomeDivision:   g.Home.Division,
		AwayDivision:   g.Away.Division,
		HomeScore:      home,
		AwayScore:      away,
		Period:         period,
		TimeRemaining:  clock,
		StatusDetail:   detail,
	}
}

// GamePoint is a row of the games series of g written at observed. The
// period is 0 before the game, 1 live and the last regulation period when
// finished; set it on the result for overtime.
func GamePoint(g Game, observed time.Time, status string, home, away int) store.Point {
	periods, length := regulation(g.League)
	period, clock := 0, ""
	switch status {
	case Live:
		period, clock = 1, Clock(length)
	case Finished:
		period, clock = periods, "0:00"
	}
	return store.Point{
		Series:        store.SeriesGames,
		League:        g.League,
		Time:          g.Start.UTC(),
		GameID:        g.ID,
		Season:        g.Season,
		SeasonType:    g.SeasonType,
		Week:          g.Week,
		HomeTeam:      g.Home.Abbr,
		AwayTeam:      g.Away.Abbr,
		Status:        status,
		HomeScore:     home,
		AwayScore:     away,
		Period:        period,
		TimeRemaining: clock,
		HomeTeamID:    g.Home.ID,
		AwayTeamID:    g.Away.ID,
		HomeTeamName:  g.Home.Name,
		AwayTeamName:  g.Away.Name,
		Venue:         g.Venue,
		ObservedAt:    observed.UTC(),
	}
}

// Clock formats time left in a period as ESPN does: "15:00", "4:07", "0:09".
func Clock(left time.Duration) string {
	s := int(left.Round(time.Second) / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Detail is ESPN's short status detail of a live game: "4:12 - 2nd", "OT".
func Detail(leagueKey, clock string, period int) string {
	periods, _ := regulation(leagueKey)
	if period > periods {
		if period-periods == 1 {
			return clock + " - OT"
		}
		if leagueKey == "nhl" {
			return "SO"
		}
		return fmt.Sprintf("%s - %dOT", clock, period-periods)
	}
	return clock + " - " + ordinal(period)
}

// FinalDetail is ESPN's detail of a finished game ending in period.
func FinalDetail(leagueKey string, period int) string {
	periods, _ := regulation(leagueKey)
	switch {
	case period <= periods:
		return "Final"
	case leagueKey == "nhl" && period > periods+1:
		return "Final/SO"
	case period == periods+1:
		return "Final/OT"
	}
	return fmt.Sprintf("Final/%dOT", period-periods)
}

func ordinal(n int) string {
	switch n {
	case 1:
		return "1st"
	case 2:
		return "2nd"
	case 3:
		return "3rd"
	}
	return fmt.Sprintf("%dth", n)
}
