// Package userteams keeps each user's selected teams (the dashboard's team
// picker), persisted in DATA_DIR so a restart keeps them.
package userteams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sports-data/sports-data/internal/atomicfile"
	"github.com/sports-data/sports-data/internal/outage"
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

// Store is safe for concurrent use. A save changes the teams in memory at
// once (readers, every /games request asks IsFavorite, take mu only for a
// moment); Run writes the file once saves have paused for Options.Quiet,
// so that a burst of saves (someone clicking through a team picker, or a
// script) is one write with one fsync, not one each (an SD card on a
// small home server wears out). The file always ends up with the latest
// teams: Run writes what is pending when it stops.
type Store struct {
	path string
	o    Options
	log  *slog.Logger
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
	// saves counts the saves (guarded by mu); written is the count the
	// file holds (guarded by writeMu, which orders the writes).
	saves   uint64
	writeMu sync.Mutex
	written uint64
	poke    chan struct{}
	failing *outage.Reporter
}

// Options tune a Store; zero values take the defaults in brackets.
type Options struct {
	// Quiet is how long saves must pause before the file is written [2 s].
	Quiet time.Duration
	// MaxWait bounds how long a save waits for the file while saves keep
	// coming [10 s].
	MaxWait time.Duration
	Logger  *slog.Logger
}

// Open loads DATA_DIR/user_teams.json when it exists. Run must run for
// saves to reach the file.
func Open(dataDir string, opts ...Options) (*Store, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Quiet <= 0 {
		o.Quiet = 2 * time.Second
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{
		path:      filepath.Join(dataDir, "user_teams.json"),
		o:         o,
		log:       o.Logger,
		users:     map[string]map[string][]string{},
		writeFile: func(path string, data []byte) error { return atomicfile.Write(path, data, 0o644) },
		poke:      make(chan struct{}, 1),
	}
	s.failing = outage.New(o.Logger, "writing the saved teams", "the teams stay in memory and are written when the disk takes them")
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

// Run writes the file after each pause in the saves until ctx ends, then
// writes what is pending and returns. A write that fails is retried after
// MaxWait, and at each later save.
func (s *Store) Run(ctx context.Context) {
	var first time.Time // the oldest save not yet written; zero when none
	quiet := time.NewTimer(time.Hour)
	defer quiet.Stop()
	quiet.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = s.flush()
			return
		case <-s.poke:
			if first.IsZero() {
				first = time.Now()
			}
			// Wait for a pause, but never past MaxWait since the first.
			quiet.Reset(min(s.o.Quiet, max(s.o.MaxWait-time.Since(first), 0)))
		case <-quiet.C:
			if s.flush() != nil {
				first = time.Now()
				quiet.Reset(s.o.MaxWait)
				continue
			}
			first = time.Time{}
		}
	}
}

// flush writes the teams when a save is not in the file yet.
func (s *Store) flush() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	saves, users := s.saves, s.users
	s.mu.RUnlock()
	if saves == s.written {
		return nil
	}
	b, err := json.MarshalIndent(users, "", "  ")
	if err == nil {
		err = s.writeFile(s.path, b)
	}
	s.failing.Report(err)
	if err != nil {
		return err
	}
	s.written = saves
	return nil
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

// Save replaces a user's teams for the leagues given: readers see them at
// once, and Run writes the file (atomically) once saves pause.
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
	cur := s.users
	if _, known := cur[userID]; !known && len(cur) >= MaxUsers {
		s.mu.Unlock()
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
		s.mu.Unlock()
		return &InvalidError{Msg: fmt.Sprintf("at most %d teams per user (this would save %d)", MaxTeamsPerUser, total)}
	}
	next := make(map[string]map[string][]string, len(cur)+1)
	for k, v := range cur {
		next[k] = v
	}
	next[userID] = merged
	s.users = next
	s.saves++
	s.rebuildFavoritesLocked()
	s.mu.Unlock()
	select {
	case s.poke <- struct{}{}:
	default:
	}
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
