package history_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history"
	st "github.com/sports-data/sports-data/internal/store/storetest"
	"github.com/sports-data/sports-data/internal/teams"
)

// A club's schedule holds its games in every competition it is followed
// in, by start; its statistics are its league's, as a table counts them.
func TestAClubsScheduleHoldsEveryCompetition(t *testing.T) {
	s := openSQLite(t)
	day := time.Date(2024, 9, 14, 14, 0, 0, 0, time.UTC)
	league1 := st.NewGame("epl", "701", day, "ARS", "TOT")
	cup := st.NewGame("cl", "801", day.AddDate(0, 0, 3), "ARS", "PSG")
	league2 := st.NewGame("epl", "702", day.AddDate(0, 0, 7), "LIV", "ARS")
	later := st.NewGame("cl", "802", day.AddDate(0, 0, 17), "INT", "ARS")
	write(t, s, finalRow(league1, 2, 0, 2), finalRow(cup, 5, 0, 2), finalRow(league2, 1, 1, 2),
		st.GamePoint(later, day, st.Scheduled, 0, 0))

	epl, cl := leagues(t, "epl")[0], leagues(t, "cl")[0]
	ars := func(l string) game.Team {
		return game.Team{ID: game.TeamID(l, "ARS"), Abbreviation: "ARS", Name: "Arsenal", ESPNID: "359"}
	}
	m := teams.Match{League: epl, Team: ars("epl")}
	club := func(teams.Match) []teams.Match { return []teams.Match{m, {League: cl, Team: ars("cl")}} }
	svc := newService(t, s, history.Options{Leagues: leagues(t, "epl", "cl"), Club: club})
	res, err := svc.Schedule(context.Background(), m, 2024)
	require.NoError(t, err)
	assert.Equal(t, []string{"701", "801", "702", "802"}, ids(res.Games))
	assert.Equal(t, []string{"EPL", "CL", "EPL", "CL"}, []string{res.Games[0].League, res.Games[1].League, res.Games[2].League, res.Games[3].League})
	assert.Equal(t, 2, res.Statistics.GamesPlayed, "the league's games only")
	assert.Equal(t, 4, *res.Statistics.Points)

	alone := newService(t, s, history.Options{Leagues: leagues(t, "epl", "cl")})
	res, err = alone.Schedule(context.Background(), m, 2024)
	require.NoError(t, err)
	assert.Equal(t, []string{"701", "702"}, ids(res.Games))
}
