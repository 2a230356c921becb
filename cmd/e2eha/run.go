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

// recoveryHold is the service's WEBHOOK_RECOVERY_HOLD in the run: its
// default.
const recoveryHold = 30 * time.Second

// run is one end-to-end run against one Home Assistant: its processes,
// what it observed, its report.
type run struct {
	o   options
	rep *report
	dir string

	haVersion string
	ha        *child
	hc        *haClient
	haPort    int
	svc       *child
	svcPort   int
	svcBase   string
	rec       *recorder
	obs       *observer
	ans       *answers
	g         *game
	autos     []automation
	card      *cardView

	// Home Assistant's first start: its process started, its HTTP API
	// answered, it was running (automations loaded).
	haStarted, haAnswered, haRunning time.Time
	// The restart: Home Assistant stopped at haStopped, answering again at
	// haBack.
	haStopped, haBack time.Time
	svcStarted        time.Time
	// The service stopped after the game, from svcStopped to svcBack.
	svcStopped, svcBack time.Time

	// The MQTT-discovered entities, once found.
	mqttSensor, mqttLive, mqttEvent string
}

func (r *run) run(ctx context.Context) error {
	plan, broker, brokerPort, err := r.prepare()
	if err != nil {
		return err
	}
	defer r.rec.close()

	// The simulator's clock starts now and the service follows it, then
	// Home Assistant starts, as in a home where the service runs already
	// (started the other way round, Home Assistant retries the REST
	// sensors only after 30 s, and the pre-game automation's trigger on
	// a sensor that does not exist yet is not attached at all).
	if r.g, err = plan.start(); err != nil {
		return err
	}
	defer r.g.sim.Close()
	defer func() {
		if r.svc != nil {
			r.svc.Stop(20 * time.Second)
		}
	}()
	if err := r.startService(ctx, plan.team); err != nil {
		return err
	}
	r.ans = &answers{}
	obsCtx, stopObs := context.WithCancel(ctx)
	defer stopObs()
	go r.ans.sample(obsCtx, r.svcBase+"/api/v1/ha/game-status/"+plan.team, 200*time.Millisecond)
	r.rep.note("following %s (%s vs %s, game %s) at %g× real time; run directory %s",
		plan.team, r.g.truth.Home.Abbreviation, r.g.truth.Away.Abbreviation, r.g.truth.ID, r.o.speed, r.dir)

	defer r.ha.Stop(60 * time.Second)
	if err := r.startHA(ctx, broker, brokerPort); err != nil {
		return err
	}
	r.checkRemoteCalendar(ctx, plan.team)
	defer r.obs.detach()
	go r.obs.pollTraces(obsCtx, 300*time.Millisecond)
	if start := r.g.wall(r.g.truth.Scheduled); time.Now().After(start.Add(-15 * time.Second)) {
		r.rep.note("Home Assistant was ready only %s before the game's start; raise -lead if the REST sensor missed it upcoming",
			time.Until(start).Round(time.Second))
	}
	if err := r.openCard(ctx); err != nil {
		r.rep.fail("card", err.Error())
	}
	defer r.closeCard()
	r.captureCard(ctx, "PRE", r.g.wall(truthStart(r.g.truth)))

	if err := r.restartMidGame(ctx); err != nil {
		return err
	}
	if err := r.awaitEnd(ctx); err != nil {
		return err
	}
	r.captureCard(ctx, "POST", time.Now().Add(30*time.Second))
	r.countRecorderRows(ctx)
	if err := r.stopServiceAWhile(ctx); err != nil {
		return err
	}
	stopObs()
	r.evaluate()
	r.checkHALog()
	return nil
}

// prepare empties the run's directory, starts the harness's receiver,
// lays out the game (its clock starts later, so that the configuration
// can name the followed team) and writes Home Assistant's configuration.
func (r *run) prepare() (plan gamePlan, broker string, brokerPort int, err error) {
	if r.dir, err = filepath.Abs(filepath.Join(r.o.out, r.o.version)); err != nil {
		return plan, "", 0, err
	}
	// The last run of this version is kept until the next one starts.
	if err := os.RemoveAll(r.dir); err != nil {
		return plan, "", 0, err
	}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return plan, "", 0, err
	}
	if r.autos, err = packageAutomations(r.o.pkg); err != nil {
		return plan, "", 0, err
	}
	mq, err := url.Parse(r.o.mqttURL)
	if err != nil || mq.Hostname() == "" {
		return plan, "", 0, fmt.Errorf("-mqtt %q is not mqtt://host:port", r.o.mqttURL)
	}
	brokerPort, _ = strconv.Atoi(mq.Port())
	if plan, err = planGame(r.o.seed, r.o.speed, r.o.lead); err != nil {
		return plan, "", 0, err
	}
	if r.haPort, err = childproc.FreePort(); err != nil {
		return plan, "", 0, err
	}
	if r.rec, err = startRecorder(randomHex(24)); err != nil {
		return plan, "", 0, err
	}
	if r.svcPort, err = childproc.FreePort(); err != nil {
		r.rec.close()
		return plan, "", 0, err
	}
	r.svcBase = fmt.Sprintf("http://127.0.0.1:%d", r.svcPort)
	haDir := filepath.Join(r.dir, "ha-config")
	if err := writeHAConfig(haConfig{dir: haDir, port: r.haPort, packageFile: r.o.pkg, cardFile: r.o.card,
		recorderBase: r.rec.base, service: r.svcBase, team: plan.team}); err != nil {
		r.rec.close()
		return plan, "", 0, err
	}
	// Requirements are installed at the warm-up; what Home Assistant would
	// still install (those of integrations it loads on its own and cannot
	// build) fails at once instead of after uv's retries.
	r.ha = &child{Proc: childproc.Proc{Name: "home-assistant", Path: r.o.hass, Args: []string{"-c", haDir},
		Env: append(os.Environ(), "UV_OFFLINE=1"), LogPath: filepath.Join(r.dir, "home-assistant.out")}}
	r.hc = newHAClient(r.haPort)
	return plan, mq.Hostname(), brokerPort, nil
}

// startService starts the service attached to the simulator and registers
// the package's webhooks with it, each also for the harness's receiver.
func (r *run) startService(ctx context.Context, team string) error {
	simURL, err := r.g.sim.Start(ctx)
	if err != nil {
		return err
	}
	env := append(os.Environ(),
		"LOG_LEVEL=info", "LEAGUES=nhl", "STORE=sqlite",
		"MQTT_URL="+r.o.mqttURL, "MQTT_TEAMS="+team,
		"WEBHOOK_RECOVERY_HOLD="+recoveryHold.String())
	r.svc = &child{Proc: childproc.Proc{Name: "sports-data", Path: r.o.bin, Env: env, LogPath: filepath.Join(r.dir, "sports-data.log"),
		Args: []string{"demo", "--attach", simURL,
			"--clock-start", r.g.start.Format(time.RFC3339Nano),
			"--clock-epoch", strconv.FormatInt(r.g.epoch.UnixNano(), 10),
			"--speed", strconv.FormatFloat(r.o.speed, 'f', -1, 64),
			"--port", strconv.Itoa(r.svcPort),
			"--data-dir", filepath.Join(r.dir, "data"),
			"--poll", "1s"}}}
	if err := r.svc.start(); err != nil {
		return err
	}
	if err := waitService(ctx, r.svcBase, 30*time.Second); err != nil {
		return err
	}
	r.svcStarted = time.Now()
	haHooks := fmt.Sprintf("http://127.0.0.1:%d/api/webhook/", r.haPort)
	for _, a := range r.autos {
		if err := register(ctx, r.svcBase, a.Route, haHooks+a.WebhookID, r.rec.secret, team); err != nil {
			return err
		}
		if err := register(ctx, r.svcBase, a.Route, r.rec.base+"/hook/"+a.Event, r.rec.secret, team); err != nil {
			return err
		}
	}
	return nil
}

// startHA starts Home Assistant, creates its owner, confirms what a new
// user confirms and adds the MQTT integration.
func (r *run) startHA(ctx context.Context, broker string, brokerPort int) error {
	r.haStarted = time.Now()
	if err := r.ha.start(); err != nil {
		return err
	}
	if err := r.hc.waitUp(ctx, r.o.haWait); err != nil {
		return err
	}
	r.haAnswered = time.Now()
	if err := r.hc.onboard(ctx); err != nil {
		return err
	}
	if err := r.hc.waitRunning(ctx, r.o.haWait); err != nil {
		return err
	}
	r.haRunning = time.Now()
	var err error
	if r.haVersion, err = r.hc.version(ctx); err != nil {
		return err
	}
	r.rep.add("onboarding", r.haVersion == r.o.version,
		"Home Assistant %s (expected %s) answered %s after its start and ran its automations %s later; owner created through /api/onboarding/users, token from /auth/token",
		r.haVersion, r.o.version, r.haAnswered.Sub(r.haStarted).Round(100*time.Millisecond), r.haRunning.Sub(r.haAnswered).Round(100*time.Millisecond))
	r.obs = newObserver()
	if err := r.obs.attach(ctx, r.hc); err != nil {
		return err
	}
	r.settleHA(ctx)
	if err := r.hc.addMQTT(ctx, broker, brokerPort); err != nil {
		r.rep.fail("mqtt integration", err.Error())
	} else {
		r.checkMQTTEntry(ctx)
	}
	return nil
}

// warm starts Home Assistant once with the test configuration after it was
// installed, so that it installs the requirements of the configuration's
// integrations then (it needs the network for that) and not during a run;
// a marker in its installation says it was done.
func warm(ctx context.Context, o options) error {
	marker := filepath.Join(filepath.Dir(filepath.Dir(o.hass)), ".sports-data-e2e-warm")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	dir, err := os.MkdirTemp("", "sports-data-e2e-ha-warm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	port, err := childproc.FreePort()
	if err != nil {
		return err
	}
	if err := writeHAConfig(haConfig{dir: filepath.Join(dir, "ha-config"), port: port, packageFile: o.pkg, cardFile: o.card,
		recorderBase: "http://127.0.0.1:9", service: "http://127.0.0.1:9", team: "nhl-bos"}); err != nil {
		return err
	}
	ha := &child{Proc: childproc.Proc{Name: "home-assistant", Path: o.hass, Args: []string{"-c", filepath.Join(dir, "ha-config")},
		Env: os.Environ(), LogPath: filepath.Join(dir, "home-assistant.out")}}
	hc := newHAClient(port)
	t0 := time.Now()
	if err := ha.start(); err != nil {
		return err
	}
	defer ha.Stop(60 * time.Second)
	err = hc.waitUp(ctx, o.haWait)
	if err == nil {
		err = hc.onboard(ctx)
	}
	if err == nil {
		// Running: every integration of the configuration is set up and
		// its requirements installed.
		err = hc.waitRunning(ctx, o.haWait)
	}
	if err != nil {
		b, _ := os.ReadFile(filepath.Join(dir, "home-assistant.out"))
		return fmt.Errorf("%w\n%s", err, tailText(string(b), 3000))
	}
	fmt.Printf("e2e-ha: Home Assistant %s warmed up (its first start, installing the integrations' requirements) in %.0f s\n",
		o.version, time.Since(t0).Seconds())
	return os.WriteFile(marker, []byte("Home Assistant has installed the requirements of make e2e-ha's configuration.\n"), 0o644)
}

func tailText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
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
