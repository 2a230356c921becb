package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	b, err := io.ReadAll(rec.Body)
	require.NoError(t, err)
	return string(b)
}

func TestEachMetricMovesWithItsEvent(t *testing.T) {
	m := New()
	stats := WriterStats{}
	m.WatchWriter(func() WriterStats { return stats })

	before := scrape(t, m)
	assert.NotContains(t, before, `sports_data_espn_requests_total{league="nfl"}`)

	m.ESPNCall("nfl", 20*time.Millisecond, nil)
	m.ESPNCall("nfl", 30*time.Millisecond, errors.New("500"))
	m.Poll("nhl", 2*time.Second, errors.New("timeout"))
	m.Truncated("ncaam")
	m.Truncated("ncaam")
	m.LeagueDegraded("nfl", true)
	m.LeagueDegraded("nhl", true)
	m.LeagueDegraded("nhl", false)
	m.StoreWrite(100, time.Millisecond, nil)
	m.StoreWrite(100, time.Millisecond, errors.New("down"))
	m.Delivery("retry", 1)
	m.Delivery("success", 2)
	m.Delivery("disabled", 1)
	stats = WriterStats{Queued: 7, Spooled: 42, Dropped: 3, BreakerState: "open"}
	m.Request("/api/v1/games/live", http.MethodGet, http.StatusTeapot, 3*time.Millisecond)

	after := scrape(t, m)
	for _, want := range []string{
		`sports_data_espn_requests_total{league="nfl"} 2`,
		`sports_data_espn_errors_total{league="nfl"} 1`,
		`sports_data_espn_request_duration_seconds_count{league="nfl"} 2`,
		`sports_data_poll_duration_seconds{league="nhl"} 2`,
		`sports_data_polls_total{league="nhl",result="error"} 1`,
		`sports_data_espn_truncated_answers_total{league="ncaam"} 2`,
		`sports_data_league_degraded{league="nfl"} 1`,
		`sports_data_league_degraded{league="nhl"} 0`,
		`sports_data_store_writes_total{result="ok"} 1`,
		`sports_data_store_writes_total{result="error"} 1`,
		`sports_data_webhook_deliveries_total{outcome="retry"} 1`,
		`sports_data_webhook_deliveries_total{outcome="success"} 1`,
		`sports_data_webhook_deliveries_total{outcome="disabled"} 1`,
		`sports_data_webhook_attempts_count{outcome="success"} 1`,
		`sports_data_writer_queued_points 7`,
		`sports_data_writer_spooled_points 42`,
		`sports_data_writer_dropped_points_total 3`,
		`sports_data_writer_breaker_state 2`,
		`sports_data_http_request_duration_seconds_count{code="418",method="GET",route="/api/v1/games/live"} 1`,
	} {
		assert.True(t, strings.Contains(after, want), "missing %s", want)
	}
}

func TestMQTTMetricsFollowThePublisher(t *testing.T) {
	m := New()
	stats := MQTTStats{}
	m.WatchMQTT(func() MQTTStats { return stats })
	before := scrape(t, m)
	assert.Contains(t, before, "sports_data_mqtt_connected 0")
	assert.Contains(t, before, "sports_data_mqtt_messages_published_total 0")

	stats = MQTTStats{Connected: true, Published: 12, PublishErrors: 2, EventsDropped: 5, EventsQueued: 3}
	after := scrape(t, m)
	for _, want := range []string{
		"sports_data_mqtt_connected 1",
		"sports_data_mqtt_messages_published_total 12",
		"sports_data_mqtt_publish_errors_total 2",
		"sports_data_mqtt_events_dropped_total 5",
		"sports_data_mqtt_events_queued 3",
	} {
		assert.Contains(t, after, want)
	}
}
