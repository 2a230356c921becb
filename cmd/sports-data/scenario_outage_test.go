package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/testenv"
)

// scInfluxd is an InfluxDB 1.8 server of the test's own, which the test
// stops and starts again on the same data directory.
type scInfluxd struct {
	t    *testing.T
	bin  string
	dir  string
	conf string
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

// scOwnInfluxd prepares (but does not start) a server built by
// scripts/influxdb-test.sh build. Without the binary the test is skipped,
// or fails when CI=true.
func scOwnInfluxd(t *testing.T) *scInfluxd {
	bin := influxtest.Binary()
	_, err := os.Stat(bin)
	testenv.Need(t, err == nil, "InfluxDB 1.8 binary missing at "+bin+": run scripts/influxdb-test.sh build")
	d := &scInfluxd{t: t, bin: bin, dir: t.TempDir()}
	d.port = testenv.FreePort(t)
	rpc := testenv.FreePort(t)
	// The configuration scripts/influxdb-test.sh writes, on free ports.
	conf := influxtest.Config(influxtest.Options{
		Dir:      d.dir,
		HTTPAddr: fmt.Sprintf("127.0.0.1:%d", d.port),
		RPCAddr:  fmt.Sprintf("127.0.0.1:%d", rpc),
	})
	d.conf = filepath.Join(d.dir, "influxdb.conf")
	require.NoError(t, os.WriteFile(d.conf, []byte(conf), 0o644))
	t.Cleanup(d.stop)
	return d
}

func (d *scInfluxd) url() string { return fmt.Sprintf("http://127.0.0.1:%d", d.port) }

// start runs the server and waits until /ping answers.
func (d *scInfluxd) start() {
	d.t.Helper()
	logf, err := os.OpenFile(filepath.Join(d.dir, "influxd.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(d.t, err)
	cmd := exec.Command(d.bin, "run", "-config", d.conf)
	cmd.Stdout, cmd.Stderr = logf, logf
	require.NoError(d.t, cmd.Start())
	d.cmd, d.done = cmd, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(d.done)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(d.url() + "/ping")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusNoContent {
				return
			}
		}
		select {
		case <-d.done:
			log, _ := os.ReadFile(filepath.Join(d.dir, "influxd.log"))
			d.t.Fatalf("influxd exited at start:\n%s", tail(string(log), 3000))
		case <-time.After(50 * time.Millisecond):
		}
	}
	d.t.Fatalf("influxd did not answer %s/ping", d.url())
}

// stop ends the server with SIGTERM and waits for it.
func (d *scInfluxd) stop() {
	if d.cmd == nil {
		return
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(15 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.done
	}
	d.cmd = nil
}

// TestScenarioInfluxDBOutageAndRestart stops InfluxDB during a live game,
// lets the game move on, restarts the service during the outage, and
// brings InfluxDB back: nothing is lost and nothing is stored twice.
func TestScenarioInfluxDBOutageAndRestart(t *testing.T) {
	t.Parallel()
	influxd := scOwnInfluxd(t)
	influxd.start()

	feed := newScFeed(t)
	g := scNFLGame(t)
	w := &scWalk{t: t, feed: feed, g: g}
	s := startService(t, feed.URL, map[string]string{
		"INFLUXDB_URL":      influxd.url(),
		"INFLUXDB_DATABASE": "sports_outage",
		// A breaker that probes again after a second, so that the test
		// need not wait a minute for the recovery.
		"CIRCUIT_BREAKER_TIMEOUT_SECONDS": "1",
	})
	var seen []scFrame
	show := func(fr scFrame) {
		w.show(s, fr)
		seen = append(seen, fr)
	}
	health := func() scHealth {
		var h scHealth
		require.Equal(t, http.StatusOK, s.get("/health", &h))
		return h
	}

	show(scFrame{State: "pre", Period: 1, Clock: "15:00"})
	show(scFrame{State: "in", Period: 1, Clock: "15:00", Detail: "15:00 - 1st Quarter"})
	show(scFrame{State: "in", Period: 1, Clock: "9:02", Home: 7, Detail: "9:02 - 1st Quarter"})
	w.settle(s)
	require.True(t, health().InfluxDB.Connected)

	// InfluxDB goes away while the game is live; the score changes twice.
	influxd.stop()
	show(scFrame{State: "in", Period: 1, Clock: "4:48", Home: 7, Away: 3, Detail: "4:48 - 1st Quarter"})
	show(scFrame{State: "in", Period: 2, Clock: "12:10", Home: 7, Away: 10, Detail: "12:10 - 2nd Quarter"})
	var h scHealth
	s.waitFor("the outage in /health", func() bool {
		h = scHealth{}
		return scGetQuiet(s, "/health", &h) == http.StatusOK && !h.InfluxDB.Connected && h.InfluxDB.Spooled > 0
	})
	assert.Equal(t, "degraded", h.Status)
	assert.Equal(t, "influxdb", h.InfluxDB.Kind)
	assert.NotEmpty(t, h.InfluxDB.LastError)
	assert.Zero(t, h.InfluxDB.Dropped)
	var live gameList
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/live?league=nfl", &live))
	require.Equal(t, 1, live.Count, "live games are served during the outage")
	assert.Equal(t, 7, live.Games[0].Score.Home)
	assert.Equal(t, 10, live.Games[0].Score.Away)

	// The service restarts during the outage, and the game goes on.
	s.restart()
	w.await(s, seen[len(seen)-1])
	show(scFrame{State: "in", Period: 2, Clock: "2:00", Home: 14, Away: 10, Detail: "2:00 - 2nd Quarter"})
	s.waitFor("the restarted service to spool", func() bool {
		h = scHealth{}
		return scGetQuiet(s, "/health", &h) == http.StatusOK && !h.InfluxDB.Connected && h.InfluxDB.Spooled > 0
	})
	assert.Equal(t, "degraded", h.Status)

	// InfluxDB comes back on the same data directory.
	influxd.start()
	s.waitFor("the spool to drain", func() bool {
		h = scHealth{}
		return scGetQuiet(s, "/health", &h) == http.StatusOK && h.InfluxDB.Connected && h.InfluxDB.Spooled == 0 && h.InfluxDB.Queued == 0
	})
	assert.Equal(t, "healthy", h.Status)
	assert.Zero(t, h.InfluxDB.Dropped)
	show(scFrame{State: "post", Period: 4, Clock: "0:00", Home: 21, Away: 10, Detail: "Final"})
	w.settle(s)

	want := scExpectedTimeline(seen)
	require.Len(t, want, 7)
	var tl scTimeline
	s.waitFor("the final state in the timeline", func() bool {
		tl = scTimeline{}
		return scGetQuiet(s, "/api/v1/games/timeline/"+g.ID, &tl) == http.StatusOK &&
			len(tl.Timeline) > 0 && tl.Timeline[len(tl.Timeline)-1].Status == "final"
	})
	assert.Equal(t, want, tl.entries(), "every change once, in order, across the outage and the restart")
	for i := 1; i < len(tl.Timeline); i++ {
		assert.True(t, tl.Timeline[i].Time.After(tl.Timeline[i-1].Time), "entry %d is later than entry %d", i, i-1)
	}
	var hist scHistoryPage
	require.Equal(t, http.StatusOK, s.get("/api/v1/games/history?team=TEN", &hist))
	require.Equal(t, 1, hist.Total)
	assert.Equal(t, "final", hist.Games[0].Status)
	assert.Equal(t, 21, hist.Games[0].HomeScore)
	assert.Equal(t, 10, hist.Games[0].AwayScore)
}
