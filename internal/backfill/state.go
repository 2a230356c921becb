package backfill

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sports-data/sports-data/internal/atomicfile"
	"github.com/sports-data/sports-data/internal/game"
)

// state is the resume record of one league season: the teams whose games
// are stored.
type state struct {
	path   string
	League string
	Season int
	Done   map[string]bool
}

type stateFile struct {
	League    string   `json:"league"`
	Season    int      `json:"season"`
	TeamsDone []string `json:"teams_done"`
}

// loadState reads the state file of league and season in dir, or starts an
// empty one. Without dir nothing is kept.
func loadState(dir, leagueKey string, season int) (*state, error) {
	if dir == "" {
		return nil, nil
	}
	st := &state{
		path:   filepath.Join(dir, fmt.Sprintf("backfill-%s-%d.json", leagueKey, season)),
		League: leagueKey, Season: season, Done: map[string]bool{},
	}
	b, err := os.ReadFile(st.path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading backfill state: %w", err)
	}
	var f stateFile
	if err := json.Unmarshal(b, &f); err != nil || f.League != leagueKey || f.Season != season {
		return nil, fmt.Errorf("backfill state %s is damaged; remove it to start the season over", st.path)
	}
	for _, t := range f.TeamsDone {
		st.Done[strings.ToUpper(t)] = true
	}
	return st, nil
}

func (s *state) countDone(teams []game.Team) int {
	n := 0
	for _, t := range teams {
		if s.Done[strings.ToUpper(t.Abbreviation)] {
			n++
		}
	}
	return n
}

// save replaces the file atomically, so an interruption leaves the old
// record or the new one, never half of one.
func (s *state) save() error {
	f := stateFile{League: s.League, Season: s.Season}
	for t := range s.Done {
		f.TeamsDone = append(f.TeamsDone, t)
	}
	sort.Strings(f.TeamsDone)
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(s.path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("saving backfill state: %w", err)
	}
	return nil
}

func (s *state) remove() error {
	if err := os.Remove(s.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing backfill state: %w", err)
	}
	return nil
}
