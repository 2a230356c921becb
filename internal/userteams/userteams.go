// Package userteams keeps each user's selected teams (the dashboard's team
// picker), persisted in DATA_DIR so a restart keeps them.
package userteams

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sports-data/sports-data/internal/atomicfile"
)

// DefaultUser is the user whose teams mark games as favourites.
const DefaultUser = "default"

// Bounds of what the file may hold, so that whoever can reach the port
// cannot grow it (and the memory it is loaded into) without end.
const (
	MaxUsers        = 100
	MaxTeamsPerUser = 100
)

var (
	userIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.@-]{1,64}$`)
	teamIDPattern = regexp.MustCompile(`^[a-z0-9]{1,10}(-[a-z0-9]{1,10})?$`)
)

// InvalidError is a bad user id or team id.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

// Store is safe for concurrent use. Readers (every /games request asks
// IsFavorite) take mu only for a moment: a save writes the file under
// saveMu alone, then swaps the new state in.
type Store struct {
	path string
	// saveMu orders saves, so that the file always holds the latest state.
	saveMu sync.Mutex
	// writeFile replaces the file atomically (atomicfile.Write).
	writeFile func(path string, data []byte) error
	mu        sync.RWMutex
	// users maps user id → league key → team ids as the client sent them,
	// lower-cased ("sf" or "nfl-sf"). Saves replace the map and its
	// entries, never change them, so a snapshot stays valid.
	users map[string]map[string][]string
	// fav is the default user's teams as prefixed ids, for is_favorite.
	fav map[string]bool
	// version moves whenever fav may have changed.
	version atomic.Uint64
}

// Open loads DATA_DIR/user_teams.json when it exists.
func Open(dataDir string) (*Store, error) {
	s := &Store{
		path:      filepath.Join(dataDir, "user_teams.json"),
		users:     map[string]map[string][]string{},
		writeFile: func(path string, data []byte) error { return atomicfile.Write(path, data, 0o644) },
	}
	b, err := os.ReadFile(s.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("reading user teams: %w", err)
	default:
		if err := json.Unmarshal(b, &s.users); err != nil {
			return nil, fmt.Errorf("user teams file %s is not valid JSON: %w", s.path, err)
		}
	}
	s.rebuildFavorites()
	return s, nil
}

// Get returns a user's teams per league key; unknown users have none.
func (s *Store) Get(userID string) map[string][]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string][]string{}
	for k, v := range s.users[userID] {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// ValidateUser checks a user id.
func ValidateUser(userID string) error {
	if !userIDPattern.MatchString(userID) {
		return &InvalidError{Msg: "user_id must be 1-64 letters, digits or _.@-"}
	}
	return nil
}

// Save replaces a user's teams for the leagues given and writes the file
// atomically. Readers are not held up by the write: they see the previous
// teams until the file is written, then the new ones.
func (s *Store) Save(userID string, teams map[string][]string) error {
	if err := ValidateUser(userID); err != nil {
		return err
	}
	clean := map[string][]string{}
	for league, ids := range teams {
		seen := map[string]bool{}
		list := []string{}
		for _, id := range ids {
			id = strings.ToLower(strings.TrimSpace(id))
			if id == "" || seen[id] {
				continue
			}
			if !teamIDPattern.MatchString(id) {
				return &InvalidError{Msg: fmt.Sprintf("team id %q is not an abbreviation like \"sf\" or \"nfl-sf\"", id)}
			}
			seen[id] = true
			list = append(list, id)
		}
		sort.Strings(list)
		clean[league] = list
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.RLock()
	cur := s.users
	s.mu.RUnlock()
	if _, known := cur[userID]; !known && len(cur) >= MaxUsers {
		return &InvalidError{Msg: fmt.Sprintf("at most %d users can save teams; this service has that many", MaxUsers)}
	}
	merged := map[string][]string{}
	for k, v := range cur[userID] {
		merged[k] = v
	}
	total := 0
	for k, v := range clean {
		merged[k] = v
	}
	for _, v := range merged {
		total += len(v)
	}
	if total > MaxTeamsPerUser {
		return &InvalidError{Msg: fmt.Sprintf("at most %d teams per user (this would save %d)", MaxTeamsPerUser, total)}
	}
	next := make(map[string]map[string][]string, len(cur)+1)
	for k, v := range cur {
		next[k] = v
	}
	next[userID] = merged
	b, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return err
	}
	if err := s.writeFile(s.path, b); err != nil {
		return err
	}
	s.mu.Lock()
	s.users = next
	s.rebuildFavoritesLocked()
	s.mu.Unlock()
	return nil
}

// IsFavorite reports whether a prefixed team id ("nfl-sf") is among the
// default user's teams.
func (s *Store) IsFavorite(teamID string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.fav[teamID]
}

// HasFavorites is false when the default user picked no team, which lets
// readers skip the lookups.
func (s *Store) HasFavorites() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.fav) > 0
}

func (s *Store) rebuildFavorites() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rebuildFavoritesLocked()
}

// Version changes whenever the default user's teams may have changed.
func (s *Store) Version() uint64 { return s.version.Load() }

func (s *Store) rebuildFavoritesLocked() {
	s.version.Add(1)
	s.fav = map[string]bool{}
	for league, ids := range s.users[DefaultUser] {
		for _, id := range ids {
			if strings.Contains(id, "-") {
				s.fav[id] = true
			} else {
				s.fav[league+"-"+id] = true
			}
		}
	}
}
