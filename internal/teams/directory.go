// Package teams keeps the teams of every enabled league and turns what a
// user types ("NE", "nfl-ne", "Patriots", "New England Patriots", an ESPN
// id) into one team, or says why it cannot.
//
// The directory is filled from ESPN's teams endpoint and cached in
// DATA_DIR/teams/{league}.json, so a restart without network still knows
// every team. Reads take no lock: writers publish a new immutable snapshot.
package teams

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sports-data/sports-data/internal/atomicfile"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

var (
	// ErrLeagueNotEnabled is wrapped by errors about a league the service
	// does not follow (or does not know).
	ErrLeagueNotEnabled = errors.New("league not enabled")
	// ErrNoTeams refuses replacing a league's teams with nothing: an
	// empty answer from ESPN must not wipe the directory.
	ErrNoTeams = errors.New("no teams")
)

// Directory holds the teams of the enabled leagues. It is safe for
// concurrent use.
type Directory struct {
	dir     string // DATA_DIR/teams; "" keeps everything in memory
	enabled map[string]league.League
	// order is each enabled league's place in the configured list: a club
	// in several followed competitions is found in the first (club.go).
	order map[string]int
	log   *slog.Logger

	mu sync.Mutex // serialises writers and guards listed and learned
	// listed are the teams of ESPN's team list per league; learned are
	// teams seen in scoreboards and schedules that the list lacks (see
	// learn.go). The published snapshot holds both.
	listed  map[string][]game.Team
	learned map[string][]game.Team
	// polled are the leagues without a team list that a poll has been
	// seen of (learn.go).
	polled map[string]bool
	snap   atomic.Pointer[snapshot]
}

// snapshot is never modified once published.
type snapshot struct {
	leagues map[string]*leagueTeams
	all     []game.Team // every enabled league, by league key then name
	polled  map[string]bool
}

type leagueTeams struct {
	league league.League
	teams  []game.Team // by name
	keys   []teamKeys  // parallel to teams
	byAbbr map[string]int
	byESPN map[string]int
}

// NewDirectory returns an empty directory for leagues. dataDir is the
// service's DATA_DIR; the cache lives in its "teams" folder. An empty
// dataDir disables the cache.
func NewDirectory(dataDir string, leagues []league.League, logger *slog.Logger) *Directory {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d := &Directory{enabled: map[string]league.League{}, log: logger,
		listed: map[string][]game.Team{}, learned: map[string][]game.Team{}, polled: map[string]bool{}, order: map[string]int{}}
	if dataDir != "" {
		d.dir = filepath.Join(dataDir, "teams")
	}
	for i, l := range leagues {
		d.enabled[l.Key] = l
		if _, ok := d.order[l.Key]; !ok {
			d.order[l.Key] = i
		}
	}
	d.snap.Store(&snapshot{leagues: map[string]*leagueTeams{}})
	return d
}

// cacheFile is the on-disk form of one league's teams.
type cacheFile struct {
	League    string      `json:"league"`
	UpdatedAt time.Time   `json:"updated_at"`
	Teams     []game.Team `json:"teams"`
	Learned   []game.Team `json:"learned,omitempty"`
}

// LoadCache reads the cached teams of every enabled league. A missing file
// is not an error. Unreadable files are reported together in the returned
// error; the leagues that could be read are loaded all the same.
func (d *Directory) LoadCache() error {
	if d.dir == "" {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var errs []error
	loaded := map[string][]game.Team{}
	for key, l := range d.enabled {
		path := d.path(key)
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("teams cache %s: %w", path, err))
			continue
		}
		var cf cacheFile
		if err := json.Unmarshal(b, &cf); err != nil {
			errs = append(errs, fmt.Errorf("teams cache %s: %w", path, err))
			continue
		}
		if cf.League != key {
			errs = append(errs, fmt.Errorf("teams cache %s: holds league %q", path, cf.League))
			continue
		}
		teams, err := clean(l, cf.Teams)
		if err != nil && !(errors.Is(err, ErrNoTeams) && len(cf.Learned) > 0) {
			errs = append(errs, fmt.Errorf("teams cache %s: %w", path, err))
			continue
		}
		d.listed[key] = teams
		if learned, err := clean(l, cf.Learned); err == nil {
			d.learned[key] = learned
		}
		loaded[key] = d.merged(key)
		d.log.Debug("teams cache loaded", "league", key, "teams", len(teams), "updated_at", cf.UpdatedAt)
	}
	if len(loaded) > 0 {
		d.publish(loaded)
	}
	return errors.Join(errs...)
}

// Set replaces a league's teams and writes them to the cache (a temporary
// file renamed into place, so a crash leaves the old or the new file,
// never half of one). The new teams are in use even when the cache write
// fails; that failure is returned.
func (d *Directory) Set(l league.League, teams []game.Team) error {
	enabled, ok := d.enabled[strings.ToLower(l.Key)]
	if !ok {
		return fmt.Errorf("teams: %w: %q", ErrLeagueNotEnabled, l.Key)
	}
	l = enabled
	cleaned, err := clean(l, teams)
	if err != nil {
		return fmt.Errorf("teams: %s: %w", l.Key, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.listed[l.Key] = cleaned
	d.publish(map[string][]game.Team{l.Key: d.merged(l.Key)})
	if d.dir == "" {
		return nil
	}
	if err := d.write(l.Key); err != nil {
		return fmt.Errorf("teams: caching %s: %w", l.Key, err)
	}
	return nil
}

// clean copies teams, dropping those without an abbreviation or repeating
// one, and derives ids the way the API spells them.
func clean(l league.League, teams []game.Team) ([]game.Team, error) {
	out := make([]game.Team, 0, len(teams))
	seen := map[string]bool{}
	for _, t := range teams {
		t.Abbreviation = strings.TrimSpace(t.Abbreviation)
		if t.Abbreviation == "" {
			continue
		}
		t.ID = game.TeamID(l.Key, t.Abbreviation)
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		if t.Name == "" {
			t.Name = t.Abbreviation
		}
		if t.Colors.Primary == "" {
			t.Colors.Primary = game.DefaultColors.Primary
		}
		if t.Colors.Secondary == "" {
			t.Colors.Secondary = game.DefaultColors.Secondary
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, ErrNoTeams
	}
	return out, nil
}

// publish builds a new snapshot with the given leagues replaced. Callers
// hold d.mu.
func (d *Directory) publish(replace map[string][]game.Team) {
	old := d.snap.Load()
	next := &snapshot{leagues: make(map[string]*leagueTeams, len(d.enabled)), polled: make(map[string]bool, len(d.polled))}
	for k := range d.polled {
		next.polled[k] = true
	}
	for k, lt := range old.leagues {
		next.leagues[k] = lt
	}
	for k, teams := range replace {
		next.leagues[k] = index(d.enabled[k], teams)
	}
	keys := make([]string, 0, len(next.leagues))
	for k := range next.leagues {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		next.all = append(next.all, next.leagues[k].teams...)
	}
	d.snap.Store(next)
}

func index(l league.League, teams []game.Team) *leagueTeams {
	sorted := append([]game.Team(nil), teams...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := strings.ToLower(sorted[i].Name), strings.ToLower(sorted[j].Name)
		if a != b {
			return a < b
		}
		return sorted[i].ID < sorted[j].ID
	})
	lt := &leagueTeams{
		league: l,
		teams:  sorted,
		keys:   make([]teamKeys, len(sorted)),
		byAbbr: make(map[string]int, len(sorted)),
		byESPN: make(map[string]int, len(sorted)),
	}
	for i, t := range sorted {
		lt.keys[i] = keysOf(t)
		lt.byAbbr[strings.ToLower(t.Abbreviation)] = i
		if t.ESPNID != "" {
			lt.byESPN[t.ESPNID] = i
		}
	}
	return lt
}

func (d *Directory) path(key string) string { return filepath.Join(d.dir, key+".json") }

// write caches a league's listed and learned teams. Callers hold d.mu.
func (d *Directory) write(key string) error {
	b, err := json.MarshalIndent(cacheFile{League: key, UpdatedAt: time.Now().UTC(), Teams: d.listed[key], Learned: d.learned[key]}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(d.path(key), b, 0o644)
}

// Teams lists a league's teams by name; "" lists every enabled league's,
// by league key and then name. Unknown or disabled leagues give nil.
func (d *Directory) Teams(leagueKey string) []game.Team {
	s := d.snap.Load()
	if strings.TrimSpace(leagueKey) == "" {
		return append([]game.Team(nil), s.all...)
	}
	lt := s.leagues[strings.ToLower(strings.TrimSpace(leagueKey))]
	if lt == nil {
		return nil
	}
	return append([]game.Team(nil), lt.teams...)
}

// Lookup finds a team by abbreviation, case-insensitively.
func (d *Directory) Lookup(leagueKey, abbreviation string) (game.Team, bool) {
	lt := d.snap.Load().leagues[strings.ToLower(strings.TrimSpace(leagueKey))]
	if lt == nil {
		return game.Team{}, false
	}
	i, ok := lt.byAbbr[strings.ToLower(strings.TrimSpace(abbreviation))]
	if !ok {
		return game.Team{}, false
	}
	return lt.teams[i], true
}
