package influxtest

import (
	"os"
	"strings"

	"github.com/sports-data/sports-data/internal/testenv"
)

// URLVariable names the InfluxDB 1.8 the integration tests use; make test
// starts one and sets it.
const URLVariable = "SPORTS_DATA_TEST_INFLUXDB_URL"

// TB is the part of testing.TB that URL needs (this package is also built
// into the soak command, which does not link the testing package).
type TB interface {
	Helper()
	Fatal(args ...any)
	Skip(args ...any)
}

// URL is the InfluxDB 1.8 of the integration tests, without a trailing
// slash. Without one the test is skipped, or fails when CI=true: a CI run
// must not pass by skipping its store tests.
func URL(t TB) string {
	t.Helper()
	u := os.Getenv(URLVariable)
	testenv.Need(t, u != "", "InfluxDB 1.8 not available: set "+URLVariable+" (make test starts one)")
	return strings.TrimRight(u, "/")
}
