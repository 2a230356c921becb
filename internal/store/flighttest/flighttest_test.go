package flighttest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/InfluxCommunity/influxdb3-go/v2/influxdb3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store/flighttest"
)

func newClient(t *testing.T, url, token, database string) *influxdb3.Client {
	t.Helper()
	c, err := influxdb3.New(influxdb3.ClientConfig{Host: url, Token: token, Database: database})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

type row = map[string]any

func query(t *testing.T, c *influxdb3.Client, sql string, params map[string]any) ([]row, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	it, err := c.QueryWithParameters(ctx, sql, params)
	if err != nil {
		return nil, err
	}
	var out []row
	for it.Next() {
		out = append(out, it.Value())
	}
	return out, it.Err()
}

func TestPingReportsVersion3(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	c := newClient(t, srv.URL(), "tok", "db")
	v, err := c.GetServerVersion()
	require.NoError(t, err)
	assert.Equal(t, flighttest.Version, v)
	assert.True(t, strings.HasPrefix(v, "3."))

	bad := newClient(t, srv.URL(), "wrong", "db")
	_, err = bad.GetServerVersion()
	var se *influxdb3.ServerError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, http.StatusUnauthorized, se.StatusCode)
}

func TestWriteThenQueryWithParameters(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	c := newClient(t, srv.URL(), "tok", "sports")
	ctx := context.Background()
	t0 := time.Date(2024, 9, 8, 17, 0, 0, 0, time.UTC)
	lp := fmt.Sprintf("nfl_scores,game_id=1,home_team=BUF home_score=7i,away_score=0i,quarter=\"1\",ratio=0.5,final=false %d\n"+
		"nfl_scores,game_id=1,home_team=BUF home_score=14i,away_score=3i,quarter=\"2\",ratio=1.5,final=true %d\n"+
		"nfl_scores,game_id=2,home_team=KC home_score=3i,away_score=0i,quarter=\"1\" %d\n",
		t0.UnixNano(), t0.Add(time.Hour).UnixNano(), t0.Add(2*time.Hour).UnixNano())
	require.NoError(t, c.Write(ctx, []byte(lp)))

	rows, err := query(t, c, `SELECT * FROM "nfl_scores" WHERE game_id = $game AND time >= $since ORDER BY time`,
		map[string]any{"game": "1", "since": t0.Add(30 * time.Minute).Format(time.RFC3339)})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	r := rows[0]
	assert.Equal(t, int64(14), r["home_score"])
	assert.Equal(t, "2", r["quarter"])
	assert.Equal(t, 1.5, r["ratio"])
	assert.Equal(t, true, r["final"])
	assert.Equal(t, "BUF", r["home_team"])
	assert.Equal(t, t0.Add(time.Hour), r["time"].(time.Time).UTC())

	// A value that looks like SQL stays a value.
	rows, err = query(t, c, `SELECT * FROM "nfl_scores" WHERE home_team = $team`, map[string]any{"team": "BUF' OR '1'='1"})
	require.NoError(t, err)
	assert.Empty(t, rows)

	tickets := srv.Tickets()
	require.NotEmpty(t, tickets)
	assert.Equal(t, "sports", tickets[0].Database)
	assert.Equal(t, "sql", tickets[0].QueryType)
	assert.Equal(t, "1", tickets[0].Params["game"])
}

func TestSameTagsAndTimeReplaceFields(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	c := newClient(t, srv.URL(), "tok", "db")
	ctx := context.Background()
	require.NoError(t, c.Write(ctx, []byte("m,a=1 x=1i,y=\"old\" 1000\nm,a=2 x=5i 1000\n")))
	require.NoError(t, c.Write(ctx, []byte("m,a=1 x=2i 1000\n")))
	rows, err := query(t, c, `SELECT * FROM m ORDER BY a`, nil)
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, int64(2), rows[0]["x"])
	assert.Equal(t, "old", rows[0]["y"], "a field the second write did not carry is kept")
	assert.Equal(t, int64(5), rows[1]["x"])
	assert.Nil(t, rows[1]["y"])
}

func TestGzipBodiesAndUnsignedAreRecorded(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	c := newClient(t, srv.URL(), "tok", "db")
	var b strings.Builder
	for i := range 200 { // well past influxdb3-go's 1000-byte gzip threshold
		fmt.Fprintf(&b, "m,i=%d u=%du %d\n", i, i, 1000+i)
	}
	require.NoError(t, c.Write(context.Background(), []byte(b.String())))
	w := srv.Writes()
	require.Len(t, w, 1)
	assert.True(t, w[0].Gzip)
	assert.Equal(t, "/api/v2/write", w[0].Path)
	assert.Equal(t, b.String(), w[0].Body)

	rows, err := query(t, c, `SELECT u FROM m WHERE i = $i`, map[string]any{"i": "7"})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, uint64(7), rows[0]["u"])
}

func TestLargeResultsComeInSeveralBatches(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	c := newClient(t, srv.URL(), "tok", "db")
	var b strings.Builder
	n := flighttest.BatchRows*2 + 17
	for i := range n {
		fmt.Fprintf(&b, "m,i=%d v=%di %d\n", i, i, 1000+i)
	}
	require.NoError(t, c.Write(context.Background(), []byte(b.String())))
	it, err := c.Query(context.Background(), `SELECT * FROM m ORDER BY time`)
	require.NoError(t, err)
	reader := it.Raw()
	defer reader.Release()
	batches, rows := 0, 0
	for reader.Next() {
		batches++
		rows += int(reader.RecordBatch().NumRows())
	}
	require.NoError(t, reader.Err())
	assert.Equal(t, 3, batches)
	assert.Equal(t, n, rows)
}

func TestTypeConflictIsAPartialWrite(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	c := newClient(t, srv.URL(), "tok", "db")
	ctx := context.Background()
	require.NoError(t, c.Write(ctx, []byte("m,a=1 x=1i 1000\n")))
	err := c.Write(ctx, []byte("m,a=2 x=1.5 2000\nm,a=3 x=3i 3000\n"))
	var pw *influxdb3.PartialWriteError
	require.ErrorAs(t, err, &pw)
	require.Len(t, pw.LineErrors, 1)
	assert.Equal(t, 1, pw.LineErrors[0].LineNumber)
	rows, err := query(t, c, `SELECT * FROM m ORDER BY time`, nil)
	require.NoError(t, err)
	assert.Len(t, rows, 2, "the valid line of the batch is kept")
}

func TestQueryErrors(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	c := newClient(t, srv.URL(), "tok", "db")
	require.NoError(t, c.Write(context.Background(), []byte("m,a=1 x=1i 1000\n")))

	_, err := query(t, c, `SELECT * FROM nope`, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "table 'public.iox.nope' not found")

	other := newClient(t, srv.URL(), "tok", "missing")
	_, err = query(t, other, `SELECT * FROM m`, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "database not found")

	bad := newClient(t, srv.URL(), "wrong", "db")
	_, err = query(t, bad, `SELECT * FROM m`, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Unauthenticated")
	err = bad.Write(context.Background(), []byte("m,a=1 x=1i 1000\n"))
	var se *influxdb3.ServerError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, http.StatusUnauthorized, se.StatusCode)
}

func TestConfigureDatabase(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	post := func(body, token string) int {
		req, err := http.NewRequest(http.MethodPost, srv.URL()+"/api/v3/configure/database", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusUnauthorized, post(`{"db":"a"}`, "nope"))
	assert.Equal(t, http.StatusOK, post(`{"db":"a","retention_period":"730d"}`, "tok"))
	assert.Equal(t, http.StatusConflict, post(`{"db":"a"}`, "tok"))
	assert.Equal(t, http.StatusBadRequest, post(`{"db":"b","retention_period":"soon"}`, "tok"))
	assert.Equal(t, []flighttest.Database{{Name: "a", RetentionPeriod: "730d"}}, srv.Databases())
}

func TestClosedServerRefusesConnections(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	url := srv.URL()
	srv.Close()
	srv.Close()
	_, err := http.Get(url + "/ping")
	require.Error(t, err)
}

func TestV3WriteEndpoint(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	wo := influxdb3.DefaultWriteOptions
	wo.UseV2Api = false
	c, err := influxdb3.New(influxdb3.ClientConfig{Host: srv.URL(), Token: "tok", Database: "db", WriteOptions: &wo})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.Write(context.Background(), []byte("m,a=1 x=1i 1700000000000000000\n")))
	w := srv.Writes()
	require.Len(t, w, 1)
	assert.Equal(t, "/api/v3/write_lp", w[0].Path)
	assert.Equal(t, "nanosecond", w[0].Precision)
	rows, err := query(t, c, `SELECT x, time FROM m`, nil)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, time.Unix(0, 1700000000000000000).UTC(), rows[0]["time"].(time.Time).UTC())
}
