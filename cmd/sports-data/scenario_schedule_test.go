package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A fresh start (no cached team list) with a saved team: the first team
// schedule the service asks ESPN for is that team's, seconds after the
// team lists arrive, while the other 63 teams wait their spread turn.
func TestFirstScheduleRefreshStartsWithTheSavedTeams(t *testing.T) {
	t.Parallel()
	srv := newESPN(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "user_teams.json"),
		[]byte(`{"default": {"nhl": ["bos"]}, "kitchen": {"nfl": ["nfl-kc"]}}`), 0o644))
	startService(t, srv.URL, map[string]string{"DATA_DIR": dir})
	schedules := func() []string {
		var out []string
		for _, u := range srv.Requests() {
			if strings.HasSuffix(u.Path, "/schedule") {
				out = append(out, u.Path)
			}
		}
		return out
	}
	require.Eventually(t, func() bool { return len(schedules()) >= 2 }, 30*time.Second, 20*time.Millisecond)
	got := schedules()[:2]
	require.ElementsMatch(t, []string{"/football/nfl/teams/12/schedule", "/hockey/nhl/teams/1/schedule"}, got)
}
