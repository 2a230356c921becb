package ha

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
)

// A club followed in the Premier League is shown in the Champions League
// too: its live Champions League game is the game-status answer, from its
// own side, and its next games hold both competitions. Derived from the
// captured last matchday: Southampton–Arsenal replayed live as a
// Champions League game, and two coming games (one in each).
func TestGameStatusFollowsAClubInEveryCompetition(t *testing.T) {
	epl, _ := league.Lookup("epl")
	cl, _ := league.Lookup("cl")
	games, err := espn.ParseScoreboard(espntest.Load(t, "epl/scoreboard-2025-05-25-final-details.json"), epl)
	require.NoError(t, err)
	dir := teams.NewDirectory("", []league.League{epl, cl}, nil)
	var eplTeams, clTeams []game.Team
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
	clTeams = append(clTeams, recast(sou.HomeTeam), recast(sou.AwayTeam))
	require.NoError(t, dir.Set(cl, clTeams))

	now := time.Date(2025, 5, 25, 16, 0, 0, 0, time.UTC)
	live := sou
	live.ID, live.League, live.Status = "9000001", "CL", game.StatusLive
	live.HomeTeam, live.AwayTeam = recast(sou.HomeTeam), recast(sou.AwayTeam)
	live.Score = game.Score{Home: 1, Away: 2}
	next := func(id string, l league.League, days int, home, away game.Team) game.Game {
		return game.Game{ID: id, League: l.Name, Status: game.StatusScheduled, Start: now.AddDate(0, 0, days),
			TimeValid: true, HomeTeam: home, AwayTeam: away}
	}
	ars := sou.AwayTeam
	scheduled := map[string][]game.Game{
		"epl": {next("9000002", epl, 6, ars, sou.HomeTeam)},
		"cl":  {next("9000003", cl, 10, recast(sou.HomeTeam), recast(ars))},
	}
	st := state.New("epl", "cl")
	st.Replace("epl", games, now)
	st.Replace("cl", []game.Game{live}, now)
	svc := New(st, Options{Now: func() time.Time { return now }, Club: dir.Club,
		Scheduled: func(k string) []game.Game { return scheduled[k] }})

	m, err := dir.Resolve("Arsenal", "")
	require.NoError(t, err)
	require.Equal(t, "epl-ars", m.Team.ID)
	s := svc.GameStatus(m)
	assert.Equal(t, "live", s.Status)
	assert.Equal(t, "9000001", *s.GameID)
	assert.Equal(t, "CL", *s.GameLeague)
	assert.Equal(t, "away", *s.HomeAway)
	assert.Equal(t, "SOU", *s.Opponent)
	assert.Equal(t, [2]int{2, 1}, [2]int{*s.TeamScore, *s.OpponentScore})
	assert.Equal(t, "EPL", s.League, "the league the club is followed in")
	require.Len(t, s.NextGames, 2)
	assert.Equal(t, [2]string{"EPL", "home"}, [2]string{s.NextGames[0].League, s.NextGames[0].HomeAway})
	assert.Equal(t, [2]string{"CL", "away"}, [2]string{s.NextGames[1].League, s.NextGames[1].HomeAway})

	// Without the club rule only the Premier League counts.
	alone := New(st, Options{Now: func() time.Time { return now }, Scheduled: func(k string) []game.Game { return scheduled[k] }})
	s = alone.GameStatus(m)
	assert.Equal(t, "final", s.Status, "its league game of that day")
	assert.Equal(t, "EPL", *s.GameLeague)
	assert.Len(t, s.NextGames, 1)
}
