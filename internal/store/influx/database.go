package influx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/store"
)

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
	if res.err == "" && major == 2 && len(res.rows) == 0 {
		// 2.7 answers a missing bucket with no retention policies rather
		// than "database not found"; a bucket always has one (autogen).
		s.log.Warn("influxdb 2.x: no bucket of that name; create a bucket of that name (2.x maps it to the database by itself) "+
			"with the retention you want; points are kept until it exists",
			"database", db, "org", s.opts.Org, "retention_days", s.opts.RetentionDays)
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
