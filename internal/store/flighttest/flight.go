package flighttest

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

type flightService struct {
	flight.BaseFlightServer
	srv *Server
}

func (f *flightService) DoGet(tkt *flight.Ticket, stream flight.FlightService_DoGetServer) error {
	md, _ := metadata.FromIncomingContext(stream.Context())
	if auth := md.Get("authorization"); len(auth) != 1 || auth[0] != "Bearer "+f.srv.currentToken() {
		return status.Error(codes.Unauthenticated, "unauthenticated: invalid or missing token")
	}

	var t Ticket
	dec := json.NewDecoder(bytes.NewReader(tkt.GetTicket()))
	dec.UseNumber()
	if err := dec.Decode(&t); err != nil {
		return status.Errorf(codes.InvalidArgument, "invalid ticket: %v", err)
	}
	f.srv.recordTicket(t)
	if t.QueryType != "sql" {
		return status.Errorf(codes.Unimplemented, "query type %q is not supported here (sql only)", t.QueryType)
	}
	db, ok := f.srv.database(t.Database)
	if !ok {
		return status.Errorf(codes.NotFound, "database not found: %s", t.Database)
	}
	args, err := bindParams(t.Params)
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}

	kinds := db.columnKinds()
	rows, err := db.sql.QueryContext(stream.Context(), t.SQL, args...)
	if err != nil {
		return planningError(err)
	}
	names, err := rows.Columns()
	if err != nil {
		_ = rows.Close()
		return status.Error(codes.Internal, err.Error())
	}
	var data [][]any
	for rows.Next() {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			_ = rows.Close()
			return status.Error(codes.Internal, err.Error())
		}
		data = append(data, vals)
	}
	if err := rows.Err(); err != nil {
		_ = rows.Close()
		return planningError(err)
	}
	_ = rows.Close()

	schema := resultSchema(names, kinds, data)
	w := flight.NewRecordWriter(stream, ipc.WithSchema(schema))
	defer w.Close()
	cut := f.srv.streamCut()
	for start, sent := 0, 0; start < len(data); start, sent = start+BatchRows, sent+1 {
		if cut > 0 && sent == cut {
			return status.Error(codes.Unavailable, "flighttest: stream cut after "+fmt.Sprint(sent)+" batches")
		}
		end := min(start+BatchRows, len(data))
		rec, err := buildRecord(schema, data[start:end])
		if err != nil {
			return status.Error(codes.Internal, err.Error())
		}
		err = w.Write(rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// planningError words SQLite's complaints the way InfluxDB 3 does where a
// client may look at the text (a missing table).
func planningError(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "no such table: "); i >= 0 {
		table := strings.TrimSpace(msg[i+len("no such table: "):])
		if j := strings.Index(table, " ("); j >= 0 {
			table = table[:j]
		}
		return status.Errorf(codes.InvalidArgument,
			"Error while planning query: Error during planning: table 'public.iox.%s' not found", table)
	}
	return status.Errorf(codes.InvalidArgument, "Error while planning query: %s", msg)
}

// bindParams turns the ticket's params into SQLite named arguments. Strings
// in RFC 3339 form become the stored time text so that time comparisons
// work; JSON numbers become int64 when integral.
func bindParams(params map[string]any) ([]any, error) {
	args := make([]any, 0, len(params))
	for name, v := range params {
		switch x := v.(type) {
		case string:
			if ts, err := time.Parse(time.RFC3339Nano, x); err == nil {
				v = ts.UTC().Format(timeLayout)
			}
		case json.Number:
			if i, err := x.Int64(); err == nil {
				v = i
			} else if f, err := x.Float64(); err == nil {
				v = f
			} else {
				return nil, fmt.Errorf("parameter %q: %v", name, err)
			}
		case bool:
			if x {
				v = int64(1)
			} else {
				v = int64(0)
			}
		case nil:
		default:
			return nil, fmt.Errorf("parameter %q: unsupported type %T", name, v)
		}
		args = append(args, sql.Named(name, v))
	}
	return args, nil
}

func ioxMetadata(k columnKind) arrow.Metadata {
	var t string
	switch k {
	case kindTag:
		t = "iox::column_type::tag"
	case kindInt:
		t = "iox::column_type::field::integer"
	case kindUint:
		t = "iox::column_type::field::uinteger"
	case kindFloat:
		t = "iox::column_type::field::float"
	case kindString:
		t = "iox::column_type::field::string"
	case kindBool:
		t = "iox::column_type::field::boolean"
	case kindTime:
		t = "iox::column_type::timestamp"
	default:
		return arrow.Metadata{}
	}
	return arrow.NewMetadata([]string{"iox::column::type"}, []string{t})
}

// resultSchema types each result column: a column of a measurement keeps
// its InfluxDB type; a computed one takes the type of its first value.
func resultSchema(names []string, kinds map[string]columnKind, data [][]any) *arrow.Schema {
	fields := make([]arrow.Field, len(names))
	for i, name := range names {
		k, ok := kinds[name]
		if !ok {
			k = inferKind(data, i)
		}
		var dt arrow.DataType
		switch k {
		case kindInt:
			dt = arrow.PrimitiveTypes.Int64
		case kindUint:
			dt = arrow.PrimitiveTypes.Uint64
		case kindFloat:
			dt = arrow.PrimitiveTypes.Float64
		case kindBool:
			dt = arrow.FixedWidthTypes.Boolean
		case kindTime:
			dt = &arrow.TimestampType{Unit: arrow.Nanosecond}
		default:
			dt = arrow.BinaryTypes.String
		}
		fields[i] = arrow.Field{Name: name, Type: dt, Nullable: true}
		if ok {
			fields[i].Metadata = ioxMetadata(k)
		}
	}
	return arrow.NewSchema(fields, nil)
}

func inferKind(data [][]any, col int) columnKind {
	for _, row := range data {
		switch row[col].(type) {
		case int64:
			return kindInt
		case float64:
			return kindFloat
		case string, []byte:
			return kindString
		case bool:
			return kindBool
		}
	}
	return kindString
}

func buildRecord(schema *arrow.Schema, rows [][]any) (arrow.RecordBatch, error) {
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, row := range rows {
		for i, v := range row {
			if err := appendValue(b.Field(i), v); err != nil {
				return nil, fmt.Errorf("column %q: %w", schema.Field(i).Name, err)
			}
		}
	}
	return b.NewRecordBatch(), nil
}

func appendValue(fb array.Builder, v any) error {
	if v == nil {
		fb.AppendNull()
		return nil
	}
	if bs, ok := v.([]byte); ok {
		v = string(bs)
	}
	switch b := fb.(type) {
	case *array.Int64Builder:
		switch x := v.(type) {
		case int64:
			b.Append(x)
		case float64:
			b.Append(int64(x))
		default:
			return fmt.Errorf("%T in an integer column", v)
		}
	case *array.Uint64Builder:
		x, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T in an unsigned column", v)
		}
		b.Append(uint64(x))
	case *array.Float64Builder:
		switch x := v.(type) {
		case float64:
			b.Append(x)
		case int64:
			b.Append(float64(x))
		default:
			return fmt.Errorf("%T in a float column", v)
		}
	case *array.BooleanBuilder:
		x, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T in a boolean column", v)
		}
		b.Append(x != 0)
	case *array.TimestampBuilder:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%T in the time column", v)
		}
		ts, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return err
		}
		b.Append(arrow.Timestamp(ts.UnixNano()))
	case *array.StringBuilder:
		switch x := v.(type) {
		case string:
			b.Append(x)
		case int64:
			b.Append(fmt.Sprint(x))
		case float64:
			if math.IsNaN(x) {
				b.AppendNull()
			} else {
				b.Append(fmt.Sprint(x))
			}
		default:
			b.Append(fmt.Sprint(x))
		}
	default:
		return fmt.Errorf("no builder for %T", fb)
	}
	return nil
}
