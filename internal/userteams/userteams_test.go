package userteams

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// TestSlowWriteHoldsNoReader: while a save waits on a slow disk (an fsync
// of many milliseconds), readers answer from the previous teams; they see
// the new ones once the file holds them.
func TestSlowWriteHoldsNoReader(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"ne"}}))

	entered, release := make(chan struct{}), make(chan struct{})
	disk := s.writeFile
	s.writeFile = func(path string, data []byte) error {
		close(entered)
		<-release // the disk is stuck until the test lets it go
		return disk(path, data)
	}
	saved := make(chan error, 1)
	go func() { saved <- s.Save(DefaultUser, map[string][]string{"nfl": {"kc"}}) }()
	<-entered

	// Every reader answers while the write is stuck. One that waited for
	// the writer would never return: the test fails instead of hanging.
	read := make(chan struct{})
	go func() {
		defer close(read)
		assert.True(t, s.IsFavorite("nfl-ne"), "the previous teams until the file is written")
		assert.False(t, s.IsFavorite("nfl-kc"))
		assert.True(t, s.HasFavorites())
		assert.Equal(t, []string{"ne"}, s.Get(DefaultUser)["nfl"])
		_ = s.Version()
	}()
	select {
	case <-read:
	case <-time.After(30 * time.Second):
		t.Fatal("a reader is waiting for the stuck write")
	}

	close(release)
	require.NoError(t, <-saved)
	assert.True(t, s.IsFavorite("nfl-kc"))
	again, err := Open(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"kc"}, again.Get(DefaultUser)["nfl"])
}

// TestFailedWriteChangesNothing: a save the disk refuses leaves memory as
// the file is.
func TestFailedWriteChangesNothing(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"ne"}}))
	v := s.Version()
	s.writeFile = func(string, []byte) error { return os.ErrPermission }
	require.ErrorIs(t, s.Save(DefaultUser, map[string][]string{"nfl": {"kc"}}), os.ErrPermission)
	assert.Equal(t, []string{"ne"}, s.Get(DefaultUser)["nfl"])
	assert.True(t, s.IsFavorite("nfl-ne"))
	assert.Equal(t, v, s.Version())
}

// TestUsersAndTeamsAreCapped: whoever reaches the port cannot grow the
// file without end; users already saved can still change their teams.
func TestUsersAndTeamsAreCapped(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	for i := 0; i < MaxUsers; i++ {
		require.NoError(t, s.Save(fmt.Sprintf("user%d", i), map[string][]string{"nfl": {"ne"}}))
	}
	var inv *InvalidError
	require.ErrorAs(t, s.Save("one-too-many", map[string][]string{"nfl": {"ne"}}), &inv)
	assert.Contains(t, inv.Msg, "users")
	assert.Empty(t, s.Get("one-too-many"))
	require.NoError(t, s.Save("user7", map[string][]string{"nfl": {"kc"}}), "a known user may still save")

	many := make([]string, 0, MaxTeamsPerUser)
	for i := 0; i < MaxTeamsPerUser; i++ {
		many = append(many, fmt.Sprintf("t%d", i))
	}
	require.NoError(t, s.Save("user1", map[string][]string{"nfl": many}))
	require.ErrorAs(t, s.Save("user1", map[string][]string{"nhl": {"bos"}}), &inv, "the total over leagues counts")
	assert.Contains(t, inv.Msg, "teams per user")
	assert.Len(t, s.Get("user1")["nfl"], MaxTeamsPerUser)
	assert.Empty(t, s.Get("user1")["nhl"])

	again, err := Open(dir)
	require.NoError(t, err)
	assert.Empty(t, again.Get("one-too-many"), "the file holds only what was accepted")
	assert.Equal(t, []string{"kc"}, again.Get("user7")["nfl"])
}
