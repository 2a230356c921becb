package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// pollStamps are the attributes that say when the service last polled
// ESPN: a row that differs from the previous one only in them was written
// for a poll that changed nothing.
var pollStamps = []string{"last_update", "updated_at"}

// phaseRows is what the recorder wrote for one entity in one phase.
type phaseRows struct {
	Entity  string  `json:"entity"`
	Phase   string  `json:"phase"`
	Seconds float64 `json:"seconds"`
	Rows    int     `json:"rows"`
	Changes int     `json:"changes"` // rows that changed the state or an attribute other than the stamps
	Quiet   int     `json:"quiet"`   // rows that changed nothing but the stamps
}

// window is a span of wall time.
type window struct{ from, to time.Time }

func (w window) has(t time.Time) bool { return !t.Before(w.from) && t.Before(w.to) }

// countRecorderRows asks Home Assistant's history (what its recorder wrote
// to its database) for every row of the package's and the MQTT entities,
// before the game and during it, leaving out the restart, and checks that
// no row was written for a poll that changed nothing.
func (r *run) countRecorderRows(ctx context.Context) {
	start, kickOff, final := r.haRunning.Add(10*time.Second), r.g.wall(truthStart(r.g.truth)), r.g.wall(r.g.truth.End).Add(10*time.Second)
	// Half a minute of nothing happening after the game (36 polls, two
	// scans of the REST sensors), then the recorder's commit (every 5 s).
	end := final.Add(30 * time.Second)
	if err := sleepUntil(ctx, end.Add(6*time.Second)); err != nil {
		return
	}
	phases := []struct {
		name string
		w    window
	}{{"before the game", window{start, kickOff}}, {"during the game", window{kickOff, final}}, {"after the game", window{final, end}}}
	restart := window{r.haStopped.Add(-time.Second), r.haBack.Add(30 * time.Second)}
	entities := []string{restGame, restKickoff, restPlaying, restTracker, r.mqttSensor, r.mqttLive, r.mqttEvent}

	q := url.Values{"end_time": {end.UTC().Format(time.RFC3339)}, "filter_entity_id": {strings.Join(entities, ",")},
		"significant_changes_only": {"0"}}
	var hist [][]haState
	path := "/api/history/period/" + url.PathEscape(start.Add(-time.Minute).UTC().Format(time.RFC3339)) + "?" + q.Encode()
	if err := r.hc.call(ctx, http.MethodGet, path, nil, &hist, true); err != nil {
		r.rep.fail("quiet recorder", "reading the history: "+err.Error())
		return
	}
	r.save("recorder-history.json", hist)
	var out []phaseRows
	var quiet []string
	for _, rows := range hist {
		if len(rows) == 0 {
			continue
		}
		for _, ph := range phases {
			pr := countRows(rows, ph.w, restart)
			pr.Phase = ph.name
			out = append(out, pr)
			if pr.Quiet > 0 {
				quiet = append(quiet, fmt.Sprintf("%s %s: %d", pr.Entity, ph.name, pr.Quiet))
			}
			r.rep.note("recorder %s %s: %d rows in %.0f s (%d changes, %d quiet)", pr.Entity, ph.name, pr.Rows, pr.Seconds, pr.Changes, pr.Quiet)
		}
	}
	r.save("recorder-rows.json", out)
	r.rep.add("quiet recorder", len(out) == len(phases)*len(entities) && len(quiet) == 0,
		"Home Assistant's history has a row per change and none for a poll that changed nothing, for the %d entities before, during and after the game (restart left out)%s",
		len(out)/len(phases), listText(" rows for polls that changed nothing: ", quiet))
}

// countRows counts the rows of one entity that were written in w and not
// in skip, each compared with the row before it.
func countRows(rows []haState, w, skip window) phaseRows {
	pr := phaseRows{Entity: rows[0].EntityID, Seconds: w.to.Sub(w.from).Seconds()}
	if skip.from.Before(w.to) && skip.to.After(w.from) {
		from, to := skip.from, skip.to
		if from.Before(w.from) {
			from = w.from
		}
		if to.After(w.to) {
			to = w.to
		}
		pr.Seconds -= to.Sub(from).Seconds()
	}
	for i, s := range rows {
		if !w.has(s.LastUpdated) || skip.has(s.LastUpdated) {
			continue
		}
		pr.Rows++
		if i > 0 && sameBut(rows[i-1], s, pollStamps) {
			pr.Quiet++
		} else {
			pr.Changes++
		}
	}
	return pr
}

// sameBut: a and b have the same state and the same attributes, leaving
// out the keys named.
func sameBut(a, b haState, leave []string) bool {
	if a.State != b.State {
		return false
	}
	strip := func(m map[string]any) map[string]any {
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = v
		}
		for _, k := range leave {
			delete(out, k)
		}
		return out
	}
	return equalJSON(strip(a.Attributes), strip(b.Attributes))
}
