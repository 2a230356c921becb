package main

import (
	"context"
	"fmt"
	"sort"
	"time"
)

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
	p := &faultPlan{day0: day0, speed: r.o.speed}
	r.flakyPhases(p)
	r.outages(p)
	acts := p.acts
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].at.Before(acts[j].at) })
	return acts
}

// faultPlan gathers the faults of a run, placed on the simulated calendar
// from its first day, day0.
type faultPlan struct {
	day0  time.Time
	speed float64
	acts  []action
}

// at is the simulated time hh:mm Eastern, day days after day0.
func (p *faultPlan) at(day, hh, mm int) time.Time {
	return time.Date(p.day0.Year(), p.day0.Month(), p.day0.Day()+day, hh, mm, 0, 0, eastern)
}

// real is the simulated duration that lasts d of real time.
func (p *faultPlan) real(d time.Duration) time.Duration { return time.Duration(float64(d) * p.speed) }

// add plans do, named name, at the simulated time t.
func (p *faultPlan) add(t time.Time, name string, do func(ctx context.Context) error) {
	p.acts = append(p.acts, action{at: t, name: name, do: do})
}

// later is the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// flakyPhases plans the flaky receiver's phases. The outages are set in
// real time so that they mean the same to the sender's 5 s timeout and
// 1-2-4 s backoff at any speed: the flap ends before the hold begins (a
// flapped event's retry must not land in the hold), the hold stays within
// the retry budget, and the 410 comes when the receiver has caught up:
// after the service's hold on a receiver that was unreachable
// (WEBHOOK_RECOVERY_HOLD, set to recoveryHold for the soak) has ended.
func (r *run) flakyPhases(p *faultPlan) {
	flap := p.at(0, 13, 0)
	flapEnd := flap.Add(p.real(4 * time.Second))
	hang := later(p.at(0, 16, 0), flapEnd.Add(p.real(2*time.Second)))
	r.hangEnd = hang.Add(p.real(10 * time.Second))
	gone := p.at(0, 21, 30)
	if r.o.days > 5 {
		gone = p.at(5, 20, 0) // Friday evening
	}
	gone = later(gone, r.hangEnd.Add(p.real(recoveryHold+5*time.Second)))
	p.add(flap, "flaky receiver: 500 to the first attempt of every 4th event for 4 s (real)", func(context.Context) error {
		r.rcv.set("flaky", behaveFlap)
		return nil
	})
	p.add(flapEnd, "flaky receiver: answers 204 again", func(context.Context) error {
		r.rcv.set("flaky", behaveOK)
		return nil
	})
	p.add(hang, "flaky receiver: holds every request for 10 s (real)", func(context.Context) error {
		r.rcv.set("flaky", behaveHang)
		return nil
	})
	p.add(r.hangEnd, "flaky receiver: answers 204 again", func(context.Context) error {
		r.rcv.set("flaky", behaveOK)
		return nil
	})
	p.add(gone, "flaky receiver: answers 410 Gone from now on", func(context.Context) error {
		r.rcv.set("flaky", behaveGone)
		return nil
	})
}

// outages plans ESPN's held requests, the InfluxDB server's outages and
// the service's kills.
func (r *run) outages(p *faultPlan) {
	// An outage returns when it ends, so that no kill falls into it.
	influxOutage := func(t time.Time) time.Time {
		end := t.Add(p.real(4 * time.Second))
		if r.influx == nil {
			return end
		}
		p.add(t, "InfluxDB stopped (SIGTERM) for 4 s (real)", func(context.Context) error {
			r.influx.term(10 * time.Second)
			return nil
		})
		p.add(end, "InfluxDB started again", func(ctx context.Context) error {
			return r.influx.up(ctx)
		})
		return end
	}
	kill := func(t time.Time) {
		p.add(t, "service killed (SIGKILL), started again 0.5 s (real) later", func(ctx context.Context) error {
			r.svc.kill()
			r.kills = append(r.kills, time.Now())
			sleepCtx(ctx, 500*time.Millisecond)
			return r.startService(ctx)
		})
	}
	p.add(p.at(0, 8, 40), "ESPN holds one NFL and one NHL scoreboard request until the service's client gives up",
		func(context.Context) error {
			r.espn.holdNext("nfl", 1)
			r.espn.holdNext("nhl", 1)
			return nil
		})
	outageEnd := influxOutage(p.at(0, 13, 45))
	kill(later(p.at(0, 15, 20), outageEnd.Add(p.real(2*time.Second))))
	if r.o.days >= 2 {
		kill(p.at(1, 21, 30)) // Monday night
	}
	if r.o.days >= 5 {
		influxOutage(p.at(4, 20, 0)) // Thursday night
	}
	if r.o.days >= 7 {
		kill(p.at(6, 20, 15)) // Saturday, NHL
	}
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
