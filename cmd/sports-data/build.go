package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/sports-data/sports-data/internal/apidocs"
	"github.com/sports-data/sports-data/internal/baseline"
	"github.com/sports-data/sports-data/internal/calendar"
	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/gamefeed"
	"github.com/sports-data/sports-data/internal/ha"
	"github.com/sports-data/sports-data/internal/hadiscovery"
	"github.com/sports-data/sports-data/internal/httpapi"
	"github.com/sports-data/sports-data/internal/metrics"
	"github.com/sports-data/sports-data/internal/poller"
	"github.com/sports-data/sports-data/internal/schedule"
	"github.com/sports-data/sports-data/internal/standings"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/storage"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/teamtracker"
	"github.com/sports-data/sports-data/internal/ui"
	"github.com/sports-data/sports-data/internal/userteams"
	"github.com/sports-data/sports-data/internal/webhook"
)

// app is the assembled service.
type app struct {
	handler http.Handler
	tasks   []func(context.Context) // goroutines owned by serve
	closers []func(context.Context) error
	// onShutdown run when the server starts shutting down: the live
	// streams end then, rather than holding the shutdown.
	onShutdown []func()
	logger     *slog.Logger
}

func (a *app) close(ctx context.Context) {
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i](ctx); err != nil {
			a.logger.Warn("shutdown step failed", "err", err)
		}
	}
}

// build assembles the parts from the configuration and connects them:
// ESPN feeds the poller, which publishes to the state and hands each poll
// to its observers; event detection hands events to webhook delivery and
// MQTT; the HTTP API reads what the parts hold.
func build(ctx context.Context, cfg *config.Config, logger *slog.Logger, now func() time.Time) (*app, error) {
	ps := &parts{app: &app{logger: logger}, cfg: cfg, now: now, m: metrics.New()}
	// The ESPN client, the team directory and the state.
	ps.espnSide()
	// The saved teams and the storage side.
	if err := ps.stores(ctx); err != nil {
		return nil, err
	}
	// Event detection and its first subscribers: webhook delivery, the live feed.
	if err := ps.events(); err != nil {
		return nil, err
	}
	// League tables, the sensors, Home Assistant's answers and MQTT.
	if err := ps.homeAssistant(); err != nil {
		return nil, err
	}
	// The baseline, the poll's observers, the schedule refresher and the poller.
	ps.polling()
	// The HTTP API and the web page.
	if err := ps.server(); err != nil {
		return nil, err
	}
	return ps.app, nil
}

// parts are the service's parts, made by build's steps in order, each step
// connecting what it makes to the parts made before it.
type parts struct {
	*app    // the tasks, closers and shutdown steps gathered so far
	cfg     *config.Config
	now     func() time.Time
	m       *metrics.Metrics
	client  *espn.Client
	dir     *teams.Directory
	st      *state.State
	fav     *userteams.Store
	stored  *storage.Storage // nil while storage is off
	det     *events.Detector
	hooks   *webhook.Service
	feed    *gamefeed.Feed
	tables  *standings.Service
	sensors *teamtracker.Service
	haSvc   *ha.Service
	mqttPub *hadiscovery.Publisher // nil while MQTT_URL is empty
	p       *poller.Poller
}

// espnSide makes the ESPN client, the team directory (from its cache) and
// the state.
func (ps *parts) espnSide() {
	ps.client = espn.NewClient(ps.cfg.ESPNBaseURL, espn.Options{
		WebBaseURL: ps.cfg.ESPNWebBaseURL,
		UserAgent:  ps.cfg.ESPNUserAgent,
		Version:    version,
		Logger:     ps.logger,
		Observer:   ps.m.ESPNCall,
		Limits:     espn.NewHostLimits(ps.cfg.ESPNMaxRPS), // pollers and schedule refresher share this client
		Now:        ps.now,                                // the demo runs on the simulated clock: last_update follows it
	})
	ps.dir = teams.NewDirectory(ps.cfg.DataDir, ps.cfg.Leagues, ps.logger)
	if err := ps.dir.LoadCache(); err != nil {
		ps.logger.Warn("team cache not loaded; teams come from ESPN at the first poll", "err", err)
	}
	ps.st = state.New(leagueKeys(ps.cfg)...)
}

// stores opens the saved teams and the storage side.
func (ps *parts) stores(ctx context.Context) error {
	var err error
	ps.fav, err = userteams.Open(ps.cfg.DataDir, userteams.Options{Logger: ps.logger})
	if err != nil {
		return err
	}
	ps.tasks = append(ps.tasks, ps.fav.Run) // writes the saved teams once saves pause, and at the stop
	ps.stored, err = storage.Open(ctx, ps.cfg, ps.dir, storage.Options{Logger: ps.logger, Now: ps.now, OnWrite: ps.m.StoreWrite, Club: ps.dir.Club})
	if err != nil {
		return err
	}
	if ps.stored != nil {
		ps.closers = append(ps.closers, ps.stored.Close)
		watchWriter(ps.m, ps.stored)
	}
	return nil
}

// events makes event detection and subscribes webhook delivery and the
// live feed to it.
func (ps *parts) events() error {
	// Event detection before webhook delivery: it takes the games of an
	// earlier version's outbox, whose deliveries the webhooks take.
	var err error
	ps.det, err = events.New(events.Options{DataDir: ps.cfg.DataDir, Now: ps.now, Logger: ps.logger})
	if err != nil {
		return err
	}
	ps.closers = append(ps.closers, ps.det.Close)
	ps.hooks, err = webhook.New(webhook.Options{DataDir: ps.cfg.DataDir, Version: version, Resolve: ps.dir.Resolve, SameClub: ps.dir.SameClub, Leagues: leagueKeys(ps.cfg),
		Logger: ps.logger, OnDelivery: ps.m.Delivery, Now: ps.now,
		AllowLinkLocal: ps.cfg.WebhookAllowLinkLocal, RetryWindow: ps.cfg.WebhookRetryWindow, RecoveryHold: ps.cfg.WebhookRecoveryHold,
		Proxy: webhookProxy(ps.cfg)})
	if err != nil {
		return err
	}
	ps.det.Subscribe(ps.hooks)
	ps.tasks = append(ps.tasks, ps.hooks.Run)
	// The live feed of the page and the stream route: every poll's changed
	// games and every event, never behind the baseline's gate.
	ps.feed = gamefeed.New(gamefeed.Options{Now: ps.now})
	ps.det.Subscribe(ps.feed)
	ps.onShutdown = append(ps.onShutdown, ps.feed.Close)
	return nil
}

// homeAssistant makes the league tables, the TeamTracker sensors, the
// game-status answers and the MQTT discovery publisher.
func (ps *parts) homeAssistant() error {
	// League tables: asked daily and after each final (the poller tells
	// it of finals), stored with the rest.
	ps.tables = standings.New(ps.client, writerOf(ps.stored), storeOf(ps.stored), ps.cfg.Leagues, standings.Options{Logger: ps.logger, Now: ps.now})
	ps.tasks = append(ps.tasks, ps.tables.Run)
	ps.sensors = teamtracker.New(ps.st, ps.cfg.Leagues, teamtracker.Options{Live: func(k string) bool { return ps.p.Live(k) }, Now: ps.now,
		Club: ps.dir.Club, Standing: ps.tables.SensorAttributes})
	ps.haSvc = ha.New(ps.st, ha.Options{UpcomingWindow: ps.cfg.HAUpcomingWindow, RecentWindow: ps.cfg.HARecentWindow, Now: ps.now,
		Scheduled: ps.sensors.Scheduled, Club: ps.dir.Club})
	var err error
	ps.mqttPub, err = newMQTT(ps.cfg, ps.dir, ps.fav, ps.sensors, ps.tables, ps.m, ps.logger)
	return err
}

// polling makes the baseline's gate, hands the poller its observers in
// order, and starts the schedule refresher with the teams wanted first.
func (ps *parts) polling() {
	// The recorder and event detection compare each poll with what the
	// store knows: they wait for the baseline (package baseline), which
	// also gives the sensors the stored schedule's coming games.
	base := baseline.NewLoader(baselineSources(ps.stored), ps.cfg.Leagues, seedWith(recorderOf(ps.stored), ps.sensors), ps.det, ps.logger, ps.now)
	ps.tasks = append(ps.tasks, base.Run)
	observers := []poller.Observer{ps.haSvc, ps.feed, base.Gate(ps.det), ps.tables}
	wanted := []func() []string{ps.fav.Saved, ps.hooks.Teams}
	if ps.mqttPub != nil {
		wanted = append(wanted, ps.mqttPub.Teams)
	}
	if ps.stored != nil {
		rec := base.Gate(ps.stored.Recorder)
		observers = append(observers, rec)
		sched := schedule.NewRefresher(ps.client, ps.dir.Teams, fanOut{rec, ps.sensors}, ps.cfg.Leagues,
			schedule.Options{Logger: ps.logger, Now: ps.now, Wanted: schedule.Wanted(wanted...), Fixtures: ps.client.TeamFixtures})
		ps.tasks = append(ps.tasks, sched.Run)
	}
	if ps.mqttPub != nil {
		ps.det.Subscribe(ps.mqttPub)
		observers = append(observers, ps.mqttPub)
		ps.tasks = append(ps.tasks, ps.mqttPub.Run)
	}
	ps.p = poller.New(ps.client, ps.st, ps.dir, observers, ps.cfg.Leagues, poller.Options{
		LiveInterval: ps.cfg.PollLiveInterval, IdleInterval: ps.cfg.PollIdleInterval, Logger: ps.logger, Now: ps.now,
		OnPoll: ps.m.Poll, OnTruncated: ps.m.Truncated, OnDegraded: ps.m.LeagueDegraded})
	ps.tasks = append(ps.tasks, ps.p.Run)
}

// server makes the web page and the HTTP API over the parts.
func (ps *parts) server() error {
	page, err := ui.New(ps.cfg.Leagues)
	if err != nil {
		return err
	}
	deps := httpapi.Deps{
		Options: httpapi.Options{Leagues: ps.cfg.Leagues, StoreKind: ps.cfg.StoreKind, APIKey: ps.cfg.APIKey,
			CORSOrigins: ps.cfg.CORSOrigins, HistoryRatePerMinute: ps.cfg.HistoryRatePerMinute,
			PollIdleInterval: ps.cfg.PollIdleInterval, TrustedProxies: ps.cfg.TrustedProxies,
			AllowedHosts: ps.cfg.AllowedHosts, WriteRatePerMinute: ps.cfg.WriteRatePerMinute},
		Version: version, Logger: ps.logger, Now: ps.now, Observe: ps.m.Request,
		State: ps.st, Teams: ps.dir, Favorites: ps.fav, Polling: ps.p, Usage: ps.client,
		HA: ps.haSvc, Sensors: ps.sensors, Webhooks: ps.hooks, Feed: ps.feed, UI: page,
		Extra: apidocs.Handlers(),
	}
	deps.Extra["/metrics"] = ps.m.Handler()
	deps.Standings = ps.tables
	withStorage(&deps, ps.stored, ps.dir, ps.now)
	if ps.mqttPub != nil {
		deps.MQTT = ps.mqttPub
	}
	ps.handler = httpapi.New(deps)
	page.SetRoutes(httpapi.Patterns(ps.handler))
	return nil
}

// newMQTT is the Home Assistant discovery publisher of the MQTT settings,
// its counters exported; nil while MQTT_URL is empty.
func newMQTT(cfg *config.Config, dir *teams.Directory, fav *userteams.Store, sensors *teamtracker.Service, tables *standings.Service, m *metrics.Metrics, logger *slog.Logger) (*hadiscovery.Publisher, error) {
	if cfg.MQTTURL == "" {
		return nil, nil
	}
	pub, err := hadiscovery.New(hadiscovery.Options{
		URL: cfg.MQTTURL, Username: cfg.MQTTUsername, Password: cfg.MQTTPassword,
		DiscoveryPrefix: cfg.MQTTDiscoveryPrefix, TopicPrefix: cfg.MQTTTopicPrefix,
		Teams: cfg.MQTTTeams, Leagues: leagueKeys(cfg),
		Directory: dir, Favorites: fav, Sensors: sensors, Version: version, Logger: logger,
		Club: dir.Club, Standings: tables,
	})
	if err != nil {
		return nil, err
	}
	m.WatchMQTT(func() metrics.MQTTStats {
		s := pub.Status()
		return metrics.MQTTStats{Connected: s.Connected, Published: s.Published, PublishErrors: s.PublishErrors, EventsDropped: s.EventsDropped, EventsQueued: s.EventsQueued}
	})
	return pub, nil
}

// webhookProxy is the environment's proxy when WEBHOOK_USE_PROXY says so;
// deliveries ignore it otherwise.
func webhookProxy(cfg *config.Config) func(*http.Request) (*url.URL, error) {
	if cfg.WebhookUseProxy {
		return http.ProxyFromEnvironment
	}
	return nil
}

// watchWriter exports the writer's queue, spool and breaker.
func watchWriter(m *metrics.Metrics, s *storage.Storage) {
	m.WatchWriter(func() metrics.WriterStats {
		ws := s.Writer.Stats()
		return metrics.WriterStats{Queued: ws.Queued, Spooled: ws.Spooled, Dropped: ws.Dropped, BreakerState: ws.Breaker}
	})
}

// baselineSources and recorderOf are the storage side's part in the
// baseline: none while storage is off.
func baselineSources(s *storage.Storage) baseline.Sources {
	if s == nil {
		return baseline.Sources{}
	}
	return baseline.Sources{Store: s.Store, Pending: s.Writer.Pending}
}

func recorderOf(s *storage.Storage) baseline.Recorder {
	if s == nil {
		return nil
	}
	return s.Recorder
}

// withStorage gives the routes the parts that read the store: history,
// forms, calendars (503 while storage is off).
func withStorage(deps *httpapi.Deps, s *storage.Storage, dir *teams.Directory, now func() time.Time) {
	if s == nil {
		return
	}
	deps.History, deps.Store, deps.Forms = s.History, s, s.History
	deps.Calendar = calendar.New(s.Store, calendar.Options{Club: dir.Club, Version: version, Now: now})
}

// writerOf and storeOf are the storage side's parts in the standings:
// none while storage is off (tables are then kept in memory only).
func writerOf(s *storage.Storage) standings.Enqueuer {
	if s == nil {
		return nil
	}
	return s.Writer
}

func storeOf(s *storage.Storage) standings.Reader {
	if s == nil {
		return nil
	}
	return s.Store
}

// seedWith hands the baseline's stored rows to the recorder and, as games,
// to the sensors: the coming games of the stored schedule are there before
// the schedule refresher has asked ESPN again.
func seedWith(rec baseline.Recorder, sensors *teamtracker.Service) baseline.Recorder {
	if rec == nil {
		return nil
	}
	return seeds{rec, sensors}
}

type seeds struct {
	rec     baseline.Recorder
	sensors *teamtracker.Service
}

func (s seeds) Seed(leagueKey string, latest []store.Point) {
	s.rec.Seed(leagueKey, latest)
	s.sensors.Observe(leagueKey, baseline.Games(leagueKey, latest))
}

func leagueKeys(cfg *config.Config) []string {
	keys := make([]string, 0, len(cfg.Leagues))
	for _, l := range cfg.Leagues {
		keys = append(keys, l.Key)
	}
	return keys
}

// fanOut hands every observation to each observer in turn (the schedule
// refresher's seasons go to the recorder and to the sensors).
type fanOut []interface {
	Observe(leagueKey string, games []game.Game)
}

func (f fanOut) Observe(leagueKey string, games []game.Game) {
	for _, o := range f {
		o.Observe(leagueKey, games)
	}
}
