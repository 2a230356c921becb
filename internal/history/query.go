package history

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// Limits of the query parameters.
const (
	MinSeason       = 1900
	MaxSeason       = 2100
	DefaultPageSize = 100
	MaxPageSize     = 1000
	maxTeamInput    = 100
)

// HistoryQuery is a history request as the HTTP layer decoded it. Zero
// values mean "not given": any team, every enabled league, any status, any
// season, page 1, DefaultPageSize. ParseHistoryQuery builds one from URL
// values and rejects explicit zeros ("page=0"), which a struct cannot tell
// from absent ones.
type HistoryQuery struct {
	Team     string
	League   string
	Status   string
	Season   int
	Page     int
	PageSize int
}

// ParseHistoryQuery reads team, league (alias sport), status, season, page
// and page_size. Unknown parameters are ignored; a bad value of a known one
// is an *InvalidError.
func ParseHistoryQuery(v url.Values) (HistoryQuery, error) {
	q := HistoryQuery{
		Team:   strings.TrimSpace(v.Get("team")),
		League: strings.TrimSpace(v.Get("league")),
		Status: strings.TrimSpace(v.Get("status")),
	}
	if sport := strings.TrimSpace(v.Get("sport")); sport != "" {
		if q.League != "" && !strings.EqualFold(q.League, sport) {
			return q, invalid("sport", "league and sport name different leagues; give one of them")
		}
		q.League = sport
	}
	var err error
	if q.Season, err = ParseSeason(v.Get("season")); err != nil {
		return q, err
	}
	if s, ok := given(v, "page"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return q, invalid("page", "page must be a whole number of 1 or more")
		}
		q.Page = n
	}
	if s, ok := given(v, "page_size"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPageSize {
			return q, invalid("page_size", fmt.Sprintf("page_size must be a whole number from 1 to %d", MaxPageSize))
		}
		q.PageSize = n
	}
	return q, nil
}

// ParseSeason reads a season year; "" is 0 (not given).
func ParseSeason(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < MinSeason || n > MaxSeason {
		return 0, seasonError()
	}
	return n, nil
}

func given(v url.Values, key string) (string, bool) {
	if _, ok := v[key]; !ok {
		return "", false
	}
	return strings.TrimSpace(v.Get(key)), true
}

func seasonError() error {
	return invalid("season", fmt.Sprintf("season must be a year from %d to %d", MinSeason, MaxSeason))
}

// normalized is a validated HistoryQuery.
type normalized struct {
	leagues  []league.League // one when a league or team decides it
	status   game.Status     // "" = any
	season   int
	page     int
	pageSize int
}

func (s *Service) normalize(q HistoryQuery) (normalized, error) {
	n := normalized{season: q.Season, page: q.Page, pageSize: q.PageSize}
	if q.Season != 0 && (q.Season < MinSeason || q.Season > MaxSeason) {
		return n, seasonError()
	}
	if n.page == 0 {
		n.page = 1
	}
	if n.page < 1 {
		return n, invalid("page", "page must be a whole number of 1 or more")
	}
	if n.pageSize == 0 {
		n.pageSize = DefaultPageSize
	}
	if n.pageSize < 1 || n.pageSize > MaxPageSize {
		return n, invalid("page_size", fmt.Sprintf("page_size must be a whole number from %d to %d", 1, MaxPageSize))
	}
	if st := strings.TrimSpace(q.Status); st != "" {
		parsed, ok := game.ParseStatus(st)
		if !ok {
			return n, invalid("status", fmt.Sprintf("unknown status %s (allowed: final or finished, scheduled, live, postponed, suspended, canceled)", quote(st)))
		}
		n.status = parsed
	}
	if lk := strings.TrimSpace(q.League); lk != "" {
		l, err := s.enabledLeague(lk, "league")
		if err != nil {
			return n, err
		}
		n.leagues = []league.League{l}
	} else {
		n.leagues = s.leagues
	}
	return n, nil
}

// enabledLeague accepts a league the service follows, by key or API name
// in any case.
func (s *Service) enabledLeague(name, param string) (league.League, error) {
	l, ok := league.Lookup(name)
	if ok {
		for _, e := range s.leagues {
			if e.Key == l.Key {
				return e, nil
			}
		}
	}
	return league.League{}, invalid(param, fmt.Sprintf("unknown league %s (enabled: %s)", quote(name), strings.Join(s.leagueKeys(), ", ")))
}

func (s *Service) leagueKeys() []string {
	keys := make([]string, len(s.leagues))
	for i, l := range s.leagues {
		keys[i] = l.Key
	}
	return keys
}

func validTeamInput(team string) error {
	if len(team) > maxTeamInput {
		return invalid("team", fmt.Sprintf("team is longer than %d characters", maxTeamInput))
	}
	return nil
}

// abbreviation is the form of a registry abbreviation (an athlete's is
// its name, "JAN-LENNARD-STRUFF"); a resolved team is checked against it
// once more before it goes to a store.
var abbreviation = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,63}$`)

// gameIDForm is what a game id may look like (ESPN's are digits).
var gameIDForm = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// quote shows user input in an error without letting a long value through.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}
