// Command e2eha runs the project's Home Assistant package in a real Home
// Assistant against the service playing a simulated game, and checks
// through Home Assistant's own APIs and its frontend what a user would see
// (make e2e-ha; README, "Home Assistant").
//
// For each Home Assistant given with -hass (one after the other) it owns the
// simulator (an NHL game with scores of both teams, one goal taken back
// and a final, a few minutes of real time), starts the service attached to
// it, starts Home Assistant with a generated configuration directory that
// includes deployments/homeassistant/sports_data.yaml byte for byte and
// loads the frontend, creates the owner through onboarding, adds the MQTT
// integration through the config-flow API, registers the package's
// webhooks, shows both TeamTracker sensors with ha-teamtracker-card in a
// headless Chromium, stops Home Assistant for about a minute mid-game,
// counts the rows its recorder wrote, stops the service for a while at the
// end, and prints one line per check, the latencies measured through Home
// Assistant, and
//
//	e2e-ha: PASS <n> checks (HA <version> and <version>, <seconds> s)
//
// or "e2e-ha: FAIL ..." naming the failed checks, exiting 1. Each version's
// run directory, <out>/<version>, keeps the last run: logs, Home Assistant's
// configuration, what was observed, the card's screenshots.
//
// With -warm-up it only starts each Home Assistant once with the test
// configuration, so that it installs the integrations' requirements (which
// needs the network) before a run that may have none.
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
	version string // the release -hass is expected to be
	mqttURL string
	pkg     string
	card    string
	out     string
	speed   float64
	seed    int64
	down    time.Duration
	outage  time.Duration
	lead    time.Duration
	haWait  time.Duration
	mqtt    bool
}

// hassList is the repeatable -hass flag: version=path.
type hassList []string

func (h *hassList) String() string     { return strings.Join(*h, ",") }
func (h *hassList) Set(v string) error { *h = append(*h, v); return nil }

func main() {
	var o options
	var hass hassList
	var warmUp bool
	flag.StringVar(&o.bin, "bin", "bin/sports-data", "the service binary")
	flag.Var(&hass, "hass", "version=path of Home Assistant's hass executable; repeat for each version, run in that order")
	flag.StringVar(&o.mqttURL, "mqtt", "", "the broker, mqtt://127.0.0.1:<port> (scripts/mosquitto-test.sh start)")
	flag.StringVar(&o.pkg, "package", "deployments/homeassistant/sports_data.yaml", "the Home Assistant package under test")
	flag.StringVar(&o.card, "card", "../shared/vendor/ha-teamtracker-card/ha-teamtracker-card.js", "ha-teamtracker-card's built file, served to the frontend")
	flag.StringVar(&o.out, "out", "bin/e2e-ha", "where each version's last run is kept")
	flag.Float64Var(&o.speed, "speed", 50, "simulated seconds per real second")
	flag.Int64Var(&o.seed, "seed", 1, "the simulation's seed")
	flag.DurationVar(&o.lead, "lead", 100*time.Minute, "simulated time from the start of the clock to the game (Home Assistant starts in it)")
	flag.DurationVar(&o.down, "down", time.Minute, "how long Home Assistant is stopped mid-game")
	flag.DurationVar(&o.outage, "service-down", 40*time.Second, "how long the service is stopped after the game")
	flag.DurationVar(&o.haWait, "ha-start-timeout", 5*time.Minute, "how long Home Assistant may take to answer (its first start installs integration requirements)")
	flag.BoolVar(&o.mqtt, "check-mqtt", true, "check the MQTT-discovered device and entities")
	flag.BoolVar(&warmUp, "warm-up", false, "only start each Home Assistant once, to install its integrations' requirements")
	flag.Parse()
	if len(hass) == 0 || (o.mqttURL == "" && !warmUp) {
		fmt.Fprintln(os.Stderr, "e2eha: -hass and -mqtt are required (make e2e-ha sets them)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	began := time.Now()
	var versions []string
	checks, failed := 0, false
	for _, h := range hass {
		ver, path, ok := strings.Cut(h, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "e2eha: -hass %q is not version=path\n", h)
			os.Exit(2)
		}
		o.version, o.hass = ver, path
		if warmUp {
			if err := warm(ctx, o); err != nil {
				fmt.Printf("e2e-ha: FAIL warming up Home Assistant %s: %v\n", ver, err)
				os.Exit(1)
			}
			continue
		}
		n, ok := runVersion(ctx, o)
		versions = append(versions, ver)
		checks += n
		failed = failed || !ok
		if ctx.Err() != nil {
			break
		}
	}
	if warmUp {
		return
	}
	secs := time.Since(began).Seconds()
	if failed {
		fmt.Printf("e2e-ha: FAIL (HA %s, %.0f s; see the lines above)\n", strings.Join(versions, " and "), secs)
		os.Exit(1)
	}
	fmt.Printf("e2e-ha: PASS %d checks (HA %s, %.0f s)\n", checks, strings.Join(versions, " and "), secs)
}

// runVersion runs the whole scenario against one Home Assistant and prints
// its report; it returns the number of checks and whether all passed.
func runVersion(ctx context.Context, o options) (int, bool) {
	began := time.Now()
	r := &run{o: o, rep: &report{}}
	if err := r.run(ctx); err != nil {
		r.rep.fail("run", err.Error())
	}
	fmt.Printf("==== Home Assistant %s\n", o.version)
	r.rep.print(os.Stdout)
	secs := time.Since(began).Seconds()
	n := len(r.rep.checks)
	if failed := r.rep.failed(); len(failed) > 0 {
		fmt.Printf("e2e-ha: HA %s: FAIL %d of %d checks: %s (%.0f s; logs in %s)\n",
			o.version, len(failed), n, strings.Join(failed, "; "), secs, r.dir)
		return n, false
	}
	fmt.Printf("e2e-ha: HA %s: PASS %d checks in %.0f s (last run kept in %s)\n", o.version, n, secs, r.dir)
	return n, true
}
