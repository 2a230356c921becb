package webhook

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/teams"
)

// A webhook of a club followed in the Premier League gets the club's
// Champions League events too, seen from the club; another club's webhook
// does not. Derived from the captured last matchday: Southampton–Arsenal
// replayed live as a Champions League game in which Arsenal scores.
func TestAClubsWebhookGetsItsEventsInEveryCompetition(t *testing.T) {
	epl, _ := league.Lookup("epl")
	cl, _ := league.Lookup("cl")
	games, err := espn.ParseScoreboard(espntest.Load(t, "epl/scoreboard-2025-05-25-final-details.json"), epl)
	require.NoError(t, err)
	dir := teams.NewDirectory("", []league.League{epl, cl}, nil)
	var eplTeams []game.Team
	var sou game.Game
	for _, g := range games {
		eplTeams = append(eplTeams, g.HomeTeam, g.AwayTeam)
		if g.ID == "704656" {
			sou = g
		}
	}
	require.NoError(t, dir.Set(epl, eplTeams))
	recast := func(tm game.Team) game.Team {
		tm.ID = game.TeamID("cl", tm.Abbreviation)
		return tm
	}
	require.NoError(t, dir.Set(cl, []game.Team{recast(sou.HomeTeam), recast(sou.AwayTeam)}))

	o := testOptions(t)
	o.Resolve, o.SameClub = dir.Resolve, dir.SameClub
	s := start(t, o)
	arsRC, bouRC := newReceiver(t, nil), newReceiver(t, nil)
	reg := register(t, s.Service, arsRC.URL(), "Arsenal", "score_change")
	assert.Equal(t, "epl", reg.League)
	register(t, s.Service, bouRC.URL(), "Bournemouth", "score_change")

	live := sou
	live.ID, live.League, live.Status = "9000001", "CL", game.StatusLive
	live.HomeTeam, live.AwayTeam = recast(sou.HomeTeam), recast(sou.AwayTeam)
	live.Score = game.Score{Home: 1, Away: 1}
	s.Observe("cl", []game.Game{live})
	live.Score.Away++
	s.Observe("cl", []game.Game{live})

	got := arsRC.WaitDelivered(t, 1)
	p := got[0].P
	assert.Equal(t, "CL", p.League)
	assert.Equal(t, "ARS", p.Team, "seen from the club")
	assert.Equal(t, 1, p.ScoreChange)
	assert.Equal(t, 2, p.TeamScore)
	waitIdle(t, s.Service)
	assert.Zero(t, bouRC.Count())
}
