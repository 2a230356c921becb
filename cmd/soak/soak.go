package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
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

// soakRun plays the simulated days through the binary on one store and
// returns the report of its checks. An error means the run could not be
// carried out (the report, when not nil, says how far it got).
// soakLeagues are simulated and followed: American football, hockey and
// soccer (draws, penalties).
var soakLeagues = []string{"nfl", "nhl", "mls"}

// recoveryHold is the service's hold on a receiver after it was
// unreachable, shorter than the 30 s default so that a short soak's
// flaky receiver catches up before its 410.
const recoveryHold = 3 * time.Second

func soakRun(ctx context.Context, o options, store string) (*report, error) {
	dir := filepath.Join(o.workDir, store)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := &run{o: o, store: store, rep: &report{}, client: &http.Client{Timeout: 10 * time.Second}, started: time.Now(),
		firstFinal: map[string]time.Time{}}

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
		return nil, err
	}
	r.sim = sim
	r.espn = &espnCounter{h: sim.Handler()}
	simURL, stopSim, err := serveLocal(r.espn)
	if err != nil {
		return nil, err
	}
	defer func() {
		_ = sim.Close() // releases held requests first
		stopSim()
	}()
	days := "1 simulated day"
	if o.days > 1 {
		days = fmt.Sprintf("%d simulated days", o.days)
	}
	r.rep.title = fmt.Sprintf("soak on %s: %s from %s ET, %g× real time, seed %d", storeName(store), days,
		start.In(eastern).Format("Mon 2 Jan 2006 15:04"), o.speed, o.seed)

	if kind, ok := influxKind(store); ok {
		r.influx, err = newInfluxServer(kind, o.binaries[kind], filepath.Join(dir, store))
		if err != nil {
			return r.rep, err
		}
		if err := r.influx.up(ctx); err != nil {
			return r.rep, err
		}
		defer r.influx.term(10 * time.Second)
	}

	secrets := map[string]string{}
	for _, h := range []string{"all", "team", "flaky"} {
		secrets[h] = randomHex(20)
	}
	r.rcv, err = startReceivers(secrets)
	if err != nil {
		return r.rep, err
	}
	defer r.rcv.close()

	// The service's clock: the simulator's, read between two wall-clock
	// readings.
	r0 := time.Now()
	simNow := sim.Now()
	epoch := r0.Add(time.Since(r0) / 2)
	port, err := childproc.FreePort()
	if err != nil {
		return r.rep, err
	}
	r.base = fmt.Sprintf("http://127.0.0.1:%d", port)
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
	r.svc = &proc{Proc: childproc.Proc{Name: "sports-data", Path: o.bin, Env: env, LogPath: filepath.Join(dir, "service.log"),
		Args: []string{"demo", "--attach", simURL,
			"--clock-start", simNow.Format(time.RFC3339Nano),
			"--clock-epoch", strconv.FormatInt(epoch.UnixNano(), 10),
			"--speed", strconv.FormatFloat(o.speed, 'f', -1, 64),
			"--port", strconv.Itoa(port),
			"--data-dir", filepath.Join(dir, "data"),
			"--poll", o.poll.String()}}}
	if err := r.startService(ctx); err != nil {
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

// action is a fault injected at a simulated time.
type action struct {
	at   time.Time
	name string
	do   func(ctx context.Context) error
}

// faults lays out the injected faults on the simulated calendar. Durations
// of outages are in real time, so they mean the same to the sender's
// timeouts at any speed.
func (r *run) faults() []action {
	day0 := time.Date(r.sim.Truth().At.In(eastern).Year(), r.sim.Truth().At.In(eastern).Month(), r.sim.Truth().At.In(eastern).Day(), 0, 0, 0, 0, eastern)
	at := func(day, hh, mm int) time.Time {
		return time.Date(day0.Year(), day0.Month(), day0.Day()+day, hh, mm, 0, 0, eastern)
	}
	real := func(d time.Duration) time.Duration { return time.Duration(float64(d) * r.o.speed) }
	var acts []action
	add := func(t time.Time, name string, do func(ctx context.Context) error) {
		acts = append(acts, action{at: t, name: name, do: do})
	}
	// The flaky receiver's phases. The outages are set in real time so
	// that they mean the same to the sender's 5 s timeout and 1-2-4 s
	// backoff at any speed: the flap ends before the hold begins (a flapped
	// event's retry must not land in the hold), the hold stays within the
	// retry budget, and the 410 comes when the receiver has caught up: after
	// the service's hold on a receiver that was unreachable
	// (WEBHOOK_RECOVERY_HOLD, set to recoveryHold for the soak) has ended.
	later := func(a, b time.Time) time.Time {
		if a.After(b) {
			return a
		}
		return b
	}
	flap := at(0, 13, 0)
	flapEnd := flap.Add(real(4 * time.Second))
	hang := later(at(0, 16, 0), flapEnd.Add(real(2*time.Second)))
	r.hangEnd = hang.Add(real(10 * time.Second))
	gone := at(0, 21, 30)
	if r.o.days > 5 {
		gone = at(5, 20, 0) // Friday evening
	}
	gone = later(gone, r.hangEnd.Add(real(recoveryHold+5*time.Second)))
	add(flap, "flaky receiver: 500 to the first attempt of every 4th event for 4 s (real)", func(context.Context) error {
		r.rcv.set("flaky", behaveFlap)
		return nil
	})
	add(flapEnd, "flaky receiver: answers 204 again", func(context.Context) error {
		r.rcv.set("flaky", behaveOK)
		return nil
	})
	add(hang, "flaky receiver: holds every request for 10 s (real)", func(context.Context) error {
		r.rcv.set("flaky", behaveHang)
		return nil
	})
	add(r.hangEnd, "flaky receiver: answers 204 again", func(context.Context) error {
		r.rcv.set("flaky", behaveOK)
		return nil
	})
	add(gone, "flaky receiver: answers 410 Gone from now on", func(context.Context) error {
		r.rcv.set("flaky", behaveGone)
		return nil
	})
	// An outage returns when it ends, so that no kill falls into it.
	influxOutage := func(t time.Time) time.Time {
		end := t.Add(real(4 * time.Second))
		if r.influx == nil {
			return end
		}
		add(t, "InfluxDB stopped (SIGTERM) for 4 s (real)", func(context.Context) error {
			r.influx.term(10 * time.Second)
			return nil
		})
		add(end, "InfluxDB started again", func(ctx context.Context) error {
			return r.influx.up(ctx)
		})
		return end
	}
	kill := func(t time.Time) {
		add(t, "service killed (SIGKILL), started again 0.5 s (real) later", func(ctx context.Context) error {
			r.svc.kill()
			r.kills = append(r.kills, time.Now())
			sleepCtx(ctx, 500*time.Millisecond)
			return r.startService(ctx)
		})
	}
	add(at(0, 8, 40), "ESPN holds one NFL and one NHL scoreboard request until the service's client gives up",
		func(context.Context) error {
			r.espn.holdNext("nfl", 1)
			r.espn.holdNext("nhl", 1)
			return nil
		})
	outageEnd := influxOutage(at(0, 13, 45))
	kill(later(at(0, 15, 20), outageEnd.Add(real(2*time.Second))))
	if r.o.days >= 2 {
		kill(at(1, 21, 30)) // Monday night
	}
	if r.o.days >= 5 {
		influxOutage(at(4, 20, 0)) // Thursday night
	}
	if r.o.days >= 7 {
		kill(at(6, 20, 15)) // Saturday, NHL
	}
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].at.Before(acts[j].at) })
	return acts
}

// play waits for the simulation to end, injecting the faults on time.
func (r *run) play(ctx context.Context) error {
	acts := r.faults()
	over := r.sim.OverAt()
	realLeft := time.Duration(float64(over.Sub(r.sim.Now())) / r.o.speed)
	deadline := time.Now().Add(realLeft*3/2 + 2*time.Minute)
	r.rep.note("all games over at %s ET, %s of real time from now", over.In(eastern).Format("Mon 15:04"), realLeft.Round(time.Second))
	lastRSS := time.Time{}
	for !r.sim.Done() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the simulation did not end by %s", deadline.Format(time.TimeOnly))
		}
		now := r.sim.Now()
		for len(acts) > 0 && !acts[0].at.After(now) {
			a := acts[0]
			acts = acts[1:]
			r.rep.note("%s ET  %s  (%s)", now.In(eastern).Format("Mon 15:04"), a.name, time.Now().Format("15:04:05.000"))
			if err := a.do(ctx); err != nil {
				return fmt.Errorf("%s: %v", a.name, err)
			}
		}
		if time.Since(lastRSS) > time.Second {
			r.svc.sampleRSS()
			lastRSS = time.Now()
		}
		sleepCtx(ctx, 20*time.Millisecond)
	}
	for _, a := range acts {
		r.rep.note("not reached before the end: %s", a.name)
	}
	return nil
}

// settle waits until the service has written and delivered everything:
// nothing queued or spooled, no pending deliveries, and the receivers
// quiet for three seconds (at most 90 s).
func (r *run) settle(ctx context.Context) {
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var h healthDoc
		var l hookList
		if r.getJSON("/health", &h) == nil && r.getJSON("/api/v1/ha/webhooks", &l) == nil &&
			h.Store.Queued == 0 && h.Store.Spooled == 0 && l.pending() == 0 &&
			time.Since(r.rcv.lastAt()) > 3*time.Second {
			return
		}
		sleepCtx(ctx, 250*time.Millisecond)
	}
	r.rep.note("the service had not settled after 90 s; checking anyway")
}

type healthDoc struct {
	Store struct {
		Connected bool   `json:"connected"`
		Queued    int    `json:"queued"`
		Spooled   int    `json:"spooled"`
		Dropped   int    `json:"dropped"`
		LastError string `json:"last_error"`
	} `json:"influxdb"`
}

type hookList struct {
	Webhooks []struct {
		ID       string  `json:"webhook_id"`
		URL      string  `json:"url"`
		Disabled bool    `json:"disabled"`
		Reason   *string `json:"disabled_reason"`
		Pending  int     `json:"pending_events"`
		Dropped  int     `json:"dropped_events"`
		Expired  int     `json:"expired_events"`
	} `json:"webhooks"`
}

func (l hookList) pending() int {
	n := 0
	for _, w := range l.Webhooks {
		if !w.Disabled {
			n += w.Pending
		}
	}
	return n
}

func (r *run) getJSON(path string, v any) error {
	resp, err := r.client.Get(r.base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, bytes.TrimSpace(b))
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// check compares everything with the truth and fills the report.
func (r *run) check(ctx context.Context, baseline int) {
	tr := r.sim.Truth()
	r.checkTimelines(tr)
	r.checkWebhooks(tr)
	r.checkHistory(tr)

	var h healthDoc
	if err := r.getJSON("/health", &h); err != nil {
		r.rep.check("store: nothing queued, spooled or dropped", "", []string{err.Error()})
	} else {
		var problems []string
		if !h.Store.Connected || h.Store.Queued != 0 || h.Store.Spooled != 0 || h.Store.Dropped != 0 {
			problems = append(problems, fmt.Sprintf("connected %v, queued %d, spooled %d, dropped %d, last error %q",
				h.Store.Connected, h.Store.Queued, h.Store.Spooled, h.Store.Dropped, h.Store.LastError))
		}
		r.rep.check("store: nothing queued, spooled or dropped", "", problems)
	}

	// Goroutines: idle connections to the receivers and this client end
	// first; the poller's connections to the simulator were there before.
	r.rcv.dropIdle()
	r.client.CloseIdleConnections()
	const tolerance = 8
	end := -1
	for i := 0; i < 100 && ctx.Err() == nil; i++ {
		n, err := r.goroutines()
		if err == nil && (end < 0 || n < end) {
			end = n
		}
		if end >= 0 && end <= baseline+tolerance {
			break
		}
		sleepCtx(ctx, 200*time.Millisecond)
	}
	var gp []string
	if end < 0 || end > baseline+tolerance {
		gp = append(gp, fmt.Sprintf("%d goroutines after the games, %d before (tolerance %d)", end, baseline, tolerance))
	}
	r.rep.check("goroutines back to the baseline", fmt.Sprintf("%d before the games, %d after (tolerance +%d)", baseline, end, tolerance), gp)

	r.checkLog()

	r.svc.sampleRSS()
	mb := float64(r.svc.peakKB) / 1024
	aim := "under the 40 MB aim"
	if mb >= 40 {
		aim = "ABOVE the 40 MB aim"
	}
	r.rep.info("peak RSS of the service (VmHWM)", fmt.Sprintf("%.1f MB over %d runs of the process, %s", mb, r.svc.starts, aim))

	code, took := r.svc.term(20 * time.Second)
	var sp []string
	if code != 0 {
		sp = append(sp, fmt.Sprintf("exit status %d after %s (see %s)", code, took.Round(time.Millisecond), r.svc.LogPath))
	}
	r.rep.check("clean stop on SIGTERM", fmt.Sprintf("exit %d after %s", code, took.Round(time.Millisecond)), sp)
}

func (r *run) checkTimelines(tr simulator.Truth) {
	var dups, order, finals []string
	stored, nFinals, nGames, truthStatesN := 0, 0, 0, 0
	for _, g := range tr.Games {
		nGames++
		if g.Final != nil {
			nFinals++
		}
		var tl timelineDoc
		if err := r.getJSON("/api/v1/games/timeline/"+url.PathEscape(g.ID), &tl); err != nil {
			order = append(order, fmt.Sprintf("%s: %v", gameName(g), err))
			continue
		}
		stored += len(tl.Timeline)
		for _, e := range tl.Timeline {
			if e.Status == "final" {
				r.firstFinal[g.League+"/"+g.ID] = e.Time
				break
			}
		}
		truthStatesN += len(truthStates(g))
		d, o, f := checkTimeline(g, tl)
		dups, order, finals = append(dups, d...), append(order, o...), append(finals, f...)
	}
	r.rep.check("timelines: each observed change stored once", fmt.Sprintf("%d games, %d stored changes of the truth's %d", nGames, stored, truthStatesN), dups)
	r.rep.check("timelines: changes in the simulator's order", "stored states are a subsequence of the truth's", order)
	r.rep.check("finals equal the simulator's", fmt.Sprintf("%d finals", nFinals), finals)
}

func (r *run) checkWebhooks(tr simulator.Truth) {
	byHook := map[string][]delivery{}
	var bad []string
	for _, d := range r.rcv.deliveries() {
		byHook[d.Hook] = append(byHook[d.Hook], d)
		if !d.SigOK {
			bad = append(bad, fmt.Sprintf("%s: %s %s failed the signature check", d.Hook, d.Event, d.EventID))
		}
	}
	r.rep.check("webhooks: every request signed correctly", fmt.Sprintf("%d requests", len(r.rcv.deliveries())), bad)

	all := firstAccepted(byHook["all"])
	once, tolerated := checkOnce(byHook["all"], r.kills)
	games := map[string]simulator.GameTruth{}
	for _, g := range tr.Games {
		games[g.League+"/"+g.ID] = g
	}
	perGame := map[string][]payload{}
	for _, d := range all {
		k := strings.ToLower(d.Payload.League) + "/" + d.Payload.GameID
		if _, ok := games[k]; !ok {
			once = append(once, fmt.Sprintf("all: event for unknown game %s", k))
			continue
		}
		perGame[k] = append(perGame[k], d.Payload)
	}
	var chain []string
	withheld := 0
	for _, g := range tr.Games {
		k := g.League + "/" + g.ID
		late := false
		if f, ok := r.firstFinal[k]; ok && g.Final != nil && f.Sub(g.End) > time.Hour {
			late = true
			if n := len(perGame[k]); n == 0 || perGame[k][n-1].Event != "game_end" {
				withheld++
			}
		}
		chain = append(chain, checkChain(g, perGame[k], late)...)
	}
	chainDetail := fmt.Sprintf("%d games", len(tr.Games))
	if withheld > 0 {
		chainDetail += fmt.Sprintf("; %d ends not sent, first seen final over an hour after the end (by design)", withheld)
	}
	detail := fmt.Sprintf("%d events", len(all))
	if tolerated > 0 {
		detail += fmt.Sprintf(", %d resent after a kill (documented)", tolerated)
	}
	r.rep.check("webhook all: each event delivered once", detail, once)
	r.rep.check("webhook all: per game in order, none missing", chainDetail, chain)

	// Team: exactly the reference webhook's events of the team's games.
	team := firstAccepted(byHook["team"])
	tOnce, _ := checkOnce(byHook["team"], r.kills)
	want := r.team.events(all)
	var got []string
	for _, d := range team {
		got = append(got, d.EventID)
		if d.Payload.Team != r.team.Abbreviation || !strings.EqualFold(d.Payload.League, r.team.League) {
			tOnce = append(tOnce, fmt.Sprintf("team: %s has team %q of %q", d.EventID, d.Payload.Team, d.Payload.League))
		}
	}
	if p := checkPrefix(got, want); p != "" || len(got) != len(want) {
		tOnce = append(tOnce, fmt.Sprintf("team: %d events, the reference webhook has %d for %s: %s", len(got), len(want), r.team, p))
	}
	r.rep.check("webhook team: its games' events, once, in order", fmt.Sprintf("%s: %d events", r.team, len(got)), tOnce)

	// Flaky: a prefix of the reference, retries after 500s and holds,
	// nothing after the 410.
	fl := byHook["flaky"]
	fOnce, _ := checkOnce(fl, r.kills)
	var fids, aids []string
	for _, d := range firstAccepted(fl) {
		fids = append(fids, d.EventID)
	}
	for _, d := range all {
		aids = append(aids, d.EventID)
	}
	if p := checkPrefix(fids, aids); p != "" {
		fOnce = append(fOnce, "flaky: "+p)
	}
	// Flaps and the hold stay within the retry budget: every event seen
	// before the hold ended reaches the flaky receiver too.
	inFlaky := map[string]bool{}
	for _, id := range fids {
		inFlaky[id] = true
	}
	before := 0
	for _, d := range all {
		ts, err := time.Parse(time.RFC3339, d.Payload.Timestamp)
		if err != nil || !ts.Before(r.hangEnd) {
			continue
		}
		before++
		if !inFlaky[d.EventID] {
			fOnce = append(fOnce, fmt.Sprintf("flaky: lost %s %s of game %s (observed %s)", d.Event, d.EventID, d.Payload.GameID, d.Payload.Timestamp))
		}
	}
	failedThenOK, held, gone, after := 0, 0, 0, 0
	failed := map[string]bool{}
	for _, d := range fl {
		switch {
		case gone > 0:
			after++
		case d.Status == http.StatusInternalServerError:
			failed[d.EventID] = true
		case d.Status == 0:
			held++
		case d.Status == http.StatusGone:
			gone++
		case d.Status < 300 && failed[d.EventID]:
			failedThenOK++
		}
	}
	if failedThenOK == 0 {
		fOnce = append(fOnce, "flaky: no event was delivered after a 500")
	}
	if held == 0 {
		fOnce = append(fOnce, "flaky: no request was held")
	}
	if gone != 1 || after != 0 {
		fOnce = append(fOnce, fmt.Sprintf("flaky: %d answers 410 and %d requests after the first", gone, after))
	}
	var l hookList
	if err := r.getJSON("/api/v1/ha/webhooks", &l); err != nil {
		fOnce = append(fOnce, err.Error())
	}
	for _, w := range l.Webhooks {
		name := r.hookIDs[w.ID]
		if w.Disabled != (name == "flaky") {
			fOnce = append(fOnce, fmt.Sprintf("%s (%s): disabled %v", name, w.ID, w.Disabled))
		}
		if w.Dropped != 0 || w.Expired != 0 {
			fOnce = append(fOnce, fmt.Sprintf("%s (%s): %d events dropped (queue full), %d past the retry window", name, w.ID, w.Dropped, w.Expired))
		}
	}
	r.rep.check("webhook flaky: retried, then disabled by 410",
		fmt.Sprintf("%d of %d events before the 410 (all %d observed before the hold ended); %d delivered after a 500, %d held",
			len(fids), len(aids), before, failedThenOK, held), fOnce)
}

func (r *run) checkHistory(tr simulator.Truth) {
	want := recordsFromTruth(tr)
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var problems []string
	for _, k := range keys {
		parts := strings.Split(k, "/") // league/ABBR/season
		q := url.Values{
			"team":      {parts[0] + "-" + strings.ToLower(parts[1])},
			"league":    {parts[0]},
			"season":    {parts[2]},
			"page_size": {"1"},
		}
		var doc struct {
			Statistics *record `json:"statistics"`
		}
		if err := r.getJSON("/api/v1/games/history?"+q.Encode(), &doc); err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if doc.Statistics == nil {
			problems = append(problems, k+": no statistics")
			continue
		}
		if *doc.Statistics != want[k] {
			problems = append(problems, fmt.Sprintf("%s: stored %+v, simulator %+v", k, *doc.Statistics, want[k]))
		}
	}
	r.rep.check("history records equal the simulator's finals", fmt.Sprintf("%d team seasons", len(keys)), problems)
}

// espnCounter counts what the simulator answered, and holds scoreboard
// requests of a league until the client gives up when told to.
type espnCounter struct {
	h http.Handler

	mu                                 sync.Mutex
	calls, errors, timeouts, truncated int
	hold                               map[string]int // league → requests still to hold
	gaveUp                             []time.Duration
}

func (c *espnCounter) holdNext(league string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hold == nil {
		c.hold = map[string]int{}
	}
	c.hold[league] += n
}

func (c *espnCounter) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if parts := strings.Split(strings.Trim(req.URL.Path, "/"), "/"); len(parts) == 3 && parts[2] == "scoreboard" {
		c.mu.Lock()
		held := c.hold[parts[1]] > 0
		if held {
			c.hold[parts[1]]--
		}
		c.mu.Unlock()
		if held {
			start := time.Now()
			select {
			case <-req.Context().Done():
			case <-time.After(time.Minute):
			}
			c.mu.Lock()
			c.gaveUp = append(c.gaveUp, time.Since(start).Round(100*time.Millisecond))
			c.mu.Unlock()
			return
		}
	}
	cw := &captureWriter{ResponseWriter: w, status: http.StatusOK}
	c.h.ServeHTTP(cw, req)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	switch {
	case cw.status == http.StatusInternalServerError:
		c.errors++
	case cw.status == http.StatusGatewayTimeout:
		c.timeouts++
	case cw.status == http.StatusOK && !json.Valid(cw.body.Bytes()):
		c.truncated++
	}
}

func (c *espnCounter) summary() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprintf("%d (500: %d, held then 504: %d, half a body: %d, held until the client gave up: %v)",
		c.calls, c.errors, c.timeouts, c.truncated, c.gaveUp)
}

type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *captureWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *captureWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// serveLocal serves h on 127.0.0.1 until the returned stop is called.
func serveLocal(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return "http://" + ln.Addr().String(), func() {
		_ = srv.Close()
		<-done
	}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// saveDeliveries writes every request the receivers got, one JSON object a
// line, for reading after a failed check.
func (r *run) saveDeliveries(path string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, d := range r.rcv.deliveries() {
		_ = enc.Encode(d)
	}
	_ = os.WriteFile(path, b.Bytes(), 0o644)
}

// checkLog summarises the service's warnings and fails on errors and
// panics: every fault the soak injects is expected to be met with a
// warning at most.
func (r *run) checkLog() {
	raw, err := os.ReadFile(r.svc.LogPath)
	if err != nil {
		r.rep.check("service log: no errors or panics", "", []string{err.Error()})
		return
	}
	warns := map[string]int{}
	var problems []string
	for _, line := range strings.Split(string(raw), "\n") {
		switch {
		case strings.Contains(line, "level=ERROR"):
			problems = append(problems, line)
		case strings.HasPrefix(line, "panic:") || strings.HasPrefix(line, "fatal error:"):
			problems = append(problems, line)
		case strings.Contains(line, "level=WARN"):
			warns[logMsg(line)]++
		}
	}
	r.rep.check("service log: no errors or panics", fmt.Sprintf("%d kinds of warning", len(warns)), problems)
	kinds := make([]string, 0, len(warns))
	for m := range warns {
		kinds = append(kinds, m)
	}
	sort.Slice(kinds, func(i, j int) bool { return warns[kinds[i]] > warns[kinds[j]] })
	for _, m := range kinds {
		r.rep.info("  warning", fmt.Sprintf("%5d× %s", warns[m], m))
	}
}

// logMsg is the msg of a slog text line.
func logMsg(line string) string {
	i := strings.Index(line, "msg=")
	if i < 0 {
		return line
	}
	rest := line[i+4:]
	if strings.HasPrefix(rest, `"`) {
		if j := strings.Index(rest[1:], `"`); j >= 0 {
			return rest[1 : j+1]
		}
		return rest
	}
	if j := strings.IndexByte(rest, ' '); j >= 0 {
		return rest[:j]
	}
	return rest
}
