package teams

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

func lg(t testing.TB, key string) league.League {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok)
	return l
}

// captureTeams parses a real teams capture.
func captureTeams(t testing.TB, key string) []game.Team {
	t.Helper()
	teams, err := espn.ParseTeams(espntest.Load(t, key+"/teams.json"), lg(t, key))
	require.NoError(t, err)
	require.Len(t, teams, 32)
	return teams
}

// scoreboardTeams collects the teams playing in a scoreboard capture; used
// for leagues without a teams capture (derived, not captured as such).
func scoreboardTeams(t testing.TB, key, rel string) []game.Team {
	t.Helper()
	games, err := espn.ParseScoreboard(espntest.Load(t, rel), lg(t, key))
	require.NoError(t, err)
	seen := map[string]bool{}
	var out []game.Team
	for _, g := range games {
		for _, tm := range []game.Team{g.HomeTeam, g.AwayTeam} {
			if !seen[tm.ID] {
				seen[tm.ID] = true
				tm.Record = nil
				out = append(out, tm)
			}
		}
	}
	return out
}

// newDir returns a directory for the leagues, filled from the captures.
func newDir(t testing.TB, dataDir string, keys ...string) *Directory {
	t.Helper()
	var ls []league.League
	for _, k := range keys {
		ls = append(ls, lg(t, k))
	}
	d := NewDirectory(dataDir, ls, nil)
	for _, k := range keys {
		switch k {
		case "nfl", "nhl":
			require.NoError(t, d.Set(lg(t, k), captureTeams(t, k)))
		case "mlb":
			teams := scoreboardTeams(t, "mlb", "mlb/scoreboard-2025-06-04-live-final-postponed.json")
			require.Len(t, teams, 30)
			require.NoError(t, d.Set(lg(t, k), teams))
		case "nba":
			teams := scoreboardTeams(t, "nba", "nba/scoreboard-2024-12-15-all-final.json")
			// Made up for the test: the Kings did not play on that day.
			teams = append(teams, game.Team{Abbreviation: "SAC", Name: "Sacramento Kings", ShortName: "Kings", Location: "Sacramento", ESPNID: "23"})
			require.NoError(t, d.Set(lg(t, k), teams))
		}
	}
	return d
}

func TestTeamsAndLookups(t *testing.T) {
	d := newDir(t, t.TempDir(), "nfl", "nhl")

	all := d.Teams("")
	require.Len(t, all, 64)
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		la, lb := strings.SplitN(a.ID, "-", 2)[0], strings.SplitN(b.ID, "-", 2)[0]
		if la == lb {
			assert.LessOrEqual(t, strings.ToLower(a.Name), strings.ToLower(b.Name))
		} else {
			assert.Less(t, la, lb)
		}
	}
	assert.Equal(t, "nfl-ari", all[0].ID, "Arizona Cardinals first")
	assert.Equal(t, "nhl-ana", all[32].ID, "then the NHL from Anaheim")

	nhl := d.Teams("NHL")
	require.Len(t, nhl, 32)
	names := make([]string, len(nhl))
	for i, tm := range nhl {
		names[i] = tm.Name
	}
	assert.Contains(t, names, "Utah Hockey Club")
	assert.NotContains(t, names, "Arizona Coyotes")
	assert.Nil(t, d.Teams("nba"), "not enabled")
	assert.Nil(t, d.Teams("bogus"))

	// Callers get copies.
	nhl[0].Name = "changed"
	assert.NotEqual(t, "changed", d.Teams("nhl")[0].Name)

	tm, ok := d.Lookup("NFL", "ne")
	require.True(t, ok)
	assert.Equal(t, "nfl-ne", tm.ID)
	assert.Equal(t, "New England Patriots", tm.Name)
	assert.Equal(t, "17", tm.ESPNID)
	_, ok = d.Lookup("nhl", "NE")
	assert.False(t, ok)
	_, ok = d.Lookup("nba", "LAL")
	assert.False(t, ok)
}

func TestCacheSurvivesRestart(t *testing.T) {
	dataDir := t.TempDir()
	first := newDir(t, dataDir, "nfl", "nhl")

	for _, key := range []string{"nfl", "nhl"} {
		b, err := os.ReadFile(filepath.Join(dataDir, "teams", key+".json"))
		require.NoError(t, err)
		var cf cacheFile
		require.NoError(t, json.Unmarshal(b, &cf))
		assert.Equal(t, key, cf.League)
		assert.Len(t, cf.Teams, 32)
		assert.False(t, cf.UpdatedAt.IsZero())
	}
	entries, err := os.ReadDir(filepath.Join(dataDir, "teams"))
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary files left behind")

	// A restart without network: only the cache.
	second := NewDirectory(dataDir, []league.League{lg(t, "nfl"), lg(t, "nhl")}, nil)
	assert.Empty(t, second.Teams(""))
	require.NoError(t, second.LoadCache())
	assert.Equal(t, first.Teams(""), second.Teams(""))
	m, err := second.Resolve("Patriots", "")
	require.NoError(t, err)
	assert.Equal(t, "nfl-ne", m.Team.ID)
	assert.Equal(t, "NFL", m.League.Name)
	m, err = second.Resolve("129764", "nhl")
	require.NoError(t, err)
	assert.Equal(t, "nhl-utah", m.Team.ID)
}

func TestLoadCacheEdges(t *testing.T) {
	nfl, nhl := lg(t, "nfl"), lg(t, "nhl")

	// Nothing cached yet is fine.
	d := NewDirectory(t.TempDir(), []league.League{nfl, nhl}, nil)
	require.NoError(t, d.LoadCache())
	assert.Empty(t, d.Teams(""))

	// A damaged file is reported; the other league still loads.
	dataDir := t.TempDir()
	newDir(t, dataDir, "nfl", "nhl")
	require.NoError(t, os.WriteFile(filepath.Join(dataDir, "teams", "nfl.json"), []byte(`{"league":"nfl","teams":[`), 0o644))
	d = NewDirectory(dataDir, []league.League{nfl, nhl}, nil)
	err := d.LoadCache()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nfl.json")
	assert.Empty(t, d.Teams("nfl"))
	assert.Len(t, d.Teams("nhl"), 32)

	// A file holding another league's teams is refused.
	b, err := os.ReadFile(filepath.Join(dataDir, "teams", "nhl.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dataDir, "teams", "nfl.json"), b, 0o644))
	d = NewDirectory(dataDir, []league.League{nfl, nhl}, nil)
	err = d.LoadCache()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `holds league "nhl"`)
	assert.Empty(t, d.Teams("nfl"))

	// An empty team list in the cache is not loaded.
	require.NoError(t, os.WriteFile(filepath.Join(dataDir, "teams", "nfl.json"), []byte(`{"league":"nfl","teams":[]}`), 0o644))
	d = NewDirectory(dataDir, []league.League{nfl, nhl}, nil)
	assert.ErrorIs(t, d.LoadCache(), ErrNoTeams)

	// Cached leagues that are no longer enabled are left alone.
	d = NewDirectory(dataDir, []league.League{nhl}, nil)
	require.NoError(t, d.LoadCache())
	assert.Nil(t, d.Teams("nfl"))
	assert.Len(t, d.Teams(""), 32)
}

func TestSetEdges(t *testing.T) {
	nfl := lg(t, "nfl")
	teams := captureTeams(t, "nfl")

	d := NewDirectory(t.TempDir(), []league.League{nfl}, nil)
	assert.ErrorIs(t, d.Set(lg(t, "nhl"), captureTeams(t, "nhl")), ErrLeagueNotEnabled)
	assert.ErrorIs(t, d.Set(nfl, nil), ErrNoTeams)
	assert.ErrorIs(t, d.Set(nfl, []game.Team{{Name: "No abbreviation"}}), ErrNoTeams)
	assert.Empty(t, d.Teams(""), "refused sets change nothing")

	// Ids are derived from the abbreviation; duplicates and blanks dropped;
	// colours never empty.
	require.NoError(t, d.Set(nfl, []game.Team{
		{Abbreviation: " NE ", Name: "New England Patriots", ID: "whatever"},
		{Abbreviation: "ne", Name: "Duplicate"},
		{Abbreviation: ""},
	}))
	got := d.Teams("nfl")
	require.Len(t, got, 1)
	assert.Equal(t, "nfl-ne", got[0].ID)
	assert.Equal(t, "NE", got[0].Abbreviation)
	assert.Equal(t, game.DefaultColors, got[0].Colors)

	// A later Set replaces the league entirely.
	require.NoError(t, d.Set(nfl, teams))
	assert.Len(t, d.Teams("nfl"), 32)

	// The caller's slice is not kept.
	mine := captureTeams(t, "nfl")
	require.NoError(t, d.Set(nfl, mine))
	mine[0].Name = "changed"
	assert.NotEqual(t, "changed", d.Teams("nfl")[0].Name)
}

func TestSetWhenCacheCannotBeWritten(t *testing.T) {
	// DATA_DIR is a file: the cache cannot be written. The teams are in use
	// anyway and the error says what happened.
	file := filepath.Join(t.TempDir(), "not-a-dir")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	d := NewDirectory(file, []league.League{lg(t, "nfl")}, nil)
	err := d.Set(lg(t, "nfl"), captureTeams(t, "nfl"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "caching nfl")
	assert.Len(t, d.Teams("nfl"), 32)
}

func TestMemoryOnlyDirectory(t *testing.T) {
	d := newDir(t, "", "nfl")
	assert.Len(t, d.Teams(""), 32)
	require.NoError(t, d.LoadCache())
}

func TestConcurrentReadsDuringSet(t *testing.T) {
	dataDir := t.TempDir()
	nfl := lg(t, "nfl")
	d := newDir(t, dataDir, "nfl", "nhl")
	a := captureTeams(t, "nfl")
	b := captureTeams(t, "nfl")
	for i := range b {
		b[i].Logo = "https://example.invalid/" + b[i].Abbreviation + ".png"
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				got := d.Teams("nfl")
				if len(got) != 32 {
					t.Errorf("saw %d teams", len(got))
					return
				}
				// Every read is one version or the other, never a mix.
				fromB := strings.HasPrefix(got[0].Logo, "https://example.invalid/")
				for _, tm := range got {
					if strings.HasPrefix(tm.Logo, "https://example.invalid/") != fromB {
						t.Errorf("mixed snapshot")
						return
					}
				}
				if _, err := d.Resolve("Patriots", ""); err != nil {
					t.Errorf("resolve: %v", err)
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		teams := a
		if i%2 == 1 {
			teams = b
		}
		require.NoError(t, d.Set(nfl, teams))
	}
	close(stop)
	wg.Wait()
	assert.Len(t, d.Teams(""), 64)
}

func TestErrorsAreTyped(t *testing.T) {
	d := newDir(t, "", "nfl", "nhl")
	_, err := d.Resolve("Jets", "")
	var amb *AmbiguousError
	assert.True(t, errors.As(err, &amb))
	_, err = d.Resolve("Zzzz", "")
	var nf *NotFoundError
	assert.True(t, errors.As(err, &nf))
}
