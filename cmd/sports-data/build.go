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
	a := &app{logger: logger}
	m := metrics.New()
	client := espn.NewClient(cfg.ESPNBaseURL, espn.Options{
		WebBaseURL: cfg.ESPNWebBaseURL,
		UserAgent:  cfg.ESPNUserAgent,
		Version:    version,
		Logger:     logger,
		Observer:   m.ESPNCall,
		Limits:     espn.NewHostLimits(cfg.ESPNMaxRPS), // pollers and schedule refresher share this client
		Now:        now,                                // the demo runs on the simulated clock: last_update follows it
	})
	dir := teams.NewDirectory(cfg.DataDir, cfg.Leagues, logger)
	if err := dir.LoadCache(); err != nil {
		logger.Warn("team cache not loaded; teams come from ESPN at the first poll", "err", err)
	}
	st := state.New(leagueKeys(cfg)...)
	fav, err := userteams.Open(cfg.DataDir, userteams.Options{Logger: logger})
	if err != nil {
		return nil, err
	}
	a.tasks = append(a.tasks, fav.Run) // writes the saved teams once saves pause, and at the stop
	stored, err := storage.Open(ctx, cfg, dir, storage.Options{Logger: logger, Now: now, OnWrite: m.StoreWrite, Club: dir.Club})
	if err != nil {
		return nil, err
	}
	if stored != nil {
		a.closers = append(a.closers, stored.Close)
		watchWriter(m, stored)
	}
	// Event detection before webhook delivery: it takes the games of an
	// earlier version's outbox, whose deliveries the webhooks take.
	det, err := events.New(events.Options{DataDir: cfg.DataDir, Now: now, Logger: logger})
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, det.Close)
	hooks, err := webhook.New(webhook.Options{DataDir: cfg.DataDir, Version: version, Resolve: dir.Resolve, SameClub: dir.SameClub, Leagues: leagueKeys(cfg),
		Logger: logger, OnDelivery: m.Delivery, Now: now,
		AllowLinkLocal: cfg.WebhookAllowLinkLocal, RetryWindow: cfg.WebhookRetryWindow, RecoveryHold: cfg.WebhookRecoveryHold,
		Proxy: webhookProxy(cfg)})
	if err != nil {
		return nil, err
	}
	det.Subscribe(hooks)
	a.tasks = append(a.tasks, hooks.Run)
	// The live feed of the page and the stream route: every poll's changed
	// games and every event, never behind the baseline's gate.
	feed := gamefeed.New(gamefeed.Options{Now: now})
	det.Subscribe(feed)
	a.onShutdown = append(a.onShutdown, feed.Close)

	// League tables: asked daily and after each final (the poller tells
	// it of finals), stored with the rest.
	tables := standings.New(client, writerOf(stored), storeOf(stored), cfg.Leagues, standings.Options{Logger: logger, Now: now})
	a.tasks = append(a.tasks, tables.Run)
	var p *poller.Poller
	sensors := teamtracker.New(st, cfg.Leagues, teamtracker.Options{Live: func(k string) bool { return p.Live(k) }, Now: now,
		Club: dir.Club, Standing: tables.SensorAttributes})
	haSvc := ha.New(st, ha.Options{UpcomingWindow: cfg.HAUpcomingWindow, RecentWindow: cfg.HARecentWindow, Now: now,
		Scheduled: sensors.Scheduled, Club: dir.Club})
	mqttPub, err := newMQTT(cfg, dir, fav, sensors, tables, m, logger)
	if err != nil {
		return nil, err
	}
	// The recorder and event detection compare each poll with what the
	// store knows: they wait for the baseline (package baseline), which
	// also gives the sensors the stored schedule's coming games.
	base := baseline.NewLoader(baselineSources(stored), cfg.Leagues, seedWith(recorderOf(stored), sensors), det, logger, now)
	a.tasks = append(a.tasks, base.Run)
	observers := []poller.Observer{haSvc, feed, base.Gate(det), tables}
	wanted := []func() []string{fav.Saved, hooks.Teams}
	if mqttPub != nil {
		wanted = append(wanted, mqttPub.Teams)
	}
	if stored != nil {
		rec := base.Gate(stored.Recorder)
		observers = append(observers, rec)
		sched := schedule.NewRefresher(client, dir.Teams, fanOut{rec, sensors}, cfg.Leagues,
			schedule.Options{Logger: logger, Now: now, Wanted: schedule.Wanted(wanted...), Fixtures: client.TeamFixtures})
		a.tasks = append(a.tasks, sched.Run)
	}
	if mqttPub != nil {
		det.Subscribe(mqttPub)
		observers = append(observers, mqttPub)
		a.tasks = append(a.tasks, mqttPub.Run)
	}
	p = poller.New(client, st, dir, observers, cfg.Leagues, poller.Options{
		LiveInterval: cfg.PollLiveInterval, IdleInterval: cfg.PollIdleInterval, Logger: logger, Now: now,
		OnPoll: m.Poll, OnTruncated: m.Truncated, OnDegraded: m.LeagueDegraded})
	a.tasks = append(a.tasks, p.Run)

	page, err := ui.New(cfg.Leagues)
	if err != nil {
		return nil, err
	}
	deps := httpapi.Deps{
		Options: httpapi.Options{Leagues: cfg.Leagues, StoreKind: cfg.StoreKind, APIKey: cfg.APIKey,
			CORSOrigins: cfg.CORSOrigins, HistoryRatePerMinute: cfg.HistoryRatePerMinute,
			PollIdleInterval: cfg.PollIdleInterval, TrustedProxies: cfg.TrustedProxies,
			AllowedHosts: cfg.AllowedHosts, WriteRatePerMinute: cfg.WriteRatePerMinute},
		Version: version, Logger: logger, Now: now, Observe: m.Request,
		State: st, Teams: dir, Favorites: fav, Polling: p, Usage: client,
		HA: haSvc, Sensors: sensors, Webhooks: hooks, Feed: feed, UI: page,
		Extra: apidocs.Handlers(),
	}
	deps.Extra["/metrics"] = m.Handler()
	deps.Standings = tables
	withStorage(&deps, stored, dir, now)
	if mqttPub != nil {
		deps.MQTT = mqttPub
	}
	a.handler = httpapi.New(deps)
	page.SetRoutes(httpapi.Patterns(a.handler))
	return a, nil
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
