package history_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/teams"
)

// newResolver is the team directory filled from the real NFL and NHL
// teams captures.
func newResolver(t testing.TB) *teams.Directory {
	t.Helper()
	ls := leagues(t, "nfl", "nhl")
	d := teams.NewDirectory("", ls, nil)
	for _, l := range ls {
		list, err := espn.ParseTeams(espntest.Load(t, l.Key+"/teams.json"), l)
		require.NoError(t, err)
		require.NoError(t, d.Set(l, list))
	}
	return d
}

// schedule resolves the team as the HTTP edge does, then asks for the
// team's schedule.
func schedule(ctx context.Context, t testing.TB, svc *history.Service, team, leagueKey string, season int) (*history.ScheduleResult, error) {
	t.Helper()
	m, err := newResolver(t).Resolve(team, leagueKey)
	if err != nil {
		return nil, err
	}
	return svc.Schedule(ctx, m, season)
}
