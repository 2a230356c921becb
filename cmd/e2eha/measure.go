package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// measure: from the simulator's change (its wall time) to Home Assistant's
// state change or automation run, over the game, leaving out what the
// restart delayed.
func (r *run) measure(states []haState, runs []autoRun, events []sentEvent) {
	r.rep.latency("REST sensor (scan_interval 15 s)", r.stateLatencies(states, restGame, "live", "final", "team_score", "opponent_score"))
	if r.mqttSensor != "" {
		r.rep.latency("MQTT sensor", r.stateLatencies(states, r.mqttSensor, "IN", "POST", "team_score", "opponent_score"))
	}
	var hook []time.Duration
	byID := map[string]sentEvent{}
	for _, e := range events {
		byID[e.ID] = e
	}
	for _, run := range runs {
		id, _ := run.Trigger["event_id"].(string)
		e, ok := byID[id]
		if !ok || r.inRestart(run.Start) || r.inRestart(e.At) {
			continue
		}
		var change time.Time
		switch e.str("event") {
		case "game_start":
			change = truthStart(r.g.truth)
		case "game_end":
			change = r.g.truth.End
		default:
			score, _ := e.Body["score"].(map[string]any)
			h, _ := score["home"].(float64)
			a, _ := score["away"].(float64)
			at, ok := r.scoreAt(int(h), int(a), run.Start)
			if !ok {
				continue
			}
			change = at
		}
		hook = append(hook, run.Start.Sub(r.g.wall(change)))
	}
	r.rep.latency("webhook automation (trace start)", hook)
}

// stateLatencies: for the entity's first live state, its first final
// state and every change of its score attributes, Home Assistant's
// last_updated minus the wall time of the simulator's change.
func (r *run) stateLatencies(states []haState, entity, live, final, teamKey, oppKey string) []time.Duration {
	var out []time.Duration
	seenLive, seenFinal := false, false
	lastScore := ""
	for _, s := range states {
		if s.EntityID != entity {
			continue
		}
		// A change seen during the restart is not measured, but it is
		// seen: a later state with the same content is no change.
		skip := r.inRestart(s.LastUpdated)
		if s.State == live && !seenLive {
			seenLive = true
			if !skip {
				out = append(out, s.LastUpdated.Sub(r.g.wall(truthStart(r.g.truth))))
			}
		}
		if s.State == final && !seenFinal {
			seenFinal = true
			if !skip {
				out = append(out, s.LastUpdated.Sub(r.g.wall(r.g.truth.End)))
			}
			continue
		}
		ts, ok1 := number(s.Attributes[teamKey])
		os, ok2 := number(s.Attributes[oppKey])
		if !ok1 || !ok2 || s.State != live {
			continue
		}
		key := fmt.Sprintf("%v-%v", ts, os)
		if key == lastScore {
			continue
		}
		first := lastScore == ""
		lastScore = key
		if skip || first && ts == 0 && os == 0 {
			continue
		}
		if at, ok := r.scoreAt(int(ts), int(os), s.LastUpdated); ok {
			out = append(out, s.LastUpdated.Sub(r.g.wall(at)))
		}
	}
	return out
}

// number reads a score attribute: a number (game-status) or a string of
// one (TeamTracker's attributes carry scores as ESPN's strings).
func number(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	return 0, false
}

// mqttEntities finds the MQTT-discovered entities of the followed team in
// Home Assistant's entity registry, by the unique_id suffix the service
// gives each component.
func (r *run) mqttEntities(ctx context.Context) (sensor, live, event string, device bool, err error) {
	ws := r.obs.conn()
	if ws == nil {
		return "", "", "", false, fmt.Errorf("not attached to Home Assistant")
	}
	var entities []struct {
		EntityID string `json:"entity_id"`
		Platform string `json:"platform"`
		UniqueID string `json:"unique_id"`
		DeviceID string `json:"device_id"`
	}
	if err := ws.command(ctx, map[string]any{"type": "config/entity_registry/list"}, &entities); err != nil {
		return "", "", "", false, err
	}
	var devices []struct {
		ID           string `json:"id"`
		Manufacturer string `json:"manufacturer"`
	}
	if err := ws.command(ctx, map[string]any{"type": "config/device_registry/list"}, &devices); err != nil {
		return "", "", "", false, err
	}
	ours := map[string]bool{}
	for _, d := range devices {
		if d.Manufacturer == "sports-data" {
			ours[d.ID] = true
		}
	}
	for _, e := range entities {
		if e.Platform != "mqtt" || !strings.Contains(e.UniqueID, r.g.team) || !ours[e.DeviceID] {
			continue
		}
		device = true
		switch {
		case strings.HasSuffix(e.UniqueID, "_binary_sensor"):
			live = e.EntityID
		case strings.HasSuffix(e.UniqueID, "_sensor"):
			sensor = e.EntityID
		case strings.HasSuffix(e.UniqueID, "_event"):
			event = e.EntityID
		}
	}
	return sensor, live, event, device, nil
}

func (r *run) checkMQTT(states []haState, events []sentEvent) {
	sensor, live, event, device, err := r.mqttEntities(context.Background())
	if err != nil {
		r.rep.fail("MQTT device", err.Error())
		return
	}
	r.rep.add("MQTT device", device && sensor != "" && live != "" && event != "",
		"device by sports-data with sensor %q, binary_sensor %q, event %q", sensor, live, event)
	if sensor == "" || live == "" || event == "" {
		return
	}
	r.mqttSensor = sensor
	seq := stateSeq(states, sensor)
	r.rep.add("MQTT sensor states", strings.Join(seq, ",") == "PRE,IN,POST", "%s went %s", sensor, strings.Join(seq, " → "))
	lseq := stateSeq(states, live)
	r.rep.add("MQTT binary_sensor", strings.Join(lseq, ",") == "off,on,off", "%s went %s", live, strings.Join(lseq, " → "))

	// The event entity: every fire is a new state (its timestamp) with the
	// payload's fields as attributes. A restored state after the restart
	// repeats the last fire's timestamp and is not a new fire.
	fired := map[string]map[string]bool{}
	for _, s := range states {
		if s.EntityID != event || s.State == "unavailable" || s.State == "unknown" {
			continue
		}
		id, _ := s.Attributes["event_id"].(string)
		if fired[id] == nil {
			fired[id] = map[string]bool{}
		}
		fired[id][s.State] = true
	}
	var wrong []string
	var up, down, downSeen int
	for _, e := range events {
		n := len(fired[e.ID])
		// Events published while Home Assistant was away are not kept by
		// the broker (QoS 1 without a persistent session): at most once.
		if !e.At.Before(r.haStopped.Add(-time.Second)) && e.At.Before(r.haBack.Add(10*time.Second)) {
			down++
			downSeen += n
			if n > 1 {
				wrong = append(wrong, fmt.Sprintf("%s fired %d times", e.ID, n))
			}
			continue
		}
		up++
		if n != 1 {
			wrong = append(wrong, fmt.Sprintf("%s %s fired %d times", e.str("event"), e.ID, n))
		}
	}
	r.rep.add("MQTT event entity", len(wrong) == 0 && up > 0,
		"%s fired once with the service's event_id for each of the %d events sent while Home Assistant was up (%d of %d around the restart)%s",
		event, up, downSeen, down, listText(" ", wrong))

	var back time.Time
	for _, s := range states {
		if s.EntityID == sensor && s.LastUpdated.After(r.haBack) && s.State != "unavailable" && s.State != "unknown" {
			back = s.LastUpdated
			break
		}
	}
	r.rep.add("restart: MQTT entities", !back.IsZero() && back.Sub(r.haBack) < 30*time.Second,
		"%s had its state again %s after Home Assistant answered", sensor, durText(back, r.haBack))
}
