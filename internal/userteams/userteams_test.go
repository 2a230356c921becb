package userteams

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSavedTeamsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	assert.False(t, s.HasFavorites())
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"SF", "dal", "sf"}, "nhl": {"nhl-bos"}}))

	again, err := Open(dir)
	require.NoError(t, err)
	got := again.Get(DefaultUser)
	assert.Equal(t, []string{"dal", "sf"}, got["nfl"])
	assert.Equal(t, []string{"nhl-bos"}, got["nhl"])
	assert.True(t, again.IsFavorite("nfl-sf"), "a bare id is a team of its league")
	assert.True(t, again.IsFavorite("nhl-bos"))
	assert.False(t, again.IsFavorite("nhl-sf"))
}

func TestSaveKeepsOtherLeaguesAndUsers(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"ne"}, "nhl": {"bos"}}))
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"kc"}}))
	require.NoError(t, s.Save("kitchen", map[string][]string{"nfl": {"buf"}}))
	assert.Equal(t, map[string][]string{"nfl": {"kc"}, "nhl": {"bos"}}, s.Get(DefaultUser))
	assert.Equal(t, map[string][]string{"nfl": {"buf"}}, s.Get("kitchen"))
	assert.Empty(t, s.Get("nobody"))
}

func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"ne"}}))
	for _, bad := range []string{"ne'; drop", "../../etc", "a b", "nfl-ne-x"} {
		err := s.Save(DefaultUser, map[string][]string{"nfl": {bad}})
		var inv *InvalidError
		require.ErrorAs(t, err, &inv, bad)
	}
	require.Error(t, s.Save("../escape", map[string][]string{"nfl": {"ne"}}))
	assert.Equal(t, []string{"ne"}, s.Get(DefaultUser)["nfl"])
}

func TestCorruptFileIsReported(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "user_teams.json"), []byte("{not json"), 0o644))
	_, err := Open(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "user_teams.json")
}
