// Package influxtest runs the real InfluxDB servers the store is tested
// against, for tests and the soak: InfluxDB 1.8 (built from source by
// scripts/influxdb-test.sh), OSS 2.7 and 3 Core (unpacked by
// scripts/influxdb2-test.sh and scripts/influxdb3-test.sh). It finds the
// servers make test starts (Shared2, Shared3, URL), starts private ones
// (Start, Prepare) that keep to loopback and one folder, gives each test a
// database of its own, and holds the one rule for a missing server
// (Missing: skipped locally, failed under CI=true).
package influxtest

import (
	"fmt"
	"go/build"
	"os"
	"path/filepath"
)

// Version is the InfluxDB release scripts/influxdb-test.sh builds.
const Version = "1.8.10"

// Binary is the influxd to run: SPORTS_DATA_TEST_INFLUXD when set, else the
// one scripts/influxdb-test.sh builds into the first GOPATH's bin.
func Binary() string {
	if b := os.Getenv("SPORTS_DATA_TEST_INFLUXD"); b != "" {
		return b
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = build.Default.GOPATH
	}
	return filepath.Join(filepath.SplitList(gopath)[0], "bin", "influxd-"+Version)
}

// Options of one server.
type Options struct {
	Dir      string // meta, data and wal go below it
	HTTPAddr string // 127.0.0.1:port
	RPCAddr  string // 127.0.0.1:port, the backup/RPC listener
	Auth     bool   // HTTP authentication on
	// DataExtra is added to the [data] section (e.g. fast compaction).
	DataExtra string
}

// Config is the influxdb.conf text for o.
func Config(o Options) string {
	return fmt.Sprintf(`reporting-disabled = true
bind-address = %q

[meta]
  dir = %q

[data]
  dir = %q
  wal-dir = %q
  query-log-enabled = false
%s
[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false

[http]
  enabled = true
  bind-address = %q
  auth-enabled = %t
  log-enabled = false
  flux-enabled = false
`, o.RPCAddr, filepath.Join(o.Dir, "meta"), filepath.Join(o.Dir, "data"), filepath.Join(o.Dir, "wal"), o.DataExtra, o.HTTPAddr, o.Auth)
}
