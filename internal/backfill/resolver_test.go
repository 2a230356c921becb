package backfill_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/teams"
)

// newResolver is the team directory filled from the real NFL teams capture.
func newResolver(t testing.TB) *teams.Directory {
	t.Helper()
	d := teams.NewDirectory("", []league.League{nfl(t)}, nil)
	require.NoError(t, d.Set(nfl(t), nflTeams(t)))
	return d
}
