package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

// v1Games is the games table of schema version 1, the release before the
// broadcasts, the schedule history and the standings table.
const v1Games = `CREATE TABLE games (
	league TEXT NOT NULL, game_id TEXT NOT NULL, start INTEGER NOT NULL, season INTEGER NOT NULL,
	season_type INTEGER NOT NULL, week INTEGER NOT NULL, home_team TEXT NOT NULL, away_team TEXT NOT NULL,
	status TEXT NOT NULL, home_conference TEXT NOT NULL, away_conference TEXT NOT NULL,
	home_division TEXT NOT NULL, away_division TEXT NOT NULL, home_score INTEGER NOT NULL,
	away_score INTEGER NOT NULL, period INTEGER NOT NULL, time_remaining TEXT NOT NULL,
	status_detail TEXT NOT NULL, home_team_id TEXT NOT NULL, away_team_id TEXT NOT NULL,
	home_team_name TEXT NOT NULL, away_team_name TEXT NOT NULL, venue TEXT NOT NULL,
	observed_at INTEGER NOT NULL, PRIMARY KEY (league, game_id)) WITHOUT ROWID;
PRAGMA user_version = 1;`

// A file of the earlier release opens: its games keep their rows (without
// broadcasts or schedule history), new rows carry them, and tables can be
// stored at once.
func TestVersion1FileIsUpgraded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", dsn(path, false))
	require.NoError(t, err)
	_, err = raw.Exec(v1Games)
	require.NoError(t, err)
	start := time.Date(2024, 9, 15, 17, 0, 0, 0, time.UTC)
	_, err = raw.Exec(`INSERT INTO games VALUES ('nfl', '1', ?, 2024, 2, 2, 'NE', 'BUF', 'scheduled', '', '', '', '',
		0, 0, 0, '', '', '17', '2', 'New England Patriots', 'Buffalo Bills', 'Gillette Stadium', ?)`,
		start.UnixNano(), start.Add(-time.Hour).UnixNano())
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	s, err := Open(path, Options{})
	require.NoError(t, err)
	defer s.Close()
	rows, err := s.Games(t.Context(), store.GameQuery{League: "nfl"})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, "Gillette Stadium", rows[0].Venue)
	require.Zero(t, rows[0].ScheduleVersion)
	require.True(t, rows[0].ScheduleChangedAt.IsZero())

	g := storetest.NewGame("nfl", "2", start, "KC", "BAL")
	p := storetest.GamePoint(g, start.Add(-time.Hour), storetest.Scheduled, 0, 0)
	p.Broadcasts, p.ScheduleVersion, p.ScheduleChangedAt = "NBC", 1, start.Add(-time.Hour)
	table := storetest.StandingPoint("nfl", 2024, start, store.Standing{TeamID: "12", Team: "KC", Group: "AFC", Position: 1})
	require.NoError(t, s.Write(t.Context(), []store.Point{p, table}))
	rows, err = s.Games(t.Context(), store.GameQuery{League: "nfl", Team: "KC"})
	require.NoError(t, err)
	require.Equal(t, []store.Point{storetest.Normalize(p)}, storetest.NormalizeAll(rows))
	got, err := s.Standings(t.Context(), "nfl", time.Time{}, time.Time{})
	require.NoError(t, err)
	require.Len(t, got, 1)

	var version int
	require.NoError(t, s.write.QueryRow("PRAGMA user_version").Scan(&version))
	require.Equal(t, schemaVersion, version)
}
