package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/demo"
	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/sports-data/sports-data/internal/simulator"
	"github.com/sports-data/sports-data/internal/testenv"
)

// demoRun is the demo started in-process through run().
type demoRun struct {
	t      *testing.T
	out    *logbuf.Buffer
	cancel context.CancelFunc
	done   chan struct{} // closed when run has returned err
	err    error
}

func startDemo(t *testing.T, env map[string]string, args ...string) *demoRun {
	t.Helper()
	d := &demoRun{t: t, out: &logbuf.Buffer{}, done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	go func() {
		defer close(d.done)
		d.err = run(ctx, append([]string{"sports-data", "demo"}, args...), func(k string) string { return env[k] }, d.out)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-d.done:
		case <-time.After(20 * time.Second):
		}
	})
	return d
}

// wait polls the demo's output until re matches, and returns the match.
func (d *demoRun) wait(what string, re *regexp.Regexp) []string {
	d.t.Helper()
	var m []string
	require.Eventually(d.t, func() bool {
		select {
		case <-d.done:
			d.t.Fatalf("demo ended early: %v\n%s", d.err, d.out.String())
		default:
		}
		m = re.FindStringSubmatch(d.out.String())
		return m != nil
	}, 30*time.Second, 20*time.Millisecond, "waiting for %s:\n%s", what, tail(d.out.String(), 3000))
	return m
}

// stop ends the demo as Ctrl-C does and returns what run returned.
func (d *demoRun) stop() error {
	d.t.Helper()
	d.cancel()
	select {
	case <-d.done:
		return d.err
	case <-time.After(20 * time.Second):
		d.t.Fatalf("demo did not stop within 20 s\n%s", tail(d.out.String(), 3000))
		return nil
	}
}

var (
	bannerRE = regexp.MustCompile(`live games\s+(http://127\.0\.0\.1:\d+)/api/v1/games/live`)
	teamRE   = regexp.MustCompile(`/api/v1/ha/game-status/((?:nfl|nhl)-[a-z]+)`)
	eventRE  = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d (game_start|score_change|game_end) [A-Z]+ \d+-\d+ [A-Z]+( \(.+\))?$`)
)

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	if v != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(v), url)
	}
	return resp.StatusCode
}

// Not parallel: it counts the process's goroutines before and after the
// demo, which tests running beside it would change.
func TestDemoShowsLiveGamesAndSignedEventsAndStopsCleanly(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := filepath.Join(t.TempDir(), "demo")
	// A folder left by an earlier demo run is emptied.
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, demo.Marker), nil, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sports-data.db"), []byte("stale"), 0o644))

	d := startDemo(t, map[string]string{}, "--speed", "600", "--port", "0", "--data-dir", dir, "--poll", "50ms")
	base := d.wait("the banner", bannerRE)[1]
	team := teamRE.FindStringSubmatch(d.out.String())
	require.NotNil(t, team, d.out.String())
	// The page is the first thing the banner offers, and it answers.
	assert.Regexp(t, `real time\n  open +`+regexp.QuoteMeta(base)+`/ui/ `, d.out.String())
	page, err := http.Get(base + "/ui/")
	require.NoError(t, err)
	page.Body.Close()
	assert.Equal(t, http.StatusOK, page.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", page.Header.Get("Content-Type"))
	// Asked from the start (once the first poll is in): at 600× its game
	// is over within seconds, and a loaded machine may take longer than
	// that to show live games.
	var status struct {
		Status string `json:"status"`
		Team   string `json:"team"`
	}
	require.Eventually(t, func() bool {
		return getJSON(t, base+"/api/v1/ha/game-status/"+team[1], &status) == http.StatusOK &&
			slices.Contains([]string{"live", "upcoming", "final"}, status.Status)
	}, 30*time.Second, 20*time.Millisecond, "the banner's team has a game on: %+v", &status)

	// At 600× the early games start within seconds of the banner.
	var live struct {
		Games []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"games"`
		Count int `json:"count"`
	}
	require.Eventually(t, func() bool {
		return getJSON(t, base+"/api/v1/games/live", &live) == http.StatusOK && live.Count > 0
	}, 30*time.Second, 50*time.Millisecond, tail(d.out.String(), 2000))
	for _, g := range live.Games {
		assert.Equal(t, "live", g.Status)
	}

	// The receiver registered through the API prints verified events.
	ev := d.wait("a webhook event line", eventRE)
	assert.NotEmpty(t, ev[1])
	assert.NotContains(t, d.out.String(), "rejected a delivery")
	var hooks struct {
		Count    int `json:"count"`
		Webhooks []struct {
			URL        string `json:"url"`
			TotalCalls int    `json:"total_calls"`
		} `json:"webhooks"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, base+"/api/v1/ha/webhooks", &hooks))
	require.Equal(t, 1, hooks.Count)
	// Shown with its last path segment masked.
	assert.True(t, strings.HasSuffix(hooks.Webhooks[0].URL, "/sports-data-demo/***"), "URL %q", hooks.Webhooks[0].URL)

	require.NoError(t, d.stop())
	_, err = http.Get(base + "/health")
	assert.Error(t, err, "the service still answers after the stop")

	// The demo's data replaced the stale file, and the folder stays marked.
	raw, err := os.ReadFile(filepath.Join(dir, "sports-data.db"))
	require.NoError(t, err)
	assert.NotEqual(t, "stale", string(raw))
	assert.FileExists(t, filepath.Join(dir, demo.Marker))

	// Every goroutine of the demo (simulator, receiver, service) is gone.
	http.DefaultClient.CloseIdleConnections()
	require.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+2 }, 10*time.Second, 20*time.Millisecond,
		"goroutines: %d before, %d after", before, runtime.NumGoroutine())
}

func TestDemoRefusesAFolderWithOtherData(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sports-data.db"), []byte("real data"), 0o644))
	out := &logbuf.Buffer{}
	err := run(context.Background(), []string{"sports-data", "demo", "--port", "0", "--data-dir", dir}, func(string) string { return "" }, out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds data the demo did not write")
	raw, rerr := os.ReadFile(filepath.Join(dir, "sports-data.db"))
	require.NoError(t, rerr)
	assert.Equal(t, "real data", string(raw), "the folder was touched")
}

// A process attached to another's simulator runs on the same clock: what
// it calls live is what the simulator plays at that moment.
func TestDemoAttachedFollowsTheSimulatorsClock(t *testing.T) {
	t.Parallel()
	const speed = 300
	sim, err := simulator.New(simulator.Options{Start: simulator.SundayNoonET(time.Now()).Add(50 * time.Minute), Speed: speed, Seed: 3})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sim.Close() })
	base, err := sim.Start(context.Background())
	require.NoError(t, err)
	r0 := time.Now()
	simNow := sim.Now()
	epoch := r0.Add(time.Since(r0) / 2)

	port := testenv.FreePort(t)
	d := startDemo(t, map[string]string{"LOG_LEVEL": "info"}, "--attach", base,
		"--clock-start", simNow.Format(time.RFC3339Nano), "--clock-epoch", strconv.FormatInt(epoch.UnixNano(), 10),
		"--speed", strconv.Itoa(speed), "--port", strconv.Itoa(port), "--data-dir", t.TempDir(), "--poll", "20ms")
	// On loopback only: the demo's routes are open (no API_KEY).
	d.wait("listening", regexp.MustCompile(`msg=listening addr=127\.0\.0\.1:\d+`))
	svc := fmt.Sprintf("http://127.0.0.1:%d", port)

	// The early games kick off ten simulated minutes in; the service lists
	// exactly the simulator's live games at some poll after that.
	require.Eventually(t, func() bool {
		var live struct {
			Games []struct {
				ID string `json:"id"`
			} `json:"games"`
		}
		if getJSON(t, svc+"/api/v1/games/live", &live) != http.StatusOK || len(live.Games) == 0 {
			return false
		}
		var got, want []string
		for _, g := range live.Games {
			got = append(got, g.ID)
		}
		for _, g := range sim.Truth().Games {
			if !g.Start.IsZero() && g.Final == nil {
				want = append(want, g.ID)
			}
		}
		return assert.ObjectsAreEqual(sortedCopy(want), sortedCopy(got))
	}, 30*time.Second, 20*time.Millisecond)

	// Its upcoming list is judged by the simulated clock: nothing before
	// the simulated now, and the late games of the simulated Sunday.
	var up struct {
		Games []struct {
			StartTime string `json:"start_time"`
		} `json:"games"`
	}
	// The live list can match on the NHL's games alone before the NFL's
	// first poll has landed: wait for that poll.
	require.Eventually(t, func() bool {
		return getJSON(t, svc+"/api/v1/games/upcoming?hours=12&league=nfl", &up) == http.StatusOK && len(up.Games) > 0
	}, 30*time.Second, 20*time.Millisecond)
	now := sim.Now()
	for _, g := range up.Games {
		st, err := time.Parse("2006-01-02T15:04Z", g.StartTime)
		require.NoError(t, err)
		assert.False(t, st.Before(now.Add(-time.Minute)), "upcoming game at %s, simulated now %s", st, now)
		assert.True(t, st.Before(now.Add(12*time.Hour+time.Minute)), "upcoming game at %s, simulated now %s", st, now)
	}

	// The sensor's last_update, when the service last polled, is on the
	// simulated clock like every other date.
	var sensor struct {
		Attributes struct {
			LastUpdate string `json:"last_update"`
		} `json:"attributes"`
	}
	first := sim.Truth().Games[0]
	team := first.League + "-" + strings.ToLower(first.Home.Abbreviation)
	require.Equal(t, http.StatusOK, getJSON(t, svc+"/api/v1/ha/sensor/"+team, &sensor))
	polled, err := time.Parse("2006-01-02 15:04:05-07:00", sensor.Attributes.LastUpdate)
	require.NoError(t, err, sensor.Attributes.LastUpdate)
	assert.WithinDuration(t, sim.Now(), polled, 10*time.Minute, "last_update %s, simulated now %s, wall clock %s",
		polled, sim.Now(), time.Now())
	require.NoError(t, d.stop())
	assert.Contains(t, d.out.String(), "msg=stopped")
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
