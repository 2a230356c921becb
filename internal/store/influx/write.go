package influx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/InfluxCommunity/influxdb3-go/v2/influxdb3"

	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// maxLinesPerRequest splits large batches: InfluxDB handles 5000-line
// requests best and a smaller request fails less at once.
const maxLinesPerRequest = 5000

// InfluxDB's timestamps are int64 nanoseconds.
var (
	minTime = time.Unix(0, -1<<63+1)
	maxTime = time.Unix(0, 1<<63-1)
)

// versionTag tells the versions of a row apart on InfluxDB 3 (encodePoint).
const versionTag = "version"

// periodField is the field that holds the period in the scores series.
func periodField(leagueKey string) string {
	if l, ok := league.Lookup(leagueKey); ok && l.PeriodField != "" {
		return l.PeriodField
	}
	return "period"
}

// encodePoint builds the line protocol of one point. Every integer is an
// int64 (1.8 rejects unsigned integers) and every field is written even when
// empty (InfluxDB merges a rewrite field by field).
//
// A games row without ObservedAt gets now: the store records when the row
// was written, so that the later write of a rescheduled game wins.
//
// With appendOnly (InfluxDB 3) every point also carries the tag version, so
// that a rewrite is a row of its own rather than an overwrite: InfluxDB 3
// does not reliably keep the last of two points with the same tags and
// time (docs/storage.md), so readers pick the newest version themselves. A
// games row's version is its ObservedAt (writing the same version again
// lands on the same row, with the same values); a score point's is now.
func encodePoint(p *store.Point, now time.Time, appendOnly bool) ([]byte, error) {
	pt := influxdb3.NewPointWithMeasurement(p.Measurement()).
		SetTag("game_id", p.GameID).
		SetTag("season", strconv.Itoa(p.Season)).
		SetTag("season_type", strconv.Itoa(p.SeasonType)).
		SetTag("week", strconv.Itoa(p.Week)).
		SetTag("home_team", p.HomeTeam).
		SetTag("away_team", p.AwayTeam).
		SetIntegerField("home_score", int64(p.HomeScore)).
		SetIntegerField("away_score", int64(p.AwayScore)).
		SetStringField("time_remaining", p.TimeRemaining).
		SetStringField("status_detail", p.StatusDetail).
		SetTimestamp(p.Time)
	switch p.Series {
	case store.SeriesScores:
		pt.SetTag("status", p.Status).
			SetTag("home_conference", p.HomeConference).
			SetTag("away_conference", p.AwayConference).
			SetTag("home_division", p.HomeDivision).
			SetTag("away_division", p.AwayDivision).
			SetStringField(periodField(p.League), strconv.Itoa(p.Period))
	case store.SeriesGames:
		pt.SetStringField("status", p.Status).
			SetStringField("period", strconv.Itoa(p.Period)).
			SetStringField("home_conference", p.HomeConference).
			SetStringField("away_conference", p.AwayConference).
			SetStringField("home_division", p.HomeDivision).
			SetStringField("away_division", p.AwayDivision).
			SetStringField("home_team_id", p.HomeTeamID).
			SetStringField("away_team_id", p.AwayTeamID).
			SetStringField("home_team_name", p.HomeTeamName).
			SetStringField("away_team_name", p.AwayTeamName).
			SetStringField("venue", p.Venue)
		observed := p.ObservedAt
		if observed.IsZero() {
			observed = now
		}
		pt.SetIntegerField("observed_at", observed.UnixNano())
		if appendOnly {
			pt.SetTag(versionTag, strconv.FormatInt(observed.UnixNano(), 10))
		}
	}
	if appendOnly && p.Series == store.SeriesScores {
		pt.SetTag(versionTag, strconv.FormatInt(now.UnixNano(), 10))
	}
	return pt.MarshalBinary(influxdb3.Nanosecond)
}

// Write sends the points, up to 5000 lines per request. Errors wrap
// store.ErrUnavailable (server unreachable or refusing the credentials: try
// again later), ErrRejected (the server refused points; a
// *BeyondRetentionError when they are older than the retention policy) or
// ErrInvalidPoint (nothing was sent).
func (s *Store) Write(ctx context.Context, points []store.Point) error {
	if len(points) == 0 {
		return nil
	}
	var chunks [][]byte
	var buf bytes.Buffer
	lines := 0
	now := time.Now()
	if err := store.Validate(points); err != nil {
		return fmt.Errorf("influx: %w", err)
	}
	c, err := s.connect(ctx)
	if err != nil {
		return err
	}
	for i := range points {
		// A nanosecond apart, so rows of one batch keep their order.
		b, err := encodePoint(&points[i], now.Add(time.Duration(i)), c.appendOnly)
		if err != nil {
			return fmt.Errorf("%w: game %s: %v", ErrInvalidPoint, points[i].GameID, err)
		}
		buf.Write(b)
		lines++
		if lines == maxLinesPerRequest {
			chunks = append(chunks, bytes.Clone(buf.Bytes()))
			buf.Reset()
			lines = 0
		}
	}
	if buf.Len() > 0 {
		chunks = append(chunks, buf.Bytes())
	}

	// A refused chunk does not stop the others: what the server refuses
	// stays refused, and the rest of a backfill must still land. A server
	// that cannot be reached stops the batch, which is written again later.
	var retention *BeyondRetentionError
	var rejected []error
	for _, chunk := range chunks {
		err := s.writeChunk(ctx, chunk)
		var br *BeyondRetentionError
		switch {
		case err == nil:
		case errors.As(err, &br):
			if retention == nil {
				retention = br
			} else {
				retention.Dropped += br.Dropped
			}
		case errors.Is(err, ErrRejected):
			rejected = append(rejected, err)
		default:
			return err
		}
	}
	if retention != nil {
		rejected = append([]error{retention}, rejected...)
	}
	if len(rejected) == 1 {
		return rejected[0]
	}
	return errors.Join(rejected...)
}

func (s *Store) writeChunk(ctx context.Context, body []byte) error {
	c, err := s.connect(ctx)
	if err != nil {
		return err
	}
	err = s.send(ctx, c, body)
	if errors.Is(err, errDatabaseNotFound) {
		// The database went away (a server wiped and restarted): set up
		// again, which creates it, and retry once.
		s.invalidate(err)
		if c, err = s.connectWith(ctx, true); err != nil {
			return err
		}
		err = s.send(ctx, c, body)
		if errors.Is(err, errDatabaseNotFound) {
			return unavailable("database %q does not exist and could not be created", s.opts.Database)
		}
	}
	return err
}

var errDatabaseNotFound = errors.New("database not found")

var droppedCount = regexp.MustCompile(`dropped=(\d+)`)

func (s *Store) send(ctx context.Context, c conn, body []byte) error {
	wctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	err := c.client.Write(wctx, body)
	if err == nil {
		s.bytes.Add(int64(len(body)))
		s.accepted()
		return nil
	}
	var se *influxdb3.ServerError
	if !errors.As(err, &se) {
		if ctx.Err() != nil {
			return fmt.Errorf("influx: write: %w", context.Cause(ctx))
		}
		err = unavailable("write: %v", err)
		s.markDown(err)
		return err
	}
	msg := se.Message
	switch {
	case se.StatusCode == http.StatusUnauthorized || se.StatusCode == http.StatusForbidden:
		return s.refused(unauthorized(fmt.Sprintf("write: HTTP %d: %s", se.StatusCode, msg)))
	case se.StatusCode == http.StatusNotFound && strings.Contains(msg, "database not found"),
		se.StatusCode == http.StatusNotFound && strings.Contains(msg, "bucket") && strings.Contains(msg, "not found"):
		return fmt.Errorf("%w: %s", errDatabaseNotFound, msg)
	case strings.Contains(msg, "beyond retention"):
		e := &BeyondRetentionError{Database: s.opts.Database, Message: msg}
		if m := droppedCount.FindStringSubmatch(msg); m != nil {
			e.Dropped, _ = strconv.Atoi(m[1])
		}
		return e
	case se.StatusCode == http.StatusBadRequest || se.StatusCode == http.StatusRequestEntityTooLarge ||
		se.StatusCode == http.StatusUnprocessableEntity:
		return fmt.Errorf("%w: HTTP %d: %s", ErrRejected, se.StatusCode, msg)
	}
	err = unavailable("write: HTTP %d: %s", se.StatusCode, msg)
	s.markDown(err)
	return err
}
