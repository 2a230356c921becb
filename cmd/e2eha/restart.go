package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// restartMidGame shows the live card, stops Home Assistant a little before
// the middle score of the game, keeps it down for -down and starts it
// again, watching when its port opens and when the package's automations
// take their webhooks.
func (r *run) restartMidGame(ctx context.Context) error {
	scores := r.g.truth.Scores
	if len(scores) < 4 {
		return fmt.Errorf("the game has %d score changes; the restart needs some before and after", len(scores))
	}
	at := r.g.wall(scores[len(scores)/2].Time).Add(-10 * time.Second)
	// The live card, with scores on the board: done before the stop, so
	// that events still fall into the restart.
	if err := sleepUntil(ctx, at.Add(-25*time.Second)); err != nil {
		return err
	}
	r.captureCard(ctx, "IN", at.Add(-5*time.Second))
	if err := sleepUntil(ctx, at); err != nil {
		return err
	}
	r.obs.detach()
	r.haStopped = time.Now()
	r.ha.Stop(60 * time.Second)
	if err := sleepUntil(ctx, r.haStopped.Add(r.o.down)); err != nil {
		return err
	}
	started := time.Now()
	watch := r.watchWebhook(ctx, 3*time.Minute)
	if err := r.ha.start(); err != nil {
		return err
	}
	if err := r.hc.waitUp(ctx, 2*time.Minute); err != nil {
		return err
	}
	r.haBack = time.Now()
	w := <-watch
	r.rep.note("Home Assistant stopped at %s for %s; after its start its port opened in %s, its API answered in %s, its automations took their webhooks in %s (a delivery in the %s between was answered 200 and lost without the service's hold)",
		r.haStopped.Format("15:04:05"), r.o.down, durText(w.open, started), durText(r.haBack, started),
		durText(w.registered, started), durText(w.registered, w.open))
	if err := r.obs.attach(ctx, r.hc); err != nil {
		// The access token is good for 30 minutes; renew once anyway.
		if rerr := r.hc.renew(ctx); rerr != nil {
			return fmt.Errorf("reattaching after the restart: %v (renewing the token: %v)", err, rerr)
		}
		return r.obs.attach(ctx, r.hc)
	}
	return nil
}

// hookWatch is when Home Assistant's port first answered a webhook call
// and when that webhook was first registered by an automation.
type hookWatch struct{ open, registered time.Time }

// watchWebhook asks Home Assistant for the webhook e2e_probe with GET every
// 250 ms: nothing answers while it is down, 200 while no automation has the
// id (Home Assistant's answer to an unknown id), 405 once the automations
// have taken their ids (the probe's allows POST only). It sends what it saw
// when the webhook is registered or limit has passed.
func (r *run) watchWebhook(ctx context.Context, limit time.Duration) <-chan hookWatch {
	out := make(chan hookWatch, 1)
	go func() {
		var w hookWatch
		defer func() { out <- w }()
		client := &http.Client{Timeout: 2 * time.Second}
		deadline := time.Now().Add(limit)
		for time.Now().Before(deadline) && ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.hc.base+"/api/webhook/e2e_probe", nil)
			if resp, err := client.Do(req); err == nil {
				resp.Body.Close()
				now := time.Now()
				if w.open.IsZero() {
					w.open = now
				}
				if resp.StatusCode == http.StatusMethodNotAllowed {
					w.registered = now
					return
				}
			}
			time.Sleep(250 * time.Millisecond)
		}
	}()
	return out
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
	st, err := r.hc.state(context.Background(), restGame)
	return ended && err == nil && st.State == "final"
}
