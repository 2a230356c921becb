package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/sports-data/sports-data/internal/apidocs"
	"github.com/sports-data/sports-data/internal/baseline"
	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/gamepoint"
	"github.com/sports-data/sports-data/internal/ha"
	"github.com/sports-data/sports-data/internal/hadiscovery"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/httpapi"
	"github.com/sports-data/sports-data/internal/metrics"
	"github.com/sports-data/sports-data/internal/poller"
	"github.com/sports-data/sports-data/internal/recorder"
	"github.com/sports-data/sports-data/internal/schedule"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/sqlite"
	"github.com/sports-data/sports-data/internal/store/writer"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/teamtracker"
	"github.com/sports-data/sports-data/internal/userteams"
	"github.com/sports-data/sports-data/internal/webhook"
)

// app is the assembled service.
type app struct {
	handler http.Handler
	tasks   []func(context.Context) // goroutines owned by serve
	closers []func(context.Context) error
	logger  *slog.Logger
}

func (a *app) close(ctx context.Context) {
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i](ctx); err != nil {
			a.logger.Warn("shutdown step failed", "err", err)
		}
	}
}

// build assembles every part from the configuration.
func build(ctx context.Context, cfg *config.Config, logger *slog.Logger, now func() time.Time) (*app, error) {
	a := &app{logger: logger}
	m := metrics.New()
	client := espn.NewClient(cfg.ESPNBaseURL, espn.Options{
		UserAgent: "sports-data/" + version + " (+https://github.com/sports-data/sports-data)",
		Logger:    logger,
		Observer:  m.ESPNCall,
		Limits:    espn.NewHostLimits(cfg.ESPNMaxRPS), // pollers and schedule refresher share this client
		Now:       now,                                // the demo runs on the simulated clock: last_update follows it
	})
	dir := teams.NewDirectory(cfg.DataDir, cfg.Leagues, logger)
	if err := dir.LoadCache(); err != nil {
		logger.Warn("team cache not loaded; teams come from ESPN at the first poll", "err", err)
	}
	keys := make([]string, 0, len(cfg.Leagues))
	for _, l := range cfg.Leagues {
		keys = append(keys, l.Key)
	}
	st := state.New(keys...)
	fav, err := userteams.Open(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	haSvc := ha.New(st, dir, ha.Options{UpcomingWindow: cfg.HAUpcomingWindow, RecentWindow: cfg.HARecentWindow, Now: now})
	var p *poller.Poller
	sensors := teamtracker.New(st, cfg.Leagues, teamtracker.Options{Live: func(k string) bool { return p.Live(k) }, Now: now})

	// Storage: the store, the batch writer in front of it, and the
	// recorder that turns polls into change-only points.
	var (
		db   store.Store
		w    *writer.Writer
		rec  *recorder.Recorder
		hist *history.Service
	)
	if cfg.StoreKind != config.StoreNone {
		db, err = openStore(ctx, cfg, logger)
		if err != nil {
			return nil, err
		}
		a.closers = append(a.closers, func(context.Context) error { return db.Close() })
		hist = history.New(db, dir, history.Options{Leagues: cfg.Leagues, Logger: logger, Now: now})
		w, err = writer.New(hist.WriteThrough(db), writer.Options{
			BatchSize:       cfg.BatchSize,
			FlushInterval:   cfg.FlushInterval,
			Live:            gamepoint.Live,
			SpoolDir:        filepath.Join(cfg.DataDir, "spool"),
			BreakerFailures: cfg.BreakerFailures,
			BreakerTimeout:  time.Duration(cfg.BreakerTimeoutSeconds) * time.Second,
			Logger:          logger,
			OnWrite:         m.StoreWrite,
		})
		if err != nil {
			return nil, err
		}
		m.WatchWriter(func() metrics.WriterStats {
			ws := w.Stats()
			return metrics.WriterStats{Queued: ws.Queued, Spooled: ws.Spooled, Dropped: ws.Dropped, BreakerState: ws.Breaker}
		})
		a.closers = append(a.closers, w.Close)
		rec = recorder.New(w, now, logger)
	}

	hooks, err := webhook.New(webhook.Options{
		DataDir:    cfg.DataDir,
		Version:    version,
		Resolve:    webhookResolver{dir}.resolve,
		Logger:     logger,
		OnDelivery: m.Delivery,
		Now:        now,

		AllowLinkLocal: cfg.WebhookAllowLinkLocal,
		RetryWindow:    cfg.WebhookRetryWindow,
		RecoveryHold:   cfg.WebhookRecoveryHold,
	})
	if err != nil {
		return nil, err
	}
	a.tasks = append(a.tasks, hooks.Run)

	// The recorder and the webhook detector compare each poll with the
	// stored baseline, so they wait for it (a few seconds at most); the
	// state, and so every route, is published without waiting.
	gate := baseline.NewGate()
	// The directory comes first: it learns the teams a poll names (ESPN's
	// college team lists are incomplete) before anyone resolves them.
	observers := []poller.Observer{dir, haSvc, gate.Wrap(hooks)}
	if rec != nil {
		observers = append(observers, gate.Wrap(rec))
		sched := schedule.NewRefresher(client, dir.Teams, fanOut{gate.Wrap(rec), sensors}, cfg.Leagues, schedule.Options{
			Logger: logger, Now: now, Wanted: wantedTeams(fav, hooks, dir, cfg.MQTTTeams)})
		a.tasks = append(a.tasks, sched.Run)
	}
	a.tasks = append(a.tasks, func(ctx context.Context) {
		if db != nil {
			baseline.Load(ctx, baseline.Sources{Store: db, Pending: w.Pending}, cfg.Leagues, rec, hooks, logger, now())
		}
		gate.Open()
	})
	var mqttPub *hadiscovery.Publisher
	if cfg.MQTTURL != "" {
		if mqttPub, err = newMQTT(cfg, dir, fav, teamTrackerSensor{sensors}, keys, logger, m); err != nil {
			return nil, err
		}
		hooks.Subscribe(mqttPub.Event)
		observers = append(observers, mqttPub)
		a.tasks = append(a.tasks, mqttPub.Run)
	}
	p = poller.New(client, st, dir, observers, cfg.Leagues, poller.Options{
		LiveInterval: cfg.PollLiveInterval,
		IdleInterval: cfg.PollIdleInterval,
		Logger:       logger,
		OnPoll:       m.Poll,
		Now:          now,
	})
	a.tasks = append(a.tasks, p.Run)

	deps := httpapi.Deps{
		Options: httpapi.Options{
			Leagues:              cfg.Leagues,
			StoreKind:            cfg.StoreKind,
			APIKey:               cfg.APIKey,
			CORSOrigins:          cfg.CORSOrigins,
			HistoryRatePerMinute: cfg.HistoryRatePerMinute,
			PollIdleInterval:     cfg.PollIdleInterval,
			TrustedProxies:       cfg.TrustedProxies,
		},
		Version:   version,
		Logger:    logger,
		State:     st,
		Teams:     dir,
		Favorites: fav,
		Polling:   p,
		Usage:     client,
		HA:        haSvc,
		Sensors:   sensors,
		Webhooks:  hooks,
		Observe:   m.Request,
		Now:       now,
		Extra:     apidocs.Handlers(),
	}
	deps.Extra["/metrics"] = m.Handler()
	if db != nil {
		deps.History = hist
		deps.Store = storeHealth{db: db, w: w}
	}
	if mqttPub != nil {
		deps.MQTT = mqttHealth{mqttPub}
	}
	a.handler = httpapi.New(deps)
	return a, nil
}

// openStore opens the configured store kind. InfluxDB being down or
// misconfigured does not stop start-up: the store retries in the background
// and the writer spools meanwhile.
func openStore(ctx context.Context, cfg *config.Config, logger *slog.Logger) (store.Store, error) {
	switch cfg.StoreKind {
	case config.StoreInfluxDB:
		// A server that does not answer must not hold start-up: the first
		// connection attempt gets two seconds, later ones run in the
		// background.
		octx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		s, err := influx.Open(octx, influx.Options{
			URL:           cfg.InfluxURL,
			Token:         cfg.InfluxToken,
			Org:           cfg.InfluxOrg,
			Database:      cfg.Database(),
			QueryLanguage: cfg.InfluxQueryLanguage,
			RetentionDays: cfg.RetentionDays,
			Logger:        logger,
		})
		if err != nil {
			return nil, fmt.Errorf("INFLUXDB_URL: %v", err)
		}
		return s, nil
	default:
		path := filepath.Join(cfg.DataDir, "sports-data.db")
		s, err := sqlite.Open(path, sqlite.Options{RetentionDays: cfg.RetentionDays, Logger: logger})
		if err != nil {
			return nil, fmt.Errorf("DATA_DIR: %v", err)
		}
		return s, nil
	}
}
