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
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // ESPN's days are US Eastern; the image has no zoneinfo

	"github.com/sports-data/sports-data/internal/atomicfile"
	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/demo"
	"github.com/sports-data/sports-data/internal/httpapi"
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
		if len(args) > 2 {
			return helpOnly("serve", serveUsage, args[2:], stdout)
		}
		return serve(ctx, getenv, stdout, nil, nil)
	case "healthcheck":
		if len(args) > 2 {
			return helpOnly("healthcheck", healthcheckUsage, args[2:], stdout)
		}
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
		return demo.Run(ctx, args[2:], getenv, stdout, serve)
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

const serveUsage = `usage: sports-data [serve]

Runs the service until it is interrupted (Ctrl-C, SIGTERM). It takes no
flags: every setting comes from the environment (PORT, DATA_DIR, LEAGUES,
STORE, INFLUXDB_*, …; see the settings table in README.md).
`

const healthcheckUsage = `usage: sports-data healthcheck

Asks the service on 127.0.0.1:$PORT (default 8005) for /health and exits 0
when it answers 200, 1 otherwise; for container health checks, where the
image has no curl.
`

// helpOnly answers a command that takes no arguments: help prints its
// usage, anything else is refused rather than ignored.
func helpOnly(name, text string, args []string, stdout io.Writer) error {
	if len(args) == 1 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			fmt.Fprint(stdout, text)
			return nil
		}
	}
	return fmt.Errorf("%s takes no arguments (got %q)\n%s", name, strings.Join(args, " "), text)
}

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

// serve runs the service until ctx ends, then shuts down in order: stop
// taking requests, stop polling, stop deliveries, flush writes, close the
// store. ready, when set, receives the listening address once the server
// accepts connections; now is the clock games are judged by ("today",
// "live within 20 minutes", "upcoming"), time.Now when nil: the demo runs
// the service on the simulator's clock.
func serve(ctx context.Context, getenv func(string) string, stdout io.Writer, ready func(addr string), now func() time.Time) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(stdout, cfg.LogLevel)
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("DATA_DIR: cannot create %s: %v", cfg.DataDir, err)
	}
	for _, p := range atomicfile.RemoveLeftovers(cfg.DataDir) {
		logger.Info("removed a temporary file left by an interrupted write", "path", p)
	}

	if now == nil {
		now = time.Now
	}
	app, err := build(ctx, cfg, logger, now)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.BindAddress, strconv.Itoa(cfg.Port)))
	if err != nil {
		app.close(context.Background())
		return fmt.Errorf("PORT: cannot listen on %d: %v", cfg.Port, err)
	}
	srv := httpapi.NewHTTPServer(app.handler, slog.NewLogLogger(logger.Handler(), slog.LevelWarn))
	for _, f := range app.onShutdown {
		srv.RegisterOnShutdown(f)
	}
	logger.Info("listening", "addr", ln.Addr().String(), "version", version, "store", cfg.StoreKind,
		"leagues", cfg.LeaguesRaw, "data_dir", cfg.DataDir)
	for _, w := range cfg.Warnings {
		logger.Warn(w)
	}
	logger.Info("answering requests addressed to an IP address, localhost or these names (ALLOWED_HOSTS adds more)",
		"hosts", strings.Join(cfg.AllowedHosts, ","))

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
	if ready != nil {
		ready(ln.Addr().String())
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
