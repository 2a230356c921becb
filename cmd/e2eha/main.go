// Command e2eha runs the project's Home Assistant package in a real Home
// Assistant against the service playing a simulated game, and checks
// through Home Assistant's own APIs what a user would see (make e2e-ha;
// README, "Home Assistant").
//
// It owns the simulator (an NHL game with scores of both teams, one goal
// taken back and a final, a few minutes of real time), starts the service
// attached to it, starts Home Assistant from the given hass executable with
// a generated configuration directory that includes
// deployments/homeassistant/sports_data.yaml byte for byte, creates the
// owner through onboarding, adds the MQTT integration through the
// config-flow API, registers the package's webhooks, stops Home Assistant
// for about a minute mid-game, and at the end prints one line per check,
// the latencies measured through Home Assistant, and
//
//	e2e-ha: PASS <n> checks (HA <version>, <seconds> s)
//
// or "e2e-ha: FAIL ..." naming the failed checks, exiting 1.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

type options struct {
	bin     string
	hass    string
	mqttURL string
	pkg     string
	speed   float64
	seed    int64
	down    time.Duration
	lead    time.Duration
	haWait  time.Duration
	keep    bool
	mqtt    bool
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/sports-data", "the service binary")
	flag.StringVar(&o.hass, "hass", "", "Home Assistant's hass executable (in its virtual environment)")
	flag.StringVar(&o.mqttURL, "mqtt", "", "the broker, mqtt://127.0.0.1:<port> (scripts/mosquitto-test.sh start)")
	flag.StringVar(&o.pkg, "package", "deployments/homeassistant/sports_data.yaml", "the Home Assistant package under test")
	flag.Float64Var(&o.speed, "speed", 50, "simulated seconds per real second")
	flag.Int64Var(&o.seed, "seed", 1, "the simulation's seed")
	flag.DurationVar(&o.lead, "lead", 100*time.Minute, "simulated time from the start of the clock to the game (Home Assistant starts in it)")
	flag.DurationVar(&o.down, "down", time.Minute, "how long Home Assistant is stopped mid-game")
	flag.DurationVar(&o.haWait, "ha-start-timeout", 5*time.Minute, "how long Home Assistant may take to answer (its first start installs integration requirements)")
	flag.BoolVar(&o.keep, "keep", false, "keep the run's directory (logs, configuration) after a pass")
	flag.BoolVar(&o.mqtt, "check-mqtt", true, "check the MQTT-discovered device and entities")
	flag.Parse()
	if o.hass == "" || o.mqttURL == "" {
		fmt.Fprintln(os.Stderr, "e2eha: -hass and -mqtt are required (make e2e-ha sets them)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	began := time.Now()
	r := &run{o: o, rep: &report{}}
	err := r.run(ctx)
	if err != nil {
		r.rep.fail("run", err.Error())
	}
	r.rep.print(os.Stdout)
	secs := time.Since(began).Seconds()
	if failed := r.rep.failed(); len(failed) > 0 {
		fmt.Printf("e2e-ha: FAIL %d of %d checks: %s (HA %s, %.0f s; logs in %s)\n",
			len(failed), len(r.rep.checks), strings.Join(failed, "; "), r.haVersion, secs, r.dir)
		os.Exit(1)
	}
	if !o.keep && r.dir != "" {
		_ = os.RemoveAll(r.dir)
	}
	fmt.Printf("e2e-ha: PASS %d checks (HA %s, %.0f s)\n", len(r.rep.checks), r.haVersion, secs)
}
