package backfill_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/backfill"
	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/teams"
)

const clbCapture = "mls/team-clb-schedule-2026-final.json"

// Columbus Crew's real 2026 MLS schedule (five finals), backfilled, gives
// the table the capture itself states: recordSummary "0-2-3" (W-D-L), so
// two points, and the goals of its games.
func TestBackfillSoccerSeasonMatchesTheCapture(t *testing.T) {
	mls, ok := league.Lookup("mls")
	require.True(t, ok)
	games, err := espn.ParseSchedule(espntest.Load(t, clbCapture), mls)
	require.NoError(t, err)
	// The teams the capture names are what the directory knows.
	var ts []game.Team
	for _, g := range games {
		ts = append(ts, g.HomeTeam, g.AwayTeam)
	}
	dir := teams.NewDirectory("", []league.League{mls}, nil)
	require.NoError(t, dir.Set(mls, ts))

	capture := historytest.ReadSchedule(t, clbCapture)
	want := historytest.RecordOf("CLB", capture)
	require.Equal(t, historytest.Record{Finals: 5, Wins: 0, Ties: 2, Losses: 3, PointsFor: 5, PointsAgainst: 8}, want)

	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			srv := espntest.NewServer(t)
			srv.ServeFixture(t, "/soccer/usa.1/teams/183/schedule", clbCapture)
			s := k.Open(t)
			ctx := context.Background()
			res, err := backfill.Run(ctx, newClient(srv), dir.Teams, dir, s, backfill.Options{
				League: mls, Season: 2026, Team: "CLB", RetentionDays: 730,
				Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
			})
			require.NoError(t, err)
			assert.Equal(t, 5, res.Games)

			svc := history.New(s, dir, history.Options{Leagues: []league.League{mls}})
			clb, err := dir.Resolve("CLB", "mls")
			require.NoError(t, err)
			sched, err := svc.Schedule(ctx, clb, 2026)
			require.NoError(t, err)
			require.Len(t, sched.Games, 5)
			st := sched.Statistics
			assert.Equal(t, "0-2-3", fmt.Sprintf("%d-%d-%d", st.Wins, st.Ties, st.Losses), "the capture's recordSummary, W-D-L")
			assert.Equal(t, want.Finals, st.GamesPlayed)
			assert.Equal(t, want.PointsFor, st.PointsFor)
			assert.Equal(t, want.PointsAgainst, st.PointsAgainst)
			require.NotNil(t, st.Points)
			assert.Equal(t, 2, *st.Points)
			require.NotNil(t, st.GoalDifference)
			assert.Equal(t, 5-8, *st.GoalDifference)
			assert.Equal(t, "0-1-1", st.HomeRecord, "home: 0-1 NSH, 0-0 CHI")
			assert.Equal(t, "0-1-2", st.AwayRecord)
			assert.Equal(t, "L2", st.Streak)
		})
	}
}
