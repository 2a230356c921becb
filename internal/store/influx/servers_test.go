package influx_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store/influx"
)

// server is one of the real servers make test starts, for tests that run
// on each.
type server struct {
	*influxtest.Server
}

// eachServer runs f against InfluxDB 1.8, 2.7 and 3 Core in turn, each a
// subtest skipped (failed under CI=true) without its server.
func eachServer(t *testing.T, f func(t *testing.T, srv server)) {
	for _, k := range []influxtest.Kind{influxtest.V1, influxtest.V2, influxtest.V3} {
		t.Run(string(k), func(t *testing.T) { f(t, sharedServer(t, k)) })
	}
}

func sharedServer(t *testing.T, k influxtest.Kind) server {
	switch k {
	case influxtest.V2:
		return server{influxtest.Shared2(t)}
	case influxtest.V3:
		return server{influxtest.Shared3(t)}
	}
	return server{&influxtest.Server{Kind: influxtest.V1, URL: influxtest.URL(t)}}
}

// database makes a database (a bucket on 2.7) of the test's own that keeps
// points for days (0: forever) and is dropped when the test ends. On 1.8
// it is only a name: the store creates it.
func (s server) database(t *testing.T, days int) string {
	t.Helper()
	switch s.Kind {
	case influxtest.V2:
		return influxtest.Bucket2(t, s.Server, time.Duration(days)*24*time.Hour)
	case influxtest.V3:
		period := ""
		if days > 0 {
			period = fmt.Sprintf("%dd", days)
		}
		return influxtest.Database3(t, s.Server, period)
	}
	return freshDatabase(t, s.URL)
}

// options are the store's options for database db of the server.
func (s server) options(db string, days int) influx.Options {
	return influx.Options{URL: s.URL, Token: s.Token, Org: s.Org, Database: db, RetentionDays: days}
}

// open opens the store on a fresh database keeping points for days.
func (s server) open(t *testing.T, days int) (*influx.Store, string) {
	t.Helper()
	db := s.database(t, days)
	return openStore(t, s.options(db, days)), db
}

// rawWrite writes line protocol (nanosecond times) straight to the server,
// past the store, the way another program would.
func (s server) rawWrite(t *testing.T, db, lines string) {
	t.Helper()
	var u string
	switch s.Kind {
	case influxtest.V1:
		u = s.URL + "/write?" + url.Values{"db": {db}, "precision": {"ns"}}.Encode()
	case influxtest.V2:
		u = s.URL + "/api/v2/write?" + url.Values{"bucket": {db}, "org": {s.Org}, "precision": {"ns"}}.Encode()
	case influxtest.V3:
		u = s.URL + "/api/v3/write_lp?" + url.Values{"db": {db}, "precision": {"nanosecond"}}.Encode()
	}
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(lines))
	require.NoError(t, err)
	if s.Token != "" {
		req.Header.Set("Authorization", "Token "+s.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusNoContent, resp.StatusCode, "raw write: %s", body)
}

// columnTypes are the columns of a measurement and their types as the
// server reports them: InfluxQL's SHOW FIELD KEYS (fields) and SHOW TAG
// KEYS (tags, as "tag") on 1.8 and 2.7; information_schema on InfluxDB 3.
func (s server) columnTypes(t *testing.T, db, measurement string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if s.Kind == influxtest.V3 {
		ans, status := sql3(t, s.Server, db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '"+measurement+"'")
		require.Equal(t, http.StatusOK, status, ans)
		for _, line := range strings.Split(strings.TrimSpace(ans), "\n") {
			var col struct {
				Name string `json:"column_name"`
				Type string `json:"data_type"`
			}
			require.NoError(t, json.Unmarshal([]byte(line), &col), line)
			out[col.Name] = col.Type
		}
		return out
	}
	_, vals := seriesValues(t, influxQL(t, s.URL, s.Token, db, `SHOW FIELD KEYS FROM "`+measurement+`"`))
	for _, v := range vals {
		out[v[0].(string)] = v[1].(string)
	}
	_, vals = seriesValues(t, influxQL(t, s.URL, s.Token, db, `SHOW TAG KEYS FROM "`+measurement+`"`))
	for _, v := range vals {
		out[v[0].(string)] = "tag"
	}
	return out
}
