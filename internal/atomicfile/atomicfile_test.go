package atomicfile

import (
	"os"
	"path/filepath"
	"testing"

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
