package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// /health keeps the earlier service's fields, in the same order, with every
// section: leagues by key, the store ("influxdb") and MQTT.
func TestHealthShape(t *testing.T) {
	rec := httptest.NewRecorder()
	fullHealth().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	want := `{"status":"healthy","service":"sports-data","timestamp":"2022-09-11T19:55:00.000000","cache_status":true,"api_status":true,` +
		`"influxdb":{"enabled":true,"kind":"sqlite","version":"3.46.0","connected":true,"circuit_breaker":"closed",` +
		`"writes_success":1200,"writes_failed":0,"points_written":9000,"queued":0,"spooled":0,"dropped":0,"last_error":"",` +
		`"last_write_at":"2022-09-11T19:55:00Z","storage_bytes":1048576},` +
		`"mqtt":{"enabled":true,"connected":true,"last_error":"","last_error_at":null,"messages_published":420,"publish_errors":0,` +
		`"events_queued":0,"events_dropped":0,"teams":["nfl-hou","nhl-bos"]},` +
		`"webhooks":{"registered":0,"pending":0,"failing":0,"disabled":0},` +
		`"version":"2.0.0","store":"sqlite","leagues":{` +
		`"nfl":{"ok":true,"last_success":"2022-09-11T19:55:00Z","last_attempt":"2022-09-11T19:55:00Z","last_error":"",` +
		`"consecutive_failures":0,"stale_seconds":12.3,"games":16,"poll_interval_seconds":30,"status":"ok","reason":"",` +
		`"last_answer_status":200,"last_answer_events":16,"last_answer_age_seconds":12.3,"truncated_answers":2,` +
		`"last_truncated_at":"2022-09-11T19:55:00Z"},` +
		`"nhl":{"ok":true,"last_success":"2022-09-11T19:54:00Z","last_attempt":"2022-09-11T19:55:00Z","last_error":"",` +
		`"consecutive_failures":0,"stale_seconds":72.5,"games":9,"poll_interval_seconds":300,"status":"ok","reason":"",` +
		`"last_answer_status":0,"last_answer_events":0,"last_answer_age_seconds":null,"truncated_answers":0,` +
		`"last_truncated_at":null}},` +
		`"uptime_seconds":0}`
	require.Equal(t, want, rec.Body.String())
}
