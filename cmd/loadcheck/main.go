// Command loadcheck measures the service under load on this machine: it
// serves real ESPN captures from a local server, loads Kansas City's 2023
// season from the team schedule capture with the backfill command, starts
// the sports-data binary against it (default poll intervals), and drives
// each route with concurrent keep-alive clients, in alternating one-second
// slices with a bare net/http handler that serves the same bytes. The
// ratio between the two is the figure that travels between machines, and
// alternating keeps the load of other processes the same for both. The
// bare handler runs in a process of its own, like the service, on the
// service's server settings (httpapi.NewHTTPServer: timeouts, header
// limit), so the ratio is the cost of the service's routing, middleware
// and handlers. Every request goes to 127.0.0.1.
//
// Before a route is driven its answer is checked: a non-empty live list,
// the HA status and the TeamTracker sensor of a live game, a healthy
// service with its store connected, and a history page of the stored
// season with its statistics.
//
//	go build -o bin/sports-data ./cmd/sports-data
//	go run ./cmd/loadcheck -bin bin/sports-data -clients 50 -duration 10s
package main

import (
	"bufio"
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

	"github.com/sports-data/sports-data/internal/childproc"
	"github.com/sports-data/sports-data/internal/httpapi"
)

func main() {
	bin := flag.String("bin", "bin/sports-data", "the sports-data binary to measure")
	clients := flag.Int("clients", 50, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each route is driven")
	fixtures := flag.String("fixtures", "testdata/espn", "folder of ESPN captures")
	bareBody := flag.String("bare", "", "(internal) serve this file as the bare handler and print the address")
	flag.Parse()
	if *bareBody != "" {
		if err := serveBare(*bareBody); err != nil {
			fmt.Fprintln(os.Stderr, "loadcheck -bare:", err)
			os.Exit(1)
		}
		return
	}
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
		"STORE=sqlite",
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
		{"/api/v1/games/live", checkLive},
		{"/api/v1/ha/game-status/HOU", checkStatus},
		{"/api/v1/ha/sensor/HOU", checkSensor},
		{"/health", checkHealth},
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
		bareURL, stopBare, err := bare(body)
		if err != nil {
			return err
		}
		got, want := compare(base+r, bareURL, clients, duration)
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

// checkSensor wants the TeamTracker sensor of a team playing in the live
// capture.
func checkSensor(body []byte) error {
	var v struct {
		State      string         `json:"state"`
		Team       string         `json:"team"`
		Attributes map[string]any `json:"attributes"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	if v.State != "IN" || v.Team != "nfl-hou" || len(v.Attributes) == 0 {
		return fmt.Errorf("state %q of %q, want IN of nfl-hou with attributes", v.State, v.Team)
	}
	return nil
}

// checkHealth wants a healthy service with its SQLite store connected.
func checkHealth(body []byte) error {
	var v struct {
		Status   string `json:"status"`
		InfluxDB struct {
			Kind      string `json:"kind"`
			Connected bool   `json:"connected"`
		} `json:"influxdb"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	if v.Status != "healthy" || v.InfluxDB.Kind != "sqlite" || !v.InfluxDB.Connected {
		return fmt.Errorf("status %q, store %q connected=%v; want healthy, sqlite, connected", v.Status, v.InfluxDB.Kind, v.InfluxDB.Connected)
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

// sample is what one slice of driving measured.
type sample struct {
	lat     []time.Duration
	elapsed time.Duration
	errors  int64
}

func (s *sample) add(o sample) {
	s.lat = append(s.lat, o.lat...)
	s.elapsed += o.elapsed
	s.errors += o.errors
}

func (s sample) result() result {
	sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	r := result{rps: float64(len(s.lat)) / s.elapsed.Seconds(), errors: s.errors}
	if len(s.lat) > 0 {
		r.p50 = s.lat[len(s.lat)/2].Round(time.Microsecond)
		r.p99 = s.lat[len(s.lat)*99/100].Round(time.Microsecond)
	}
	return r
}

// slice is how long one target is driven before the other takes over:
// on a shared machine the load of other processes drifts, and alternating
// short slices gives both targets the same conditions.
const slice = time.Second

// compare drives the service and the bare handler in alternating slices
// until each had d.
func compare(service, bare string, clients int, d time.Duration) (got, want result) {
	sc, bc := newClient(clients), newClient(clients)
	defer sc.Transport.(*http.Transport).CloseIdleConnections()
	defer bc.Transport.(*http.Transport).CloseIdleConnections()
	var s, b sample
	for done := time.Duration(0); done < d; done += slice {
		s.add(drive(sc, service, clients, slice))
		b.add(drive(bc, bare, clients, slice))
	}
	return s.result(), b.result()
}

func newClient(clients int) *http.Client {
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, DisableCompression: true}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// drive runs clients goroutines of back-to-back requests for d.
func drive(client *http.Client, url string, clients int, d time.Duration) sample {
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
			lat := make([]time.Duration, 0, 1<<12)
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
	return sample{lat: all, elapsed: time.Since(start), errors: errors.Load()}
}

// bare starts this program again as the bare handler serving body: the
// ceiling for this machine.
func bare(body []byte) (string, func(), error) {
	f, err := os.CreateTemp("", "loadcheck-bare-*.json")
	if err != nil {
		return "", nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(body); err != nil {
		f.Close()
		return "", nil, err
	}
	if err := f.Close(); err != nil {
		return "", nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(self, "-bare", f.Name())
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("the bare handler did not start: %v", err)
	}
	return "http://" + strings.TrimSpace(addr) + "/", stop, nil
}

// serveBare is the bare handler's process: the file's bytes as JSON on any
// request, until it is killed.
func serveBare(path string) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	return httpapi.NewHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}), nil).Serve(ln)
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
	p, err := childproc.FreePort()
	return fmt.Sprint(p), err
}
