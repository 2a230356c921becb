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

// minTime is InfluxDB's earliest timestamp (int64 nanoseconds).
var minTime = time.Unix(0, -1<<63+1)

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
	if p.Series == store.SeriesStandings {
		return encodeStanding(p, now, appendOnly)
	}
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
			SetStringField("venue", p.Venue).
			SetStringField("broadcasts", p.Broadcasts).
			SetIntegerField("schedule_version", int64(p.ScheduleVersion))
		var changed int64
		if !p.ScheduleChangedAt.IsZero() {
			changed = p.ScheduleChangedAt.UnixNano()
		}
		pt.SetIntegerField("schedule_changed_at", changed)
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

// encodeStanding builds the line protocol of a standings row: the team's
// ESPN id and the season are tags, the entry's values fields. On InfluxDB
// 3 the row carries a version tag like every other point.
func encodeStanding(p *store.Point, now time.Time, appendOnly bool) ([]byte, error) {
	e := p.Standing
	pt := influxdb3.NewPointWithMeasurement(p.Measurement()).
		SetTag("team_id", e.TeamID).
		SetTag("season", strconv.Itoa(p.Season)).
		SetStringField("team", e.Team).
		SetStringField("team_name", e.TeamName).
		SetStringField("group_name", e.Group).
		SetStringField("group_abbr", e.GroupAbbr).
		SetIntegerField("position", int64(e.Position)).
		SetIntegerField("games_played", int64(e.GamesPlayed)).
		SetIntegerField("wins", int64(e.Wins)).
		SetIntegerField("losses", int64(e.Losses)).
		SetIntegerField("ties", int64(e.Ties)).
		SetIntegerField("ot_losses", int64(e.OTLosses)).
		SetDoubleField("points", e.Points).
		SetIntegerField("points_for", int64(e.PointsFor)).
		SetIntegerField("points_against", int64(e.PointsAgainst)).
		SetDoubleField("win_percent", e.WinPercent).
		SetDoubleField("games_behind", e.GamesBehind).
		SetStringField("streak", e.Streak).
		SetStringField("clincher", e.Clincher).
		SetStringField("note", e.Note).
		SetStringField("summary", e.Summary).
		SetTimestamp(p.Time)
	if appendOnly {
		pt.SetTag(versionTag, strconv.FormatInt(now.UnixNano(), 10))
	}
	return pt.MarshalBinary(influxdb3.Nanosecond)
}

// Write sends the points, up to 5000 lines per request. Errors wrap
// store.ErrUnavailable (server unreachable, refusing the credentials, or
// at one of InfluxDB 3's limits of databases, tables or columns: try again
// later), ErrRejected (the server refused points, the others were stored;
// a *BeyondRetentionError when they are older than the retention) or
// ErrInvalidPoint (nothing was sent).
func (s *Store) Write(ctx context.Context, points []store.Point) error {
	if len(points) == 0 {
		return nil
	}
	if err := store.Validate(points); err != nil {
		return fmt.Errorf("influx: %w", err)
	}
	c, err := s.connect(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	chunks, expired, err := encodeChunks(points, now, c.appendOnly, s.retentionCutoff(c, now))
	if err != nil {
		return err
	}

	// A refused chunk does not stop the others: what the server refuses
	// stays refused, and the rest of a backfill must still land. A server
	// that cannot be reached stops the batch, which is written again later.
	var retention *BeyondRetentionError
	if expired > 0 {
		retention = &BeyondRetentionError{Database: s.opts.Database, Dropped: expired,
			Message: fmt.Sprintf("not sent: older than the %d days InfluxDB 3 keeps (it would drop them without saying so)", s.opts.RetentionDays)}
	}
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

// retentionCutoff is the time before which InfluxDB 3 drops points: the
// retention period the store gives the database it creates. InfluxDB 3
// answers 204 to a write of such points and stores nothing (1.8 and 2.x
// report them), so the store keeps them back and reports them itself. Zero
// for 1.8, 2.x and a database kept forever.
func (s *Store) retentionCutoff(c conn, now time.Time) time.Time {
	if !c.appendOnly || s.opts.RetentionDays == 0 {
		return time.Time{}
	}
	return now.Add(-time.Duration(s.opts.RetentionDays) * 24 * time.Hour)
}

// encodeChunks builds the request bodies, up to maxLinesPerRequest lines
// each, and counts the points older than cutoff, which it leaves out.
func encodeChunks(points []store.Point, now time.Time, appendOnly bool, cutoff time.Time) (chunks [][]byte, expired int, err error) {
	var buf bytes.Buffer
	lines := 0
	for i := range points {
		if points[i].Time.Before(cutoff) {
			expired++
			continue
		}
		// A nanosecond apart, so rows of one batch keep their order.
		b, err := encodePoint(&points[i], now.Add(time.Duration(i)), appendOnly)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: game %s: %v", ErrInvalidPoint, points[i].GameID, err)
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
	return chunks, expired, nil
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
			return unavailable("database %q does not exist and could not be created (InfluxDB 2.x: create a bucket of that name)", s.opts.Database)
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
	var pw *influxdb3.PartialWriteError
	switch {
	case se.StatusCode == http.StatusUnauthorized || se.StatusCode == http.StatusForbidden:
		return s.refused(unauthorized(fmt.Sprintf("write: HTTP %d: %s", se.StatusCode, msg)))
	case se.StatusCode == http.StatusNotFound && strings.Contains(msg, "database not found"),
		se.StatusCode == http.StatusNotFound && strings.Contains(msg, "bucket") && strings.Contains(msg, "not found"):
		return fmt.Errorf("%w: %s", errDatabaseNotFound, msg)
	case errors.As(err, &pw):
		return partialWrite(pw)
	case atLimit(msg):
		// InfluxDB 3 holds so many databases (Core: 5) that it creates no
		// other: the server's state, not the points', so they are kept.
		return unavailable("write: HTTP %d: %s", se.StatusCode, msg)
	case se.StatusCode == http.StatusBadRequest && strings.Contains(msg, "orgID or org"):
		// 2.x without INFLUXDB_ORG: a setting to fix, the points are kept.
		return unavailable("write: HTTP %d: %s (set INFLUXDB_ORG to the bucket's organisation)", se.StatusCode, msg)
	case strings.Contains(msg, "beyond retention"), strings.Contains(msg, "outside retention policy"):
		// 1.8: "points beyond retention policy dropped=N"; 2.7: "partial
		// write: dropped N points outside retention policy of duration
		// ... dropped=N".
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

// atLimit tells InfluxDB 3's refusals for its limits of databases, tables
// and columns ("Adding a new database would exceed limit of 5 databases",
// "Update to schema would exceed number of tables limit of 2000 tables").
func atLimit(msg string) bool {
	return strings.Contains(msg, "would exceed") && strings.Contains(msg, "limit")
}

// partialWrite reads InfluxDB 3's answer to a write some lines of which it
// refused (the others are stored): lines refused for the server's limits
// make the whole write fail as unavailable, to be written again, since
// another request may succeed once the limit is raised or room is made;
// lines refused for what they are (a field of another type) are rejected.
func partialWrite(pw *influxdb3.PartialWriteError) error {
	var limits, other []string
	for _, le := range pw.LineErrors {
		line := fmt.Sprintf("line %d: %s", le.LineNumber, le.ErrorMessage)
		if atLimit(le.ErrorMessage) {
			limits = append(limits, line)
		} else {
			other = append(other, line)
		}
	}
	if len(limits) > 0 {
		return unavailable("write: HTTP %d: %d line(s) refused for a limit of the server: %s",
			pw.StatusCode, len(limits), strings.Join(first(limits, 3), "; "))
	}
	return fmt.Errorf("%w: HTTP %d: %d line(s) refused, the others stored: %s",
		ErrRejected, pw.StatusCode, len(other), strings.Join(first(other, 3), "; "))
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
