package flighttest

import (
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/influxdata/line-protocol/v2/lineprotocol"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// timeLayout is how time is stored: fixed width, so that text order is time
// order and a bound RFC 3339 parameter compares correctly.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// columnKind is what a column holds, as InfluxDB 3 reports it.
type columnKind int

const (
	kindTag columnKind = iota + 1
	kindInt
	kindUint
	kindFloat
	kindString
	kindBool
	kindTime
)

func (k columnKind) String() string {
	switch k {
	case kindTag:
		return "tag"
	case kindInt:
		return "integer"
	case kindUint:
		return "unsigned integer"
	case kindFloat:
		return "float"
	case kindString:
		return "string"
	case kindBool:
		return "boolean"
	case kindTime:
		return "timestamp"
	}
	return "unknown"
}

func (k columnKind) sqlType() string {
	switch k {
	case kindInt, kindUint, kindBool:
		return "INTEGER"
	case kindFloat:
		return "REAL"
	}
	return "TEXT"
}

// database is one InfluxDB database: an in-memory SQLite database whose
// measurement "m" is a view over the table "_lp_m". The table's key is a
// hidden series key and the time in nanoseconds, so that a point replaces
// the one with the same tag set and time; the view hides both.
type database struct {
	sql *sql.DB

	mu     sync.Mutex // serialises writes and guards tables
	tables map[string]map[string]columnKind
}

func openDatabase() (*database, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, err
	}
	// One connection: every connection to ":memory:" is its own database.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	return &database{sql: db, tables: map[string]map[string]columnKind{}}, nil
}

// columnKinds returns the kind of every column of every table; a name used
// with two kinds in two tables keeps the first one seen in name order.
func (d *database) columnKinds() map[string]columnKind {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string]columnKind{}
	names := make([]string, 0, len(d.tables))
	for n := range d.tables {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for c, k := range d.tables[n] {
			if _, ok := out[c]; !ok {
				out[c] = k
			}
		}
	}
	return out
}

// LineError is one rejected line, in InfluxDB 3's partial-write format.
type LineError struct {
	OriginalLine string `json:"original_line"`
	LineNumber   int    `json:"line_number"`
	ErrorMessage string `json:"error_message"`
}

type value struct {
	kind columnKind
	v    any
}

type point struct {
	line        string
	lineNo      int
	measurement string
	tags        [][2]string // sorted by key
	fields      map[string]value
	time        time.Time
}

func parsePrecision(p string) (lineprotocol.Precision, error) {
	switch p {
	case "", "ns", "nanosecond", "auto":
		return lineprotocol.Nanosecond, nil
	case "us", "microsecond":
		return lineprotocol.Microsecond, nil
	case "ms", "millisecond":
		return lineprotocol.Millisecond, nil
	case "s", "second":
		return lineprotocol.Second, nil
	}
	return 0, fmt.Errorf("invalid precision %q", p)
}

// ingest stores every valid line of body and reports the others; like
// InfluxDB, valid lines are kept when others are rejected.
func (d *database) ingest(body []byte, prec lineprotocol.Precision, now time.Time) ([]LineError, error) {
	lines := strings.Split(string(body), "\n")
	var lineErrs []LineError
	var points []point
	for i, line := range lines {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		p, err := parseLine(line, prec, now)
		if err != nil {
			lineErrs = append(lineErrs, LineError{OriginalLine: line, LineNumber: i + 1, ErrorMessage: err.Error()})
			continue
		}
		p.line, p.lineNo = line, i+1
		points = append(points, p)
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	tx, err := d.sql.Begin()
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	// Rows of one measurement mostly share their columns: parse each
	// statement once per request.
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			_ = st.Close()
		}
	}()
	for _, p := range points {
		msg, err := d.upsert(tx, stmts, p)
		if err != nil {
			return nil, err
		}
		if msg != "" {
			lineErrs = append(lineErrs, LineError{OriginalLine: p.line, LineNumber: p.lineNo, ErrorMessage: msg})
		}
	}
	sort.SliceStable(lineErrs, func(i, j int) bool { return lineErrs[i].LineNumber < lineErrs[j].LineNumber })
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return lineErrs, nil
}

func parseLine(line string, prec lineprotocol.Precision, now time.Time) (point, error) {
	dec := lineprotocol.NewDecoderWithBytes([]byte(line + "\n"))
	if !dec.Next() {
		return point{}, errors.New("empty line")
	}
	m, err := dec.Measurement()
	if err != nil {
		return point{}, err
	}
	p := point{measurement: string(m), fields: map[string]value{}}
	seen := map[string]bool{}
	for {
		k, v, err := dec.NextTag()
		if err != nil {
			return point{}, err
		}
		if k == nil {
			break
		}
		if seen[string(k)] {
			return point{}, fmt.Errorf("duplicate tag %q", k)
		}
		seen[string(k)] = true
		p.tags = append(p.tags, [2]string{string(k), string(v)})
	}
	sort.Slice(p.tags, func(i, j int) bool { return p.tags[i][0] < p.tags[j][0] })
	for {
		k, v, err := dec.NextField()
		if err != nil {
			return point{}, err
		}
		if k == nil {
			break
		}
		name := string(k)
		if seen[name] || name == "time" {
			return point{}, fmt.Errorf("field %q clashes with a tag or time", name)
		}
		switch v.Kind() {
		case lineprotocol.Int:
			p.fields[name] = value{kindInt, v.IntV()}
		case lineprotocol.Uint:
			p.fields[name] = value{kindUint, v.UintV()}
		case lineprotocol.Float:
			p.fields[name] = value{kindFloat, v.FloatV()}
		case lineprotocol.String:
			p.fields[name] = value{kindString, v.StringV()}
		case lineprotocol.Bool:
			p.fields[name] = value{kindBool, v.BoolV()}
		default:
			return point{}, fmt.Errorf("field %q has an unknown type", name)
		}
	}
	if len(p.fields) == 0 {
		return point{}, errors.New("no fields")
	}
	ts, err := dec.Time(prec, now)
	if err != nil {
		return point{}, err
	}
	p.time = ts.UTC()
	if dec.Next() {
		return point{}, errors.New("more than one line")
	}
	if err := dec.Err(); err != nil {
		return point{}, err
	}
	return p, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// upsert stores one point. It returns a message (and stores nothing) when the
// point conflicts with the column types already in place.
func (d *database) upsert(tx *sql.Tx, stmts map[string]*sql.Stmt, p point) (string, error) {
	cols, ok := d.tables[p.measurement]
	if !ok {
		if p.measurement == "" || strings.HasPrefix(p.measurement, "_lp_") || strings.HasPrefix(p.measurement, "sqlite_") {
			return fmt.Sprintf("invalid measurement name %q", p.measurement), nil
		}
		if _, err := tx.Exec(`CREATE TABLE ` + quoteIdent("_lp_"+p.measurement) +
			` ("_series" INTEGER NOT NULL, "_ns" INTEGER NOT NULL, "time" TEXT NOT NULL, PRIMARY KEY ("_series", "_ns")) WITHOUT ROWID`); err != nil {
			return "", err
		}
		cols = map[string]columnKind{"time": kindTime}
		d.tables[p.measurement] = cols
	}
	for _, t := range p.tags {
		if k, ok := cols[t[0]]; ok && k != kindTag {
			return fmt.Sprintf("tag %q is a %s column of %s", t[0], k, p.measurement), nil
		}
	}
	for name, v := range p.fields {
		if k, ok := cols[name]; ok && k != v.kind {
			return fmt.Sprintf("invalid column type for column '%s', expected %s, got %s", name, k, v.kind), nil
		}
	}
	added := false
	for _, t := range p.tags {
		if _, ok := cols[t[0]]; !ok {
			if err := addColumn(tx, p.measurement, t[0], kindTag); err != nil {
				return "", err
			}
			cols[t[0]] = kindTag
			added = true
		}
	}
	for name, v := range p.fields {
		if _, ok := cols[name]; !ok {
			if err := addColumn(tx, p.measurement, name, v.kind); err != nil {
				return "", err
			}
			cols[name] = v.kind
			added = true
		}
	}
	if added || !ok {
		if err := recreateView(tx, p.measurement, cols); err != nil {
			return "", err
		}
	}

	names := []string{`"_series"`, `"_ns"`, `"time"`}
	args := []any{seriesKey(p.tags), p.time.UnixNano(), p.time.Format(timeLayout)}
	for _, t := range p.tags {
		names = append(names, quoteIdent(t[0]))
		args = append(args, t[1])
	}
	fieldNames := make([]string, 0, len(p.fields))
	for name := range p.fields {
		fieldNames = append(fieldNames, name)
	}
	sort.Strings(fieldNames)
	var updates []string
	for _, name := range fieldNames {
		v := p.fields[name]
		names = append(names, quoteIdent(name))
		switch x := v.v.(type) {
		case uint64:
			args = append(args, int64(x))
		case bool:
			if x {
				args = append(args, int64(1))
			} else {
				args = append(args, int64(0))
			}
		default:
			args = append(args, x)
		}
		updates = append(updates, quoteIdent(name)+" = excluded."+quoteIdent(name))
	}
	placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")
	stmt := `INSERT INTO ` + quoteIdent("_lp_"+p.measurement) + ` (` + strings.Join(names, ", ") + `) VALUES (` +
		placeholders + `) ON CONFLICT ("_series", "_ns") DO UPDATE SET ` + strings.Join(updates, ", ")
	st, ok := stmts[stmt]
	if !ok {
		var err error
		if st, err = tx.Prepare(stmt); err != nil {
			return "", err
		}
		stmts[stmt] = st
	}
	if _, err := st.Exec(args...); err != nil {
		return "", err
	}
	return "", nil
}

// seriesKey hashes the tag set: a compact key keeps the SQLite index small.
// A 64-bit collision among the few thousand series of a test is not a
// practical concern.
func seriesKey(tags [][2]string) int64 {
	h := fnv.New64a()
	for _, t := range tags {
		// \x00 and \x01 cannot occur in line protocol keys or values.
		h.Write([]byte(t[0]))
		h.Write([]byte{0})
		h.Write([]byte(t[1]))
		h.Write([]byte{1})
	}
	return int64(h.Sum64())
}

func addColumn(tx *sql.Tx, measurement, name string, k columnKind) error {
	_, err := tx.Exec(`ALTER TABLE ` + quoteIdent("_lp_"+measurement) + ` ADD COLUMN ` + quoteIdent(name) + ` ` + k.sqlType())
	return err
}

// recreateView exposes the columns in InfluxDB 3's order for SELECT *: tags
// and fields by name, then time.
func recreateView(tx *sql.Tx, measurement string, cols map[string]columnKind) error {
	names := make([]string, 0, len(cols))
	for c := range cols {
		if c != "time" {
			names = append(names, c)
		}
	}
	sort.Strings(names)
	names = append(names, "time")
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = quoteIdent(n)
	}
	if _, err := tx.Exec(`DROP VIEW IF EXISTS ` + quoteIdent(measurement)); err != nil {
		return err
	}
	_, err := tx.Exec(`CREATE VIEW ` + quoteIdent(measurement) + ` AS SELECT ` + strings.Join(quoted, ", ") +
		` FROM ` + quoteIdent("_lp_"+measurement))
	return err
}
