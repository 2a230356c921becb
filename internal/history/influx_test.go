package history_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/flighttest"
	"github.com/sports-data/sports-data/internal/store/influx"
)

func init() {
	extraKinds = append(extraKinds,
		storeKind{name: "influxdb18", open: openInflux18, bench: true},
		storeKind{name: "influxdb3-flight", open: openFlight},
	)
}

// influxURL is the real InfluxDB 1.8 of the integration tests.
func influxURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("SPORTS_DATA_TEST_INFLUXDB_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("InfluxDB 1.8 not available: set SPORTS_DATA_TEST_INFLUXDB_URL (make test starts one)")
		}
		t.Skip("InfluxDB 1.8 not available: set SPORTS_DATA_TEST_INFLUXDB_URL (make test starts one)")
	}
	return strings.TrimRight(u, "/")
}

// openInflux18 opens the store on a database no other test uses, dropped
// when the test ends. The data is from 2023-2025, so the database keeps
// everything.
func openInflux18(t testing.TB) store.Store {
	t.Helper()
	base := influxURL(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	db := "sdhistory_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		resp, err := http.PostForm(base+"/query", url.Values{"q": {`DROP DATABASE "` + db + `"`}})
		if err == nil {
			resp.Body.Close()
		}
	})
	return openInflux(t, influx.Options{URL: base, Database: db, QueryLanguage: influx.LanguageInfluxQL})
}

// openFlight opens the store's SQL path on the InfluxDB 3 stand-in (no
// real InfluxDB 3 can run here).
func openFlight(t testing.TB) store.Store {
	t.Helper()
	srv := flighttest.Start(t, "history-token")
	return openInflux(t, influx.Options{URL: srv.URL(), Token: "history-token", Database: "sports",
		QueryLanguage: influx.LanguageSQL, Timeout: 2 * time.Minute})
}

func openInflux(t testing.TB, o influx.Options) store.Store {
	t.Helper()
	s, err := influx.Open(context.Background(), o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NotEmpty(t, s.QueryLanguage(), "the server answered")
	return s
}
