package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sports-data/sports-data/internal/childproc"
)

// run is one end-to-end run: its processes, what it observed, its report.
type run struct {
	o   options
	rep *report
	dir string

	haVersion string
	ha        *child
	hc        *haClient
	haPort    int
	svc       *child
	svcBase   string
	rec       *recorder
	obs       *observer
	ans       *answers
	g         *game
	autos     []automation

	// The restart: Home Assistant stopped at haStopped, answering again at
	// haBack.
	haStopped, haBack time.Time
	svcStarted        time.Time

	// The MQTT-discovered game sensor, once found.
	mqttSensor string
}

func (r *run) run(ctx context.Context) error {
	var err error
	r.dir, err = os.MkdirTemp("", "sports-data-e2e-ha-")
	if err != nil {
		return err
	}
	if r.autos, err = packageAutomations(r.o.pkg); err != nil {
		return err
	}
	mq, err := url.Parse(r.o.mqttURL)
	if err != nil || mq.Hostname() == "" {
		return fmt.Errorf("-mqtt %q is not mqtt://host:port", r.o.mqttURL)
	}
	mqPort, _ := strconv.Atoi(mq.Port())

	secret := randomHex(24)
	if r.rec, err = startRecorder(secret); err != nil {
		return err
	}
	defer r.rec.close()

	// The game is laid out first (its clock starts later), so that the
	// configuration can name the followed team.
	plan, err := planGame(r.o.seed, r.o.speed, r.o.lead)
	if err != nil {
		return err
	}
	svcPort, err := childproc.FreePort()
	if err != nil {
		return err
	}
	r.svcBase = fmt.Sprintf("http://127.0.0.1:%d", svcPort)
	if r.haPort, err = childproc.FreePort(); err != nil {
		return err
	}
	haDir := filepath.Join(r.dir, "ha-config")
	if err := writeHAConfig(haConfig{dir: haDir, port: r.haPort, packageFile: r.o.pkg, recorderBase: r.rec.base,
		service: r.svcBase, team: plan.team}); err != nil {
		return err
	}
	r.ha = &child{Proc: childproc.Proc{Name: "home-assistant", Path: r.o.hass, Args: []string{"-c", haDir},
		Env: os.Environ(), LogPath: filepath.Join(r.dir, "home-assistant.out")}}
	r.hc = newHAClient(r.haPort)
	if err := r.warmUp(ctx, haDir); err != nil {
		return err
	}

	// The simulator's clock starts now and the service follows it, then
	// Home Assistant starts, as in a home where the service runs already
	// (started the other way round, Home Assistant retries the REST
	// sensors only after 30 s, and the pre-game automation's trigger on
	// a sensor that does not exist yet is not attached at all).
	if r.g, err = plan.start(); err != nil {
		return err
	}
	defer r.g.sim.Close()
	simURL, err := r.g.sim.Start(ctx)
	if err != nil {
		return err
	}
	env := append(os.Environ(),
		"LOG_LEVEL=info", "LEAGUES=nhl", "STORE=sqlite",
		"MQTT_URL="+r.o.mqttURL, "MQTT_TEAMS="+plan.team)
	r.svc = &child{Proc: childproc.Proc{Name: "sports-data", Path: r.o.bin, Env: env, LogPath: filepath.Join(r.dir, "sports-data.log"),
		Args: []string{"demo", "--attach", simURL,
			"--clock-start", r.g.start.Format(time.RFC3339Nano),
			"--clock-epoch", strconv.FormatInt(r.g.epoch.UnixNano(), 10),
			"--speed", strconv.FormatFloat(r.o.speed, 'f', -1, 64),
			"--port", strconv.Itoa(svcPort),
			"--data-dir", filepath.Join(r.dir, "data"),
			"--poll", "1s"}}}
	if err := r.svc.start(); err != nil {
		return err
	}
	defer r.svc.Stop(20 * time.Second)
	if err := waitService(ctx, r.svcBase, 30*time.Second); err != nil {
		return err
	}
	r.svcStarted = time.Now()
	haHooks := fmt.Sprintf("http://127.0.0.1:%d/api/webhook/", r.haPort)
	for _, a := range r.autos {
		if err := register(ctx, r.svcBase, a.Route, haHooks+a.WebhookID, secret, plan.team); err != nil {
			return err
		}
		if err := register(ctx, r.svcBase, a.Route, r.rec.base+"/hook/"+a.Event, secret, plan.team); err != nil {
			return err
		}
	}
	r.ans = &answers{}
	obsCtx, stopObs := context.WithCancel(ctx)
	defer stopObs()
	go r.ans.sample(obsCtx, r.svcBase+"/api/v1/ha/game-status/"+plan.team, 200*time.Millisecond)
	r.rep.note("following %s (%s vs %s, game %s) at %g× real time; run directory %s",
		plan.team, r.g.truth.Home.Abbreviation, r.g.truth.Away.Abbreviation, r.g.truth.ID, r.o.speed, r.dir)

	// Home Assistant, its owner and the MQTT integration.
	if err := r.ha.start(); err != nil {
		return err
	}
	defer r.ha.Stop(60 * time.Second)
	if err := r.hc.waitUp(ctx, r.o.haWait); err != nil {
		return err
	}
	if err := r.hc.onboard(ctx); err != nil {
		return err
	}
	if r.haVersion, err = r.hc.version(ctx); err != nil {
		return err
	}
	r.rep.add("onboarding", true, "owner created through /api/onboarding/users, token from /auth/token")
	if err := r.hc.addMQTT(ctx, mq.Hostname(), mqPort); err != nil {
		r.rep.fail("mqtt integration", err.Error())
	} else {
		r.checkMQTTEntry(ctx)
	}
	r.obs = newObserver()
	if err := r.obs.attach(ctx, r.hc); err != nil {
		return err
	}
	defer r.obs.detach()
	go r.obs.pollTraces(obsCtx, 300*time.Millisecond)
	if start := r.g.wall(r.g.truth.Scheduled); time.Now().After(start.Add(-15 * time.Second)) {
		r.rep.note("Home Assistant was ready only %s before the game's start; raise -lead if the REST sensor missed it upcoming",
			time.Until(start).Round(time.Second))
	}

	if err := r.restartMidGame(ctx); err != nil {
		return err
	}
	if err := r.awaitEnd(ctx); err != nil {
		return err
	}
	stopObs()
	r.evaluate()
	return nil
}

// warmUp starts Home Assistant once with the test configuration after it
// was installed, so that it installs the integrations' requirements then
// and not while the game's clock runs; a marker in its environment says
// it was done.
func (r *run) warmUp(ctx context.Context, haDir string) error {
	marker := filepath.Join(filepath.Dir(filepath.Dir(r.o.hass)), ".sports-data-e2e-warm")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	t0 := time.Now()
	if err := r.ha.start(); err != nil {
		return err
	}
	err := r.hc.waitUp(ctx, r.o.haWait)
	r.ha.Stop(60 * time.Second)
	if err != nil {
		return fmt.Errorf("first start of Home Assistant: %w", err)
	}
	// A fresh configuration for the run itself (onboarding not done).
	for _, name := range []string{".storage", ".HA_VERSION", "home-assistant_v2.db", "home-assistant.log"} {
		_ = os.RemoveAll(filepath.Join(haDir, name))
	}
	r.rep.note("first start of Home Assistant (integration requirements installed) took %s", time.Since(t0).Round(time.Second))
	return os.WriteFile(marker, []byte("Home Assistant has installed the requirements of make e2e-ha's configuration.\n"), 0o644)
}

// restartMidGame stops Home Assistant a little before the middle score
// of the game, keeps it down for -down and starts it again.
func (r *run) restartMidGame(ctx context.Context) error {
	scores := r.g.truth.Scores
	if len(scores) < 4 {
		return fmt.Errorf("the game has %d score changes; the restart needs some before and after", len(scores))
	}
	at := r.g.wall(scores[len(scores)/2].Time).Add(-10 * time.Second)
	if err := sleepUntil(ctx, at); err != nil {
		return err
	}
	r.obs.detach()
	r.haStopped = time.Now()
	r.ha.Stop(60 * time.Second)
	if err := sleepUntil(ctx, r.haStopped.Add(r.o.down)); err != nil {
		return err
	}
	if err := r.ha.start(); err != nil {
		return err
	}
	if err := r.hc.waitUp(ctx, 2*time.Minute); err != nil {
		return err
	}
	r.haBack = time.Now()
	r.rep.note("Home Assistant stopped at %s for %s, answering again %s after its start",
		r.haStopped.Format("15:04:05"), r.o.down, r.haBack.Sub(r.haStopped.Add(r.o.down)).Round(100*time.Millisecond))
	if err := r.obs.attach(ctx, r.hc); err != nil {
		// The access token is good for 30 minutes; renew once anyway.
		if rerr := r.hc.renew(ctx); rerr != nil {
			return fmt.Errorf("reattaching after the restart: %v (renewing the token: %v)", err, rerr)
		}
		return r.obs.attach(ctx, r.hc)
	}
	return nil
}

// awaitEnd waits for the final, then until Home Assistant has shown it and
// run an automation for every event sent (or a minute has passed).
func (r *run) awaitEnd(ctx context.Context) error {
	final := r.g.truth.End
	if final.IsZero() {
		return fmt.Errorf("the simulator's game %s has no end", r.g.truth.ID)
	}
	if err := sleepUntil(ctx, r.g.wall(final)); err != nil {
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if r.settled() {
			break
		}
		if err := sleepUntil(ctx, time.Now().Add(time.Second)); err != nil {
			return err
		}
	}
	// One more trace read after the last run, so that none is missed.
	time.Sleep(time.Second)
	return nil
}

// settled: the game_end event was sent, every sent event has its run, and
// the REST sensor shows the final.
func (r *run) settled() bool {
	events, _, _ := r.rec.snapshot()
	_, runs := r.obs.snapshot()
	byEvent := map[string]bool{}
	for _, run := range runs {
		if id, _ := run.Trigger["event_id"].(string); id != "" {
			byEvent[id] = true
		}
	}
	ended := false
	for _, e := range events {
		if !byEvent[e.ID] {
			return false
		}
		ended = ended || e.str("event") == "game_end"
	}
	st, err := r.hc.state(context.Background(), "sensor.patriots_game")
	return ended && err == nil && st.State == "final"
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
