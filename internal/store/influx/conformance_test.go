package influx_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

// The suite against a real InfluxDB 1.8: writes through influxdb3-go's
// /api/v2/write, reads through InfluxQL over /query. The fixtures are from
// 2024, older than any sensible retention, so these databases keep data
// forever.
func TestConformanceInfluxDB18(t *testing.T) {
	base := influxtest.URL(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s := openStore(t, influx.Options{URL: base, Database: freshDatabase(t, base), RetentionDays: 0})
		require.Equal(t, influx.LanguageInfluxQL, s.QueryLanguage(), "1.8 is read with InfluxQL")
		return s
	})
}

// The suite against a real InfluxDB OSS 2.7, with a bucket of its own per
// case (kept forever) reached with the operator token, as
// deployments/docker-compose.influxdb2.yml sets the service up: reads are
// InfluxQL through 2.7's v1 compatibility /query and its automatic mapping
// of the bucket to a database.
func TestConformanceInfluxDB2(t *testing.T) {
	srv := influxtest.Shared2(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Org: srv.Org,
			Database: influxtest.Bucket2(t, srv, 0), QueryLanguage: influx.LanguageAuto})
		require.Equal(t, influx.LanguageInfluxQL, s.QueryLanguage(), "2.7 is read with InfluxQL")
		return s
	})
}

// The suite against a real InfluxDB 3 Core with authentication on, its
// token read from the admin token file the server was started with: reads
// are SQL over Arrow Flight.
func TestConformanceInfluxDB3(t *testing.T) {
	srv := influxtest.Shared3(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Database: influxtest.Database3(t, srv, ""),
			QueryLanguage: influx.LanguageAuto})
		require.Equal(t, influx.LanguageSQL, s.QueryLanguage(), "InfluxDB 3 is read with SQL")
		return s
	})
}
