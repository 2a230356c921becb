// Package metrics exposes the service's Prometheus metrics on /metrics. The
// other packages report through the small hooks they offer (observers and
// callbacks); this package turns those calls into collectors.
package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics owns one registry, so tests can start several services in one
// process.
type Metrics struct {
	reg *prometheus.Registry

	espnCalls    *prometheus.CounterVec
	espnErrors   *prometheus.CounterVec
	espnDuration *prometheus.HistogramVec
	pollLag      *prometheus.GaugeVec
	polls        *prometheus.CounterVec
	truncated    *prometheus.CounterVec
	degraded     *prometheus.GaugeVec
	writes       *prometheus.CounterVec
	deliveries   *prometheus.CounterVec
	attempts     *prometheus.HistogramVec
	httpDuration *prometheus.HistogramVec
	// routeObs holds the observer of each route, method and status, so
	// that a request does not format and hash its labels again.
	routeObs sync.Map // routeKey → prometheus.Observer
}

type routeKey struct {
	route, method string
	status        int
}

// New registers every collector.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.espnCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sports_data_espn_requests_total", Help: "ESPN API calls by league.",
	}, []string{"league"})
	m.espnErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sports_data_espn_errors_total", Help: "ESPN API calls that failed after retries, by league.",
	}, []string{"league"})
	m.espnDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "sports_data_espn_request_duration_seconds", Help: "ESPN API call latency, retries included.",
		Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"league"})
	m.pollLag = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "sports_data_poll_duration_seconds", Help: "How long the last poll of a league took.",
	}, []string{"league"})
	m.polls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sports_data_polls_total", Help: "Polls by league and result (ok, error).",
	}, []string{"league", "result"})
	m.truncated = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sports_data_espn_truncated_answers_total", Help: "ESPN scoreboard answers cut short (a month's is then asked day by day), by league.",
	}, []string{"league"})
	m.degraded = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "sports_data_league_degraded", Help: "1 while a league's ESPN answers cannot be trusted (refused, unreadable, empty on a game day); /health says why.",
	}, []string{"league"})
	m.writes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sports_data_store_writes_total", Help: "Store writes by result (ok, error).",
	}, []string{"result"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sports_data_webhook_deliveries_total", Help: "Webhook deliveries by outcome (success, failed, retry, disabled, expired).",
	}, []string{"outcome"})
	m.attempts = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "sports_data_webhook_attempts", Help: "HTTP attempts per finished webhook delivery.",
		Buckets: []float64{1, 2, 3, 4},
	}, []string{"outcome"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "sports_data_http_request_duration_seconds", Help: "HTTP request duration by route, method and status.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .5, 1, 5},
	}, []string{"route", "method", "code"})
	m.reg.MustRegister(m.espnCalls, m.espnErrors, m.espnDuration, m.pollLag, m.polls, m.truncated, m.degraded,
		m.writes, m.deliveries, m.attempts, m.httpDuration)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// ESPNCall records one logical ESPN call.
func (m *Metrics) ESPNCall(leagueKey string, d time.Duration, err error) {
	m.espnCalls.WithLabelValues(leagueKey).Inc()
	m.espnDuration.WithLabelValues(leagueKey).Observe(d.Seconds())
	if err != nil {
		m.espnErrors.WithLabelValues(leagueKey).Inc()
	}
}

// Poll records one poll of a league.
func (m *Metrics) Poll(leagueKey string, d time.Duration, err error) {
	m.pollLag.WithLabelValues(leagueKey).Set(d.Seconds())
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.polls.WithLabelValues(leagueKey, result).Inc()
}

// Truncated records one ESPN answer that was cut short.
func (m *Metrics) Truncated(leagueKey string) {
	m.truncated.WithLabelValues(leagueKey).Inc()
}

// LeagueDegraded records whether a league's answers cannot be trusted.
func (m *Metrics) LeagueDegraded(leagueKey string, degraded bool) {
	v := 0.0
	if degraded {
		v = 1
	}
	m.degraded.WithLabelValues(leagueKey).Set(v)
}

// StoreWrite records one batch write.
func (m *Metrics) StoreWrite(n int, d time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.writes.WithLabelValues(result).Inc()
}

// Delivery records the outcome of one webhook delivery.
func (m *Metrics) Delivery(outcome string, attempts int) {
	m.deliveries.WithLabelValues(outcome).Inc()
	if outcome != "retry" {
		m.attempts.WithLabelValues(outcome).Observe(float64(attempts))
	}
}

// WriterStats are the writer's gauges, read when /metrics is scraped.
type WriterStats struct {
	Queued, Spooled int
	Dropped         int64
	BreakerState    string // closed, half-open, open
}

// WatchWriter exports the writer's queue, spool, drops and breaker state.
func (m *Metrics) WatchWriter(stats func() WriterStats) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "sports_data_writer_queued_points", Help: "Points waiting in memory for the store.",
		}, func() float64 { return float64(stats().Queued) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "sports_data_writer_spooled_points", Help: "Points in the on-disk spool waiting for the store.",
		}, func() float64 { return float64(stats().Spooled) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "sports_data_writer_dropped_points_total", Help: "Points lost to the spool bound or rejected by the store.",
		}, func() float64 { return float64(stats().Dropped) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "sports_data_writer_breaker_state", Help: "Write circuit breaker: 0 closed, 1 half-open, 2 open.",
		}, func() float64 {
			switch stats().BreakerState {
			case "open":
				return 2
			case "half-open":
				return 1
			}
			return 0
		}),
	)
}

// Request records the duration of one answered request under its route
// pattern (not the raw path, which would let clients create unbounded
// series).
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	k := routeKey{route, method, status}
	o, ok := m.routeObs.Load(k)
	if !ok {
		o, _ = m.routeObs.LoadOrStore(k, m.httpDuration.WithLabelValues(route, method, strconv.Itoa(status)))
	}
	o.(prometheus.Observer).Observe(took.Seconds())
}

// MQTTStats are the MQTT discovery publisher's counters, read when
// /metrics is scraped.
type MQTTStats struct {
	Connected                               bool
	Published, PublishErrors, EventsDropped int64
	EventsQueued                            int
}

// WatchMQTT exports the MQTT publisher's connection and counters.
func (m *Metrics) WatchMQTT(stats func() MQTTStats) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "sports_data_mqtt_connected", Help: "1 while the MQTT broker connection is up.",
		}, func() float64 {
			if stats().Connected {
				return 1
			}
			return 0
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "sports_data_mqtt_messages_published_total", Help: "MQTT messages the broker accepted.",
		}, func() float64 { return float64(stats().Published) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "sports_data_mqtt_publish_errors_total", Help: "MQTT publishes that failed or timed out.",
		}, func() float64 { return float64(stats().PublishErrors) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "sports_data_mqtt_events_dropped_total", Help: "Game events not sent over MQTT because the queue was full.",
		}, func() float64 { return float64(stats().EventsDropped) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "sports_data_mqtt_events_queued", Help: "Game events waiting for the MQTT broker.",
		}, func() float64 { return float64(stats().EventsQueued) }),
	)
}
