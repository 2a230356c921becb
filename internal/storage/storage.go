// Package storage assembles the storage side of the service from the
// configuration: the store (SQLite by default, InfluxDB when configured),
// the batch writer in front of it, the recorder that turns polls into
// change-only points and the history service that reads the store; and it
// reports their health for /health.
package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/gamepoint"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/recorder"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/sqlite"
	"github.com/sports-data/sports-data/internal/store/writer"
	"github.com/sports-data/sports-data/internal/teams"
)

// Storage is the storage side's parts.
type Storage struct {
	Store    store.Store
	Writer   *writer.Writer
	Recorder *recorder.Recorder
	History  *history.Service
}

// Options are what the storage side takes besides the configuration.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	// OnWrite, when set, is told of every batch the writer stores
	// (metrics).
	OnWrite func(points int, took time.Duration, err error)
	// Club lists a team in every followed competition it plays in
	// (teams.Directory.Club), for the schedule of a club.
	Club func(m teams.Match) []teams.Match
}

// Open builds the storage side; nil and no error when storage is off
// (STORE=none or INFLUXDB_ENABLED=false). Teams in history questions are
// resolved by res.
func Open(ctx context.Context, cfg *config.Config, res history.Resolver, o Options) (*Storage, error) {
	if cfg.StoreKind == config.StoreNone {
		return nil, nil
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	db, err := OpenStore(ctx, cfg, o.Logger)
	if err != nil {
		return nil, err
	}
	hist := history.New(db, res, history.Options{Leagues: cfg.Leagues, Logger: o.Logger, Now: o.Now, Club: o.Club})
	// Writes go through history, which drops the answers they change.
	w, err := writer.New(hist.WriteThrough(db), writer.Options{
		BatchSize:       cfg.BatchSize,
		FlushInterval:   cfg.FlushInterval,
		Live:            gamepoint.Live,
		SpoolDir:        filepath.Join(cfg.DataDir, "spool"),
		BreakerFailures: cfg.BreakerFailures,
		BreakerTimeout:  time.Duration(cfg.BreakerTimeoutSeconds) * time.Second,
		Logger:          o.Logger,
		OnWrite:         o.OnWrite,
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return &Storage{Store: db, Writer: w, Recorder: recorder.New(w, o.Now, o.Logger), History: hist}, nil
}

// OpenStore opens the configured store kind. InfluxDB being down or
// misconfigured does not stop start-up: the store retries in the
// background and the writer spools meanwhile.
func OpenStore(ctx context.Context, cfg *config.Config, logger *slog.Logger) (store.Store, error) {
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

// Close writes what is pending (to the store, or to the spool) and closes
// the store.
func (s *Storage) Close(ctx context.Context) error {
	return errors.Join(s.Writer.Close(ctx), s.Store.Close())
}

// Health is the storage side as /health shows it, from the writer's
// counters and the store's description; neither touches the network.
type Health struct {
	Kind, Version string
	// Connected: the last write went through and, for a store that talks
	// to a server, the server answers.
	Connected                                  bool
	Breaker                                    string // closed, open, half-open
	WritesSuccess, WritesFailed, PointsWritten int64
	Queued, Spooled                            int
	Dropped                                    int64
	LastError                                  string
	LastWriteAt                                time.Time // zero before the first write
	StorageBytes                               int64
}

// Health reports the storage side now.
func (s *Storage) Health() Health {
	info := s.Store.Info(context.Background())
	ws := s.Writer.Stats()
	h := Health{
		Kind: info.Kind, Version: info.Version,
		Connected:     ws.Connected && !info.Unreachable,
		Breaker:       ws.Breaker,
		WritesSuccess: ws.WritesSuccess, WritesFailed: ws.WritesFailed, PointsWritten: ws.PointsWritten,
		Queued: ws.Queued, Spooled: ws.Spooled, Dropped: ws.Dropped,
		LastError:    ws.LastError,
		LastWriteAt:  ws.LastWriteAt,
		StorageBytes: info.Bytes,
	}
	if info.Unreachable && info.LastError != "" {
		// No write may have failed yet: the store's own error says why.
		h.LastError = info.LastError
	}
	return h
}
