package main

import (
	"fmt"
	"testing"

	"github.com/sports-data/sports-data/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An InfluxDB that has never answered is not connected, from the first
// /health on, and the reason is shown; nothing has been written, so
// without the store's own word /health would call it connected.
func TestHealthInfluxDBThatNeverAnsweredIsNotConnected(t *testing.T) {
	t.Parallel()
	espn := newESPN(t)
	influxURL := fmt.Sprintf("http://127.0.0.1:%d", testenv.FreePort(t)) // nobody listens there
	s := startService(t, espn.URL, map[string]string{"INFLUXDB_URL": influxURL})

	var h struct {
		Status   string `json:"status"`
		InfluxDB struct {
			Enabled       bool   `json:"enabled"`
			Kind          string `json:"kind"`
			Connected     bool   `json:"connected"`
			LastError     string `json:"last_error"`
			WritesFailed  int64  `json:"writes_failed"`
			WritesSuccess int64  `json:"writes_success"`
		} `json:"influxdb"`
	}
	require.Equal(t, 200, s.get("/health", &h))
	assert.True(t, h.InfluxDB.Enabled)
	assert.Equal(t, "influxdb", h.InfluxDB.Kind)
	assert.False(t, h.InfluxDB.Connected, "never answered, so not connected")
	assert.Contains(t, h.InfluxDB.LastError, "127.0.0.1", "the error names what could not be reached")
	assert.Equal(t, "degraded", h.Status)
	assert.Zero(t, h.InfluxDB.WritesSuccess)
}
