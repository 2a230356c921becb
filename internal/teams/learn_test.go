package teams

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

func parseGames(t testing.TB, key, rel string) []game.Game {
	t.Helper()
	games, err := espn.ParseScoreboard(espntest.Load(t, rel), lg(t, key))
	require.NoError(t, err)
	return games
}

// Every team a college scoreboard names resolves, with no team list at
// all, and keeps resolving after a list that lacks it and after a restart.
func TestTeamsLearnedFromScoreboards(t *testing.T) {
	dataDir := t.TempDir()
	d := newDir(t, dataDir, "ncaaf")
	_, err := d.Resolve("UGA", "ncaaf")
	require.Error(t, err, "nothing known before a poll")

	games := parseGames(t, "ncaaf", "ncaaf/scoreboard-2022-09-17-live-mixed.json")
	d.Observe("ncaaf", games)
	assert.Len(t, d.Teams("ncaaf"), 50, "25 games, 50 teams")
	for _, c := range []struct{ input, want string }{
		{"UGA", "ncaaf-uga"},
		{"Georgia Bulldogs", "ncaaf-uga"},
		{"61", "ncaaf-uga"},  // ESPN's id
		{"YSU", "ncaaf-ysu"}, // an FCS opponent
		{"ncaaf-m-oh", "ncaaf-m-oh"},
		{"M-OH", "ncaaf-m-oh"},
	} {
		m, err := d.Resolve(c.input, "ncaaf")
		require.NoError(t, err, c.input)
		assert.Equal(t, c.want, m.Team.ID, c.input)
	}
	uga, _ := d.Lookup("ncaaf", "UGA")
	assert.Nil(t, uga.Record, "a game's record is not the team's")
	assert.Nil(t, uga.Rank)

	// Seeing the same games again learns nothing new.
	assert.Zero(t, d.Learn(lg(t, "ncaaf"), []game.Team{games[0].HomeTeam}))

	// A team list that lacks them (ESPN's list is paged) keeps them.
	require.NoError(t, d.Set(lg(t, "ncaaf"), []game.Team{{Abbreviation: "ALA", Name: "Alabama Crimson Tide", ESPNID: "333"}}))
	assert.Len(t, d.Teams("ncaaf"), 51)
	m, err := d.Resolve("Alabama Crimson Tide", "")
	require.NoError(t, err)
	assert.Equal(t, "ncaaf-ala", m.Team.ID)
	_, err = d.Resolve("YSU", "ncaaf")
	require.NoError(t, err)

	// A restart reads both from the cache.
	again := NewDirectory(dataDir, []league.League{lg(t, "ncaaf")}, nil)
	require.NoError(t, again.LoadCache())
	assert.Len(t, again.Teams("ncaaf"), 51)
	m, err = again.Resolve("UGA", "ncaaf")
	require.NoError(t, err)
	assert.Equal(t, "Georgia Bulldogs", m.Team.Name)

	// A disabled league is not learned.
	d.Observe("mls", parseGames(t, "mls", "mls/scoreboard-2022-09-17-live-mixed.json"))
	assert.Empty(t, d.Teams("mls"))
}

// A professional list is complete: an old game's team that left the
// league (the Coyotes, in the 2022 NHL capture) does not come back.
func TestProfessionalListsAreNotLearned(t *testing.T) {
	d := newDir(t, "", "nhl")
	d.Observe("nhl", parseGames(t, "nhl", "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json"))
	assert.Len(t, d.Teams("nhl"), 32)
	_, ok := d.Lookup("nhl", "ARI")
	assert.False(t, ok)
}

// Clubs of different leagues that share an abbreviation or a city are
// ambiguous until league= decides: Houston Dynamo (MLS) and Houston Dash
// (NWSL) in the ten-league soccer capture.
func TestSoccerClubsSharedAcrossLeagues(t *testing.T) {
	d := NewDirectory("", []league.League{lg(t, "mls"), lg(t, "nwsl"), lg(t, "epl"), lg(t, "bund")}, nil)
	byLeague := map[string][]game.Team{}
	for key, doc := range espntest.ByLeague(t, espntest.Load(t, "soccer/scoreboard-2026-03-21-ten-leagues-final.json"), league.Soccer) {
		games, err := espn.ParseScoreboard(doc, lg(t, key))
		require.NoError(t, err)
		for _, g := range games {
			byLeague[key] = append(byLeague[key], g.HomeTeam, g.AwayTeam)
		}
	}
	for _, k := range []string{"mls", "nwsl", "epl", "bund"} {
		ts := byLeague[k]
		// Derived: the day's clubs stand for each league's team list.
		require.NoError(t, d.Set(lg(t, k), ts))
	}
	for _, input := range []string{"HOU", "Houston"} {
		_, err := d.Resolve(input, "")
		var amb *AmbiguousError
		require.True(t, errors.As(err, &amb), "%s: %v", input, err)
		assert.ElementsMatch(t, []string{"mls-hou", "nwsl-hou"}, ids(amb.Candidates), input)
	}
	m, err := d.Resolve("HOU", "nwsl")
	require.NoError(t, err)
	assert.Equal(t, "nwsl-hou", m.Team.ID)
	m, err = d.Resolve("Houston", "mls")
	require.NoError(t, err)
	assert.Equal(t, "mls-hou", m.Team.ID)
	// A club only one followed league has is found without league=.
	m, err = d.Resolve("Liverpool", "")
	require.NoError(t, err)
	assert.Equal(t, "epl-liv", m.Team.ID)
	m, err = d.Resolve("bund-b04", "")
	require.NoError(t, err)
	assert.Equal(t, "Bayer Leverkusen", m.Team.Name)
}
