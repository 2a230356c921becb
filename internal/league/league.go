// Package league is the registry of ESPN leagues the service knows how to
// follow. Adding a league is one row in the table in registry.go.
package league

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Sports as ESPN names them in its paths.
const (
	Football           = "football"
	Baseball           = "baseball"
	Basketball         = "basketball"
	Hockey             = "hockey"
	Soccer             = "soccer"
	Volleyball         = "volleyball"
	AustralianFootball = "australian-football"
	Tennis             = "tennis"
	MMA                = "mma"
	Golf               = "golf"
	Racing             = "racing"
	Cricket            = "cricket"
)

// Naming says which year ESPN gives a season.
type Naming int

const (
	// CalendarYear: the season lies within one year (MLB, MLS, WNBA).
	CalendarYear Naming = iota
	// StartYear: a season across new year is named by the year it starts in
	// (NFL, college football, European soccer: 2025-26 is 2025).
	StartYear
	// EndYear: a season across new year is named by the year it ends in
	// (NHL, NBA, college basketball: 2024-25 is 2025).
	EndYear
)

// League describes how ESPN serves one league and how its games are counted.
type League struct {
	Key        string // registry key and storage prefix, TeamTracker's name lower-cased: "nfl"
	Name       string // upper-case abbreviation used by the API: "NFL"
	Title      string // what people call it: "English Premier League"
	Sport      string // ESPN sport path segment: "football"
	ESPNLeague string // ESPN league path segment: "nfl", "eng.1"
	// ESPNID is ESPN's numeric league id, the "l:" part of an event's uid,
	// where seen; it tells the leagues of a mixed (soccer/all) answer apart.
	ESPNID string
	// Aliases are other names accepted for the league ("ucl" for "cl").
	Aliases    []string
	PeriodName string // what one period is called: "quarter"
	// Periods is the number of regulation periods; more means overtime
	// (extra innings, extra time). Volleyball's five is the most sets a
	// match can have, so it never goes over.
	Periods int
	// OTLosses is true when ESPN's record summary is W-L-OTL (NHL) rather
	// than W-L-T.
	OTLosses bool
	// PeriodField is the field name the score series uses for the period.
	PeriodField string
	// SeasonStartMonth is the month a season usually begins in, for the
	// default season of schedules and records.
	SeasonStartMonth int
	// SeasonEndMonth is the last month of a season that runs across new
	// year (StartYear and EndYear naming); 0 otherwise.
	SeasonEndMonth int
	Naming         Naming
	// Groups is ESPN's groups= value that makes a college scoreboard hold
	// every game of the division rather than the ranked teams' only.
	Groups string
	// College leagues carry rankings (curatedRank) and hundreds of teams.
	College bool
	// Custom is a league named by its ESPN paths in LEAGUES
	// (sport/league), TeamTracker's custom league "XXX"; see custom.go.
	Custom bool
}

// Draws reports whether a game can end level and records count draws
// (W-D-L) with league points: soccer.
func (l League) Draws() bool { return l.Sport == Soccer }

// GameLength is how long a game of the league usually lasts from its
// scheduled start. ESPN gives no end time, so a game that ended while
// nobody watched is taken to have ended its start plus this.
func (l League) GameLength() time.Duration {
	if d, ok := gameLengths[l.Sport]; ok {
		return d
	}
	return 3 * time.Hour
}

// gameLengths are the usual lengths of the sports that have one; others
// take three hours.
var gameLengths = map[string]time.Duration{
	Football:   3*time.Hour + 30*time.Minute,
	Hockey:     2*time.Hour + 40*time.Minute,
	Basketball: 2*time.Hour + 30*time.Minute,
	Baseball:   3*time.Hour + 10*time.Minute,
	Soccer:     2 * time.Hour,
	// A bout with its walk-outs; a tennis match of five sets; a race
	// session; a golf tournament's four days from its first tee time;
	// cricket from a Twenty20 evening to a five-day Test.
	MMA:     time.Hour,
	Tennis:  4 * time.Hour,
	Racing:  2 * time.Hour,
	Golf:    4 * 24 * time.Hour,
	Cricket: 8 * time.Hour,
}

// Individual reports whether the league's competitors are athletes
// (tennis players or doubles pairs, fighters, golfers, drivers) rather
// than teams: they are learned from the scoreboards, ESPN has no team list
// of them, and an athlete is named as TeamTracker names one.
func (l League) Individual() bool {
	switch l.Sport {
	case Tennis, MMA, Golf, Racing:
		return true
	}
	return false
}

// Field reports whether a contest of the league is one of many
// competitors ranked against each other (a golf tournament, a race
// session) rather than one of two.
func (l League) Field() bool { return l.Sport == Golf || l.Sport == Racing }

// TeamList reports whether ESPN serves the league's teams at
// {sport}/{league}/teams and each team's season at .../teams/{id}/schedule.
// Leagues of athletes have neither; nor has cricket, whose site answers
// link to another ESPN site.
func (l League) TeamList() bool { return !l.Individual() && l.Sport != Cricket }

// Learns reports whether the directory learns the league's competitors
// from the games it sees: college leagues (ESPN's lists are incomplete),
// leagues without a team list, and custom leagues.
func (l League) Learns() bool { return l.College || !l.TeamList() || l.Custom }

// TeamTrackerID is the league as TeamTracker's sensor names it: its key in
// capitals, and XXX for a league given by its ESPN paths.
func (l League) TeamTrackerID() string {
	if l.Custom {
		return "XXX"
	}
	return l.Name
}

// Sets reports whether periods are sets and the score is sets won.
func (l League) Sets() bool { return l.Sport == Volleyball || l.Sport == Tennis }

// Innings reports whether periods are innings with top and bottom halves.
func (l League) Innings() bool { return l.Sport == Baseball }

// Lookup finds a league by key, alias or API name, case-insensitively:
// a registry league, or a custom league a configuration named (custom.go).
func Lookup(name string) (League, bool) {
	k := strings.ToLower(strings.TrimSpace(name))
	if k == "" {
		return League{}, false
	}
	if l, ok := builtin(k); ok {
		return l, true
	}
	return custom(k)
}

// ByESPN finds the league ESPN serves at sport/league ("soccer", "eng.1")
// or, with espnLeague empty, by ESPN's numeric league id within a sport.
func ByESPN(sport, espnLeague, espnID string) (League, bool) {
	for _, l := range registry {
		if l.Sport != sport {
			continue
		}
		if espnLeague != "" && l.ESPNLeague == espnLeague {
			return l, true
		}
		if espnLeague == "" && espnID != "" && l.ESPNID == espnID {
			return l, true
		}
	}
	return League{}, false
}

// All lists every league in registry order.
func All() []League {
	out := make([]League, len(registry))
	copy(out, registry)
	return out
}

// Keys lists every league the registry knows, sorted.
func Keys() []string {
	keys := make([]string, 0, len(registry))
	for _, l := range registry {
		keys = append(keys, l.Key)
	}
	sort.Strings(keys)
	return keys
}

// ParseList turns "nfl, NHL" into leagues, rejecting unknown names and
// dropping duplicates while keeping the order given. An entry with a slash
// is a custom league, "cricket/8044" or "bbl=cricket/8044" (custom.go).
func ParseList(s string) ([]League, error) {
	var out []League
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var l League
		if strings.Contains(part, "/") {
			var err error
			if l, err = Custom(part); err != nil {
				return nil, err
			}
		} else {
			var ok bool
			if l, ok = builtin(strings.ToLower(part)); !ok {
				return nil, fmt.Errorf("unknown league %q (known: %s; or any ESPN league as sport/league, e.g. cricket/8044)", part, strings.Join(Keys(), ", "))
			}
		}
		if !seen[l.Key] {
			seen[l.Key] = true
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no league given (known: %s)", strings.Join(Keys(), ", "))
	}
	return out, nil
}

// SeasonFor is the season a date falls in by the league's calendar, as ESPN
// numbers seasons: an NFL game in February 2025 belongs to season 2024, an
// NHL game in October 2025 to season 2026. ESPN's own season year wins
// wherever a game carries one; this is the default for "the current season".
func (l League) SeasonFor(year, month int) int {
	switch l.Naming {
	case EndYear:
		if month >= l.SeasonStartMonth {
			return year + 1
		}
	case StartYear:
		if month <= l.SeasonEndMonth {
			return year - 1
		}
	}
	return year
}

// SeasonWindow is a span of dates that holds every game of a season, with a
// month to spare on either side (rescheduled games, late playoffs): the
// season ESPN numbers Y, by the league's calendar. Stores use it to bound
// season queries in time.
func (l League) SeasonWindow(season int) (from, to time.Time) {
	date := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	switch l.Naming {
	case EndYear:
		// October Y-1 to June Y for the NHL.
		return date(season-1, time.Month(l.SeasonStartMonth-1)), date(season, time.Month(l.SeasonEndMonth+2))
	case StartYear:
		// August Y to February Y+1 for the NFL.
		return date(season, time.Month(l.SeasonStartMonth-1)), date(season+1, time.Month(l.SeasonEndMonth+2))
	}
	return date(season-1, time.December), date(season+1, time.February)
}
