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
}

// Sets reports whether periods are sets and the score is sets won.
func (l League) Sets() bool { return l.Sport == Volleyball }

// Innings reports whether periods are innings with top and bottom halves.
func (l League) Innings() bool { return l.Sport == Baseball }

// Lookup finds a league by key, alias or API name, case-insensitively.
func Lookup(name string) (League, bool) {
	k := strings.ToLower(strings.TrimSpace(name))
	if k == "" {
		return League{}, false
	}
	for _, l := range registry {
		if l.Key == k {
			return l, true
		}
	}
	for _, l := range registry {
		for _, a := range l.Aliases {
			if a == k {
				return l, true
			}
		}
	}
	return League{}, false
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
// dropping duplicates while keeping the order given.
func ParseList(s string) ([]League, error) {
	var out []League
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		l, ok := Lookup(part)
		if !ok {
			return nil, fmt.Errorf("unknown league %q (known: %s)", part, strings.Join(Keys(), ", "))
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
