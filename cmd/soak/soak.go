package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/childproc"
	"github.com/sports-data/sports-data/internal/simulator"
)

// run is the state of one soak run against one store.
type run struct {
	o       options
	store   string
	rep     *report
	sim     *simulator.Sim
	espn    *espnCounter
	svc     *proc
	influx  *influxServer
	rcv     *receivers
	base    string
	client  *http.Client
	team    teamRef           // the team-scoped webhook's team
	hookIDs map[string]string // webhook id → receiver name (all, team, flaky)
	kills   []time.Time
	hangEnd time.Time // simulated
	started time.Time
	// firstFinal is, per league/game id, the first stored final.
	firstFinal map[string]time.Time
}

// soakLeagues are simulated and followed: American football, hockey and
// soccer (draws, penalties).
var soakLeagues = []string{"nfl", "nhl", "mls"}

// recoveryHold is the service's hold on a receiver after it was
// unreachable, shorter than the 30 s default so that a short soak's
// flaky receiver catches up before its 410.
const recoveryHold = 3 * time.Second

// soakRun plays the simulated days through the binary on one store and
// returns the report of its checks. An error means the run could not be
// carried out (the report, when not nil, says how far it got).
func soakRun(ctx context.Context, o options, store string) (*report, error) {
	dir := filepath.Join(o.workDir, store)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := &run{o: o, store: store, rep: &report{}, client: &http.Client{Timeout: 10 * time.Second}, started: time.Now(),
		firstFinal: map[string]time.Time{}}

	// Serve the simulated ESPN and title the report after it.
	simURL, stopSim, err := r.startSim()
	if err != nil {
		return nil, err
	}
	defer stopSim()
	// Start the InfluxDB server of an InfluxDB store.
	stopInflux, err := r.startInflux(ctx, dir)
	if err != nil {
		return r.rep, err
	}
	defer stopInflux()
	// Start the three webhook receivers, each with a secret of its own.
	secrets, err := r.startReceivers()
	if err != nil {
		return r.rep, err
	}
	defer r.rcv.close()

	// Start the service on the simulator's clock and register the receivers.
	if err := r.launch(ctx, dir, simURL); err != nil {
		return r.rep, err
	}
	defer func() {
		if r.svc.Running() {
			r.svc.term(20 * time.Second)
		}
	}()
	if err := r.register(secrets); err != nil {
		return r.rep, err
	}

	// Play the days, then check what the service stored and delivered.
	baseline, err := r.baselineGoroutines(ctx)
	if err != nil {
		return r.rep, err
	}
	if err := r.play(ctx); err != nil {
		return r.rep, err
	}
	r.settle(ctx)
	r.saveDeliveries(filepath.Join(dir, "deliveries.jsonl"))
	r.check(ctx, baseline)
	r.rep.note("took %s of real time; ESPN calls %s", time.Since(r.started).Round(time.Second), r.espn.summary())
	return r.rep, nil
}

// startSim serves the simulated leagues, with ESPN's faults, and titles
// the report; the function it returns stops the simulator.
func (r *run) startSim() (string, func(), error) {
	o := r.o
	// Sunday 08:00 Eastern: simulated hours before the first games, for
	// the baseline readings and ESPN requests held until the client gives
	// up (each stalls a league for hours of simulated time).
	from := o.from
	if from.IsZero() {
		from = time.Now()
	}
	start := simulator.SundayNoonET(from).Add(-4 * time.Hour)
	sim, err := simulator.New(simulator.Options{
		Start: start, Speed: o.speed, Seed: o.seed, Days: o.days, Leagues: soakLeagues,
		Faults: simulator.Faults{
			ErrorRate:       0.4 * o.faultRate,
			TimeoutRate:     0.2 * o.faultRate,
			InvalidJSONRate: 0.4 * o.faultRate,
			// Held a quarter of a second, then 504: at these speeds the
			// client's own ten-second timeout stalls a league for hours
			// of simulated play, so that is injected twice only.
			Timeout: 250 * time.Millisecond,
		},
	})
	if err != nil {
		return "", nil, err
	}
	r.sim = sim
	r.espn = &espnCounter{h: sim.Handler()}
	simURL, stopSim, err := serveLocal(r.espn)
	if err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = sim.Close() // releases held requests first
		stopSim()
	}
	days := "1 simulated day"
	if o.days > 1 {
		days = fmt.Sprintf("%d simulated days", o.days)
	}
	r.rep.title = fmt.Sprintf("soak on %s: %s from %s ET, %g× real time, seed %d", storeName(r.store), days,
		start.In(eastern).Format("Mon 2 Jan 2006 15:04"), o.speed, o.seed)
	return simURL, stop, nil
}

// startInflux starts the InfluxDB server of an InfluxDB store; the
// function it returns stops it (and does nothing for SQLite).
func (r *run) startInflux(ctx context.Context, dir string) (func(), error) {
	kind, ok := influxKind(r.store)
	if !ok {
		return func() {}, nil
	}
	srv, err := newInfluxServer(kind, r.o.binaries[kind], filepath.Join(dir, r.store))
	if err != nil {
		return nil, err
	}
	r.influx = srv
	if err := r.influx.up(ctx); err != nil {
		return nil, err
	}
	return func() { srv.term(10 * time.Second) }, nil
}

// startReceivers starts the webhook receivers, all, team and flaky, and
// returns the secret of each.
func (r *run) startReceivers() (map[string]string, error) {
	secrets := map[string]string{}
	for _, h := range []string{"all", "team", "flaky"} {
		secrets[h] = randomHex(20)
	}
	var err error
	r.rcv, err = startReceivers(secrets)
	return secrets, err
}

// launch starts the service in demo mode, attached to the simulator and
// on its clock, with its data in dir.
func (r *run) launch(ctx context.Context, dir, simURL string) error {
	o := r.o
	// The service's clock: the simulator's, read between two wall-clock
	// readings.
	r0 := time.Now()
	simNow := r.sim.Now()
	epoch := r0.Add(time.Since(r0) / 2)
	port, err := childproc.FreePort()
	if err != nil {
		return err
	}
	r.base = fmt.Sprintf("http://127.0.0.1:%d", port)
	r.svc = &proc{Proc: childproc.Proc{Name: "sports-data", Path: o.bin, Env: r.serviceEnv(), LogPath: filepath.Join(dir, "service.log"),
		Args: []string{"demo", "--attach", simURL,
			"--clock-start", simNow.Format(time.RFC3339Nano),
			"--clock-epoch", strconv.FormatInt(epoch.UnixNano(), 10),
			"--speed", strconv.FormatFloat(o.speed, 'f', -1, 64),
			"--port", strconv.Itoa(port),
			"--data-dir", filepath.Join(dir, "data"),
			"--poll", o.poll.String()}}}
	return r.startService(ctx)
}

// serviceEnv is the service's environment: limits loose enough for the
// soak's pace, and the store under test.
func (r *run) serviceEnv() []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"LOG_LEVEL=info",
		"HISTORY_RATE_LIMIT_PER_MINUTE=1000000",
		"INFLUXDB_FLUSH_INTERVAL=250ms",
		"CIRCUIT_BREAKER_TIMEOUT_SECONDS=2",
		"WEBHOOK_RECOVERY_HOLD=" + recoveryHold.String(),
		"LEAGUES=" + strings.Join(soakLeagues, ","),
	}
	if r.influx != nil {
		// The compose files' settings for this server (internal/influxtest).
		env = append(env, r.influx.ServiceEnv()...)
	} else {
		env = append(env, "STORE=sqlite")
	}
	return env
}

func storeName(s string) string {
	if k, ok := influxKind(s); ok {
		return k.Name()
	}
	return "SQLite"
}

func (r *run) startService(ctx context.Context) error {
	if err := r.svc.start(); err != nil {
		return err
	}
	if err := waitHTTP(ctx, r.base+"/health", http.StatusOK, 30*time.Second); err != nil {
		return fmt.Errorf("the service did not come up (log: %s): %v", r.svc.LogPath, err)
	}
	return nil
}

// register subscribes the three receivers through the service's API: all
// games, one team's games (held back 30 simulated seconds), and the flaky
// one, all games.
func (r *run) register(secrets map[string]string) error {
	// The team of the scripted quick-scores game: twice in a row, both
	// sides seconds apart.
	tr := r.sim.Truth()
	for _, g := range tr.Games {
		if g.League == "nfl" && (r.team.Abbreviation == "" || g.Scenario == simulator.ScenarioQuick) {
			r.team = teamRef{League: g.League, Abbreviation: g.Home.Abbreviation}
			if g.Scenario == simulator.ScenarioQuick {
				break
			}
		}
	}
	if r.team.Abbreviation == "" {
		return errors.New("the simulation has no NFL game")
	}
	// A team webhook needs the team list, which comes with the first polls.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var teams struct {
			Count int `json:"count"`
		}
		if r.getJSON("/api/v1/teams?league=nfl", &teams) == nil && teams.Count > 0 {
			break
		}
		if time.Now().After(deadline) {
			return errors.New("the service had no NFL teams 30 s after the start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	bodies := map[string]map[string]any{
		"all":   {"url": r.rcv.url("all"), "secret": secrets["all"]},
		"team":  {"url": r.rcv.url("team"), "secret": secrets["team"], "team": r.team.Abbreviation, "league": r.team.League, "delay_seconds": 30},
		"flaky": {"url": r.rcv.url("flaky"), "secret": secrets["flaky"]},
	}
	for _, name := range []string{"all", "team", "flaky"} {
		raw, _ := json.Marshal(bodies[name])
		resp, err := r.client.Post(r.base+"/api/v1/ha/webhooks/register", "application/json", bytes.NewReader(raw))
		if err != nil {
			return err
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("registering the %s webhook: %d %s", name, resp.StatusCode, msg)
		}
		// The lists show URLs masked: the webhooks are told apart by id.
		var reg struct {
			ID string `json:"webhook_id"`
		}
		if err := json.Unmarshal(msg, &reg); err != nil || reg.ID == "" {
			return fmt.Errorf("registering the %s webhook: no webhook_id in %s", name, msg)
		}
		if r.hookIDs == nil {
			r.hookIDs = map[string]string{}
		}
		r.hookIDs[reg.ID] = name
	}
	r.rcv.set("flaky", behaveOK)
	return nil
}

// baselineGoroutines reads go_goroutines before the first game: the
// lowest of a few readings, after a second of polling.
func (r *run) baselineGoroutines(ctx context.Context) (int, error) {
	first := time.Time{}
	for _, g := range r.sim.Truth().Games {
		if first.IsZero() || g.Scheduled.Before(first) {
			first = g.Scheduled
		}
	}
	sleepCtx(ctx, time.Second)
	best := -1
	for i := 0; i < 5 && r.sim.Now().Before(first); i++ {
		n, err := r.goroutines()
		if err != nil {
			return 0, err
		}
		if best < 0 || n < best {
			best = n
		}
		sleepCtx(ctx, 100*time.Millisecond)
	}
	if best < 0 {
		return 0, fmt.Errorf("the first game started before a baseline could be read; lower -speed")
	}
	r.rep.note("service goroutines before the games: %d (the lowest of a few readings)", best)
	return best, nil
}

func (r *run) goroutines() (int, error) {
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(r.base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "go_goroutines "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return int(f), err
		}
	}
	return 0, errors.New("/metrics has no go_goroutines")
}
