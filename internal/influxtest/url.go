package influxtest

import (
	"fmt"
	"os"
	"strings"

	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/testenv"
)

// The servers make test starts (scripts/with-influxdb.sh) and how the tests
// find them.
const (
	// URLVariable names the InfluxDB 1.8.
	URLVariable = "SPORTS_DATA_TEST_INFLUXDB_URL"
	// URL2Variable, Token2Variable and Org2Variable name the InfluxDB 2.7,
	// its operator token and its organisation.
	URL2Variable   = "SPORTS_DATA_TEST_INFLUXDB2_URL"
	Token2Variable = "SPORTS_DATA_TEST_INFLUXDB2_TOKEN"
	Org2Variable   = "SPORTS_DATA_TEST_INFLUXDB2_ORG"
	// URL3Variable and TokenFile3Variable name the InfluxDB 3 Core and the
	// admin token file it was started with (authentication on).
	URL3Variable       = "SPORTS_DATA_TEST_INFLUXDB3_URL"
	TokenFile3Variable = "SPORTS_DATA_TEST_INFLUXDB3_TOKEN_FILE"
)

// TB is the part of testing.TB this package needs (it is also built into
// the soak command, which does not link the testing package).
type TB interface {
	Helper()
	Fatal(args ...any)
	Skip(args ...any)
}

// Missing ends a test that cannot have its server: skipped on a developer's
// machine, failed when CI=true, because a CI run must not pass by skipping
// its store tests.
func Missing(t TB, why string) {
	t.Helper()
	testenv.Need(t, false, why)
}

// URL is the InfluxDB 1.8 of the integration tests, without a trailing
// slash, or Missing.
func URL(t TB) string {
	t.Helper()
	u := os.Getenv(URLVariable)
	if u == "" {
		Missing(t, "InfluxDB 1.8 not available: set "+URLVariable+" (make test starts one)")
		return "" // not reached with a real testing.TB
	}
	return strings.TrimRight(u, "/")
}

// Shared2 is the InfluxDB 2.7 make test starts, or Missing. Its token may
// create and delete buckets (Bucket2 does, per test).
func Shared2(t TB) *Server {
	t.Helper()
	u, tok, org := os.Getenv(URL2Variable), os.Getenv(Token2Variable), os.Getenv(Org2Variable)
	if u == "" || tok == "" || org == "" {
		Missing(t, fmt.Sprintf("InfluxDB 2.7 not available: set %s, %s and %s (make test starts one)",
			URL2Variable, Token2Variable, Org2Variable))
		return nil
	}
	return &Server{Kind: V2, URL: strings.TrimRight(u, "/"), Token: tok, Org: org}
}

// Shared3 is the InfluxDB 3 Core make test starts, with authentication and
// the admin token file `influxdb3 create token --admin --offline` wrote,
// or Missing.
func Shared3(t TB) *Server {
	t.Helper()
	u, file := os.Getenv(URL3Variable), os.Getenv(TokenFile3Variable)
	if u == "" || file == "" {
		Missing(t, fmt.Sprintf("InfluxDB 3 Core not available: set %s and %s (make test starts one)",
			URL3Variable, TokenFile3Variable))
		return nil
	}
	tok, err := config.ReadTokenFile(file)
	if err != nil {
		t.Fatal(err)
		return nil
	}
	return &Server{Kind: V3, URL: strings.TrimRight(u, "/"), Token: tok, TokenFile: file}
}
