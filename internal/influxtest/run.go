package influxtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/childproc"
)

// Running is a private server of one test: its own data in the test's
// temporary directory, its own port. Stop and Start play an outage on the
// same data; it is stopped when the test ends.
type Running struct {
	*Server
	proc childproc.Proc
	t    T
}

// The WAL settings of the InfluxDB 3 servers of the tests
// (scripts/influxdb3-test.sh uses the same): a write is answered when the
// WAL is flushed, every 100 ms instead of every second, as the tests wait
// for every write; and the buffer is written to Parquet files every 6000
// WAL files, every 10 minutes of writing as with the defaults (600 files of
// a second). While InfluxDB 3 Core 3.6 writes those files, a read can miss
// rows of the table (README, Storage), which a test must not meet by the
// chance of a snapshot every minute.
const (
	TestWALFlush      = 100 * time.Millisecond
	TestSnapshotEvery = 6000
)

// installHint says which script provides the binary of a kind.
func installHint(k Kind) string {
	switch k {
	case V2:
		return "scripts/influxdb2-test.sh install, or set SPORTS_DATA_TEST_INFLUXD2"
	case V3:
		return "scripts/influxdb3-test.sh install, or set SPORTS_DATA_TEST_INFLUXDB3"
	}
	return "scripts/influxdb-test.sh build, or set SPORTS_DATA_TEST_INFLUXD"
}

// HaveBinary ends the test by the Missing rule when the server binary of
// kind k is not there, and returns its path.
func HaveBinary(t TB, k Kind) string {
	t.Helper()
	bin := BinaryOf(k)
	if _, err := os.Stat(bin); err != nil {
		Missing(t, fmt.Sprintf("%s binary not found at %s (%s)", k.Name(), bin, installHint(k)))
	}
	return bin
}

// Start runs a private server of kind k for the test, set up and
// answering. InfluxDB 3 runs with the tests' WAL settings unless o says
// otherwise.
func Start(t T, k Kind, o ServerOptions) *Running {
	t.Helper()
	HaveBinary(t, k)
	if o.WALFlush == 0 {
		o.WALFlush = TestWALFlush
	}
	if o.SnapshotEvery == 0 {
		o.SnapshotEvery = TestSnapshotEvery
	}
	s, err := Prepare(k, t.TempDir(), o)
	if err != nil {
		t.Fatal(err)
	}
	r := &Running{Server: s, t: t,
		proc: childproc.Proc{Name: string(k), Path: s.Path, Args: s.Args, LogPath: s.LogPath}}
	t.Cleanup(func() { r.proc.Stop(15 * time.Second) })
	r.Start()
	if err := s.Setup(context.Background()); err != nil {
		t.Fatal(fmt.Sprintf("%s setup: %v", k.Name(), err))
	}
	return r
}

// Start starts the server (again, on the same data and port) and waits
// until it answers.
func (r *Running) Start() {
	r.t.Helper()
	if err := r.proc.Start("start of " + r.Kind.Name()); err != nil {
		r.t.Fatal(err)
	}
	if err := r.Ready(context.Background(), time.Minute); err != nil {
		r.proc.Stop(5 * time.Second)
		r.t.Fatal(fmt.Sprintf("%v\n%s", err, r.logTail()))
	}
}

// Stop ends the server with SIGTERM (SIGKILL after 15 s) and waits for it.
func (r *Running) Stop() { r.proc.Stop(15 * time.Second) }

func (r *Running) logTail() string {
	b, _ := os.ReadFile(r.LogPath)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}
