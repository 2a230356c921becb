package teams

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/league"
)

// A lookup that finds nothing while a league it searched has no teams yet
// is "not loaded", not "no such team"; leagues that have teams still
// answer as before.
func TestLookupWhileALeagueHasNoTeamsYet(t *testing.T) {
	d := NewDirectory("", []league.League{lg(t, "nfl"), lg(t, "nhl")}, nil)
	require.NoError(t, d.Set(lg(t, "nfl"), captureTeams(t, "nfl")))

	m, err := d.Resolve("Chiefs", "")
	require.NoError(t, err)
	assert.Equal(t, "nfl-kc", m.Team.ID)

	for _, tc := range []struct{ input, league string }{
		{"Bruins", ""}, {"nhl-bos", ""}, {"BOS", "nhl"}, {"nhl-bos", "nhl"},
	} {
		_, err := d.Resolve(tc.input, tc.league)
		var nl *NotLoadedError
		require.ErrorAs(t, err, &nl, tc)
		assert.Equal(t, []string{"NHL"}, nl.Leagues, tc)
		assert.Contains(t, err.Error(), "NHL team list has not been loaded", tc)
	}
	for _, tc := range []struct{ input, league string }{
		{"Xyzzy", "nfl"}, {"nfl-xyz", ""}, {"", ""}, {"Bruins", "mlb"},
	} {
		_, err := d.Resolve(tc.input, tc.league)
		var nf *NotFoundError
		require.ErrorAs(t, err, &nf, tc)
	}

	empty := NewDirectory("", []league.League{lg(t, "nfl"), lg(t, "nhl")}, nil)
	_, err = empty.Resolve("Chiefs", "")
	var nl *NotLoadedError
	require.ErrorAs(t, err, &nl)
	assert.Equal(t, []string{"NFL", "NHL"}, nl.Leagues)
}
