package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"time"
)

// report collects the checks and the measured latencies of a run.
type report struct {
	mu        sync.Mutex
	checks    []check
	latencies []latency
	notes     []string
}

type check struct {
	name   string
	ok     bool
	detail string
}

type latency struct {
	what    string
	samples []time.Duration
}

func (r *report) add(name string, ok bool, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checks = append(r.checks, check{name: name, ok: ok, detail: fmt.Sprintf(format, args...)})
}

func (r *report) fail(name, detail string) { r.add(name, false, "%s", detail) }

func (r *report) note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *report) latency(what string, samples []time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latencies = append(r.latencies, latency{what: what, samples: samples})
}

func (r *report) failed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, c := range r.checks {
		if !c.ok {
			out = append(out, c.name)
		}
	}
	return out
}

func (r *report) print(w io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.checks {
		mark := "ok  "
		if !c.ok {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s %s: %s\n", mark, c.name, c.detail)
	}
	for _, l := range r.latencies {
		if len(l.samples) == 0 {
			fmt.Fprintf(w, "latency %s: no samples\n", l.what)
			continue
		}
		fmt.Fprintf(w, "latency %s: p50 %s, p99 %s, max %s (n=%d)\n", l.what,
			quantile(l.samples, 0.5), quantile(l.samples, 0.99), quantile(l.samples, 1), len(l.samples))
	}
	for _, n := range r.notes {
		fmt.Fprintln(w, "note", n)
	}
}

// quantile is the nearest-rank quantile, rounded to milliseconds.
func quantile(s []time.Duration, q float64) time.Duration {
	c := append([]time.Duration(nil), s...)
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	i := int(math.Ceil(q*float64(len(c)))) - 1
	i = max(0, min(i, len(c)-1))
	return c[i].Round(time.Millisecond)
}

// joinMax lists at most n items.
func joinMax(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}
