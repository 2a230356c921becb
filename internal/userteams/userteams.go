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

var (
	userIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.@-]{1,64}$`)
	teamIDPattern = regexp.MustCompile(`^[a-z0-9]{1,10}(-[a-z0-9]{1,10})?$`)
)

// InvalidError is a bad user id or team id.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

// Store is safe for concurrent use.
type Store struct {
	path string
	mu   sync.RWMutex
	// users maps user id → league key → team ids as the client sent them,
	// lower-cased ("sf" or "nfl-sf").
	users map[string]map[string][]string
	// fav is the default user's teams as prefixed ids, for is_favorite.
	fav map[string]bool
	// version moves whenever fav may have changed.
	version atomic.Uint64
}

// Open loads DATA_DIR/user_teams.json when it exists.
func Open(dataDir string) (*Store, error) {
	s := &Store{path: filepath.Join(dataDir, "user_teams.json"), users: map[string]map[string][]string{}}
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
// atomically.
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
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.users[userID]
	merged := map[string][]string{}
	for k, v := range prev {
		merged[k] = v
	}
	for k, v := range clean {
		merged[k] = v
	}
	s.users[userID] = merged
	if err := s.write(); err != nil {
		s.users[userID] = prev
		return err
	}
	s.rebuildFavoritesLocked()
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

func (s *Store) write() error {
	b, err := json.MarshalIndent(s.users, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.path, b, 0o644)
}
