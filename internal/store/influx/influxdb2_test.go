package influx_test

import (
	"context"
	"log/slog"
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

// 2.7 creates no database through InfluxQL: the bucket must exist. Until
// it does the store says so once and keeps the points (unavailable, not
// rejected); once it is created they are written, and 2.7's automatic
// mapping of the bucket to a database serves the reads.
func TestBucketCreatedLaterInfluxDB2(t *testing.T) {
	srv := influxtest.Shared2(t)
	ctx := context.Background()
	logs, logger := newLogRecorder(t)
	name := influxtest.RandomName("sdtest_")
	s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Org: srv.Org, Database: name, Logger: logger})
	assert.Contains(t, strings.Join(logs.messages(slog.LevelWarn), "\n"), "create a bucket of that name")
	got, err := s.Games(ctx, store.GameQuery{League: "nfl"})
	require.NoError(t, err, "a missing bucket reads as empty")
	assert.Empty(t, got)
	g := sampleGame()
	row := storetest.GamePoint(g, kickoff, storetest.Scheduled, 0, 0)
	err = s.Write(ctx, []store.Point{row})
	require.ErrorIs(t, err, store.ErrUnavailable)
	assert.NotErrorIs(t, err, influx.ErrRejected)

	created := influxtest.Bucket2Named(t, srv, name, 0)
	require.Equal(t, name, created)
	requireWorks(t, s, g.ID)
}

// Without INFLUXDB_ORG 2.7 refuses every write ("Please provide either
// orgID or org"). That is a setting to fix, not a fault of the points:
// they are kept, and the error names the setting.
func TestOrganisationMissingInfluxDB2(t *testing.T) {
	srv := influxtest.Shared2(t)
	s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Database: influxtest.Bucket2(t, srv, 0), Timeout: 5 * time.Second})
	err := s.Write(context.Background(), []store.Point{storetest.GamePoint(sampleGame(), kickoff, storetest.Scheduled, 0, 0)})
	require.ErrorIs(t, err, store.ErrUnavailable)
	assert.NotErrorIs(t, err, influx.ErrRejected)
	assert.Contains(t, err.Error(), "INFLUXDB_ORG")
}
