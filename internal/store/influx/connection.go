package influx

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/redact"
	"github.com/sports-data/sports-data/internal/store"
)

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
	s.settled.Store(false)
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

	client, err := s.newClient(major)
	if err != nil {
		return conn{}, fmt.Errorf("influx: client: %w", err)
	}
	return conn{client: client, language: lang, version: version, appendOnly: major == 3}, nil
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
