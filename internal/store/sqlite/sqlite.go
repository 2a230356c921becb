// Package sqlite is the embedded store: one SQLite file (pure Go driver, no
// cgo) holding the two series of every league in two tables, with the
// league as a column. It needs no set-up and prunes itself to the retention.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/sports-data/sports-data/internal/store"
)

// Options configure the store.
type Options struct {
	// RetentionDays > 0 makes the store delete, once at open and then every
	// PruneInterval, what is older than that many days. 0 keeps everything.
	RetentionDays int
	// PruneInterval is how often retention runs; 0 means every 6 hours.
	PruneInterval time.Duration
	Logger        *slog.Logger
	// Now is the clock Info's size cache reads; nil means time.Now.
	Now func() time.Time
}

// Store is the embedded store. It is safe for concurrent use: writes go
// through one connection, reads through a small pool that WAL mode lets run
// alongside the writer.
type Store struct {
	path    string
	write   *sql.DB
	read    *sql.DB
	log     *slog.Logger
	version string
	size    sizeCache // Info's storage size, kept for sizeFor

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // read statements, prepared once per shape

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
	stop      context.CancelFunc
	done      chan struct{}
}

var _ store.Store = (*Store)(nil)

// OpenError says why the database file could not be opened or created.
type OpenError struct {
	Path string
	Err  error
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("sqlite store: cannot open %s: %v", e.Path, e.Err)
}

func (e *OpenError) Unwrap() error { return e.Err }

// InvalidPointError rejects a write batch: one point cannot be stored
// (store.Validate, the same check for every store). Retrying the batch
// cannot help, so it does not wrap store.ErrUnavailable.
type InvalidPointError = store.InvalidPointError

// InvalidQueryError rejects a read with arguments no store can answer.
type InvalidQueryError struct{ Reason string }

func (e *InvalidQueryError) Error() string { return "sqlite store: " + e.Reason }

// Open opens (creating when needed) the database at path, its directory
// included, and brings the schema up to date.
func Open(path string, o Options) (*Store, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if strings.TrimSpace(path) == "" {
		return nil, &OpenError{Path: `""`, Err: errors.New("no path given")}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &OpenError{Path: path, Err: err}
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, &OpenError{Path: abs, Err: fmt.Errorf("create directory: %w", err)}
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		return nil, &OpenError{Path: abs, Err: errors.New("is a directory")}
	}

	w, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return nil, &OpenError{Path: abs, Err: err}
	}
	// One writer: SQLite serialises writers anyway, and one connection
	// means no writer ever waits on the busy timeout for another.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, &OpenError{Path: abs, Err: explain(abs, err)}
	}
	var version string
	if err := w.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&version); err != nil {
		w.Close()
		return nil, &OpenError{Path: abs, Err: err}
	}

	r, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		w.Close()
		return nil, &OpenError{Path: abs, Err: err}
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, &OpenError{Path: abs, Err: err}
	}

	s := &Store{path: abs, write: w, read: r, log: log, version: version, done: make(chan struct{}),
		stmts: map[string]*sql.Stmt{}}
	s.size.now = o.Now
	s.size.paths = []string{abs, abs + "-wal"}
	if s.size.now == nil {
		s.size.now = time.Now
	}
	bg, stop := context.WithCancel(context.Background())
	s.stop = stop
	if o.RetentionDays > 0 {
		every := o.PruneInterval
		if every <= 0 {
			every = 6 * time.Hour
		}
		go s.retain(bg, time.Duration(o.RetentionDays)*24*time.Hour, every)
	} else {
		close(s.done)
	}
	log.Info("sqlite store open", "path", abs, "sqlite_version", version, "retention_days", o.RetentionDays)
	return s, nil
}

// dsn builds the driver's URI. The path is escaped so that '?', '#' and '%'
// in directory names stay part of the path.
func dsn(path string, readOnly bool) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	q := "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	if readOnly {
		q += "&_pragma=query_only(1)"
	} else {
		// Take the write lock at BEGIN: a read-then-write transaction
		// upgraded later could fail with SQLITE_BUSY despite the timeout.
		q += "&_txlock=immediate"
	}
	return "file:" + esc + "?" + q
}

// explain turns SQLite's terse open failures into a sentence naming what to check.
func explain(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unable to open database file"), strings.Contains(msg, "SQLITE_CANTOPEN"):
		return fmt.Errorf("the file cannot be created or opened (check that %s is writable): %w", filepath.Dir(path), err)
	case strings.Contains(msg, "readonly"), strings.Contains(msg, "READONLY"):
		return fmt.Errorf("the file or its directory is read-only: %w", err)
	case strings.Contains(msg, "not a database"), strings.Contains(msg, "NOTADB"):
		return fmt.Errorf("the file exists but is not an SQLite database: %w", err)
	}
	return err
}

const schema = `
CREATE TABLE IF NOT EXISTS scores (
	league          TEXT    NOT NULL,
	game_id         TEXT    NOT NULL,
	time            INTEGER NOT NULL,
	season          INTEGER NOT NULL,
	season_type     INTEGER NOT NULL,
	week            INTEGER NOT NULL,
	home_team       TEXT    NOT NULL,
	away_team       TEXT    NOT NULL,
	status          TEXT    NOT NULL,
	home_conference TEXT    NOT NULL,
	away_conference TEXT    NOT NULL,
	home_division   TEXT    NOT NULL,
	away_division   TEXT    NOT NULL,
	home_score      INTEGER NOT NULL,
	away_score      INTEGER NOT NULL,
	period          INTEGER NOT NULL,
	time_remaining  TEXT    NOT NULL,
	status_detail   TEXT    NOT NULL,
	PRIMARY KEY (league, game_id, time)
) WITHOUT ROWID;
-- Unfinished and Prune read by time.
CREATE INDEX IF NOT EXISTS scores_league_time ON scores (league, time);

CREATE TABLE IF NOT EXISTS games (
	league          TEXT    NOT NULL,
	game_id         TEXT    NOT NULL,
	start           INTEGER NOT NULL,
	season          INTEGER NOT NULL,
	season_type     INTEGER NOT NULL,
	week            INTEGER NOT NULL,
	home_team       TEXT    NOT NULL,
	away_team       TEXT    NOT NULL,
	status          TEXT    NOT NULL,
	home_conference TEXT    NOT NULL,
	away_conference TEXT    NOT NULL,
	home_division   TEXT    NOT NULL,
	away_division   TEXT    NOT NULL,
	home_score      INTEGER NOT NULL,
	away_score      INTEGER NOT NULL,
	period          INTEGER NOT NULL,
	time_remaining  TEXT    NOT NULL,
	status_detail   TEXT    NOT NULL,
	home_team_id    TEXT    NOT NULL,
	away_team_id    TEXT    NOT NULL,
	home_team_name  TEXT    NOT NULL,
	away_team_name  TEXT    NOT NULL,
	venue           TEXT    NOT NULL,
	observed_at     INTEGER NOT NULL,
	broadcasts      TEXT    NOT NULL DEFAULT '',
	schedule_version    INTEGER NOT NULL DEFAULT 0,
	schedule_changed_at INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (league, game_id)
) WITHOUT ROWID;
-- A team's games are the union of its home and away games; SQLite answers
-- "home_team = ? OR away_team = ?" from these two indexes.
CREATE INDEX IF NOT EXISTS games_home ON games (league, home_team, season, start);
CREATE INDEX IF NOT EXISTS games_away ON games (league, away_team, season, start);
CREATE INDEX IF NOT EXISTS games_start ON games (league, start);
CREATE INDEX IF NOT EXISTS games_season ON games (league, season, start);

CREATE TABLE IF NOT EXISTS standings (
	league          TEXT    NOT NULL,
	time            INTEGER NOT NULL,
	team_id         TEXT    NOT NULL,
	season          INTEGER NOT NULL,
	team            TEXT    NOT NULL,
	team_name       TEXT    NOT NULL,
	group_name      TEXT    NOT NULL,
	group_abbr      TEXT    NOT NULL,
	position        INTEGER NOT NULL,
	games_played    INTEGER NOT NULL,
	wins            INTEGER NOT NULL,
	losses          INTEGER NOT NULL,
	ties            INTEGER NOT NULL,
	ot_losses       INTEGER NOT NULL,
	points          REAL    NOT NULL,
	points_for      INTEGER NOT NULL,
	points_against  INTEGER NOT NULL,
	win_percent     REAL    NOT NULL,
	games_behind    REAL    NOT NULL,
	streak          TEXT    NOT NULL,
	clincher        TEXT    NOT NULL,
	note            TEXT    NOT NULL,
	summary         TEXT    NOT NULL,
	PRIMARY KEY (league, time, team_id)
) WITHOUT ROWID;
`

// schemaVersion is kept in PRAGMA user_version, so that a later release
// can tell which tables it finds and an older one refuses a newer file.
// Version 2 added the games' broadcasts and schedule history and the
// standings table.
const schemaVersion = 2

// upgrades bring a file of an older version up to date, step by step:
// upgrades[v-1] goes from v to v+1. The schema above creates the newest
// tables in a new file; these add what an older file's tables lack.
var upgrades = []string{
	`ALTER TABLE games ADD COLUMN broadcasts TEXT NOT NULL DEFAULT '';
	 ALTER TABLE games ADD COLUMN schedule_version INTEGER NOT NULL DEFAULT 0;
	 ALTER TABLE games ADD COLUMN schedule_changed_at INTEGER NOT NULL DEFAULT 0;`,
}

func migrate(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, WAL needed", mode)
	}
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > schemaVersion {
		return fmt.Errorf("the file has schema version %d, newer than this release understands (%d)", version, schemaVersion)
	}
	// A file of version 0 is new (or empty): the schema creates everything.
	if version > 0 {
		for v := version; v < schemaVersion; v++ {
			if _, err := db.ExecContext(ctx, upgrades[v-1]); err != nil {
				return fmt.Errorf("upgrading the schema from version %d: %w", v, err)
			}
		}
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion))
	return err
}

// unavailable wraps a database failure so callers can tell it from bad input.
func unavailable(op string, err error) error {
	return fmt.Errorf("sqlite store: %s: %w: %w", op, store.ErrUnavailable, err)
}

var errClosed = errors.New("store closed")

func (s *Store) checkOpen(op string) error {
	if s.closed.Load() {
		return unavailable(op, errClosed)
	}
	return nil
}

// Times are stored as unix nanoseconds, which span the years 1678 to 2262.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// nanos converts a query bound, clamping it to what can be stored so that
// "since the year 1" or "until 9999" mean everything.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(minTime):
		return math.MinInt64
	case t.After(maxTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// Prune deletes score points observed before `before`, games that
// started before it and tables taken before it.
func (s *Store) Prune(ctx context.Context, before time.Time) error {
	_, _, err := s.prune(ctx, before)
	return err
}

func (s *Store) prune(ctx context.Context, before time.Time) (scores, games int64, err error) {
	if err := s.checkOpen("prune"); err != nil {
		return 0, 0, err
	}
	cut := nanos(before)
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, unavailable("prune", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	res, err := tx.ExecContext(ctx, "DELETE FROM scores WHERE time < ?", cut)
	if err != nil {
		return 0, 0, unavailable("prune", err)
	}
	scores, _ = res.RowsAffected()
	res, err = tx.ExecContext(ctx, "DELETE FROM games WHERE start < ?", cut)
	if err != nil {
		return 0, 0, unavailable("prune", err)
	}
	games, _ = res.RowsAffected()
	if _, err := tx.ExecContext(ctx, "DELETE FROM standings WHERE time < ?", cut); err != nil {
		return 0, 0, unavailable("prune", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, unavailable("prune", err)
	}
	return scores, games, nil
}

// retain prunes to the retention now and then every interval until Close.
func (s *Store) retain(ctx context.Context, keep, every time.Duration) {
	defer close(s.done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		cut := time.Now().Add(-keep)
		scores, games, err := s.prune(ctx, cut)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("sqlite store: pruning failed", "err", err)
		case scores+games > 0:
			s.log.Info("sqlite store: pruned", "before", cut.Format(time.RFC3339), "score_points", scores, "games", games)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Info describes the store; Bytes counts the database file and its WAL,
// measured at most once per sizeFor.
func (s *Store) Info(context.Context) store.Info {
	return store.Info{Kind: "sqlite", Version: s.version, Bytes: s.size.get()}
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close stops retention and closes the database, checkpointing the WAL
// into the file. Calling it again returns the first result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.stop()
		<-s.done
		s.stmtMu.Lock()
		for _, st := range s.stmts {
			st.Close()
		}
		s.stmts = map[string]*sql.Stmt{}
		s.stmtMu.Unlock()
		rerr := s.read.Close()
		// The last connection to close checkpoints the WAL and removes it.
		werr := s.write.Close()
		if err := errors.Join(rerr, werr); err != nil {
			s.closeErr = fmt.Errorf("sqlite store: close: %w", err)
		}
		s.log.Info("sqlite store closed", "path", s.path)
	})
	return s.closeErr
}
