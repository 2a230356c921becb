// Package game holds the domain model shared by every part of the service:
// games, teams, scores and statuses as the HTTP contract presents them.
// It does no I/O.
package game

import (
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/espnjson"
)

// Status is the API vocabulary for where a game stands.
type Status string

const (
	StatusScheduled Status = "scheduled"
	StatusLive      Status = "live"
	StatusFinal     Status = "final"
	StatusPostponed Status = "postponed"
	StatusSuspended Status = "suspended"
	StatusCanceled  Status = "canceled"
)

// Over reports whether no further play is expected under the current
// schedule: final, postponed, suspended or canceled.
func (s Status) Over() bool {
	switch s {
	case StatusFinal, StatusPostponed, StatusSuspended, StatusCanceled:
		return true
	}
	return false
}

// StorageWord is the status as written to the time series. Storage says
// "finished" where the API says "final", as the earlier service's schema did.
func (s Status) StorageWord() string {
	if s == StatusFinal {
		return "finished"
	}
	return string(s)
}

// ParseStatus accepts the API and the storage vocabulary, case-insensitively.
func ParseStatus(s string) (Status, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "scheduled":
		return StatusScheduled, true
	case "live":
		return StatusLive, true
	case "final", "finished":
		return StatusFinal, true
	case "postponed":
		return StatusPostponed, true
	case "suspended":
		return StatusSuspended, true
	case "canceled", "cancelled":
		return StatusCanceled, true
	}
	return "", false
}

// Colors are always encoded with both keys: the dashboard's Sports tab
// crashes on a team without them.
type Colors struct {
	Primary   string `json:"primary"`
	Secondary string `json:"secondary"`
}

// DefaultColors are used when ESPN has no colour for a team.
var DefaultColors = Colors{Primary: "#000000", Secondary: "#FFFFFF"}

// Record is a season record parsed from ESPN's summary string. NFL and most
// leagues carry ties; the NHL carries overtime losses instead; soccer
// carries draws (as Ties) and league points.
type Record struct {
	Wins     int  `json:"wins"`
	Losses   int  `json:"losses"`
	Ties     *int `json:"ties,omitempty"`
	OTLosses *int `json:"ot_losses,omitempty"`
	Points   *int `json:"points,omitempty"`
}

// Team is a team as it appears inside a Game and in /api/v1/teams.
type Team struct {
	// ID is the league-prefixed, lower-case ESPN abbreviation: "nfl-ne".
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	Abbreviation string  `json:"abbreviation"`
	Logo         string  `json:"logo"`
	Colors       Colors  `json:"colors"`
	Record       *Record `json:"record"`

	// ESPNID is ESPN's numeric team id, a string scoped to the league.
	ESPNID    string `json:"espn_id,omitempty"`
	ShortName string `json:"short_name,omitempty"`
	Location  string `json:"location,omitempty"`
	// Rank is the college poll ranking ESPN shows (curatedRank); nil when
	// unranked and in leagues without polls.
	Rank *int `json:"rank,omitempty"`
	// Conference and Division are known only where ESPN says them.
	Conference string `json:"-"`
	Division   string `json:"-"`
	// Athlete is true for an athlete (contest.go): its id comes from its
	// name, its Abbreviation is that key in capitals. A tennis doubles
	// pair is named the same way but is no athlete.
	Athlete bool `json:"athlete,omitempty"`
}

// TeamID builds the league-prefixed id used across the API.
func TeamID(leagueKey, abbreviation string) string {
	return strings.ToLower(leagueKey) + "-" + strings.ToLower(abbreviation)
}

// Score is the points of both sides.
type Score struct {
	Home int `json:"home"`
	Away int `json:"away"`
}

// Period is where in the game the clock stands. Total is the number of
// regulation periods; Current above Total means overtime.
type Period struct {
	Current       int    `json:"current"`
	Total         int    `json:"total"`
	TimeRemaining string `json:"time_remaining"`
}

// Game is one game as the API presents it. The first block of fields is the
// contract kept from the earlier service; the rest are additive.
type Game struct {
	ID         string `json:"id"`
	League     string `json:"league"` // upper case: "NFL"
	Status     Status `json:"status"`
	StartTime  string `json:"start_time"` // ESPN's date string as received
	HomeTeam   Team   `json:"home_team"`
	AwayTeam   Team   `json:"away_team"`
	Score      Score  `json:"score"`
	Period     Period `json:"period"`
	IsFavorite bool   `json:"is_favorite"`

	StatusDetail string   `json:"status_detail,omitempty"`
	Season       int      `json:"season,omitempty"`
	SeasonType   int      `json:"season_type,omitempty"`
	Week         int      `json:"week,omitempty"`
	Venue        string   `json:"venue,omitempty"`
	Broadcasts   []string `json:"broadcasts,omitempty"`

	// Start is StartTime parsed; zero when ESPN's date could not be read.
	Start time.Time `json:"-"`
	// TimeValid is false when ESPN marks the start time as a placeholder (TBD).
	TimeValid bool `json:"-"`
	// Details holds what Home Assistant context shows; nil when ESPN had none.
	Details *Details `json:"-"`

	// The blocks below belong to one sport each and are nil elsewhere.
	Soccer   *Soccer   `json:"soccer,omitempty"`
	Baseball *Baseball `json:"baseball,omitempty"`
	// Sets are the points of each set played (volleyball; the games of
	// each set in tennis), where Score is the sets won.
	Sets []Score `json:"sets,omitempty"`
	// Contest places a game of an individual sport or of cricket in ESPN's
	// event; Field lists a contest of many's entrants; Cricket is a
	// cricket match's score lines (contest.go).
	Contest *Contest  `json:"contest,omitempty"`
	Field   []Entrant `json:"field,omitempty"`
	Cricket *Cricket  `json:"cricket,omitempty"`
	// ScoringPlays are the scoring plays ESPN's answer describes, oldest
	// first: every goal of a soccer match (its details), elsewhere the
	// last play when it scored. Kept in memory only; nil when ESPN's
	// answer has none.
	ScoringPlays []ScoringPlay `json:"-"`
	// Source is ESPN's own event for the game, kept in memory only, for the
	// views that present ESPN's fields as ESPN sent them (the TeamTracker
	// sensor); nil for games that did not come from a scoreboard.
	Source *Source `json:"-"`
}

// Soccer is where a soccer match stands beyond the score.
type Soccer struct {
	// Minute and AddedTime read ESPN's clock: "45'+2'" is minute 45 with
	// two minutes of stoppage time. A final keeps the last clock shown.
	Minute    int `json:"minute"`
	AddedTime int `json:"added_time"`
	// ExtraTime is true once play went past the two halves.
	ExtraTime bool `json:"extra_time"`
	// Shootout holds the penalty shoot-out goals; nil without a shoot-out.
	Shootout *Score `json:"shootout,omitempty"`
	// Shots and ShotsOnTarget are ESPN's team statistics; nil when absent.
	Shots         *Score `json:"shots,omitempty"`
	ShotsOnTarget *Score `json:"shots_on_target,omitempty"`
}

// Baseball is the inning's situation. Half is "top", "bottom", "middle" or
// "end" (between halves); the count and the bases are ESPN's situation,
// which it sends only while a game is live.
type Baseball struct {
	Half     string `json:"half,omitempty"`
	Outs     int    `json:"outs"`
	Balls    int    `json:"balls"`
	Strikes  int    `json:"strikes"`
	OnFirst  bool   `json:"on_first"`
	OnSecond bool   `json:"on_second"`
	OnThird  bool   `json:"on_third"`
}

// Side names one team of a game.
type Side string

const (
	Home Side = "home"
	Away Side = "away"
	// Level is neither: a draw or tie, or no result yet.
	Level Side = ""
)

// Winner is the side that won a final game: the higher score, or the
// shoot-out's winner when a soccer match finished level, or the side ESPN
// names where the score cannot tell (a retirement, a walkover, a drawn
// Test: Contest.Decided); Level for a draw or tie and for games that are
// not final.
func (g *Game) Winner() Side {
	if g.Status != StatusFinal {
		return Level
	}
	if c := g.Contest; c != nil && c.Decided {
		return c.Winner
	}
	h, a := g.Score.Home, g.Score.Away
	if h == a && g.Soccer != nil && g.Soccer.Shootout != nil {
		h, a = g.Soccer.Shootout.Home, g.Soccer.Shootout.Away
	}
	switch {
	case h > a:
		return Home
	case a > h:
		return Away
	}
	return Level
}

// Source is one scoreboard event, decoded once from ESPN's answer (the
// same decode the game's own fields come from), and where it came from.
// It is shared between copies of a game and never modified once the game
// is published.
type Source struct {
	Event *espnjson.Event
	// Competition is the game's own competition of the event: one of its
	// competitions, or of its groupings' (a tennis match). Nil means the
	// event's first, as in team sports.
	Competition *espnjson.Competition
	League      *espnjson.League // the answer's leagues[0]; nil when absent
	URL         string           // the request that returned it
	FetchedAt   time.Time
}

// Comp is the game's competition within Event: Competition, else the
// event's first; nil when the event has none.
func (s *Source) Comp() *espnjson.Competition {
	if s.Competition != nil {
		return s.Competition
	}
	if s.Event != nil && len(s.Event.Competitions) > 0 {
		return &s.Event.Competitions[0]
	}
	return nil
}

// LeagueKey is the registry key of the game's league: "nfl".
func (g *Game) LeagueKey() string { return strings.ToLower(g.League) }

// Overtime reports whether the game is (or ended) past regulation.
func (g *Game) Overtime() bool {
	return g.Period.Total > 0 && g.Period.Current > g.Period.Total
}

// Details are the in-game extras ESPN sends on some states only.
type Details struct {
	// Possession is the abbreviation of the team with the ball (NFL, live only).
	Possession       string   `json:"possession,omitempty"`
	LastPlay         string   `json:"last_play,omitempty"`
	DownDistanceText string   `json:"down_distance_text,omitempty"`
	HomeWinPct       *float64 `json:"home_win_percentage,omitempty"`
	AwayWinPct       *float64 `json:"away_win_percentage,omitempty"`
	Odds             *Odds    `json:"odds,omitempty"`
	VenueCity        string   `json:"venue_city,omitempty"`
	Headline         string   `json:"headline,omitempty"`
}

// Odds are the pre-game betting line ESPN shows.
type Odds struct {
	Provider  string   `json:"provider,omitempty"`
	Details   string   `json:"details,omitempty"`
	OverUnder *float64 `json:"over_under,omitempty"`
	Spread    *float64 `json:"spread,omitempty"`
}

// ScoringPlay is one scoring play as ESPN describes it; fields ESPN did
// not send are empty.
type ScoringPlay struct {
	// Team is the abbreviation of the team ESPN credits the play to.
	Team string `json:"team,omitempty"`
	// Scorer is the first athlete ESPN names with the play.
	Scorer string `json:"scorer,omitempty"`
	// Type is ESPN's name of the play ("Goal - Volley", "Penalty - Scored").
	Type string `json:"type,omitempty"`
	// Text is ESPN's description of the play (football, hockey, basketball).
	Text string `json:"text,omitempty"`
	// Clock is the game clock ESPN shows with it: "74'" in soccer.
	Clock string `json:"clock,omitempty"`
	// Minute is a soccer goal's minute (45 for "45'+2'"), 0 elsewhere.
	Minute int `json:"minute,omitempty"`
	// Points is what the play scored (ESPN's scoreValue).
	Points int `json:"points,omitempty"`
	// OwnGoal and Penalty are soccer's flags.
	OwnGoal bool `json:"own_goal"`
	Penalty bool `json:"penalty"`
}
