package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// stopServiceAWhile stops the service for -service-down after the game, as
// a crash or an update of the machine it runs on would: Home Assistant
// shows every entity of the service unavailable (the REST sensors get no
// answer, the MQTT entities follow the service's offline status), and
// none of the package's templates may raise meanwhile (checkHALog).
func (r *run) stopServiceAWhile(ctx context.Context) error {
	r.svcStopped = time.Now()
	r.svc.Stop(20 * time.Second)
	// Two scans of the REST sensors (every 15 s) at least.
	if err := sleepUntil(ctx, r.svcStopped.Add(r.o.outage)); err != nil {
		return err
	}
	r.svcBack = time.Now()
	var up []string
	for _, e := range []string{restGame, restKickoff, restPlaying, restTracker, r.mqttSensor, r.mqttLive} {
		st, err := r.hc.state(ctx, e)
		if err != nil || st.State != "unavailable" {
			up = append(up, fmt.Sprintf("%s %q", e, st.State))
		}
	}
	r.rep.add("service down: entities unavailable", len(up) == 0,
		"%s after the service stopped, its REST and MQTT entities are unavailable%s", r.o.outage, listText(" still shown: ", up))
	return nil
}

var (
	templateTrouble = regexp.MustCompile(`(?i)error rendering|undefinederror|template variable (error|warning)|templateerror`)
	tooEarly        = regexp.MustCompile(`Received message for unregistered webhook (sports_data_\S+)`)
	outsideHost     = regexp.MustCompile(`[Cc]annot connect to host ([^\s:]+)`)
)

// checkHALog reads Home Assistant's log of the whole run: no template may
// have raised (the package's templates must hold up while the service does
// not answer), and the hosts it tried to reach (none answers from the
// network namespace make e2e-ha runs it in) are noted.
func (r *run) checkHALog() {
	// Each start moves the log of the one before to .log.1.
	before, _ := os.ReadFile(filepath.Join(r.dir, "ha-config", "home-assistant.log.1"))
	b, err := os.ReadFile(filepath.Join(r.dir, "ha-config", "home-assistant.log"))
	if err != nil {
		r.rep.fail("no template errors", "reading Home Assistant's log: "+err.Error())
		return
	}
	b = append(before, b...)
	var trouble, hosts, early []string
	errors := 0
	for _, line := range strings.Split(string(b), "\n") {
		if m := tooEarly.FindStringSubmatch(line); m != nil {
			early = append(early, line[:min(len(line), 23)]+" "+m[1])
		}
		if templateTrouble.MatchString(line) {
			trouble = append(trouble, strings.TrimSpace(line))
		}
		if m := outsideHost.FindStringSubmatch(line); m != nil && m[1] != "127.0.0.1" && !slices.Contains(hosts, m[1]) {
			hosts = append(hosts, m[1])
		}
		if strings.Contains(line, " ERROR ") {
			errors++
		}
	}
	r.rep.add("restart: no call before the automations", len(early) == 0,
		"Home Assistant logged no call to a package webhook id before its automations had taken it%s", listText(" calls: ", early))
	r.rep.add("no template errors", len(trouble) == 0,
		"Home Assistant's log has no template error, also while the service was down for %s%s",
		r.svcBack.Sub(r.svcStopped).Round(time.Second), listText(" ", trouble))
	tried := "none"
	if len(hosts) > 0 {
		tried = strings.Join(hosts, ", ")
	}
	r.rep.note("Home Assistant's log: %d ERROR lines (home-assistant.log and .log.1 in ha-config); hosts beyond 127.0.0.1 its warnings and errors name: %s", errors, tried)
}
