package teams

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
)

// Athletes are learned from the scoreboards (ESPN has no list of them) and
// named the way TeamTracker's configuration names them.
func TestAthletesNamedAsTeamTrackerNamesThem(t *testing.T) {
	dataDir := t.TempDir()
	d := newDir(t, dataDir, "atp")
	var nl *NotLoadedError
	_, err := d.Resolve("Struff", "atp")
	require.ErrorAs(t, err, &nl, "before any poll the athlete may well exist")

	all, err := os.ReadFile(filepath.Join(filepath.Dir(espntest.Dir(t)), "teamtracker", "all.json"))
	require.NoError(t, err)
	games, err := espn.ParseScoreboard(all, lg(t, "atp"))
	require.NoError(t, err)
	d.Observe("atp", games)

	for _, c := range []struct{ input, want string }{
		{"STRUFF", "atp-jan-lennard-struff"},             // TeamTracker's form: part of the name
		{"struff", "atp-jan-lennard-struff"},             // in any case
		{"Jan-Lennard Struff", "atp-jan-lennard-struff"}, // the whole name
		{"atp-jan-lennard-struff", "atp-jan-lennard-struff"},
		{"3825", "atp-francisco-cabral"}, // ESPN's athlete id
		{"Paolini", "atp-jasmine-paolini"},
		// A doubles pair by TeamTracker's pattern, its players in either order.
		{".*(?:FUCSOVICS|MAROZSAN).*/.*(?:FUCSOVICS|MAROZSAN).*", "atp-marton-fucsovics-fabian-marozsan"},
	} {
		m, err := d.Resolve(c.input, "atp")
		require.NoError(t, err, c.input)
		assert.Equal(t, c.want, m.Team.ID, c.input)
	}

	// A name two athletes share is ambiguous, not the first one found.
	_, err = d.Resolve("TSITSIPAS", "atp")
	var amb *AmbiguousError
	require.ErrorAs(t, err, &amb)
	var ids []string
	for _, c := range amb.Candidates {
		ids = append(ids, c.Team.ID)
	}
	assert.ElementsMatch(t, []string{"atp-petros-tsitsipas", "atp-stefanos-tsitsipas"}, ids)

	// Unknown: 404 with suggestions; a draw's TBD is nobody.
	var nf *NotFoundError
	_, err = d.Resolve("Federer", "atp")
	require.ErrorAs(t, err, &nf)
	_, err = d.Resolve("TBD", "atp")
	require.ErrorAs(t, err, &nf, "a placeholder is never learned")
	_, err = d.Resolve("(unclosed", "atp")
	require.ErrorAs(t, err, &nf, "a pattern that does not compile names nobody")

	// A pair is found by its pattern only, as TeamTracker finds it: a
	// player's name alone names the player.
	m, err := d.Resolve("Fucsovics", "atp")
	require.NoError(t, err)
	assert.Equal(t, "atp-marton-fucsovics", m.Team.ID)

	// Learned athletes survive a restart.
	d2 := newDir(t, dataDir, "atp")
	require.NoError(t, d2.LoadCache())
	m, err = d2.Resolve("STRUFF", "atp")
	require.NoError(t, err)
	assert.Equal(t, "atp-jan-lennard-struff", m.Team.ID)
}

// A league of athletes with nothing on its scoreboard (the off-season)
// counts as loaded after a poll: an unknown name is 404, not 503.
func TestAthleteLeagueLoadedByAnEmptyPoll(t *testing.T) {
	d := newDir(t, "", "f1")
	_, err := d.Resolve("Verstappen", "f1")
	var nl *NotLoadedError
	require.ErrorAs(t, err, &nl)
	d.Observe("f1", nil)
	_, err = d.Resolve("Verstappen", "f1")
	var nf *NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.False(t, errors.As(err, &nl))
}

// ESPN writes athletes' names with their accents; people type them
// without, and TeamTracker's configurations do.
func TestAthletesNamedWithoutAccents(t *testing.T) {
	d := newDir(t, t.TempDir(), "f1")
	all, err := os.ReadFile(filepath.Join(filepath.Dir(espntest.Dir(t)), "teamtracker", "all.json"))
	require.NoError(t, err)
	games, err := espn.ParseScoreboard(all, lg(t, "f1"))
	require.NoError(t, err)
	d.Observe("f1", games)
	for _, c := range []struct{ input, want string }{
		{"PEREZ", "f1-sergio-perez"},
		{"Pérez", "f1-sergio-perez"},
		{"Sergio Perez", "f1-sergio-perez"},
		{"HULKENBERG", "f1-nico-hulkenberg"},
		{"SERG[I]O PEREZ", "f1-sergio-perez"}, // a pattern of the whole name
	} {
		m, err := d.Resolve(c.input, "f1")
		require.NoError(t, err, c.input)
		assert.Equal(t, c.want, m.Team.ID, c.input)
	}
}

// BenchmarkResolveAthlete resolves TeamTracker's forms of an athlete's
// name among the players of a Grand Slam (Roland Garros, 635 matches of
// singles and doubles), as every request naming an athlete does (go test
// -bench ResolveAthlete ./internal/teams).
func BenchmarkResolveAthlete(b *testing.B) {
	d := newDir(b, b.TempDir(), "atp")
	games, err := espn.ParseScoreboard(espntest.Load(b, "atp/scoreboard-2025-06-01-roland-garros.json"), lg(b, "atp"))
	require.NoError(b, err)
	d.Observe("atp", games)
	for _, c := range []struct{ name, input, want string }{
		{"id", "atp-ethan-quinn", "atp-ethan-quinn"},
		{"surname", "QUINN", "atp-ethan-quinn"},
		{"pattern", ".*(?:ERLER|FRANTZEN).*/.*(?:ERLER|FRANTZEN).*", "atp-alexander-erler-constantin-frantzen"},
		{"accents", "DAPHNEE MPETSHI", "atp-daphnee-mpetshi-perricard"},
		{"unknown", "Federer", ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, err := d.Resolve(c.input, "atp")
				if c.want == "" {
					var nf *NotFoundError
					require.ErrorAs(b, err, &nf)
				} else if err != nil || m.Team.ID != c.want {
					b.Fatalf("%s: %s, %v", c.input, m.Team.ID, err)
				}
			}
		})
	}
}
