package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/backfill"
	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/storage"
	"github.com/sports-data/sports-data/internal/teams"
)

const backfillUsage = `usage: sports-data backfill --league nfl --season 2024 [--team KC]

Loads past seasons from ESPN's team schedules into the store. The store
is the one the service uses, taken from the environment like every other
setting: STORE (sqlite by default, in DATA_DIR) or INFLUXDB_URL and the
other INFLUXDB_* variables; see the settings table in README.md. An
interrupted backfill resumes where it stopped.

flags:
`

// backfillCommand loads past seasons from ESPN's team schedules straight
// into the configured store: sports-data backfill --league nfl --season 2024
// [--team KC].
func backfillCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backfill", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprint(stdout, backfillUsage)
		fs.PrintDefaults()
	}
	leagueName := fs.String("league", "", "league to load (nfl, nhl, …)")
	season := fs.Int("season", 0, "season year as ESPN numbers it (the NFL season that starts in September 2024 is 2024)")
	team := fs.String("team", "", "only this team (KC, Chiefs, nfl-kc, …); all teams when empty")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("backfill: %v", err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("backfill: unexpected argument %q", fs.Arg(0))
	}
	if *leagueName == "" || *season == 0 {
		fs.Usage()
		return fmt.Errorf("backfill: --league and --season are required")
	}
	l, ok := league.Lookup(*leagueName)
	if !ok {
		return fmt.Errorf("backfill: unknown league %q (known: %s)", *leagueName, strings.Join(league.Keys(), ", "))
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if cfg.StoreKind == config.StoreNone {
		return fmt.Errorf("backfill: the store is off (STORE=none or INFLUXDB_ENABLED=false): nothing to load into")
	}
	// The backfill's league need not be followed by the service.
	enabled := cfg.Leagues
	found := false
	for _, e := range enabled {
		found = found || e.Key == l.Key
	}
	if !found {
		enabled = append(enabled, l)
	}
	// Warnings (a team list page that failed, a store in trouble) go where
	// the progress goes; LOG_LEVEL=debug shows every request too.
	level := "warn"
	if cfg.LogLevel == "debug" {
		level = "debug"
	}
	logger := newLogger(stdout, level)
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("DATA_DIR: %v", err)
	}
	client := espn.NewClient(cfg.ESPNBaseURL, espn.Options{UserAgent: cfg.ESPNUserAgent, Version: version, Logger: logger,
		Limits: espn.NewHostLimits(cfg.ESPNMaxRPS)})
	dir := teams.NewDirectory(cfg.DataDir, enabled, logger)
	_ = dir.LoadCache()
	if len(dir.Teams(l.Key)) == 0 {
		ts, err := client.Teams(ctx, l)
		if err != nil {
			return fmt.Errorf("backfill: loading the %s team list from ESPN: %v", l.Name, err)
		}
		if err := dir.Set(l, ts); err != nil {
			return err
		}
	}
	db, err := storage.OpenStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()

	start := time.Now()
	res, err := backfill.Run(ctx, client, dir.Teams, dir, db, backfill.Options{
		League:        l,
		Season:        *season,
		Team:          *team,
		RetentionDays: cfg.RetentionDays,
		Progress:      stdout,
		IsTerminal:    isTerminal(stdout),
		StateDir:      filepath.Join(cfg.DataDir, "backfill"),
	})
	if err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	fmt.Fprintf(stdout, "backfill %s %d done in %s: %d teams, %d games, %d points written\n",
		l.Key, *season, time.Since(start).Round(time.Millisecond), res.Teams, res.Games, res.Points)
	return nil
}

// isTerminal reports whether w is a character device, where a redrawn
// progress bar makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
