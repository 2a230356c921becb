package userteams

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSavedListsEveryUsersTeamsOnce(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	assert.Empty(t, s.Saved())
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"KC", "sf"}, "nhl": {"nhl-bos"}}))
	require.NoError(t, s.Save("kitchen", map[string][]string{"nfl": {"kc", "buf"}}))
	assert.Equal(t, []string{"nfl-buf", "nfl-kc", "nfl-sf", "nhl-bos"}, s.Saved())
}
