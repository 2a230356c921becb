package league

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// A custom league is any league ESPN serves that the registry does not
// list, named in LEAGUES by its two ESPN path segments, "cricket/8044"
// (the Big Bash League), or with a key of the user's choosing,
// "bbl=cricket/8044": TeamTracker's custom league, whose league id is
// "XXX". Its key is what storage, routes (league=) and team ids
// ("cricket8044-bh") name it by: without one given, the two segments'
// letters and digits.
//
// A custom league's rules are its sport's: those of the first league of the
// sport in the registry (periods, game length), or neutral ones for a sport
// the registry has no league of (cricket: two innings a side).
//
// Lookup knows every custom league a configuration of this process has
// named (Custom registers it). A league is a pure function of its spec, so
// two configurations naming the same spec agree; a key already naming
// another spec is refused.

var (
	customMu sync.RWMutex
	customs  = map[string]League{}
)

// pathSegment is one ESPN path segment: "cricket", "eng.1", "nascar-premier".
var pathSegment = regexp.MustCompile(`^[a-z0-9][a-z0-9.\-]{0,39}$`)

// customKey is a key the user gives: storage needs letters and digits.
var customKey = regexp.MustCompile(`^[a-z][a-z0-9]{0,23}$`)

// Custom parses a custom league spec, "sport/league" or
// "key=sport/league", and makes Lookup know it. A spec naming the paths of
// a registry league is that league.
func Custom(spec string) (League, error) {
	spec = strings.ToLower(strings.TrimSpace(spec))
	key, paths, named := strings.Cut(spec, "=")
	if !named {
		key, paths = "", spec
	}
	key = strings.TrimSpace(key)
	sport, path, ok := strings.Cut(strings.TrimSpace(paths), "/")
	if !ok || !pathSegment.MatchString(sport) || !pathSegment.MatchString(path) || strings.Contains(path, "..") || strings.Contains(sport, "..") {
		return League{}, fmt.Errorf("custom league %q: want sport/league as in ESPN's paths (cricket/8044), or key=sport/league", spec)
	}
	if l, ok := ByESPN(sport, path, ""); ok && !l.Custom {
		if named && key != l.Key {
			return League{}, fmt.Errorf("custom league %q: %s/%s is the league %q", spec, sport, path, l.Key)
		}
		return l, nil
	}
	if !named {
		key = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, sport+path)
	}
	if !customKey.MatchString(key) {
		return League{}, fmt.Errorf("custom league %q: key %q must be a letter then letters and digits, at most 24", spec, key)
	}
	if l, ok := builtin(key); ok {
		return League{}, fmt.Errorf("custom league %q: %q names the league %s already; give another key (key=%s/%s)", spec, key, l.Key, sport, path)
	}
	l := customLeague(key, sport, path)
	customMu.Lock()
	defer customMu.Unlock()
	if have, ok := customs[key]; ok && (have.Sport != sport || have.ESPNLeague != path) {
		return League{}, fmt.Errorf("custom league %q: key %q names %s/%s already; give another key (key=%s/%s)", spec, key, have.Sport, have.ESPNLeague, sport, path)
	}
	customs[key] = l
	return l, nil
}

// customLeague is the league of a spec, with its sport's rules.
func customLeague(key, sport, path string) League {
	l := League{PeriodName: "period", PeriodField: "period", SeasonStartMonth: 1}
	for _, r := range registry {
		if r.Sport == sport {
			l = r
			break
		}
	}
	if sport == Cricket {
		l.PeriodName, l.Periods = "innings", 2
	}
	l.Key, l.Name = key, strings.ToUpper(key)
	l.Title = sport + "/" + path
	l.Sport, l.ESPNLeague = sport, path
	l.ESPNID, l.Aliases, l.Groups, l.College = "", nil, "", false
	l.Naming, l.SeasonEndMonth = CalendarYear, 0
	l.Custom = true
	return l
}

// custom finds a custom league by key.
func custom(key string) (League, bool) {
	customMu.RLock()
	defer customMu.RUnlock()
	l, ok := customs[key]
	return l, ok
}

// builtin finds a registry league by key or alias.
func builtin(k string) (League, bool) {
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
