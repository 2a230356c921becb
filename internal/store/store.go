// Package store defines what the service persists and the interface every
// store kind (embedded SQLite, InfluxDB 3, InfluxDB 1.8+/2.x) implements.
// Consumers declare the smaller interfaces they need where they use them.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/sports-data/sports-data/internal/game"
)

// Series names. The measurement (or table) of a point is
// "{league}_{series}": "nfl_scores", "nhl_games".
const (
	SeriesScores = "scores" // one point per observed change of a game
	SeriesGames  = "games"  // one row per game at its scheduled start
	// SeriesStandings holds league tables: one row per team per table
	// taken, at the time it was taken.
	SeriesStandings = "standings"
)

// Point is one row of either series. Status uses the storage vocabulary
// (scheduled, live, finished, postponed, suspended, canceled).
//
// For SeriesScores, Time is the observation time and the tags are GameID,
// Season, SeasonType, Week, HomeTeam, AwayTeam, Status and the four
// conference/division fields; the fields are HomeScore, AwayScore, Period
// (written as "quarter" for NFL and "period" otherwise), TimeRemaining and
// StatusDetail.
//
// For SeriesGames, Time is the scheduled start and the tags are GameID,
// Season, SeasonType, Week, HomeTeam, AwayTeam; every other value is a field.
// A games row is a rewrite: the store keeps one row per (league, game id),
// the one written last (InfluxDB does this by itself when the time and tags
// are equal; when a game is rescheduled the old row stays and readers take
// the latest written, see ObservedAt).
type Point struct {
	Series string    `json:"series"`
	League string    `json:"league"` // registry key, lower case: "nfl"
	Time   time.Time `json:"time"`

	GameID     string `json:"game_id"`
	Season     int    `json:"season"`
	SeasonType int    `json:"season_type"`
	Week       int    `json:"week"`
	HomeTeam   string `json:"home_team"` // ESPN abbreviation, upper case: "NE"
	AwayTeam   string `json:"away_team"`
	Status     string `json:"status"`

	HomeConference string `json:"home_conference,omitempty"`
	AwayConference string `json:"away_conference,omitempty"`
	HomeDivision   string `json:"home_division,omitempty"`
	AwayDivision   string `json:"away_division,omitempty"`

	HomeScore     int    `json:"home_score"`
	AwayScore     int    `json:"away_score"`
	Period        int    `json:"period"`
	TimeRemaining string `json:"time_remaining,omitempty"`
	StatusDetail  string `json:"status_detail,omitempty"`

	// Games series only.
	HomeTeamID   string `json:"home_team_id,omitempty"` // ESPN numeric id
	AwayTeamID   string `json:"away_team_id,omitempty"`
	HomeTeamName string `json:"home_team_name,omitempty"`
	AwayTeamName string `json:"away_team_name,omitempty"`
	Venue        string `json:"venue,omitempty"`
	// Broadcasts are who shows the game ("CBS, Paramount+"), as ESPN
	// lists them.
	Broadcasts string `json:"broadcasts,omitempty"`
	// ObservedAt is when this version of a games row was written. Stores
	// keep it as a field ("observed_at", unix nanoseconds) so that readers can
	// pick the newest row of a game whose start time moved.
	ObservedAt time.Time `json:"observed_at,omitempty"`
	// ScheduleVersion counts the changes of the game's schedule the
	// service saw (its start, venue, or a postponement or cancellation),
	// and ScheduleChangedAt is when it saw the last of them (or the game
	// first). The store keeps the newest row of a game only; these carry
	// its schedule's history (a calendar's SEQUENCE and LAST-MODIFIED).
	ScheduleVersion   int       `json:"schedule_version,omitempty"`
	ScheduleChangedAt time.Time `json:"schedule_changed_at,omitzero"`

	// Standing is a standings row's table entry (SeriesStandings only).
	Standing *Standing `json:"standing,omitempty"`
}

// Standing is one team's entry of a league table (package game); a
// standings row's time is when the table was taken, Season its season,
// and the team's ESPN id tells the rows of one table apart.
type Standing = game.Standing

// Measurement is the table or measurement name of the point.
func (p *Point) Measurement() string { return p.League + "_" + p.Series }

// GameQuery selects rows of {league}_games. Zero values mean "any". Team is
// an ESPN abbreviation that callers have already checked against the team
// registry; stores still pass it as a parameter, never as query text.
type GameQuery struct {
	League string // required
	Team   string // home or away
	Season int
	Status string // storage vocabulary
	From   time.Time
	To     time.Time // exclusive
}

// Reader answers the questions later features ask. Every store kind gives
// the same answers for the same writes.
type Reader interface {
	// Games returns the latest row of each game matching q, ordered by
	// start time then game id.
	Games(ctx context.Context, q GameQuery) ([]Point, error)
	// Timeline returns every score point of one game in time order.
	Timeline(ctx context.Context, league, gameID string) ([]Point, error)
	// Unfinished returns, for every game whose latest score point since
	// `since` has status scheduled or live, that latest point.
	Unfinished(ctx context.Context, league string, since time.Time) ([]Point, error)
	// Standings returns the rows of the newest table of league taken at
	// or after from and before to, ordered by group then position; none
	// when no table was taken then.
	Standings(ctx context.Context, league string, from, to time.Time) ([]Point, error)
}

// Store is one store kind.
type Store interface {
	Reader
	// Write stores points. It is safe to call again with the same points:
	// a score point with the same league, game id and time, or a games row
	// with the same league and game id, replaces the earlier one.
	Write(ctx context.Context, points []Point) error
	// Prune deletes points older than before (SQLite only; InfluxDB uses
	// its retention policy and returns nil).
	Prune(ctx context.Context, before time.Time) error
	// Info describes the store for /health.
	Info(ctx context.Context) Info
	Close() error
}

// Info describes a store.
type Info struct {
	Kind    string `json:"kind"`    // sqlite, influxdb
	Version string `json:"version"` // server version, or the SQLite library version
	// Bytes is the SQLite file size, or for InfluxDB the bytes of line
	// protocol written since start.
	Bytes int64 `json:"storage_bytes"`
	// Unreachable is set by a store that talks to a server while that
	// server has never answered or has stopped answering, and LastError
	// says why: /health must not call such a store connected because no
	// write has failed yet. An embedded store leaves both zero.
	Unreachable bool   `json:"-"`
	LastError   string `json:"-"`
}

// ErrUnavailable is returned (wrapped) when the store cannot be reached.
var ErrUnavailable = errors.New("store unavailable")
