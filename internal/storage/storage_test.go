package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/storage"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/testenv"
)

func load(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	return cfg
}

func open(t *testing.T, env map[string]string) *storage.Storage {
	t.Helper()
	cfg := load(t, env)
	s, err := storage.Open(context.Background(), cfg, teams.NewDirectory("", cfg.Leagues, nil), storage.Options{})
	require.NoError(t, err)
	if s != nil {
		t.Cleanup(func() { _ = s.Close(context.Background()) })
	}
	return s
}

func TestStorageOffIsNothing(t *testing.T) {
	assert.Nil(t, open(t, map[string]string{"STORE": "none", "DATA_DIR": t.TempDir()}))
}

func TestSQLiteByDefault(t *testing.T) {
	s := open(t, map[string]string{"DATA_DIR": t.TempDir()})
	require.NotNil(t, s)
	h := s.Health()
	assert.Equal(t, "sqlite", h.Kind)
	assert.NotEmpty(t, h.Version)
	assert.Equal(t, "closed", h.Breaker)
	assert.True(t, h.LastWriteAt.IsZero(), "nothing written yet")
}

// An InfluxDB that has never answered is not "connected", though no write
// has failed yet, and its own error says why.
func TestAServerThatNeverAnsweredIsNotConnected(t *testing.T) {
	s := open(t, map[string]string{"DATA_DIR": t.TempDir(), "INFLUXDB_URL": "http://" + testenv.FreeAddr(t), "INFLUXDB_QUERY_LANGUAGE": "influxql"})
	require.NotNil(t, s)
	h := s.Health()
	assert.Equal(t, "influxdb", h.Kind)
	assert.False(t, h.Connected)
	assert.NotEmpty(t, h.LastError)
	assert.Zero(t, h.WritesFailed)
}
