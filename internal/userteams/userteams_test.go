package userteams

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/logbuf"
)

func TestSavedTeamsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	assert.False(t, s.HasFavorites())
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"SF", "dal", "sf"}, "nhl": {"nhl-bos"}}))
	stop(s)

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

// TestSlowWriteHoldsNoReader: while the file's write waits on a slow disk
// (an fsync of many milliseconds), readers and saves go on; the file ends
// up with the latest teams.
func TestSlowWriteHoldsNoReader(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Quiet: time.Millisecond})
	require.NoError(t, err)
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	disk := s.writeFile
	s.writeFile = func(path string, data []byte) error {
		once.Do(func() { close(entered) })
		<-release // the disk is stuck until the test lets it go
		return disk(path, data)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"ne"}}))
	<-entered

	// Every reader and saver answers while the write is stuck. One that
	// waited for the writer would never return: the test fails instead
	// of hanging.
	read := make(chan struct{})
	go func() {
		defer close(read)
		assert.True(t, s.IsFavorite("nfl-ne"))
		require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"kc"}}))
		assert.True(t, s.IsFavorite("nfl-kc"), "a save is seen at once")
		assert.False(t, s.IsFavorite("nfl-ne"))
		assert.Equal(t, []string{"kc"}, s.Get(DefaultUser)["nfl"])
		_ = s.Version()
	}()
	select {
	case <-read:
	case <-time.After(30 * time.Second):
		t.Fatal("a reader or a save is waiting for the stuck write")
	}

	close(release)
	cancel()
	<-done
	again, err := Open(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"kc"}, again.Get(DefaultUser)["nfl"], "the latest save is in the file")
}

// TestFailedWriteIsRetriedAndLogsOnce: while the disk refuses the file,
// the teams stay saved in memory (and served), the log has one line when
// it begins and one when the file is written again, and nothing is lost.
func TestFailedWriteIsRetriedAndLogsOnce(t *testing.T) {
	dir := t.TempDir()
	var logs logbuf.Buffer
	s, err := Open(dir, Options{Quiet: time.Millisecond, MaxWait: time.Millisecond, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, err)
	disk := s.writeFile
	var mu sync.Mutex
	full, attempts := true, 0
	s.writeFile = func(path string, data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		attempts++
		if full {
			return fmt.Errorf("write %s: %w", path, syscall.ENOSPC)
		}
		return disk(path, data)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	defer func() { cancel(); <-done }()

	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"ne"}}), "the disk is not the caller's problem")
	assert.True(t, s.IsFavorite("nfl-ne"))
	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return attempts >= 5 }, 10*time.Second, time.Millisecond, "retried")
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"kc"}}))
	mu.Lock()
	full = false
	mu.Unlock()
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), `msg="writing the saved teams works again"`) }, 10*time.Second, time.Millisecond)
	assert.Equal(t, 1, strings.Count(logs.String(), "level=ERROR"), logs.String())
	assert.Contains(t, logs.String(), "no space left on device")
	again, err := Open(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"kc"}, again.Get(DefaultUser)["nfl"])
}

// TestBurstOfSavesIsOneWrite: a hundred saves in a row are one write of
// the file, with the last teams; the shutdown writes what is pending.
func TestBurstOfSavesIsOneWrite(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Quiet: time.Hour, MaxWait: time.Hour})
	require.NoError(t, err)
	disk := s.writeFile
	var writes atomic.Int32
	s.writeFile = func(path string, data []byte) error {
		writes.Add(1)
		return disk(path, data)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	for i := range 100 {
		teams := []string{}
		if i%2 == 0 {
			teams = []string{"ne", "kc", fmt.Sprintf("t%d", i)}
		}
		require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": teams}))
	}
	assert.Zero(t, writes.Load(), "nothing written while the saves go on")
	cancel()
	<-done
	assert.Equal(t, int32(1), writes.Load(), "one write at the stop")
	again, err := Open(dir)
	require.NoError(t, err)
	assert.Empty(t, again.Get(DefaultUser)["nfl"], "the last save won")
	assert.Contains(t, again.Get(DefaultUser), "nfl")

	// Without a stop, a pause in the saves is enough.
	s, err = Open(dir, Options{Quiet: time.Millisecond})
	require.NoError(t, err)
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	require.NoError(t, s.Save(DefaultUser, map[string][]string{"nfl": {"buf"}}))
	require.Eventually(t, func() bool {
		again, err := Open(dir)
		return err == nil && len(again.Get(DefaultUser)["nfl"]) == 1 && again.Get(DefaultUser)["nfl"][0] == "buf"
	}, 10*time.Second, time.Millisecond)
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
	stop(s)

	again, err := Open(dir)
	require.NoError(t, err)
	assert.Empty(t, again.Get("one-too-many"), "the file holds only what was accepted")
	assert.Equal(t, []string{"kc"}, again.Get("user7")["nfl"])
}

// stop runs the store's writer as the service stops it: what is pending
// is written.
func stop(s *Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.Run(ctx)
}
