package main

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// observer keeps what Home Assistant showed: every state change of every
// entity (WebSocket state_changed events) and every automation run with
// its trigger (the trace API). It is fed by one WebSocket connection per
// Home Assistant run.
type observer struct {
	mu     sync.Mutex
	states []haState
	runs   map[string]*autoRun // by run_id
	ws     *haWS
}

// autoRun is one automation run as its trace shows it.
type autoRun struct {
	Automation string
	RunID      string
	Execution  string // finished, failed_conditions, ...
	Start      time.Time
	Trigger    map[string]any // trigger.json
}

func newObserver() *observer { return &observer{runs: map[string]*autoRun{}} }

func (o *observer) onState(s haState) {
	o.mu.Lock()
	o.states = append(o.states, s)
	o.mu.Unlock()
}

// attach connects to a running Home Assistant and subscribes to state
// changes; the current states are recorded too, so an entity that did not
// change since the start is known.
func (o *observer) attach(ctx context.Context, c *haClient) error {
	ws, err := dialHAWS(ctx, c, o.onState)
	if err != nil {
		return err
	}
	if err := ws.command(ctx, map[string]any{"type": "subscribe_events", "event_type": "state_changed"}, nil); err != nil {
		ws.close()
		return err
	}
	var current []haState
	if err := ws.command(ctx, map[string]any{"type": "get_states"}, &current); err != nil {
		ws.close()
		return err
	}
	o.mu.Lock()
	o.states = append(o.states, current...)
	o.ws = ws
	o.mu.Unlock()
	return nil
}

func (o *observer) conn() *haWS {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.ws
}

func (o *observer) detach() {
	o.mu.Lock()
	ws := o.ws
	o.ws = nil
	o.mu.Unlock()
	if ws != nil {
		ws.close()
	}
}

// pollTraces reads the automation traces every period while attached.
// Home Assistant keeps the last few runs per automation (also across a
// restart), so polling often enough sees every run.
func (o *observer) pollTraces(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		o.mu.Lock()
		ws := o.ws
		o.mu.Unlock()
		if ws != nil {
			_ = o.readTraces(ctx, ws)
		}
	}
}

func (o *observer) readTraces(ctx context.Context, ws *haWS) error {
	var list []struct {
		ItemID    string `json:"item_id"`
		RunID     string `json:"run_id"`
		State     string `json:"state"`
		Execution string `json:"script_execution"`
		Timestamp struct {
			Start time.Time `json:"start"`
		} `json:"timestamp"`
	}
	if err := ws.command(ctx, map[string]any{"type": "trace/list", "domain": "automation"}, &list); err != nil {
		return err
	}
	for _, e := range list {
		o.mu.Lock()
		r, known := o.runs[e.RunID]
		o.mu.Unlock()
		if e.State != "stopped" || (known && r.Trigger != nil) {
			continue
		}
		var tr struct {
			Trace map[string][]struct {
				Changed map[string]json.RawMessage `json:"changed_variables"`
			} `json:"trace"`
		}
		if err := ws.command(ctx, map[string]any{"type": "trace/get", "domain": "automation", "item_id": e.ItemID, "run_id": e.RunID}, &tr); err != nil {
			return err
		}
		run := &autoRun{Automation: e.ItemID, RunID: e.RunID, Execution: e.Execution, Start: e.Timestamp.Start}
		// The trigger step is "trigger/<index of the trigger>".
		if steps := tr.Trace["trigger/0"]; len(steps) > 0 {
			var trig struct {
				JSON map[string]any `json:"json"`
			}
			if raw, ok := steps[0].Changed["trigger"]; ok && json.Unmarshal(raw, &trig) == nil {
				run.Trigger = trig.JSON
			}
		}
		if run.Trigger == nil {
			run.Trigger = map[string]any{}
		}
		o.mu.Lock()
		o.runs[e.RunID] = run
		o.mu.Unlock()
	}
	return nil
}

func (o *observer) snapshot() ([]haState, []autoRun) {
	o.mu.Lock()
	defer o.mu.Unlock()
	runs := make([]autoRun, 0, len(o.runs))
	for _, r := range o.runs {
		runs = append(runs, *r)
	}
	return append([]haState(nil), o.states...), runs
}
