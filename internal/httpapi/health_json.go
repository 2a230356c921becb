package httpapi

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// appendHealth appends h as json.Marshal writes it, byte for byte (the
// tests compare both), without reflection: /health is what monitors poll
// most, and reflection over its nested sections was most of its cost.
func appendHealth(b []byte, h *health) ([]byte, error) {
	b = append(b, `{"status":`...)
	b = appendJSONString(b, h.Status)
	b = append(b, `,"service":`...)
	b = appendJSONString(b, h.Service)
	b = append(b, `,"timestamp":`...)
	b = appendJSONString(b, h.Timestamp)
	b = append(b, `,"cache_status":`...)
	b = strconv.AppendBool(b, h.CacheStatus)
	b = append(b, `,"api_status":`...)
	b = strconv.AppendBool(b, h.APIStatus)
	b = append(b, `,"influxdb":`...)
	b, err := appendStoreStatus(b, &h.InfluxDB)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"mqtt":`...)
	if b, err = appendMQTTStatus(b, &h.MQTT); err != nil {
		return nil, err
	}
	b = append(b, `,"version":`...)
	b = appendJSONString(b, h.Version)
	b = append(b, `,"store":`...)
	b = appendJSONString(b, h.Store)
	b = append(b, `,"leagues":`...)
	if h.Leagues == nil {
		b = append(b, "null"...)
	} else {
		// encoding/json writes a map's keys sorted.
		var arr [8]string
		keys := arr[:0]
		for k := range h.Leagues {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			l := h.Leagues[k]
			if b, err = appendHealthLeague(b, &l); err != nil {
				return nil, err
			}
		}
		b = append(b, '}')
	}
	b = append(b, `,"uptime_seconds":`...)
	if b, err = appendJSONFloat(b, h.UptimeSeconds); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

func appendHealthLeague(b []byte, l *healthLeague) ([]byte, error) {
	var err error
	b = append(b, `{"ok":`...)
	b = strconv.AppendBool(b, l.OK)
	b = append(b, `,"last_success":`...)
	if b, err = appendJSONTime(b, l.LastSuccess); err != nil {
		return nil, err
	}
	b = append(b, `,"last_attempt":`...)
	if b, err = appendJSONTime(b, l.LastAttempt); err != nil {
		return nil, err
	}
	b = append(b, `,"last_error":`...)
	b = appendJSONString(b, l.LastError)
	b = append(b, `,"consecutive_failures":`...)
	b = strconv.AppendInt(b, int64(l.ConsecutiveFailures), 10)
	b = append(b, `,"stale_seconds":`...)
	if l.StaleSeconds == nil {
		b = append(b, "null"...)
	} else if b, err = appendJSONFloat(b, *l.StaleSeconds); err != nil {
		return nil, err
	}
	b = append(b, `,"games":`...)
	b = strconv.AppendInt(b, int64(l.Games), 10)
	b = append(b, `,"poll_interval_seconds":`...)
	if b, err = appendJSONFloat(b, l.PollIntervalSeconds); err != nil {
		return nil, err
	}
	b = append(b, `,"status":`...)
	b = appendJSONString(b, l.Status)
	b = append(b, `,"reason":`...)
	b = appendJSONString(b, l.Reason)
	b = append(b, `,"last_answer_status":`...)
	b = strconv.AppendInt(b, int64(l.LastAnswerStatus), 10)
	b = append(b, `,"last_answer_events":`...)
	b = strconv.AppendInt(b, int64(l.LastAnswerEvents), 10)
	b = append(b, `,"last_answer_age_seconds":`...)
	if l.LastAnswerAgeSeconds == nil {
		b = append(b, "null"...)
	} else if b, err = appendJSONFloat(b, *l.LastAnswerAgeSeconds); err != nil {
		return nil, err
	}
	b = append(b, `,"truncated_answers":`...)
	b = strconv.AppendInt(b, l.TruncatedAnswers, 10)
	b = append(b, `,"last_truncated_at":`...)
	if b, err = appendJSONTime(b, l.LastTruncatedAt); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

func appendStoreStatus(b []byte, s *StoreStatus) ([]byte, error) {
	var err error
	b = append(b, `{"enabled":`...)
	b = strconv.AppendBool(b, s.Enabled)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, s.Kind)
	if s.Version != "" {
		b = append(b, `,"version":`...)
		b = appendJSONString(b, s.Version)
	}
	b = append(b, `,"connected":`...)
	b = strconv.AppendBool(b, s.Connected)
	b = append(b, `,"circuit_breaker":`...)
	b = appendJSONString(b, s.CircuitBreaker)
	b = append(b, `,"writes_success":`...)
	b = strconv.AppendInt(b, s.WritesSuccess, 10)
	b = append(b, `,"writes_failed":`...)
	b = strconv.AppendInt(b, s.WritesFailed, 10)
	b = append(b, `,"points_written":`...)
	b = strconv.AppendInt(b, s.PointsWritten, 10)
	b = append(b, `,"queued":`...)
	b = strconv.AppendInt(b, int64(s.Queued), 10)
	b = append(b, `,"spooled":`...)
	b = strconv.AppendInt(b, int64(s.Spooled), 10)
	b = append(b, `,"dropped":`...)
	b = strconv.AppendInt(b, s.Dropped, 10)
	b = append(b, `,"last_error":`...)
	b = appendJSONString(b, s.LastError)
	b = append(b, `,"last_write_at":`...)
	if b, err = appendJSONTime(b, s.LastWriteAt); err != nil {
		return nil, err
	}
	b = append(b, `,"storage_bytes":`...)
	b = strconv.AppendInt(b, s.StorageBytes, 10)
	return append(b, '}'), nil
}

func appendMQTTStatus(b []byte, m *MQTTStatus) ([]byte, error) {
	var err error
	b = append(b, `{"enabled":`...)
	b = strconv.AppendBool(b, m.Enabled)
	b = append(b, `,"connected":`...)
	b = strconv.AppendBool(b, m.Connected)
	b = append(b, `,"last_error":`...)
	b = appendJSONString(b, m.LastError)
	b = append(b, `,"last_error_at":`...)
	if b, err = appendJSONTime(b, m.LastErrorAt); err != nil {
		return nil, err
	}
	b = append(b, `,"messages_published":`...)
	b = strconv.AppendInt(b, m.Published, 10)
	b = append(b, `,"publish_errors":`...)
	b = strconv.AppendInt(b, m.PublishErrors, 10)
	b = append(b, `,"events_queued":`...)
	b = strconv.AppendInt(b, int64(m.EventsQueued), 10)
	b = append(b, `,"events_dropped":`...)
	b = strconv.AppendInt(b, m.EventsDropped, 10)
	b = append(b, `,"teams":`...)
	if m.Teams == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range m.Teams {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, t)
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendJSONString writes plain printable ASCII itself and leaves anything
// encoding/json escapes (quotes, controls, <>&, non-ASCII) to it.
func appendJSONString(b []byte, s string) []byte {
	if strings.IndexFunc(s, func(r rune) bool {
		return r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '<' || r == '>' || r == '&'
	}) < 0 {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}

// appendJSONFloat writes f as encoding/json does; it hands the exponent
// forms and non-finite values to it.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if a := math.Abs(f); a == 0 || (a >= 1e-6 && a < 1e21) {
		return strconv.AppendFloat(b, f, 'f', -1, 64), nil
	}
	q, err := json.Marshal(f)
	return append(b, q...), err
}

// appendJSONTime writes a nil time as null and any other the way
// time.Time's MarshalJSON does.
func appendJSONTime(b []byte, t *time.Time) ([]byte, error) {
	if t == nil {
		return append(b, "null"...), nil
	}
	if y := t.Year(); y < 0 || y > 9999 {
		q, err := json.Marshal(t)
		return append(b, q...), err
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}
