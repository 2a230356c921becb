// Package league is the registry of ESPN leagues the service knows how to
// follow. Adding a league is one row in the table below.
package league

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// League describes how ESPN serves one league and how its games are counted.
type League struct {
	Key        string // registry key and storage prefix: "nfl"
	Name       string // upper-case abbreviation used by the API: "NFL"
	Sport      string // ESPN sport path segment: "football"
	ESPNLeague string // ESPN league path segment: "nfl"
	PeriodName string // what one period is called: "quarter"
	// Periods is the number of regulation periods; more means overtime.
	Periods int
	// OTLosses is true when ESPN's record summary is W-L-OTL (NHL) rather
	// than W-L-T.
	OTLosses bool
	// PeriodField is the field name the score series uses for the period.
	PeriodField string
	// SeasonStartMonth is the month a season usually begins in, for the
	// default season of schedules and records.
	SeasonStartMonth int
}

var registry = []League{
	{Key: "nfl", Name: "NFL", Sport: "football", ESPNLeague: "nfl", PeriodName: "quarter", Periods: 4, PeriodField: "quarter", SeasonStartMonth: 8},
	{Key: "nhl", Name: "NHL", Sport: "hockey", ESPNLeague: "nhl", PeriodName: "period", Periods: 3, OTLosses: true, PeriodField: "period", SeasonStartMonth: 9},
	{Key: "nba", Name: "NBA", Sport: "basketball", ESPNLeague: "nba", PeriodName: "quarter", Periods: 4, PeriodField: "period", SeasonStartMonth: 10},
	{Key: "wnba", Name: "WNBA", Sport: "basketball", ESPNLeague: "wnba", PeriodName: "quarter", Periods: 4, PeriodField: "period", SeasonStartMonth: 5},
	{Key: "mlb", Name: "MLB", Sport: "baseball", ESPNLeague: "mlb", PeriodName: "inning", Periods: 9, PeriodField: "period", SeasonStartMonth: 3},
	{Key: "mls", Name: "MLS", Sport: "soccer", ESPNLeague: "usa.1", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 2},
	{Key: "ncaaf", Name: "NCAAF", Sport: "football", ESPNLeague: "college-football", PeriodName: "quarter", Periods: 4, PeriodField: "period", SeasonStartMonth: 8},
}

// Lookup finds a league by key or API name, case-insensitively.
func Lookup(name string) (League, bool) {
	k := strings.ToLower(strings.TrimSpace(name))
	for _, l := range registry {
		if l.Key == k {
			return l, true
		}
	}
	return League{}, false
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
	switch l.Key {
	case "nhl", "nba":
		if month >= l.SeasonStartMonth {
			return year + 1
		}
	case "nfl", "ncaaf":
		if month <= 2 {
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
	switch l.Key {
	case "nhl", "nba":
		// Named by the year they end in: October Y-1 to June Y.
		return time.Date(season-1, time.August, 1, 0, 0, 0, 0, time.UTC), time.Date(season, time.August, 1, 0, 0, 0, 0, time.UTC)
	case "nfl", "ncaaf":
		// August Y to February Y+1.
		return time.Date(season, time.July, 1, 0, 0, 0, 0, time.UTC), time.Date(season+1, time.April, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(season-1, time.December, 1, 0, 0, 0, 0, time.UTC), time.Date(season+1, time.February, 1, 0, 0, 0, 0, time.UTC)
}
