package teams

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// clubDir follows the Premier League (its clubs from the captured last
// matchday) and the Champions League, whose list here is derived: five
// of those clubs under their own ESPN ids, and one club of elsewhere.
func clubDir(t *testing.T, keys ...string) *Directory {
	t.Helper()
	var ls []league.League
	for _, k := range keys {
		ls = append(ls, lg(t, k))
	}
	d := NewDirectory("", ls, nil)
	epl := scoreboardTeams(t, "epl", "epl/scoreboard-2025-05-25-final-details.json")
	require.Len(t, epl, 20)
	require.NoError(t, d.Set(lg(t, "epl"), epl))
	var cl []game.Team
	for _, tm := range epl {
		switch tm.Abbreviation {
		case "ARS", "LIV", "MNC", "CHE", "AVL":
			tm.ID = game.TeamID("cl", tm.Abbreviation)
			cl = append(cl, tm)
		}
	}
	cl = append(cl, game.Team{Abbreviation: "BAR", Name: "Barcelona", Location: "Barcelona", ESPNID: "83"})
	require.NoError(t, d.Set(lg(t, "cl"), cl))
	return d
}

// A club in two followed competitions is one team: its name resolves
// (no 409) to the first of LEAGUES that has it, and Club lists it in both.
func TestAClubIsOneTeamAcrossCompetitions(t *testing.T) {
	d := clubDir(t, "epl", "cl")
	for _, in := range []string{"Arsenal", "ARS", "359"} {
		m, err := d.Resolve(in, "")
		require.NoError(t, err, in)
		assert.Equal(t, "epl-ars", m.Team.ID, in)
		assert.Equal(t, []string{"epl-ars", "cl-ars"}, ids(d.Club(m)), in)
	}
	m, err := d.Resolve("Arsenal", "cl")
	require.NoError(t, err)
	assert.Equal(t, "cl-ars", m.Team.ID, "league= still decides")
	assert.Equal(t, []string{"cl-ars", "epl-ars"}, ids(d.Club(m)))

	bou, err := d.Resolve("Bournemouth", "")
	require.NoError(t, err)
	assert.Equal(t, []string{"epl-bou"}, ids(d.Club(bou)), "a club in one competition")
	bar, err := d.Resolve("Barcelona", "")
	require.NoError(t, err)
	assert.Equal(t, []string{"cl-bar"}, ids(d.Club(bar)))

	assert.True(t, d.SameClub("epl", "ARS", "cl", "ars"))
	assert.False(t, d.SameClub("epl", "BOU", "cl", "ARS"))
	assert.False(t, d.SameClub("epl", "ARS", "nfl", "ARS"))

	// LEAGUES in the other order: the Champions League comes first.
	m, err = clubDir(t, "cl", "epl").Resolve("Arsenal", "")
	require.NoError(t, err)
	assert.Equal(t, "cl-ars", m.Team.ID)
}

// Teams of leagues whose ESPN ids are per league are never one team:
// the NFL's and the NHL's team 17 stay two, and a shared name stays 409.
func TestOnlySoccerClubsAreOneTeam(t *testing.T) {
	d := newDir(t, "", "nfl", "nhl")
	m, err := d.Resolve("nfl-ne", "")
	require.NoError(t, err)
	assert.Equal(t, []string{"nfl-ne"}, ids(d.Club(m)))
	_, err = d.Resolve("17", "")
	var amb *AmbiguousError
	assert.ErrorAs(t, err, &amb)
}
