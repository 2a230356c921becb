package influx_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/flighttest"
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

// The suite against the InfluxDB 3 stand-in: the same writes, reads as SQL
// over Arrow Flight. This checks the SQL path and its Arrow decoding, not
// InfluxDB 3 itself, which cannot run here. The stand-in stores through
// SQLite, which the race detector slows a lot, hence the long timeout.
func TestConformanceFlightSQL(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		srv := flighttest.Start(t, "secret-token")
		s := openStore(t, influx.Options{URL: srv.URL(), Token: "secret-token", Database: "sports", QueryLanguage: "sql",
			Timeout: 2 * time.Minute})
		require.Equal(t, influx.LanguageSQL, s.QueryLanguage())
		return s
	})
}
