package influx

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// InfluxDB 3 Core refuses a query that would read more Parquet files than
// its --query-file-limit (432 by default). Core writes a file per table and
// time window at every snapshot and never merges them, so the files of a
// table only grow: a season's games, a timeline without a time bound, or a
// multi-season record can ask for more. Every SQL read is therefore bounded
// in time, and when the server refuses one, the range is cut into pieces of
// at most half the limit's files each, planned from the table's file list
// (system.parquet_files), and read piece by piece. A piece refused again is
// halved, up to maxHalvings times.

// fileLimitError is InfluxDB 3's refusal of a query for its file limit.
type fileLimitError struct {
	limit int
	msg   string
}

func (e *fileLimitError) Error() string { return "influx: query: " + e.msg }

var fileLimitMessage = regexp.MustCompile(`exceed file limit of (\d+) parquet files`)

// asFileLimit recognises the refusal in a query error message.
func asFileLimit(msg string) error {
	m := fileLimitMessage.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	n, _ := strconv.Atoi(m[1])
	return &fileLimitError{limit: n, msg: msg}
}

// The widest range a read asks for: InfluxDB's timestamps are int64
// nanoseconds (1677-09-21 to 2262-04-11), and the ends are kept clear of
// those limits.
var (
	sqlEarliest = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	sqlLatest   = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

// The time bound of every SQL read; the values are bound parameters.
const rangeCondition = "time >= $range_from AND time < $range_to"

const maxHalvings = 16

// span is a half-open time range [from, to).
type span struct{ from, to time.Time }

// sqlRange runs stmt, whose WHERE includes rangeCondition, over sp, in
// pieces when the server refuses the whole (see above).
func (s *Store) sqlRange(ctx context.Context, c conn, table, stmt string, params map[string]any, sp span) ([]row, error) {
	s.settleReads(ctx, c)
	if sp.from.IsZero() {
		sp.from = sqlEarliest
	}
	if sp.to.IsZero() {
		sp.to = sqlLatest
	}
	rows, err := s.sqlSpan(ctx, c, stmt, params, sp)
	var fl *fileLimitError
	if !errors.As(err, &fl) {
		return rows, err
	}
	files, ferr := s.parquetFiles(ctx, c, table)
	if ferr != nil {
		return nil, fmt.Errorf("%w (and the file list to split the query by: %v)", err, ferr)
	}
	var out []row
	for _, piece := range splitByFiles(files, sp, max(fl.limit/2, 1)) {
		got, err := s.sqlHalving(ctx, c, stmt, params, piece, maxHalvings)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	s.log.Debug("influxdb 3: query split by its file limit", "table", table, "limit", fl.limit, "files", len(files))
	return out, nil
}

// sqlHalving reads sp, halving it while the server refuses it for its file
// limit.
func (s *Store) sqlHalving(ctx context.Context, c conn, stmt string, params map[string]any, sp span, left int) ([]row, error) {
	rows, err := s.sqlSpan(ctx, c, stmt, params, sp)
	var fl *fileLimitError
	if !errors.As(err, &fl) || left == 0 {
		return rows, err
	}
	mid := sp.from.Add(sp.to.Sub(sp.from) / 2)
	if !mid.After(sp.from) {
		return nil, err
	}
	first, err := s.sqlHalving(ctx, c, stmt, params, span{sp.from, mid}, left-1)
	if err != nil {
		return nil, err
	}
	second, err := s.sqlHalving(ctx, c, stmt, params, span{mid, sp.to}, left-1)
	if err != nil {
		return nil, err
	}
	return append(first, second...), nil
}

func (s *Store) sqlSpan(ctx context.Context, c conn, stmt string, params map[string]any, sp span) ([]row, error) {
	p := make(map[string]any, len(params)+2)
	for k, v := range params {
		p[k] = v
	}
	p["range_from"] = sp.from.UTC().Format(time.RFC3339Nano)
	p["range_to"] = sp.to.UTC().Format(time.RFC3339Nano)
	rows, err := s.sqlRows(ctx, c, stmt, p)
	if errors.Is(err, errNoRows) {
		return nil, nil
	}
	return rows, err
}

// parquetFiles lists the time ranges of a table's Parquet files.
func (s *Store) parquetFiles(ctx context.Context, c conn, table string) ([]span, error) {
	rows, err := s.sqlRows(ctx, c, "SELECT min_time, max_time FROM system.parquet_files WHERE table_name = $table",
		map[string]any{"table": table})
	if err != nil {
		return nil, err
	}
	out := make([]span, 0, len(rows))
	for _, r := range rows {
		lo, ok1 := r["min_time"].(int64)
		hi, ok2 := r["max_time"].(int64)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("influx: system.parquet_files row %v", r)
		}
		out = append(out, span{time.Unix(0, lo).UTC(), time.Unix(0, hi).UTC()})
	}
	return out, nil
}

// splitByFiles cuts sp into consecutive pieces that cover it whole, each
// starting where the files of the one before reach perPiece. A file
// (inclusive min and max time) belongs to the piece its start falls in;
// one reaching into the next piece also counts there, which the halved
// budget leaves room for.
func splitByFiles(files []span, sp span, perPiece int) []span {
	starts := make([]time.Time, 0, len(files))
	for _, f := range files {
		if f.to.Before(sp.from) || !f.from.Before(sp.to) {
			continue
		}
		starts = append(starts, f.from)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	var out []span
	from := sp.from
	for i := perPiece; i < len(starts); i += perPiece {
		cut := starts[i]
		if !cut.After(from) {
			continue // many files starting at one instant: halving takes over
		}
		out = append(out, span{from, cut})
		from = cut
	}
	return append(out, span{from, sp.to})
}
