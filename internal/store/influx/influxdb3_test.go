package influx_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

// sql3 runs a query through InfluxDB 3's HTTP API, not through the store,
// and returns the answer (JSON lines) and the HTTP status.
func sql3(t *testing.T, srv *influxtest.Server, db, q string) (string, int) {
	t.Helper()
	v := url.Values{"db": {db}, "q": {q}, "format": {"jsonl"}}
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v3/query_sql?"+v.Encode(), nil)
	require.NoError(t, err)
	if srv.Token != "" {
		req.Header.Set("Authorization", "Bearer "+srv.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b), resp.StatusCode
}

// InfluxDB 3 Core refuses a query that would read more Parquet files than
// its --query-file-limit; it writes files per table and time window at
// every snapshot and never merges them. Here a server without
// authentication snapshots after every write and allows 6 files a query:
// a season written in 100-point requests leaves far more than 6 files, so
// reads over the season, a timeline and the unfinished games are refused
// as one query and must be split.
func TestFileLimitInfluxDB3(t *testing.T) {
	srv := influxtest.Start(t, influxtest.V3, influxtest.ServerOptions{WithoutAuth: true, QueryFileLimit: 6, SnapshotEvery: 1})
	s := openStore(t, influx.Options{URL: srv.URL, Database: "sports"})
	require.Equal(t, influx.LanguageSQL, s.QueryLanguage())
	start := time.Date(2024, time.October, 8, 0, 0, 0, 0, time.UTC)
	spec := storetest.SeasonSpec{League: "nhl", Season: 2025, Start: start, Teams: storetest.Teams("nhl")[:10], Games: 16}
	spec.Now = start.AddDate(0, 0, 30)
	all := spec.Points()
	for i := 0; i < len(all); i += 100 {
		require.NoError(t, s.Write(context.Background(), all[i:min(i+100, len(all))]))
	}

	// The server itself refuses the plain query once the files are there
	// (they are written a moment after the writes are answered).
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		ans, status := sql3(t, srv.Server, "sports", `SELECT count(*) FROM nhl_scores`)
		assert.NotEqual(c, http.StatusOK, status)
		assert.Contains(c, ans, "file limit of 6 parquet files")
	}, 2*time.Minute, 100*time.Millisecond)

	ctx := context.Background()
	for _, q := range []store.GameQuery{
		{League: "nhl"},
		{League: "nhl", Season: 2025},
		{League: "nhl", Team: "BOS", Season: 2025, Status: storetest.Finished},
	} {
		got, err := s.Games(ctx, q)
		require.NoError(t, err, "%+v", q)
		require.Equal(t, storetest.ExpectGames(all, q), storetest.NormalizeAll(got), "%+v", q)
	}
	for _, g := range spec.Schedule()[:5] {
		got, err := s.Timeline(ctx, "nhl", g.ID)
		require.NoError(t, err)
		require.Equal(t, storetest.ExpectTimeline(all, "nhl", g.ID), storetest.NormalizeAll(got), g.ID)
	}
	got, err := s.Unfinished(ctx, "nhl", start)
	require.NoError(t, err)
	require.Equal(t, storetest.NormalizeAll(storetest.ExpectUnfinished(all, "nhl", start)), storetest.NormalizeAll(got))
	assert.True(t, strings.HasPrefix(s.Info(ctx).Version, "3."))
}
