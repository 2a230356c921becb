package history_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
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
