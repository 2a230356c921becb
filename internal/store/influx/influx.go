// Package influx is the InfluxDB store kind. Writes go through influxdb3-go's
// v2-compatible write API (/api/v2/write), which InfluxDB 1.8, 2.x and 3.x
// all accept. Reads use SQL over Arrow Flight on InfluxDB 3, or InfluxQL over
// HTTP /query on 1.8+/2.x (3.x answers it too).
//
// Storage layout (docs/storage.md): measurements {league}_scores and
// {league}_games. Scores rows carry the tags game_id, season, season_type,
// week, home_team, away_team, status and the conference/division tags, and
// the fields home_score, away_score (integers), the period under the league's
// name for it ("quarter" for NFL, "period" otherwise), time_remaining and
// status_detail. Games rows carry the tags game_id, season, season_type,
// week, home_team, away_team and every other value as a field; their period
// field is always "period", and observed_at (unix nanoseconds) tells the
// newest version of a game whose start moved.
//
// Periods are string fields holding the decimal number ("1", "5"), as
// docs/storage.md fixes them, in both series; every reader parses them back to
// integers. Every integer is written as a signed integer (InfluxDB 1.8
// rejects unsigned ones), every field of a row is written every time (even
// empty strings), so that rewriting a row at the same time and tags, which
// InfluxDB merges field by field, cannot keep a stale value.
//
// The store never fails to open because the server is down or refuses the
// credentials: calls fail with errors wrapping store.ErrUnavailable, and the
// setup (version detection, database creation) is retried in the background
// and by the next call.
//
// The InfluxDB 1.8 paths are tested against a real InfluxDB 1.8.10. The SQL
// over Flight path is tested only against the flighttest stand-in (InfluxDB
// 3 cannot run where the tests run), not against a real InfluxDB 3; nor has
// 2.x been tried. On InfluxDB 3 Core, reads without a time bound (Games,
// Timeline) touch every Parquet file of the measurement and may hit the
// server's file limit on long histories.
package influx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
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

// connect returns the connection, setting it up first when needed. While
// the server is away, calls fail fast with the last setup error instead of
// each waiting for their own attempt: at most one attempt a second is made
// from calls, the background loop makes the others.
func (s *Store) connect(ctx context.Context) (conn, error) {
	return s.connectWith(ctx, false)
}

// connectWith sets up when needed; force waits for a running attempt and
// makes a new one however recent the last was.
func (s *Store) connectWith(ctx context.Context, force bool) (conn, error) {
	if c, ok, err := s.current(); ok || err != nil {
		return c, err
	}
	if force {
		s.setupMu.Lock()
	} else if !s.setupMu.TryLock() {
		return conn{}, s.notReady("connecting to InfluxDB")
	}
	defer s.setupMu.Unlock()
	if c, ok, err := s.current(); ok || err != nil {
		return c, err
	}
	s.mu.Lock()
	recent := time.Since(s.lastAttempt) < retryMin
	s.mu.Unlock()
	if recent && !force {
		return conn{}, s.notReady("waiting to retry")
	}
	c, err := s.setup(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastAttempt = time.Now()
	if s.closed {
		if c.client != nil {
			_ = c.client.Close()
		}
		return conn{}, unavailable("store closed")
	}
	if err != nil {
		s.lastErr = err
		return conn{}, err
	}
	old := s.cur.client
	s.cur, s.ready, s.lastErr, s.version = c, true, nil, c.version
	if old != nil {
		// A fresh Flight client: the old one may sit in gRPC's reconnect
		// back-off long after the server is back.
		_ = old.Close()
	}
	s.log.Info("influxdb store ready", "url", redact.Password(s.opts.URL), "database", s.opts.Database,
		"version", c.version, "query_language", c.language)
	return c, nil
}

// notReady is the error of a call that did not try to set up: the last
// setup error, which says why the store is not ready.
func (s *Store) notReady(why string) error {
	s.mu.Lock()
	last := s.lastErr
	s.mu.Unlock()
	switch {
	case last == nil:
		return unavailable("%s", why)
	case errors.Is(last, store.ErrUnavailable):
		return last
	}
	return unavailable("%v", last)
}

func (s *Store) current() (conn, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return conn{}, false, unavailable("store closed")
	}
	return s.cur, s.ready, nil
}

// markDown records that a call found the server unreachable: the next call
// (or the background loop) sets up again. It logs once per outage.
func (s *Store) markDown(err error) {
	if s.invalidate(err) {
		s.log.Warn("influxdb store unavailable; retrying in the background", "url", redact.Password(s.opts.URL), "err", err)
	}
}

// invalidate makes the next call set up again, and reports whether the
// store was ready.
func (s *Store) invalidate(err error) bool {
	s.mu.Lock()
	wasReady := s.ready
	s.ready = false
	s.lastErr = err
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
	return wasReady
}

// refused handles a call the server refused for its credentials. Setting up
// again would not help (the server is there), so the store stays as it is;
// the first refusal after a success is logged.
func (s *Store) refused(err error) error {
	if !s.authRefused.Swap(true) {
		s.log.Warn("influxdb refused the credentials", "url", redact.Password(s.opts.URL), "database", s.opts.Database, "err", err)
	}
	return err
}

// accepted notes a call the server answered.
func (s *Store) accepted() { s.authRefused.Store(false) }

// retryLoop sets the store up again while it is not ready, backing off
// between attempts with full jitter (so that many services do not come
// back to a restarted server together), until Close. A call that finds
// the server gone kicks it back to the shortest wait.
func (s *Store) retryLoop() {
	defer close(s.done)
	attempt := 0
	timer := time.NewTimer(retryMin)
	defer timer.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-s.kick:
			attempt = 0
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
			timer.Reset(retryMin)
			continue
		case <-timer.C:
		}
		if _, ready, _ := s.current(); ready {
			timer.Reset(retryMax) // idle: kicks bring it back
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			select {
			case <-s.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		_, err := s.connectWith(ctx, true)
		cancel()
		delay := retryMin
		if err != nil {
			// Never below retryMin: calls in between fail fast on the
			// last error (connectWith) rather than piling up attempts.
			delay = max(setupBackoff.Delay(attempt), retryMin)
			attempt++
			s.log.Debug("influxdb setup failed", "err", err, "retry_in", delay)
		} else {
			attempt = 0
		}
		timer.Reset(delay)
	}
}

// setup reads the server version, settles the query language, makes sure
// the database exists and builds the client.
func (s *Store) setup(ctx context.Context) (conn, error) {
	version, err := s.ping(ctx)
	if err != nil {
		return conn{}, err
	}
	s.mu.Lock()
	s.version = version
	s.mu.Unlock()
	major := majorVersion(version)
	lang := s.opts.QueryLanguage
	if lang == LanguageAuto {
		lang = LanguageInfluxQL
		if major == 3 {
			lang = LanguageSQL
		}
	} else if lang == LanguageSQL && major > 0 && major < 3 {
		s.log.Warn("query language sql needs InfluxDB 3 (SQL over Flight); reads will fail",
			"server_version", version)
	}

	if major == 3 {
		err = s.createDatabaseV3(ctx)
	} else {
		err = s.createDatabaseInfluxQL(ctx, major)
	}
	if err != nil {
		return conn{}, err
	}

	client, err := s.newClient()
	if err != nil {
		return conn{}, fmt.Errorf("influx: client: %w", err)
	}
	return conn{client: client, language: lang, version: version}, nil
}

func majorVersion(v string) int {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	head, _, _ := strings.Cut(v, ".")
	n, err := strconv.Atoi(head)
	if err != nil {
		return 0
	}
	return n
}

// newClient builds the influxdb3-go client. Its write options start from
// the library defaults: a hand-made WriteOptions would switch to the v3-only
// write endpoint that 1.8 and 2.x answer with 404.
func (s *Store) newClient() (*influxdb3.Client, error) {
	wo := influxdb3.DefaultWriteOptions
	wo.UseV2Api = true
	hc := *s.httpc
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	token := s.opts.Token
	if token == "" {
		// influxdb3-go insists on a token; servers without auth get no
		// Authorization header at all.
		token = "none"
		hc.Transport = dropAuthorization{base}
	}
	return influxdb3.New(influxdb3.ClientConfig{
		Host:         s.opts.URL,
		Token:        token,
		Organization: s.opts.Org,
		Database:     s.opts.Database,
		HTTPClient:   &hc,
		WriteOptions: &wo,
	})
}

type dropAuthorization struct{ base http.RoundTripper }

func (d dropAuthorization) CloseIdleConnections() {
	if c, ok := d.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (d dropAuthorization) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Del("Authorization")
	return d.base.RoundTrip(r)
}

// request sends one HTTP request to the server with the token and the
// per-request timeout, and maps transport failures and auth refusals.
func (s *Store) request(ctx context.Context, method, path string, query url.Values, body io.Reader, contentType string) (*http.Response, error) {
	u := *s.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("influx: %w", err)
	}
	if s.opts.Token != "" {
		req.Header.Set("Authorization", "Token "+s.opts.Token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.httpc.Do(req)
	if err != nil {
		if ctxErr := context.Cause(ctx); ctxErr != nil && !errors.Is(ctxErr, context.DeadlineExceeded) {
			return nil, fmt.Errorf("influx: %s %s: %w", method, path, ctxErr)
		}
		return nil, unavailable("%s %s: %v", method, path, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		msg := readError(resp)
		return nil, &statusError{status: resp.StatusCode, err: unauthorized(fmt.Sprintf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, msg))}
	case retry.RetryableStatus(resp.StatusCode):
		msg := readError(resp)
		return nil, unavailable("%s %s: HTTP %d: %s", method, path, resp.StatusCode, msg)
	}
	return resp, nil
}

// statusError keeps the HTTP status of a refusal for callers that treat
// 403 differently from 401.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// readError returns the server's error text and closes the body.
func readError(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &e) == nil {
		if e.Error != "" {
			return e.Error
		}
		if e.Message != "" {
			return e.Message
		}
	}
	if t := strings.TrimSpace(string(b)); t != "" {
		return t
	}
	return resp.Status
}

func (s *Store) ping(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	resp, err := s.request(ctx, http.MethodGet, "/ping", nil, nil, "")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", unavailable("GET /ping: HTTP %d: %s", resp.StatusCode, readError(resp))
	}
	if v := resp.Header.Get("X-Influxdb-Version"); v != "" {
		return v, nil
	}
	var body struct {
		Version string `json:"version"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body)
	return body.Version, nil
}

// retention is the retention as InfluxQL and the v3 API spell it, and the
// shard group duration that goes with it on 1.x: long shards make
// multi-season reads cheap, but a shard must be shorter than the retention.
func retention(days int) (duration, shard string) {
	switch {
	case days == 0:
		return "INF", "52w"
	case days > 364:
		return fmt.Sprintf("%dd", days), "52w"
	case days > 182:
		return fmt.Sprintf("%dd", days), "7d"
	case days > 2:
		return fmt.Sprintf("%dd", days), "1d"
	}
	return fmt.Sprintf("%dd", days), "1h"
}

// createDatabaseInfluxQL makes sure the database exists on 1.x (2.x maps
// buckets to databases by itself and refuses CREATE DATABASE). A database
// that exists is left as it is. Only an unreachable server or refused
// credentials fail the setup; anything else is logged and the store carries
// on, as the database may well exist.
func (s *Store) createDatabaseInfluxQL(ctx context.Context, major int) error {
	db := s.opts.Database
	res, err := s.influxQLStatement(ctx, http.MethodGet, fmt.Sprintf(`SHOW RETENTION POLICIES ON "%s"`, db))
	if err != nil {
		var se *statusError
		if errors.As(err, &se) && se.status == http.StatusForbidden {
			s.log.Warn("influxdb: not allowed to look at the database; assuming it exists", "database", db, "err", err)
			return nil
		}
		if errors.Is(err, store.ErrUnavailable) {
			return err
		}
		s.log.Warn("influxdb: could not check the database; assuming it exists", "database", db, "err", err)
		return nil
	}
	if res.err == "" {
		s.logExistingRetention(res)
		return nil
	}
	if !strings.Contains(res.err, "database not found") {
		s.log.Warn("influxdb: could not check the database; assuming it exists", "database", db, "err", res.err)
		return nil
	}
	dur, shard := retention(s.opts.RetentionDays)
	stmt := fmt.Sprintf(`CREATE DATABASE "%s" WITH DURATION %s REPLICATION 1 SHARD DURATION %s NAME "%s"`,
		db, dur, shard, RetentionPolicy)
	res, err = s.influxQLStatement(ctx, http.MethodPost, stmt)
	if err == nil && res.err != "" {
		err = errors.New(res.err)
	}
	if err != nil {
		var se *statusError
		if errors.Is(err, store.ErrUnavailable) && !(errors.As(err, &se) && se.status == http.StatusForbidden) {
			return err
		}
		if major == 2 {
			s.log.Warn("influxdb 2.x: could not create the database; create a bucket of that name "+
				"(2.x maps it to the database by itself) with the retention you want",
				"database", db, "retention_days", s.opts.RetentionDays, "err", err)
		} else {
			s.log.Warn("influxdb: could not create the database; writes fail until it exists",
				"database", db, "retention_days", s.opts.RetentionDays, "err", err)
		}
		return nil
	}
	s.log.Info("influxdb: created database", "database", db, "retention", dur, "shard_duration", shard,
		"retention_policy", RetentionPolicy)
	return nil
}

// logExistingRetention says what the default retention policy of an existing
// database keeps when it is not what the options ask for.
func (s *Store) logExistingRetention(res influxQLResult) {
	want, _ := retention(s.opts.RetentionDays)
	for _, r := range res.rows {
		if def, _ := r["default"].(bool); !def {
			continue
		}
		name, _ := r["name"].(string)
		have, _ := r["duration"].(string)
		if !sameDuration(have, want) {
			s.log.Info("influxdb: database exists; its default retention policy is left as it is",
				"database", s.opts.Database, "retention_policy", name, "duration", have,
				"configured_days", s.opts.RetentionDays)
		}
	}
}

// sameDuration compares an InfluxQL duration ("17520h0m0s", "0s" for
// infinite) with "730d" or "INF".
func sameDuration(have, want string) bool {
	d, err := time.ParseDuration(have)
	if err != nil {
		return false
	}
	if want == "INF" {
		return d == 0
	}
	days, err := strconv.Atoi(strings.TrimSuffix(want, "d"))
	return err == nil && d == time.Duration(days)*24*time.Hour
}

// createDatabaseV3 creates the database with its retention period on
// InfluxDB 3. 409 means it exists; anything else short of an unreachable
// server or refused credentials is logged (3.x creates a database on the
// first write anyway, without a retention period).
func (s *Store) createDatabaseV3(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	body := map[string]string{"db": s.opts.Database}
	if s.opts.RetentionDays > 0 {
		body["retention_period"] = fmt.Sprintf("%dd", s.opts.RetentionDays)
	}
	b, _ := json.Marshal(body)
	resp, err := s.request(ctx, http.MethodPost, "/api/v3/configure/database", nil, strings.NewReader(string(b)), "application/json")
	if err != nil {
		var se *statusError
		if errors.As(err, &se) && se.status == http.StatusForbidden {
			s.log.Warn("influxdb 3: not allowed to create the database; it is created on the first write without a retention period",
				"database", s.opts.Database, "err", err)
			return nil
		}
		return err
	}
	switch {
	case resp.StatusCode/100 == 2:
		_ = resp.Body.Close()
		s.log.Info("influxdb 3: created database", "database", s.opts.Database, "retention_days", s.opts.RetentionDays)
	case resp.StatusCode == http.StatusConflict:
		_ = resp.Body.Close()
	default:
		s.log.Warn("influxdb 3: could not create the database; it is created on the first write without a retention period",
			"database", s.opts.Database, "status", resp.StatusCode, "err", readError(resp))
	}
	return nil
}
