// Package influx is the InfluxDB store kind. Writes go through influxdb3-go:
// to /api/v2/write on InfluxDB 1.8 and 2.x, to InfluxDB 3's own
// /api/v3/write_lp (partial writes) on 3.x. Reads use SQL over Arrow Flight
// on InfluxDB 3, or InfluxQL over HTTP /query on 1.8+/2.x (3.x answers it
// too).
//
// Storage layout (docs/storage.md): measurements {league}_scores and
// {league}_games. Scores rows carry the tags game_id, season, season_type,
// week, home_team, away_team, status and the conference/division tags, and
// the fields home_score, away_score (integers), the period under the league's
// name for it ("quarter" for NFL, "period" otherwise), time_remaining and
// status_detail. Games rows carry the tags game_id, season, season_type,
// week, home_team, away_team and every other value as a field; their period
// field is always "period", and observed_at (unix nanoseconds) tells the
// newest version of a game whose start moved. On InfluxDB 3 both carry the
// tag version as well: every rewrite is a row of its own there, because
// InfluxDB 3 does not reliably keep the last of two points with the same
// tags and time, and readers take the newest version.
//
// Periods are string fields holding the decimal number ("1", "5"), as
// docs/storage.md fixes them, in both series; every reader parses them back to
// integers. Every integer is written as a signed integer (InfluxDB 1.8
// rejects unsigned ones), every field of a row is written every time (even
// empty strings), so that rewriting a row at the same time and tags, which
// InfluxDB 1.8 and 2.x merge field by field, cannot keep a stale value.
//
// The store never fails to open because the server is down or refuses the
// credentials: calls fail with errors wrapping store.ErrUnavailable, and the
// setup (version detection, database creation) is retried in the background
// and by the next call.
//
// Tested against real InfluxDB 1.8.10, OSS 2.7.12 and 3 Core 3.6.0 servers
// (internal/influxtest); the Flight stand-in (flighttest) only cuts a query's
// stream midway. InfluxDB 3 Core refuses queries that would read more
// Parquet files than its limit: every SQL read is bounded in time and split
// when refused (filelimit.go).
package influx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/InfluxCommunity/influxdb3-go/v2/influxdb3"

	"github.com/sports-data/sports-data/internal/redact"
	"github.com/sports-data/sports-data/internal/retry"
	"github.com/sports-data/sports-data/internal/store"
)

// Query languages.
const (
	LanguageAuto     = "auto"
	LanguageSQL      = "sql"
	LanguageInfluxQL = "influxql"
)

// RetentionPolicy is the name of the retention policy the store creates on
// InfluxDB 1.x.
const RetentionPolicy = "sports_data_rp"

// Options configure the store.
type Options struct {
	URL      string
	Token    string // InfluxDB 2.x/3.x token, or "user:password" for 1.x; empty when auth is off
	Org      string // 2.x organisation; ignored by 1.8 and 3.x
	Database string
	// QueryLanguage is "auto" (or empty), "sql" or "influxql". Auto reads
	// the server version from /ping: major version 3 means sql, anything
	// else influxql.
	QueryLanguage string
	// RetentionDays applies when the store creates the database; 0 keeps
	// data forever.
	RetentionDays int
	// Timeout bounds every request; 0 means 5 s.
	Timeout    time.Duration
	HTTPClient *http.Client // optional
	Logger     *slog.Logger
}

var (
	databaseName = regexp.MustCompile(`^[A-Za-z0-9_\-]+$`)
)

const defaultTimeout = 5 * time.Second

// retry bounds for the background setup: the service's retry policy
// (package retry) between retryMin and retryMax.
const (
	retryMin = time.Second
	retryMax = 30 * time.Second
)

var setupBackoff = retry.Backoff{Base: retryMin, Max: retryMax}

func (o *Options) validate() error {
	u, err := url.Parse(o.URL)
	switch {
	case o.URL == "":
		return errors.New("influx: URL is required")
	case err != nil:
		return fmt.Errorf("influx: URL %q: %w", redact.Password(o.URL), err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("influx: URL %q: scheme must be http or https", redact.Password(o.URL))
	case u.Host == "":
		return fmt.Errorf("influx: URL %q has no host", redact.Password(o.URL))
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("influx: URL %q must not have a query or fragment", redact.Password(o.URL))
	}
	if !databaseName.MatchString(o.Database) {
		return fmt.Errorf("influx: database name %q must match %s", o.Database, databaseName)
	}
	switch strings.ToLower(o.QueryLanguage) {
	case "", LanguageAuto, LanguageSQL, LanguageInfluxQL:
	default:
		return fmt.Errorf("influx: query language %q: want auto, sql or influxql", o.QueryLanguage)
	}
	if o.RetentionDays < 0 {
		return fmt.Errorf("influx: retention days %d must not be negative", o.RetentionDays)
	}
	if o.RetentionDays > 365*200 {
		return fmt.Errorf("influx: retention days %d is beyond what InfluxDB can represent", o.RetentionDays)
	}
	if o.Timeout < 0 {
		return fmt.Errorf("influx: timeout %s must not be negative", o.Timeout)
	}
	if strings.ContainsAny(o.Token, "\r\n") {
		return errors.New("influx: token must be one line")
	}
	return nil
}

// conn is what calls need once the server has been reached.
type conn struct {
	client   *influxdb3.Client
	language string
	version  string
	// appendOnly: the server is InfluxDB 3, whose overwrites are not
	// reliable, so every version of a row is a row of its own.
	appendOnly bool
}

// Store is an InfluxDB store. It implements store.Store.
type Store struct {
	opts    Options
	base    *url.URL
	log     *slog.Logger
	httpc   *http.Client // for /ping, /query and database creation
	ownHTTP bool         // httpc was made here, not passed in
	timeout time.Duration

	setupMu sync.Mutex // one setup attempt at a time

	mu      sync.Mutex
	ready   bool
	cur     conn
	version string // last version seen, kept while down for Info
	lastErr error
	closed  bool
	// lastAttempt is when the last setup ended.
	lastAttempt time.Time

	bytes       atomic.Int64
	authRefused atomic.Bool // the last call was refused for its credentials
	settled     atomic.Bool // settleReads has run since the last setup

	kick     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	closeOne sync.Once
}

var _ store.Store = (*Store)(nil)

// Open validates the options and connects. Only invalid options are an
// error: when the server cannot be reached or refuses the credentials, Open
// logs one line and returns a store whose calls fail with errors wrapping
// store.ErrUnavailable until the server is back.
func Open(ctx context.Context, o Options) (*Store, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	o.URL = strings.TrimRight(o.URL, "/")
	o.QueryLanguage = strings.ToLower(o.QueryLanguage)
	if o.QueryLanguage == "" {
		o.QueryLanguage = LanguageAuto
	}
	base, _ := url.Parse(o.URL)
	s := &Store{
		opts:    o,
		base:    base,
		log:     o.Logger,
		timeout: o.Timeout,
		kick:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.timeout == 0 {
		s.timeout = defaultTimeout
	}
	s.httpc = o.HTTPClient
	if s.httpc == nil {
		s.httpc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		s.ownHTTP = true
	}

	if _, err := s.connect(ctx); err != nil {
		s.log.Warn("influxdb store not ready; calls fail until it is, retrying in the background",
			"url", redact.Password(o.URL), "database", o.Database, "err", err)
	}
	go s.retryLoop()
	return s, nil
}

// QueryLanguage is the language reads use ("sql" or "influxql"), or "" while
// auto-detection has not reached the server yet.
func (s *Store) QueryLanguage() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready {
		return s.cur.language
	}
	if s.opts.QueryLanguage != LanguageAuto {
		return s.opts.QueryLanguage
	}
	return ""
}

// Info describes the store: the server version (empty until the server has
// answered once), the bytes of line protocol written since Open, and,
// while the server is not set up (never answered, or a call found it
// gone), Unreachable with the last setup or call error.
func (s *Store) Info(context.Context) store.Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := store.Info{Kind: "influxdb", Version: s.version, Bytes: s.bytes.Load()}
	if !s.ready {
		info.Unreachable = true
		info.LastError = "not connected yet"
		if s.lastErr != nil {
			info.LastError = s.lastErr.Error()
		}
	}
	return info
}

// Prune does nothing: InfluxDB drops old points by its retention policy.
func (s *Store) Prune(context.Context, time.Time) error { return nil }

// Close stops the background setup and releases the connections. The store
// holds no pending writes: Write returns when the server has answered.
func (s *Store) Close() error {
	var err error
	s.closeOne.Do(func() {
		close(s.stop)
		<-s.done
		s.mu.Lock()
		s.closed = true
		c := s.cur.client
		s.cur = conn{}
		s.ready = false
		s.mu.Unlock()
		if c != nil {
			err = c.Close()
		}
		if s.ownHTTP {
			s.httpc.CloseIdleConnections()
		}
	})
	return err
}
