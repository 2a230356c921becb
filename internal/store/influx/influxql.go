package influx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/sports-data/sports-data/internal/redact"
)

// row is one result row, column name to value: string, int64, float64,
// bool or nil; "time" is unix nanoseconds (int64).
type row map[string]any

type influxQLResult struct {
	rows []row
	err  string // the error InfluxDB reported inside the result
}

// influxQLResponse is one JSON object of a /query answer; chunked answers
// are a stream of them, a series possibly split over several.
type influxQLResponse struct {
	Results []struct {
		Series []struct {
			Name    string            `json:"name"`
			Tags    map[string]string `json:"tags"`
			Columns []string          `json:"columns"`
			Values  [][]any           `json:"values"`
		} `json:"series"`
		Error string `json:"error"`
	} `json:"results"`
	Error string `json:"error"`
}

// influxQL runs one statement through /query with bound parameters: user
// values travel in params, never in the statement text. A result error
// (such as a missing database) comes back in influxQLResult.err.
func (s *Store) influxQL(ctx context.Context, method, stmt string, params map[string]any) (influxQLResult, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	q := url.Values{}
	q.Set("q", stmt)
	q.Set("db", s.opts.Database)
	// Integer times, and chunks so that no server-side row limit truncates
	// the answer.
	q.Set("epoch", "ns")
	q.Set("chunked", "true")
	q.Set("chunk_size", "10000")
	if len(params) > 0 {
		b, err := json.Marshal(params)
		if err != nil {
			return influxQLResult{}, fmt.Errorf("influx: params: %w", err)
		}
		q.Set("params", string(b))
	}
	var resp *http.Response
	var err error
	if method == http.MethodPost {
		// InfluxDB 1.x wants statements that change things in a POST body.
		resp, err = s.request(ctx, http.MethodPost, "/query", nil, strings.NewReader(q.Encode()), "application/x-www-form-urlencoded")
	} else {
		resp, err = s.request(ctx, http.MethodGet, "/query", q, nil, "")
	}
	if err != nil {
		return influxQLResult{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg := readError(resp)
		if resp.StatusCode == http.StatusNotFound && strings.Contains(msg, "database not found") {
			return influxQLResult{err: msg}, nil
		}
		if resp.StatusCode == http.StatusNotFound {
			return influxQLResult{}, unavailable("%s /query: HTTP 404: %s (is %s an InfluxDB 1.8+/2.x server?)", method, msg, redact.Password(s.opts.URL))
		}
		return influxQLResult{}, fmt.Errorf("influx: %s /query: HTTP %d: %s", method, resp.StatusCode, msg)
	}
	return decodeInfluxQL(resp.Body)
}

// influxQLStatement runs a statement without parameters (administration).
func (s *Store) influxQLStatement(ctx context.Context, method, stmt string) (influxQLResult, error) {
	return s.influxQL(ctx, method, stmt, nil)
}

func decodeInfluxQL(body io.Reader) (influxQLResult, error) {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	var out influxQLResult
	for {
		var r influxQLResponse
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return influxQLResult{}, unavailable("reading /query answer: %v", err)
		}
		if r.Error != "" {
			return influxQLResult{}, fmt.Errorf("influx: query: %s", r.Error)
		}
		for _, res := range r.Results {
			if res.Error != "" {
				out.err = res.Error
				continue
			}
			for _, ser := range res.Series {
				for _, vals := range ser.Values {
					rw := make(row, len(ser.Columns)+len(ser.Tags))
					for k, v := range ser.Tags {
						rw[k] = v
					}
					for i, c := range ser.Columns {
						if i < len(vals) {
							rw[c] = jsonValue(vals[i])
						}
					}
					out.rows = append(out.rows, rw)
				}
			}
		}
	}
}

// jsonValue turns a decoded JSON value into the row vocabulary.
func jsonValue(v any) any {
	n, ok := v.(json.Number)
	if !ok {
		return v
	}
	if i, err := n.Int64(); err == nil {
		return i
	}
	if f, err := n.Float64(); err == nil {
		return f
	}
	return n.String()
}
