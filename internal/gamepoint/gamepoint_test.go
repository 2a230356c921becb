package gamepoint_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/gamepoint"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// stored is what a game keeps through the store: the fields both series
// carry, and for a games row the start, ESPN ids and venue.
type stored struct {
	ID, Status, StatusDetail, TimeRemaining  string
	Home, Away, HomeName, AwayName, HomeESPN string
	AwayESPN, Venue, HomeTeamID, AwayTeamID  string
	HomeScore, AwayScore, Period, Season     int
	SeasonType, Week                         int
	Start                                    time.Time
}

func keep(g game.Game, row bool) stored {
	s := stored{ID: g.ID, Status: string(g.Status), StatusDetail: g.StatusDetail, TimeRemaining: g.Period.TimeRemaining,
		Home: g.HomeTeam.Abbreviation, Away: g.AwayTeam.Abbreviation,
		HomeTeamID: g.HomeTeam.ID, AwayTeamID: g.AwayTeam.ID,
		HomeScore: g.Score.Home, AwayScore: g.Score.Away, Period: g.Period.Current,
		Season: g.Season, SeasonType: g.SeasonType, Week: g.Week}
	if row {
		s.HomeName, s.AwayName = g.HomeTeam.Name, g.AwayTeam.Name
		s.HomeESPN, s.AwayESPN, s.Venue = g.HomeTeam.ESPNID, g.AwayTeam.ESPNID, g.Venue
		s.Start = g.Start.UTC()
	}
	return s
}

// A live scoreboard, stored as rows and score points in every store kind
// that runs here and read back through Game, is the games it was.
func TestGamesSurviveTheStore(t *testing.T) {
	nfl, ok := league.Lookup("nfl")
	require.True(t, ok)
	games, err := espn.ParseScoreboard(espntest.Load(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json"), nfl)
	require.NoError(t, err)
	require.Len(t, games, 16)
	observed := time.Date(2022, 9, 11, 19, 30, 0, 0, time.UTC)

	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			s := k.Open(t)
			ctx := context.Background()
			var pts []store.Point
			for i := range games {
				pts = append(pts, gamepoint.Row("NFL", &games[i], observed), gamepoint.Score("nfl", &games[i], observed))
			}
			require.NoError(t, s.Write(ctx, pts))

			rows, err := s.Games(ctx, store.GameQuery{League: "nfl"})
			require.NoError(t, err)
			require.Len(t, rows, len(games))
			byID := map[string]store.Point{}
			for _, r := range rows {
				byID[r.GameID] = r
			}
			statuses := map[game.Status]int{}
			for _, want := range games {
				got, ok := gamepoint.Game("nfl", byID[want.ID])
				require.True(t, ok, want.ID)
				assert.Equal(t, keep(want, true), keep(got, true), "games row of %s", want.ID)
				assert.Equal(t, "NFL", got.League)
				assert.Equal(t, nfl.Periods, got.Period.Total)
				assert.Equal(t, want.Start.UTC().Format("2006-01-02T15:04Z"), got.StartTime)

				tl, err := s.Timeline(ctx, "nfl", want.ID)
				require.NoError(t, err)
				require.Len(t, tl, 1)
				got, ok = gamepoint.Game("nfl", tl[0])
				require.True(t, ok)
				assert.Equal(t, keep(want, false), keep(got, false), "score point of %s", want.ID)
				assert.True(t, got.Start.IsZero(), "a score point's time is its observation, not the start")
				statuses[want.Status]++
			}
			assert.Len(t, statuses, 3, "the capture mixes scheduled, live and final games: %v", statuses)
		})
	}
}

func TestUnknownStatusIsKeptButFlagged(t *testing.T) {
	p := store.Point{Series: store.SeriesScores, League: "nfl", GameID: "1", Status: "delayed"}
	g, ok := gamepoint.Game("nfl", p)
	assert.False(t, ok)
	assert.Equal(t, game.Status("delayed"), g.Status)

	st, ok := gamepoint.Status("finished")
	assert.True(t, ok)
	assert.Equal(t, game.StatusFinal, st)
	assert.True(t, gamepoint.Live(store.Point{Status: "live"}))
	assert.False(t, gamepoint.Live(store.Point{Status: "finished"}))
}
