package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/simulator"
)

// The package's entities (deployments/homeassistant/sports_data.yaml).
const (
	restGame    = "sensor.patriots_game"
	restKickoff = "sensor.patriots_kick_off_in"
	restPlaying = "binary_sensor.patriots_playing"
	restTracker = "sensor.patriots_teamtracker"
	pregameID   = "sports_data_patriots_pregame"
)

func (r *run) checkMQTTEntry(ctx context.Context) {
	var entries []struct {
		Domain string `json:"domain"`
		State  string `json:"state"`
	}
	if err := r.hc.call(ctx, "GET", "/api/config/config_entries/entry", nil, &entries, true); err != nil {
		r.rep.fail("mqtt integration", err.Error())
		return
	}
	for _, e := range entries {
		if e.Domain == "mqtt" {
			r.rep.add("mqtt integration", e.State == "loaded", "added through the config-flow API; entry %s", e.State)
			return
		}
	}
	r.rep.fail("mqtt integration", "no mqtt config entry after the flow")
}

func (r *run) evaluate() {
	states, runs := r.obs.snapshot()
	events, doubles, problems := r.rec.snapshot()
	sort.Slice(runs, func(i, j int) bool { return runs[i].Start.Before(runs[j].Start) })
	r.save("ha-states.json", states)
	r.save("ha-automation-runs.json", runs)
	r.save("service-events.json", events)
	r.save("service-game-status.json", r.ans.snapshot())

	r.rep.add("signed deliveries", len(problems) == 0, "%d events reached the harness's receiver, signatures verified%s",
		len(events), problemText(problems))
	r.checkGameEvents(events)
	r.checkRuns(events, runs)
	r.checkDoubles(events, doubles, runs)
	r.checkRESTSensor(states)
	if r.o.mqtt {
		r.checkMQTT(states, events)
	}
	r.measure(states, runs, events)
}

// save writes what the run observed into its directory, for a look after
// a failure.
func (r *run) save(name string, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(r.dir, name), b, 0o644)
	}
	if err != nil {
		r.rep.note("saving %s: %v", name, err)
	}
}

func problemText(p []string) string {
	if len(p) == 0 {
		return ""
	}
	return "; " + joinMax(p, 3)
}

// checkGameEvents: the game the service reported is the simulator's.
func (r *run) checkGameEvents(events []sentEvent) {
	count := map[string]int{}
	var ours, theirs, back int
	var last sentEvent
	for _, e := range events {
		count[e.str("event")]++
		if e.str("event") == "score_change" {
			switch {
			case e.num("score_change") > 0:
				ours++
			case e.num("opponent_score_change") > 0:
				theirs++
			}
			if e.num("score_change") < 0 || e.num("opponent_score_change") < 0 {
				back++
			}
		}
		if e.str("event") == "game_end" {
			last = e
		}
	}
	fin := r.g.truth.Final
	ok := count["game_start"] == 1 && count["game_end"] == 1 && ours > 0 && theirs > 0 && back == 1 && fin != nil &&
		last.num("team_score") == fin.Home && last.num("opponent_score") == fin.Away
	finText := "none"
	if fin != nil {
		finText = fmt.Sprintf("%d-%d", fin.Home, fin.Away)
	}
	r.rep.add("the game", ok, "service sent game_start ×%d, score_change ×%d (ours %d, theirs only %d, taken back %d), game_end ×%d at %d-%d; simulator's final %s",
		count["game_start"], count["score_change"], ours, theirs, back, count["game_end"], last.num("team_score"), last.num("opponent_score"), finText)
}

// checkRuns: every event sent ran its automation once, with the payload
// as trigger.json, and the condition let through what the package wants.
func (r *run) checkRuns(events []sentEvent, runs []autoRun) {
	autoOf := map[string]automation{}
	webhookAuto := map[string]bool{}
	for _, a := range r.autos {
		autoOf[a.Event] = a
		webhookAuto[a.ID] = true
	}
	byEvent := map[string][]autoRun{}
	var stray []string
	for _, run := range runs {
		if !webhookAuto[run.Automation] {
			continue
		}
		id, _ := run.Trigger["event_id"].(string)
		byEvent[id] = append(byEvent[id], run)
	}
	sent := map[string]bool{}
	var wrong, missingFields, badPayload, badCondition []string
	var down, downOK int
	for _, e := range events {
		sent[e.ID] = true
		a := autoOf[e.str("event")]
		got := byEvent[e.ID]
		inDowntime := !e.At.Before(r.haStopped) && e.At.Before(r.haBack)
		if inDowntime {
			down++
		}
		if len(got) != 1 || got[0].Automation != a.ID {
			wrong = append(wrong, fmt.Sprintf("%s %s: %d runs", e.str("event"), e.ID, len(got)))
			continue
		}
		if inDowntime {
			downOK++
		}
		run := got[0]
		for _, f := range a.Fields {
			if _, ok := run.Trigger[f]; !ok {
				missingFields = append(missingFields, e.ID+" lacks "+f)
			}
		}
		// webhook_id names the registration: Home Assistant's, not the
		// harness's, which saw the same event.
		if !equalJSON(withoutKey(run.Trigger, "webhook_id"), withoutKey(e.Body, "webhook_id")) {
			badPayload = append(badPayload, e.ID)
		}
		want := "finished"
		if e.str("event") == "score_change" && e.num("score_change") <= 0 {
			want = "failed_conditions"
		}
		if run.Execution != want {
			badCondition = append(badCondition, fmt.Sprintf("%s %s: %s, want %s", e.str("event"), e.ID, run.Execution, want))
		}
	}
	for id, rs := range byEvent {
		if !sent[id] {
			stray = append(stray, fmt.Sprintf("%s (%d runs)", id, len(rs)))
		}
	}
	r.rep.add("automations once per event", len(wrong) == 0 && len(stray) == 0,
		"%d events, each ran its automation exactly once (traces)%s%s", len(events),
		listText(" wrong: ", wrong), listText(" runs for events the service did not send: ", stray))
	r.rep.add("trigger.json", len(missingFields) == 0 && len(badPayload) == 0,
		"every run's trigger.json is the payload the service sent and has the fields the package reads%s%s",
		listText(" missing: ", missingFields), listText(" different payload: ", badPayload))
	r.rep.add("conditions", len(badCondition) == 0,
		"score_change flashes for our points only; the others stop at the condition%s", listText(" ", badCondition))
	r.rep.add("restart: webhooks", down > 0 && downOK == down,
		"%d of %d events sent while Home Assistant was down or starting ran once after it was back", downOK, down)
}

func withoutKey(m map[string]any, k string) map[string]any {
	out := make(map[string]any, len(m))
	for key, v := range m {
		if key != k {
			out[key] = v
		}
	}
	return out
}

func listText(prefix string, items []string) string {
	if len(items) == 0 {
		return ""
	}
	return ";" + prefix + joinMax(items, 4)
}

// checkDoubles: the side effects happened once per event that passed its
// condition, with the messages the package's templates render.
func (r *run) checkDoubles(events []sentEvent, doubles []doubleCall, runs []autoRun) {
	var wantTV, wantLights int
	var wantMsgs, gotMsgs []string
	for _, e := range events {
		switch e.str("event") {
		case "game_start":
			wantTV++
		case "score_change":
			if e.num("score_change") > 0 {
				wantLights++
				wantMsgs = append(wantMsgs, fmt.Sprintf("%s scored %d: %d-%d vs %s (%s)", e.str("scoring_team"), e.num("score_change"),
					e.num("team_score"), e.num("opponent_score"), e.str("opponent"), e.str("status_detail")))
			}
		case "game_end":
			wantMsgs = append(wantMsgs, fmt.Sprintf("Final: %s %d, %s %d (%s)", e.str("team"), e.num("team_score"),
				e.str("opponent"), e.num("opponent_score"), e.str("result")))
		}
	}
	var tv, lights int
	for _, d := range doubles {
		switch d.Kind {
		case "tv":
			tv++
		case "lights":
			lights++
		case "notify":
			gotMsgs = append(gotMsgs, d.Message)
		}
	}
	sort.Strings(wantMsgs)
	sort.Strings(gotMsgs)
	r.rep.add("TV double", tv == wantTV && wantTV == 1, "media_player.turn_on reached the TV double %d times for %d game_start", tv, wantTV)
	r.rep.add("lights double", lights == wantLights && wantLights > 0, "light.turn_on reached the lights double %d times for %d scores of ours", lights, wantLights)
	r.rep.add("notify double", strings.Join(wantMsgs, "\n") == strings.Join(gotMsgs, "\n"),
		"%d notifications, as rendered from the payloads: %s", len(gotMsgs), diffText(wantMsgs, gotMsgs))
	pre := 0
	for _, run := range runs {
		if run.Automation == pregameID && run.Execution == "finished" {
			pre++
		}
	}
	r.rep.add("pre-game scene", pre == 1, "the pre-game automation ran %d times from the REST sensor", pre)
}

func diffText(want, got []string) string {
	if strings.Join(want, "\n") == strings.Join(got, "\n") {
		if len(got) == 0 {
			return "none"
		}
		return fmt.Sprintf("%q ...", got[0])
	}
	return fmt.Sprintf("want %q, got %q", want, got)
}

// stateSeq is an entity's states in order, unavailable and unknown left
// out, repeats collapsed.
func stateSeq(states []haState, entity string) []string {
	var out []string
	for _, s := range states {
		if s.EntityID != entity || s.State == "unavailable" || s.State == "unknown" {
			continue
		}
		if len(out) == 0 || out[len(out)-1] != s.State {
			out = append(out, s.State)
		}
	}
	return out
}

func (r *run) checkRESTSensor(states []haState) {
	seq := stateSeq(states, restGame)
	r.rep.add("REST sensor states", strings.Join(seq, ",") == "upcoming,live,final", "%s went %s", restGame, strings.Join(seq, " → "))
	tseq := stateSeq(states, restTracker)
	r.rep.add("REST TeamTracker sensor", strings.Join(tseq, ",") == "PRE,IN,POST", "%s went %s", restTracker, strings.Join(tseq, " → "))
	bseq := stateSeq(states, restPlaying)
	r.rep.add("REST binary_sensor", strings.Join(bseq, ",") == "off,on,off", "%s went %s", restPlaying, strings.Join(bseq, " → "))

	// Each state Home Assistant wrote equals an answer the service gave
	// around the time of the write, in every attribute the package keeps.
	attrs, err := packageAttributes(r.o.pkg, "sports_data_patriots_game")
	if err != nil {
		r.rep.fail("REST sensor attributes", err.Error())
		return
	}
	answers := r.ans.snapshot()
	var n int
	var unmatched []string
	for _, s := range states {
		if s.EntityID != restGame || s.State == "unavailable" || s.State == "unknown" || s.LastUpdated.Before(r.svcStarted) {
			continue
		}
		n++
		// While Home Assistant starts, a state is written seconds after the
		// answer it was made of (its event loop is busy loading).
		lookback := 3 * time.Second
		if r.inRestart(s.LastUpdated) {
			lookback = 15 * time.Second
		}
		if !matchesAnswer(s, answers, attrs, lookback) {
			unmatched = append(unmatched, fmt.Sprintf("%s at %s", s.State, s.LastUpdated.Format("15:04:05.000")))
		}
	}
	r.rep.add("REST sensor attributes", n > 0 && len(unmatched) == 0,
		"%d of %d states of %s equal a game-status answer of the service from the 3 s (15 s while Home Assistant starts) before Home Assistant wrote them%s",
		n-len(unmatched), n, restGame, listText(" unmatched: ", unmatched))

	// After the restart the sensor is back within its scan interval.
	var back time.Time
	for _, s := range states {
		if s.EntityID == restGame && s.LastUpdated.After(r.haBack) && s.State != "unavailable" && s.State != "unknown" {
			back = s.LastUpdated
			break
		}
	}
	r.rep.add("restart: REST sensor", !back.IsZero() && back.Sub(r.haBack) < 20*time.Second,
		"%s showed the game again %s after Home Assistant answered", restGame, durText(back, r.haBack))
}

func durText(t, since time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Sub(since).Round(100 * time.Millisecond).String()
}

// matchesAnswer: every attribute (and the state) Home Assistant wrote is
// what the service answered in the 3 s before the write. Field by field:
// the harness samples every 200 ms, and an answer can live for less (the
// poll's fields and the minute of minutes_until_start change apart).
func matchesAnswer(s haState, answers []answer, attrs []string, lookback time.Duration) bool {
	from, to := s.LastUpdated.Add(-lookback), s.LastUpdated.Add(500*time.Millisecond)
	var near []answer
	for _, a := range answers {
		if !a.Last.Before(from) && !a.First.After(to) && a.Body["status"] == s.State {
			near = append(near, a)
		}
	}
	for _, k := range attrs {
		found := false
		for _, a := range near {
			if equalJSON(s.Attributes[k], a.Body[k]) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(near) > 0
}

// truthStart is when the game went live.
func truthStart(g simulator.GameTruth) time.Time {
	for _, s := range g.Statuses {
		if s.State == "in" {
			return s.Time
		}
	}
	return g.Start
}

// scoreAt is the simulated time of the latest score change to home-away
// at or before wall time t.
func (r *run) scoreAt(home, away int, t time.Time) (time.Time, bool) {
	var at time.Time
	for _, c := range r.g.truth.Scores {
		if r.g.wall(c.Time).After(t) {
			break
		}
		if c.Home == home && c.Away == away {
			at = c.Time
		}
	}
	return at, !at.IsZero()
}

// inRestart tells whether wall time t falls while Home Assistant was down
// or just back (its latencies measure the restart, not the path): the
// service holds its webhook deliveries for recoveryHold after Home
// Assistant's port opened.
func (r *run) inRestart(t time.Time) bool {
	return !t.Before(r.haStopped) && t.Before(r.haBack.Add(recoveryHold+20*time.Second))
}
