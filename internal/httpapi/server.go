// Package httpapi is the HTTP surface of the service: routes.go lists every
// route; handlers decode and validate, call one service method and encode;
// errors.go maps every error to a status code in one place.
package httpapi

import (
	"log"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/hadiscovery"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/poller"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/storage"
	"github.com/sports-data/sports-data/internal/teams"
)

// TeamDirectory lists and resolves teams.
type TeamDirectory interface {
	Teams(leagueKey string) []game.Team
	Resolve(input, leagueKey string) (teams.Match, error)
}

// Favorites are the saved team selections.
type Favorites interface {
	Get(userID string) map[string][]string
	Save(userID string, teams map[string][]string) error
	IsFavorite(teamID string) bool
	HasFavorites() bool
	// Version changes whenever the favourites may have changed.
	Version() uint64
}

// PollStatus reports how polling goes.
type PollStatus interface {
	Status() []poller.LeagueStatus
}

// UsageCounter counts ESPN calls.
type UsageCounter interface {
	Usage() espn.Usage
}

// StoreHealth describes the store and its writer for /health; nil when the
// store is off.
type StoreHealth interface {
	Health() storage.Health
}

// StoreStatus is the "influxdb" section of /health, whatever the store kind.
type StoreStatus struct {
	Enabled        bool       `json:"enabled"`
	Kind           string     `json:"kind"`
	Version        string     `json:"version,omitempty"`
	Connected      bool       `json:"connected"`
	CircuitBreaker string     `json:"circuit_breaker"`
	WritesSuccess  int64      `json:"writes_success"`
	WritesFailed   int64      `json:"writes_failed"`
	PointsWritten  int64      `json:"points_written"`
	Queued         int        `json:"queued"`
	Spooled        int        `json:"spooled"`
	Dropped        int64      `json:"dropped"`
	LastError      string     `json:"last_error"`
	LastWriteAt    *time.Time `json:"last_write_at"`
	StorageBytes   int64      `json:"storage_bytes"`
}

// MQTTHealth describes the MQTT discovery publisher for /health; nil when
// MQTT is off.
type MQTTHealth interface {
	Status() hadiscovery.Status
}

// MQTTStatus is the "mqtt" section of /health.
type MQTTStatus struct {
	Enabled       bool       `json:"enabled"`
	Connected     bool       `json:"connected"`
	LastError     string     `json:"last_error"`
	LastErrorAt   *time.Time `json:"last_error_at"`
	Published     int64      `json:"messages_published"`
	PublishErrors int64      `json:"publish_errors"`
	EventsQueued  int        `json:"events_queued"`
	EventsDropped int64      `json:"events_dropped"`
	Teams         []string   `json:"teams"`
}

// Options are the settings the routes read.
type Options struct {
	Leagues              []league.League // the followed leagues
	StoreKind            string          // shown by /health
	APIKey               string          // "" leaves the mutating routes open
	CORSOrigins          []string        // origins browsers may call from; "*" for any
	HistoryRatePerMinute int             // per client, on the history routes
	PollIdleInterval     time.Duration   // for the estimated ESPN calls of a day
	TrustedProxies       []netip.Prefix  // peers whose forwarded addresses count
	StreamHeartbeat      time.Duration   // a comment on quiet live streams [15 s]
	// AllowedHosts are the host names requests may be addressed to
	// besides IP addresses and localhost (config.Config.AllowedHosts).
	AllowedHosts       []string
	WriteRatePerMinute int // per client, on every request that changes something; 0: no limit
}

// Deps are everything the handlers call. Optional parts may be nil: the
// routes that need them answer 503.
type Deps struct {
	Options   Options
	Version   string
	Logger    *slog.Logger
	State     *state.State
	Teams     TeamDirectory
	Favorites Favorites
	Polling   PollStatus
	Usage     UsageCounter
	Store     StoreHealth
	MQTT      MQTTHealth
	HA        HAService
	Sensors   SensorService
	History   HistoryService
	Webhooks  WebhookService
	// Standings answers league tables; Forms (nil while storage is off)
	// adds each team's form; Calendar (nil while storage is off) makes the
	// season feeds.
	Standings StandingsService
	Forms     FormSource
	Calendar  CalendarService
	Feed      GameFeed
	UI        Pages
	Now       func() time.Time
	// Observe, when set, is told of every answered request under its
	// route pattern as written in routes.go.
	Observe func(route, method string, status int, took time.Duration)
	// Extra routes mounted as they are (/metrics, /docs, /openapi.json).
	Extra map[string]http.Handler
}

// Pages serve the web page (package ui): Page any of its views, Asset
// the files it loads.
type Pages interface {
	Page(w http.ResponseWriter, r *http.Request)
	Asset(w http.ResponseWriter, r *http.Request)
}

// Server holds the dependencies of the handlers.
type Server struct {
	d       Deps
	started time.Time
	cache   *counters
	// Encoded answers kept per route (answers.go).
	live, status, sensor, history *answerCache
}

// NewHTTPServer is the server of handler h: bounded headers and timeouts,
// so that a slow or hostile client cannot hold a connection or memory.
func NewHTTPServer(h http.Handler, errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          errorLog,
	}
}

// New builds the HTTP handler of the whole service.
func New(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Server{d: d, started: d.Now(), cache: &counters{}, live: &answerCache{},
		status: &answerCache{}, sensor: &answerCache{}, history: &answerCache{}}
	return s.routes()
}

// Patterns are the route patterns h answers GET on, as routes.go writes
// them; h is a handler New returned.
func Patterns(h http.Handler) []string {
	var out []string
	if rt, ok := h.(chi.Routes); ok {
		_ = chi.Walk(rt, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
			if method == http.MethodGet {
				out = append(out, route)
			}
			return nil
		})
	}
	slices.Sort(out)
	return out
}
