package influx

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/InfluxCommunity/influxdb3-go/v2/influxdb3"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// sqlRows runs a SQL query over Flight with bound $parameters. A missing
// table or database reads as no rows: nothing has been written yet.
func (s *Store) sqlRows(ctx context.Context, c conn, stmt string, params map[string]any) ([]row, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	it, err := c.client.QueryWithParameters(ctx, stmt, params, influxdb3.WithQueryType(influxdb3.SQL))
	if err != nil {
		return nil, s.flightError(err)
	}
	// The raw reader instead of the iterator: the iterator panics on
	// column types it does not know.
	rd := it.Raw()
	if rd == nil {
		return nil, errors.New("influx: flight reader unavailable")
	}
	defer rd.Release()
	var out []row
	for rd.Next() {
		rec := rd.RecordBatch()
		schema := rec.Schema()
		for i := 0; i < int(rec.NumRows()); i++ {
			r := make(row, rec.NumCols())
			for ci, col := range rec.Columns() {
				v, err := arrowValue(col, i)
				if err != nil {
					return nil, fmt.Errorf("influx: column %q: %w", schema.Field(ci).Name, err)
				}
				r[schema.Field(ci).Name] = v
			}
			out = append(out, r)
		}
	}
	if err := rd.Err(); err != nil {
		return nil, s.flightError(err)
	}
	s.accepted()
	return out, nil
}

// errNoRows marks the answers that mean "nothing written yet".
var errNoRows = errors.New("no rows")

func (s *Store) flightError(err error) error {
	// FromError finds a gRPC status wrapped in err (influxdb3-go and the
	// Flight reader wrap it); a status of code OK is no status at all.
	st, ok := status.FromError(err)
	if ok && st.Code() == codes.OK {
		ok = false
	}
	msg := err.Error()
	if fl := asFileLimit(msg); fl != nil {
		return fl
	}
	if ok {
		msg = st.Message()
		switch st.Code() {
		case codes.Unauthenticated, codes.PermissionDenied:
			return s.refused(unauthorized("query: " + msg))
		case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted, codes.Aborted:
			e := unavailable("query: %s", msg)
			s.markDown(e)
			return e
		}
	}
	lower := strings.ToLower(msg)
	if strings.Contains(lower, "not found") && (strings.Contains(lower, "table") || strings.Contains(lower, "database")) {
		return errNoRows
	}
	return fmt.Errorf("influx: query: %s", msg)
}

// arrowValue reads row i of a column into the row vocabulary: string,
// int64, float64, bool or nil, timestamps as unix nanoseconds.
func arrowValue(col arrow.Array, i int) (any, error) {
	if col.IsNull(i) {
		return nil, nil
	}
	switch a := col.(type) {
	case *array.String:
		return a.Value(i), nil
	case *array.LargeString:
		return a.Value(i), nil
	case *array.Int64:
		return a.Value(i), nil
	case *array.Int32:
		return int64(a.Value(i)), nil
	case *array.Uint64:
		return int64(a.Value(i)), nil
	case *array.Float64:
		return a.Value(i), nil
	case *array.Boolean:
		return a.Value(i), nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).UnixNano(), nil
	case *array.Dictionary:
		return arrowValue(a.Dictionary(), a.GetValueIndex(i))
	}
	return nil, fmt.Errorf("unsupported type %s", col.DataType())
}
