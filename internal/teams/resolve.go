package teams

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// MaxInputLen bounds what Resolve reads; longer input is no team name.
const MaxInputLen = 64

// maxSuggestions is how many close matches a NotFoundError carries.
const maxSuggestions = 5

// ErrInvalidInput is wrapped by a NotFoundError for input that cannot name
// a team at all (empty or too long), so callers may answer 400 instead of 404.
var ErrInvalidInput = errors.New("invalid team")

// Match is a resolved team and its league.
type Match struct {
	League league.League
	Team   game.Team
}

func (m Match) String() string { return fmt.Sprintf("%s (%s)", m.Team.ID, m.Team.Name) }

// AmbiguousError is returned when the input fits teams of several leagues
// (or several teams of one league, such as a shared city) and no league
// was given to choose.
type AmbiguousError struct {
	Input      string
	Candidates []Match
}

func (e *AmbiguousError) Error() string {
	names := make([]string, len(e.Candidates))
	for i, c := range e.Candidates {
		names[i] = c.String()
	}
	return fmt.Sprintf("%q matches several teams: %s; add league= to choose", e.Input, strings.Join(names, ", "))
}

// NotFoundError is returned when no team fits. Suggestions are close
// matches, best first. Reason, when set, says why no lookup was possible:
// it wraps ErrInvalidInput or ErrLeagueNotEnabled.
type NotFoundError struct {
	Input       string
	Suggestions []Match
	Reason      error
}

func (e *NotFoundError) Error() string {
	var b strings.Builder
	if e.Reason != nil {
		fmt.Fprintf(&b, "no team %q: %v", e.Input, e.Reason)
	} else {
		fmt.Fprintf(&b, "no team matches %q", e.Input)
	}
	if n := min(len(e.Suggestions), maxSuggestions); n > 0 {
		names := make([]string, n)
		for i := range n {
			names[i] = e.Suggestions[i].String()
		}
		fmt.Fprintf(&b, "; did you mean %s?", strings.Join(names, ", "))
	}
	return b.String()
}

func (e *NotFoundError) Unwrap() error { return e.Reason }

// NotLoadedError is returned instead of a NotFoundError when no team fits
// and a league searched has no team list yet (ESPN has not answered since
// the service started and no cached list was on disk): the team may well
// exist, so the answer is "not now" rather than "no such team".
type NotLoadedError struct {
	Input   string
	Leagues []string // names of the leagues without teams, "NHL"
}

func (e *NotLoadedError) Error() string {
	return fmt.Sprintf("cannot look up %q yet: the %s team list has not been loaded from ESPN since the service started; try again shortly",
		e.Input, strings.Join(e.Leagues, " and "))
}

// teamKeys are a team's names in normalised form.
type teamKeys struct {
	abbr      string
	full      string
	location  string
	nicknames []string
}

func keysOf(t game.Team) teamKeys {
	k := teamKeys{
		abbr:     strings.ToLower(t.Abbreviation),
		full:     normalize(t.Name),
		location: normalize(t.Location),
	}
	add := func(s string) {
		s = normalize(s)
		if s == "" || s == k.full || s == k.location {
			return
		}
		for _, have := range k.nicknames {
			if have == s {
				return
			}
		}
		k.nicknames = append(k.nicknames, s)
	}
	add(t.ShortName)
	// ESPN's short name is not always the nickname ("Utah HC" for the Utah
	// Hockey Club); the display name without the location is.
	if k.location != "" && strings.HasPrefix(k.full, k.location+" ") {
		add(strings.TrimPrefix(k.full, k.location+" "))
	}
	return k
}

// normalize makes names comparable: lower case, no dots or apostrophes
// ("St. Louis" = "St Louis"), hyphens as spaces, single spaces.
func normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '.', '\'', '’':
			return -1
		case '-', '_':
			return ' '
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

type ref struct {
	lt *leagueTeams
	i  int
}

func (r ref) match() Match { return Match{League: r.lt.league, Team: r.lt.teams[r.i]} }

// Resolve finds the one team input names. It accepts, case-insensitively
// and trimmed, in this order of precedence:
//
//   - a prefixed id, "nfl-ne";
//   - an ESPN team id, "17" (meant to come with a league; without one it is
//     looked up in every enabled league and is usually ambiguous);
//   - an abbreviation, "NE";
//   - the full name, "New England Patriots";
//   - the nickname, "Patriots";
//   - the location, "New England";
//   - as TeamTracker names athletes (athlete.go): part of an athlete's
//     name, "STRUFF", or a regular expression matching a whole name,
//     ".*(?:FUCSOVICS|MAROZSAN).*/.*(?:FUCSOVICS|MAROZSAN).*".
//
// The first form that matches anything decides. Several teams at that
// level give an *AmbiguousError listing them all (a shared nickname such
// as "Jets", a shared abbreviation such as "CAR", a city with several
// teams such as "New York"); leagueKey ("" for every enabled league)
// narrows the search. Nothing at all gives a *NotFoundError with close
// suggestions. A league that is unknown or not enabled gives a
// *NotFoundError wrapping ErrLeagueNotEnabled, so callers that only know
// NotFoundError still answer 404. Nothing found while a league searched
// has no teams yet gives a *NotLoadedError instead.
func (d *Directory) Resolve(input, leagueKey string) (Match, error) {
	in := strings.TrimSpace(input)
	if len(in) > MaxInputLen {
		return Match{}, &NotFoundError{Input: shorten(in), Reason: fmt.Errorf("%w: longer than %d characters", ErrInvalidInput, MaxInputLen)}
	}
	if in == "" {
		return Match{}, &NotFoundError{Input: in, Reason: fmt.Errorf("%w: empty", ErrInvalidInput)}
	}
	s := d.snap.Load()
	scope, err := d.scope(s, leagueKey)
	if err != nil {
		return Match{}, &NotFoundError{Input: in, Reason: err}
	}
	m, err := d.resolve(s, scope, in)
	var nf *NotFoundError
	if errors.As(err, &nf) && nf.Reason == nil {
		if missing := d.unloaded(s, leagueKey, in); len(missing) > 0 {
			return Match{}, &NotLoadedError{Input: in, Leagues: missing}
		}
	}
	return m, err
}

// unloaded names the enabled leagues a lookup of input searches that have
// no team at all: leagueKey's, the prefix's of a prefixed id, or every
// enabled league.
func (d *Directory) unloaded(s *snapshot, leagueKey, input string) []string {
	keys := []string{strings.ToLower(strings.TrimSpace(leagueKey))}
	if i := strings.IndexByte(input, '-'); i > 0 {
		if l, ok := league.Lookup(input[:i]); ok {
			keys = []string{l.Key}
		}
	}
	if keys[0] == "" {
		keys = keys[:0]
		for k := range d.enabled {
			keys = append(keys, k)
		}
		sort.Strings(keys)
	}
	var out []string
	for _, k := range keys {
		l, ok := d.enabled[k]
		if lt := s.leagues[k]; ok && !s.polled[k] && (lt == nil || len(lt.teams) == 0) {
			out = append(out, l.Name)
		}
	}
	return out
}

// resolve is Resolve within scope, for trimmed input of a valid length.
func (d *Directory) resolve(s *snapshot, scope []*leagueTeams, in string) (Match, error) {

	// A prefixed id names its league; it must agree with leagueKey.
	if i := strings.IndexByte(in, '-'); i > 0 {
		if l, ok := league.Lookup(in[:i]); ok {
			return d.resolvePrefixed(s, scope, in, l, in[i+1:])
		}
	}

	lower := strings.ToLower(in)
	if isDigits(lower) {
		var hits []ref
		for _, lt := range scope {
			if i, ok := lt.byESPN[lower]; ok {
				hits = append(hits, ref{lt, i})
			}
		}
		if m, done, err := decide(in, d.oneClub(hits)); done {
			return m, err
		}
	}

	norm := normalize(in)
	tiers := []func(k *teamKeys) bool{
		func(k *teamKeys) bool { return k.abbr == lower },
		func(k *teamKeys) bool { return k.full == norm },
		func(k *teamKeys) bool {
			for _, n := range k.nicknames {
				if n == norm {
					return true
				}
			}
			return false
		},
		func(k *teamKeys) bool { return k.location != "" && k.location == norm },
	}
	for _, fits := range tiers {
		var hits []ref
		for _, lt := range scope {
			for i := range lt.keys {
				if fits(&lt.keys[i]) {
					hits = append(hits, ref{lt, i})
				}
			}
		}
		if m, done, err := decide(in, d.oneClub(hits)); done {
			return m, err
		}
	}
	if m, done, err := decide(in, athleteHits(scope, in, norm)); done {
		return m, err
	}
	return Match{}, &NotFoundError{Input: in, Suggestions: suggest(scope, norm)}
}

func (d *Directory) resolvePrefixed(s *snapshot, scope []*leagueTeams, in string, l league.League, abbr string) (Match, error) {
	if _, ok := d.enabled[l.Key]; !ok {
		return Match{}, &NotFoundError{Input: in, Reason: d.notEnabled(l.Key)}
	}
	inScope := false
	for _, lt := range scope {
		if lt.league.Key == l.Key {
			inScope = true
		}
	}
	lt := s.leagues[l.Key]
	if !inScope || lt == nil {
		// leagueKey named another league than the prefix, or the
		// prefix's league has no teams yet.
		return Match{}, &NotFoundError{Input: in, Suggestions: suggest(scope, normalize(abbr))}
	}
	if i, ok := lt.byAbbr[strings.ToLower(strings.TrimSpace(abbr))]; ok {
		return Match{League: lt.league, Team: lt.teams[i]}, nil
	}
	return Match{}, &NotFoundError{Input: in, Suggestions: suggest([]*leagueTeams{lt}, normalize(abbr))}
}

// scope is the leagues Resolve searches, in league key order.
func (d *Directory) scope(s *snapshot, leagueKey string) ([]*leagueTeams, error) {
	key := strings.ToLower(strings.TrimSpace(leagueKey))
	if key != "" {
		if _, ok := d.enabled[key]; !ok {
			return nil, d.notEnabled(key)
		}
		if lt := s.leagues[key]; lt != nil {
			return []*leagueTeams{lt}, nil
		}
		return nil, nil
	}
	keys := make([]string, 0, len(s.leagues))
	for k := range s.leagues {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*leagueTeams, len(keys))
	for i, k := range keys {
		out[i] = s.leagues[k]
	}
	return out, nil
}

func (d *Directory) notEnabled(key string) error {
	keys := make([]string, 0, len(d.enabled))
	for k := range d.enabled {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(key) > 16 {
		key = strings.ToValidUTF8(key[:16], "") + "…"
	}
	return fmt.Errorf("%w: %q (enabled: %s)", ErrLeagueNotEnabled, key, strings.Join(keys, ", "))
}

// decide turns one precedence level's hits into an answer; done is false
// when the level had none.
func decide(in string, hits []ref) (Match, bool, error) {
	switch len(hits) {
	case 0:
		return Match{}, false, nil
	case 1:
		return hits[0].match(), true, nil
	}
	cands := make([]Match, len(hits))
	for i, h := range hits {
		cands[i] = h.match()
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].League.Key != cands[j].League.Key {
			return cands[i].League.Key < cands[j].League.Key
		}
		return cands[i].Team.Name < cands[j].Team.Name
	})
	return Match{}, true, &AmbiguousError{Input: in, Candidates: cands}
}

// suggest ranks teams whose names come close to norm: a name starting
// with it, holding it from the start of a word, contained in it, or a few
// typos away.
func suggest(scope []*leagueTeams, norm string) []Match {
	n := utf8.RuneCountInString(norm)
	if n == 0 {
		return nil
	}
	maxDist := max(1, min(4, n/3))
	type scored struct {
		ref
		score int
	}
	var found []scored
	for _, lt := range scope {
		for i, k := range lt.keys {
			best := -1
			consider := func(key string) {
				if key == "" {
					return
				}
				sc := -1
				switch {
				case n >= 2 && strings.HasPrefix(key, norm):
					sc = 0
				case n >= 3 && strings.Contains(" "+key, " "+norm):
					// From the start of a word: "england pat".
					sc = 1
				case len(key) >= 4 && strings.Contains(norm, key):
					sc = 1
				default:
					if d := distance(norm, key, maxDist); d <= maxDist {
						sc = 2 + d
					}
				}
				if sc >= 0 && (best < 0 || sc < best) {
					best = sc
				}
			}
			consider(k.abbr)
			consider(k.full)
			consider(k.location)
			for _, nick := range k.nicknames {
				consider(nick)
			}
			if best >= 0 {
				found = append(found, scored{ref{lt, i}, best})
			}
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].score != found[j].score {
			return found[i].score < found[j].score
		}
		a, b := found[i].match(), found[j].match()
		if a.League.Key != b.League.Key {
			return a.League.Key < b.League.Key
		}
		return a.Team.Name < b.Team.Name
	})
	out := make([]Match, 0, min(len(found), maxSuggestions))
	for _, f := range found[:min(len(found), maxSuggestions)] {
		out = append(out, f.match())
	}
	return out
}

// distance is the optimal string alignment distance (edits, with swaps of
// neighbours counting one) between a and b, or limit+1 once it is known
// to exceed limit.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit+1)
}

func isDigits(s string) bool {
	if s == "" || len(s) > 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// shorten keeps error messages small when the input is not.
func shorten(s string) string {
	if len(s) <= MaxInputLen {
		return s
	}
	return strings.ToValidUTF8(s[:MaxInputLen], "") + "…"
}
