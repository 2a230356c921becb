package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteReplacesAndLeavesNoTemp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.json")
	require.NoError(t, Write(path, []byte(`{"a":1}`), 0o600))
	require.NoError(t, Write(path, []byte(`{"a":2}`), 0o600))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, `{"a":2}`, string(b))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	left, err := filepath.Glob(TempPattern(path))
	require.NoError(t, err)
	assert.Empty(t, left)
}

func TestFailedWriteKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	require.NoError(t, Write(path, []byte("old"), 0o644))
	// A folder in the way of the rename makes the write fail after the
	// temporary file was written.
	blocked := filepath.Join(dir, "blocked")
	require.NoError(t, os.MkdirAll(filepath.Join(blocked, "x"), 0o755))
	require.Error(t, Write(blocked, []byte("new"), 0o644))
	left, err := filepath.Glob(TempPattern(blocked))
	require.NoError(t, err)
	assert.Empty(t, left, "the temporary file is removed")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(b))
}

// Temporary files a crash left anywhere under the folder are removed;
// files of writes in progress (newer than the process), real files and
// look-alikes stay.
func TestRemoveLeftovers(t *testing.T) {
	dir := t.TempDir()
	before := processStart.Add(-time.Hour)
	leftovers := []string{
		filepath.Join(dir, ".webhooks.json.tmp-123"),
		filepath.Join(dir, ".user_teams.json.tmp-9"),
		filepath.Join(dir, "teams", ".nfl.json.tmp-77"),
	}
	kept := []string{
		filepath.Join(dir, ".inflight.json.tmp-1"), // written by this process
		filepath.Join(dir, "webhooks.json"),
		filepath.Join(dir, "teams", "nfl.json"),
		filepath.Join(dir, "notes.tmp-1"),
	}
	for i, p := range append(append([]string{}, leftovers...), kept...) {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o600))
		if i < len(leftovers) || i > len(leftovers) {
			require.NoError(t, os.Chtimes(p, before, before))
		}
	}
	removed := RemoveLeftovers(dir)
	assert.ElementsMatch(t, leftovers, removed)
	for _, p := range leftovers {
		assert.NoFileExists(t, p)
	}
	for _, p := range kept {
		assert.FileExists(t, p)
	}
	assert.Empty(t, RemoveLeftovers(filepath.Join(dir, "missing")))
}
