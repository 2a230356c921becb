package httpapi

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// sampleHealth fills every field of /health from the given values.
func sampleHealth(s string, f float64, at time.Time) health {
	stale := f
	return health{
		Status: "degraded", Service: "sports-data", Timestamp: s, CacheStatus: true, APIStatus: false,
		InfluxDB: StoreStatus{Enabled: true, Kind: "sqlite", Version: s, Connected: true, CircuitBreaker: "half-open",
			WritesSuccess: -3, WritesFailed: 7, PointsWritten: math.MaxInt64, Queued: 2, Spooled: 9, Dropped: 1,
			LastError: s, LastWriteAt: &at, StorageBytes: 123456},
		MQTT: MQTTStatus{Enabled: true, LastError: s, LastErrorAt: &at, Published: 5, PublishErrors: 1,
			EventsQueued: 3, EventsDropped: 4, Teams: []string{s, "nfl-hou"}},
		Version: s, Store: "sqlite",
		Leagues: map[string]healthLeague{
			"nhl": {OK: true, LastSuccess: &at, LastAttempt: &at, LastError: s, ConsecutiveFailures: 2, StaleSeconds: &stale, Games: 9, PollIntervalSeconds: f,
				Status: "degraded", Reason: s, LastAnswerStatus: 403, LastAnswerEvents: -1, LastAnswerAgeSeconds: &stale,
				TruncatedAnswers: math.MaxInt64, LastTruncatedAt: &at},
			s:     {},
			"nfl": {LastAttempt: &at, PollIntervalSeconds: 30},
		},
		UptimeSeconds: f,
	}
}

func requireSameAsMarshal(t *testing.T, h health) {
	t.Helper()
	want, werr := json.Marshal(h)
	got, gerr := appendHealth(nil, &h)
	if werr != nil {
		require.Error(t, gerr, "json.Marshal failed with %v", werr)
		return
	}
	require.NoError(t, gerr)
	require.Equal(t, string(want), string(got))
}

func TestHealthJSONMatchesMarshal(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	for _, c := range []struct {
		s  string
		f  float64
		at time.Time
	}{
		{"", 0, time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)},
		{"plain text 1.2", 12.3, time.Date(2026, 12, 4, 12, 0, 0, 123456789, time.UTC)},
		{`quote " and \ slash`, -0.5, time.Date(2022, 9, 11, 19, 55, 1, 500, paris)},
		{"<b>&amp;</b>", 1e-7, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"line\nbreak\ttab\x01", 1e21, time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{"Montréal \u2028 \u2029 ✓", 123456789.125, time.Date(2026, 3, 8, 2, 30, 0, 0, time.Local)},
		{"bad utf8 \xff\xfe", 3e-6, time.Date(2026, 1, 1, 0, 0, 0, 1, time.UTC)},
	} {
		requireSameAsMarshal(t, sampleHealth(c.s, c.f, c.at))
	}
}

func TestHealthJSONEmptyAndNilSections(t *testing.T) {
	requireSameAsMarshal(t, health{})
	requireSameAsMarshal(t, health{Leagues: map[string]healthLeague{}, MQTT: MQTTStatus{Teams: []string{}}})
}

func TestHealthJSONRefusesWhatMarshalRefuses(t *testing.T) {
	h := sampleHealth("x", math.NaN(), time.Now())
	_, err := appendHealth(nil, &h)
	require.Error(t, err)
	h = sampleHealth("x", 1, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	_, err = appendHealth(nil, &h)
	require.Error(t, err)
}

func FuzzHealthJSON(f *testing.F) {
	f.Add("nfl", 12.5, int64(1670000000), int64(0))
	f.Add("<&>\"\\\n\u2028é\xff", -1e-9, int64(-62135596800), int64(999999999))
	f.Add("", 1e300, int64(253402300799), int64(1))
	f.Fuzz(func(t *testing.T, s string, x float64, sec, nsec int64) {
		requireSameAsMarshal(t, sampleHealth(s, x, time.Unix(sec, nsec).UTC()))
	})
}
