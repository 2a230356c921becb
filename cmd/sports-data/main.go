// Command sports-data follows ESPN leagues, stores every schedule and score
// change, and serves the HTTP API and Home Assistant webhooks.
//
// main only wires: run builds the configuration, the dependencies and the
// server, so tests start the whole service in-process.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // ESPN's days are US Eastern; the image has no zoneinfo

	"github.com/sports-data/sports-data/internal/apidocs"
	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/ha"
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
	"github.com/sports-data/sports-data/internal/userteams"
	"github.com/sports-data/sports-data/internal/webhook"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "2.0.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sports-data:", err)
		os.Exit(1)
	}
}

// run dispatches the subcommand; without one it serves until ctx ends.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := ""
	if len(args) > 1 {
		cmd = args[1]
	}
	switch cmd {
	case "", "serve":
		return serve(ctx, getenv, stdout, serveOptions{})
	case "healthcheck":
		return healthcheck(ctx, getenv, stdout)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "sports-data", version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	case "backfill":
		return backfillCommand(ctx, args[2:], getenv, stdout)
	case "demo":
		return demoCommand(ctx, args[2:], getenv, stdout)
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

const usage = `usage: sports-data [command]

commands:
  serve         run the service (the default)
  backfill      load past seasons: sports-data backfill --league nfl --season 2024 [--team KC]
  demo          run against the built-in season simulator, no network needed
  healthcheck   exit 0 when the local service answers /health (for container health checks)
  version       print the version

Configuration is read from the environment; see README.md.
`

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch level {
	case "debug":
		l = slog.LevelDebug
	case "warn", "warning":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// serveOptions are what a subcommand may change about serving: the demo
// mode runs the service on the simulator's clock.
type serveOptions struct {
	// ready, when set, receives the listening address once the server
	// accepts connections.
	ready func(addr string)
	// now is the clock games are judged by ("today", "live within 20
	// minutes", "upcoming"); time.Now when nil.
	now func() time.Time
}

// serve runs the service until ctx ends, then shuts down in order: stop
// taking requests, stop polling, stop deliveries, flush writes, close the
// store.
func serve(ctx context.Context, getenv func(string) string, stdout io.Writer, so serveOptions) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(stdout, cfg.LogLevel)
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("DATA_DIR: cannot create %s: %v", cfg.DataDir, err)
	}

	if so.now == nil {
		so.now = time.Now
	}
	app, err := build(ctx, cfg, logger, so.now)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Port))
	if err != nil {
		app.close(context.Background())
		return fmt.Errorf("PORT: cannot listen on %d: %v", cfg.Port, err)
	}
	srv := &http.Server{
		Handler:           app.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("listening", "addr", ln.Addr().String(), "version", version, "store", cfg.StoreKind,
		"leagues", cfg.LeaguesRaw, "data_dir", cfg.DataDir)
	if cfg.APIKey == "" {
		logger.Warn("API_KEY is not set: webhook management and team selection are open to anyone who can reach the port")
	}

	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	for _, task := range app.tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task(bg)
		}()
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	if so.ready != nil {
		so.ready(ln.Addr().String())
	}

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			runErr = err
		}
	}
	logger.Info("shutting down")
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer scancel()
	_ = srv.Shutdown(sctx)
	cancel()
	wg.Wait()
	app.close(sctx)
	logger.Info("stopped")
	return runErr
}

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
		w, err = writer.New(invalidating{db, hist}, writer.Options{
			BatchSize:       cfg.BatchSize,
			FlushInterval:   cfg.FlushInterval,
			Live:            func(p store.Point) bool { return p.Status == game.StatusLive.StorageWord() },
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
	})
	if err != nil {
		return nil, err
	}
	a.tasks = append(a.tasks, hooks.Run)

	// The recorder and the webhook detector compare each poll with the
	// stored baseline, so they wait for it (a few seconds at most); the
	// state, and so every route, is published without waiting.
	seeded := make(chan struct{})
	observers := []poller.Observer{haSvc, afterSeed{seeded, hooks}}
	if rec != nil {
		observers = append(observers, afterSeed{seeded, rec})
		sched := schedule.NewRefresher(client, dir.Teams, afterSeed{seeded, rec}, cfg.Leagues, schedule.Options{Logger: logger, Now: now})
		a.tasks = append(a.tasks, sched.Run)
	}
	a.tasks = append(a.tasks, func(ctx context.Context) {
		if db != nil {
			seedBaseline(ctx, db, w, cfg, rec, hooks, logger, now())
		}
		close(seeded)
	})
	p := poller.New(client, st, dir, observers, cfg.Leagues, poller.Options{
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
		},
		Version:   version,
		Logger:    logger,
		State:     st,
		Teams:     dir,
		Favorites: fav,
		Polling:   p,
		Usage:     client,
		HA:        haSvc,
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
	a.handler = httpapi.New(deps)
	return a, nil
}

// seedBaseline primes the recorder and the webhook detector with the latest
// stored state of every unfinished game of the last two weeks and the rows
// of this season's games, so that a restart writes nothing for games
// that did not change while the service was down. A store that does not
// answer within a few seconds is skipped: polling must start.
func seedBaseline(ctx context.Context, db store.Store, w *writer.Writer, cfg *config.Config, rec *recorder.Recorder, hooks *webhook.Service, logger *slog.Logger, now time.Time) {
	// Points still in the spool are newer than anything the store has: a
	// restart during a store outage must not store their state again.
	pending, err := w.Pending()
	if err != nil {
		logger.Warn("spool not fully readable for the baseline", "err", err)
	}
	for _, l := range cfg.Leagues {
		var mine []store.Point
		for _, p := range pending {
			if p.League == l.Key {
				mine = append(mine, p)
			}
		}
		bctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		unfinished, err := db.Unfinished(bctx, l.Key, now.Add(-14*24*time.Hour))
		var rows []store.Point
		if err == nil {
			// A season back and ahead: the schedule refresher hands over
			// whole seasons, and a game the recorder does not know counts
			// as a change.
			rows, err = db.Games(bctx, store.GameQuery{League: l.Key, From: now.AddDate(-1, -1, 0), To: now.AddDate(1, 0, 0)})
		}
		cancel()
		if err != nil {
			logger.Warn("no stored baseline; a restart may store a game's current state once more", "league", l.Key, "err", err)
		}
		rec.Seed(l.Key, append(append(rows, unfinished...), mine...))
		hooks.Seed(l.Key, gamesFromPoints(l.Key, unfinished))
	}
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

// healthcheck asks the local service for /health: the container image has
// no curl.
func healthcheck(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	port := getenv("PORT")
	if port == "" {
		port = "8005"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/health", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /health answered %d", resp.StatusCode)
	}
	fmt.Fprintln(stdout, strings.TrimSpace(string(body)))
	return nil
}
