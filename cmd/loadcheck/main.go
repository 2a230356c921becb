// Command loadcheck measures the service under load on this machine: it
// serves real ESPN captures from a local server, loads Kansas City's 2023
// season from the team schedule capture with the backfill command, starts
// the sports-data binary against it, and drives each route with concurrent
// keep-alive clients beside a bare net/http handler that returns a body of
// the same size, so the ratio between the two is the figure that travels
// between machines. Every request goes to 127.0.0.1.
//
// Before a route is driven its answer is checked: the HA status of a live
// game, a non-empty live list, and a history page of the stored season
// with its statistics (history answers come from the service's five-minute
// result cache after the first request, as they do for users).
//
//	go build -o bin/sports-data ./cmd/sports-data
//	go run ./cmd/loadcheck -bin bin/sports-data -clients 50 -duration 10s
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/sports-data", "the sports-data binary to measure")
	clients := flag.Int("clients", 50, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each route is driven")
	fixtures := flag.String("fixtures", "testdata/espn", "folder of ESPN captures")
	flag.Parse()
	if err := run(*bin, *fixtures, *clients, *duration); err != nil {
		fmt.Fprintln(os.Stderr, "loadcheck:", err)
		os.Exit(1)
	}
}

func run(bin, fixtures string, clients int, duration time.Duration) error {
	espnURL, stopESPN, err := serveCaptures(fixtures)
	if err != nil {
		return err
	}
	defer stopESPN()

	port, err := freePort()
	if err != nil {
		return err
	}
	dataDir, err := os.MkdirTemp("", "sports-data-load-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dataDir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"PORT=" + port, "DATA_DIR=" + dataDir, "ESPN_BASE_URL=" + espnURL, "LOG_LEVEL=error",
		"STORE=sqlite", "POLL_LIVE_INTERVAL=1s", "POLL_IDLE_INTERVAL=1s",
		// The 2023 season is older than the default retention of 730 days.
		"INFLUXDB_RETENTION_DAYS=3650",
		// The history limit of 100 a minute per client would turn the
		// measurement into one of 429s.
		"HISTORY_RATE_LIMIT_PER_MINUTE=1000000000",
	}
	backfill := exec.CommandContext(ctx, bin, "backfill", "--league", "nfl", "--season", "2023", "--team", "KC")
	backfill.Env = env
	if out, err := backfill.CombinedOutput(); err != nil {
		return fmt.Errorf("loading the KC 2023 season: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %v", bin, err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	base := "http://127.0.0.1:" + port
	if err := waitReady(base); err != nil {
		return err
	}

	routes := []struct {
		path  string
		check func([]byte) error
	}{
		{"/api/v1/ha/game-status/HOU", checkStatus},
		{"/api/v1/games/live", checkLive},
		{"/api/v1/games/history?team=KC&season=2023", checkHistory},
	}
	fmt.Printf("%d clients, %s per route, GOMAXPROCS=%s (loadcheck), %d CPUs\n\n", clients, duration, fmt.Sprint(runtime.GOMAXPROCS(0)), runtime.NumCPU())
	fmt.Printf("%-45s %10s %9s %9s %8s | %10s %9s | %s\n", "route", "req/s", "p50", "p99", "bytes", "bare req/s", "bare p99", "ratio")
	for _, route := range routes {
		r := route.path
		body, err := fetch(base + r)
		if err != nil {
			return err
		}
		if err := route.check(body); err != nil {
			return fmt.Errorf("%s: %v: %s", r, err, body)
		}
		got := drive(base+r, clients, duration)
		bareURL, stopBare := bare(body)
		want := drive(bareURL, clients, duration)
		stopBare()
		fmt.Printf("%-45s %10.0f %9s %9s %8d | %10.0f %9s | %.2f\n", r, got.rps, got.p50, got.p99, len(body),
			want.rps, want.p99, got.rps/want.rps)
		if got.errors > 0 {
			fmt.Printf("  %d requests failed\n", got.errors)
		}
	}
	return nil
}

// checkStatus wants the HA status of a team playing in the live capture.
func checkStatus(body []byte) error {
	var v struct {
		Status string `json:"status"`
		IsLive bool   `json:"is_live"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	if v.Status != "live" || !v.IsLive {
		return fmt.Errorf("status %q, want live", v.Status)
	}
	return nil
}

func checkLive(body []byte) error {
	var v struct {
		Count int `json:"count"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	if v.Count == 0 {
		return fmt.Errorf("no live games")
	}
	return nil
}

// checkHistory wants the stored KC season: 17 regular-season games and
// the playoffs, with statistics over the finals.
func checkHistory(body []byte) error {
	var v struct {
		Total      int `json:"total"`
		Statistics *struct {
			GamesPlayed int `json:"games_played"`
		} `json:"statistics"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	if v.Total < 17 || v.Statistics == nil || v.Statistics.GamesPlayed < 17 {
		return fmt.Errorf("want the stored 2023 season (17 games or more, with statistics)")
	}
	return nil
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int64
}

// drive runs clients goroutines of back-to-back requests for d.
func drive(url string, clients int, d time.Duration) result {
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		all    []time.Duration
		errors atomic.Int64
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 1<<14)
			for time.Now().Before(deadline) {
				t0 := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					errors.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errors.Add(1)
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r := result{rps: float64(len(all)) / elapsed.Seconds(), errors: errors.Load()}
	if len(all) > 0 {
		r.p50 = all[len(all)/2].Round(time.Microsecond)
		r.p99 = all[len(all)*99/100].Round(time.Microsecond)
	}
	return r
}

// bare serves body from a plain net/http handler: the ceiling for this
// machine.
func bare(body []byte) (string, func()) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/", func() { _ = srv.Close() }
}

// serveCaptures stands in for ESPN with the 2022 live captures.
func serveCaptures(dir string) (string, func(), error) {
	files := map[string]string{
		"/football/nfl/scoreboard": "nfl/scoreboard-2022-wk1-sun-live-mixed.json",
		"/hockey/nhl/scoreboard":   "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json",
		"/football/nfl/teams":      "nfl/teams.json",
		// Kansas City is team 12; the backfill loads its season from here.
		"/football/nfl/teams/12/schedule": "nfl/team-12-kc-schedule-2023-season-final.json",
		"/hockey/nhl/teams":               "nhl/teams.json",
	}
	bodies := map[string][]byte{}
	for path, rel := range files {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			return "", nil, fmt.Errorf("run from the repository root (captures in %s): %v", dir, err)
		}
		bodies[path] = b
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Query().Get("dates"), "-") {
			http.Error(w, `{"code":400,"message":"Failed to get events endpoint."}`, http.StatusBadRequest)
			return
		}
		b, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

func waitReady(base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var live struct {
			Count int `json:"count"`
		}
		if b, err := fetch(base + "/api/v1/games/live"); err == nil && json.Unmarshal(b, &live) == nil && live.Count > 0 {
			// Give the writer a moment to store the first poll.
			time.Sleep(2 * time.Second)
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the service did not serve live games within 60 s")
}

func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %d: %s", url, resp.StatusCode, b)
	}
	return b, err
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port), nil
}
