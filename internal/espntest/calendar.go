package espntest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/espnrules"
	"github.com/sports-data/sports-data/internal/tz"
)

// Calendar is a league's scoreboard over many days, derived from one
// capture: every event is one of the capture's events with its own id and
// start time and the capture's first scheduled status. It answers day
// (dates=YYYYMMDD) and month (dates=YYYYMM) requests by the Eastern day
// each event falls on, in start order, as ESPN groups them; the Server
// then cuts the answer to the request's limit as ESPN does.
type Calendar struct {
	league json.RawMessage
	events []calendarEvent
}

type calendarEvent struct {
	start time.Time
	body  json.RawMessage
}

// NewCalendar builds perDay events on each of days Eastern days from
// first's, derived from the capture rel (a scoreboard with at least one
// scheduled event). A day's games start from 12:00 Eastern, evenly
// spread over the next twelve hours; skip, when not nil, leaves out the
// starts it reports true for.
func NewCalendar(t testing.TB, rel string, first time.Time, days, perDay int, skip func(time.Time) bool) *Calendar {
	t.Helper()
	var doc struct {
		Leagues []json.RawMessage            `json:"leagues"`
		Events  []map[string]json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(Load(t, rel), &doc); err != nil || len(doc.Events) == 0 {
		t.Fatalf("espntest: %s is not a scoreboard with events: %v", rel, err)
	}
	pre := scheduledStatus(t, rel, doc.Events)
	// Each capture event is derived once, with placeholders where each
	// game's id and start go.
	templates := make([][]byte, len(doc.Events))
	for i, ev := range doc.Events {
		templates[i] = derive(t, ev, idMark, dateMark, pre)
	}
	c := &Calendar{}
	if len(doc.Leagues) > 0 {
		c.league = doc.Leagues[0]
	}
	e := first.In(tz.Eastern)
	n := 0
	for d := 0; d < days; d++ {
		noon := time.Date(e.Year(), e.Month(), e.Day()+d, 12, 0, 0, 0, tz.Eastern)
		for i := 0; i < perDay; i++ {
			start := noon.Add(time.Duration(i) * (12 * time.Hour / time.Duration(perDay))).Truncate(time.Minute)
			if skip != nil && skip(start) {
				continue
			}
			n++
			body := bytes.ReplaceAll(templates[n%len(templates)], []byte(idMark), []byte(fmt.Sprintf("9%08d", n)))
			body = bytes.ReplaceAll(body, []byte(dateMark), []byte(start.UTC().Format("2006-01-02T15:04Z")))
			c.events = append(c.events, calendarEvent{start, body})
		}
	}
	return c
}

// scheduledStatus is the status of the capture's first event that has
// not started.
func scheduledStatus(t testing.TB, rel string, events []map[string]json.RawMessage) json.RawMessage {
	for _, ev := range events {
		var comps []struct {
			Status json.RawMessage `json:"status"`
		}
		_ = json.Unmarshal(ev["competitions"], &comps)
		var st struct {
			Type struct {
				State string `json:"state"`
			} `json:"type"`
		}
		if len(comps) > 0 && json.Unmarshal(comps[0].Status, &st) == nil && st.Type.State == "pre" {
			return comps[0].Status
		}
	}
	t.Fatalf("espntest: %s has no scheduled event", rel)
	return nil
}

// Placeholders of a derived event's id and start.
const (
	idMark   = "@@id@@"
	dateMark = "@@date@@"
)

// derive copies an event with the given id, start and the scheduled
// status; its competitors keep their teams, without scores.
func derive(t testing.TB, ev map[string]json.RawMessage, id, date string, status json.RawMessage) json.RawMessage {
	t.Helper()
	var comps []map[string]json.RawMessage
	if err := json.Unmarshal(ev["competitions"], &comps); err != nil || len(comps) == 0 {
		t.Fatalf("espntest: an event without competitions: %v", err)
	}
	comp := comps[0]
	var competitors []map[string]json.RawMessage
	_ = json.Unmarshal(comp["competitors"], &competitors)
	for _, c := range competitors {
		delete(c, "score")
		delete(c, "winner")
		delete(c, "linescores")
	}
	out := make(map[string]json.RawMessage, len(ev))
	for k, v := range ev {
		out[k] = v
	}
	delete(out, "uid")
	comp = mapsCopy(comp)
	comp["id"], comp["date"], comp["status"] = quote(id), quote(date), status
	comp["competitors"] = mustJSON(t, competitors)
	delete(comp, "situation")
	out["id"], out["date"], out["status"] = quote(id), quote(date), status
	out["competitions"] = mustJSON(t, []map[string]json.RawMessage{comp})
	return mustJSON(t, out)
}

func mapsCopy(m map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func quote(s string) json.RawMessage { b, _ := json.Marshal(s); return b }

func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("espntest: %v", err)
	}
	return b
}

// Between counts the events starting within [from, to].
func (c *Calendar) Between(from, to time.Time) int {
	n := 0
	for _, e := range c.events {
		if !e.start.Before(from) && !e.start.After(to) {
			n++
		}
	}
	return n
}

// Len is how many events the calendar holds.
func (c *Calendar) Len() int { return len(c.events) }

// ServeHTTP answers a scoreboard request for one Eastern day or month.
func (c *Calendar) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	dates := r.URL.Query().Get("dates")
	var keep func(time.Time) bool
	switch len(dates) {
	case 8:
		keep = func(s time.Time) bool { return s.In(tz.Eastern).Format("20060102") == dates }
	case 6:
		keep = func(s time.Time) bool { return s.In(tz.Eastern).Format("200601") == dates }
	default:
		writeJSON(w, http.StatusBadRequest, espnrules.RangeBody)
		return
	}
	events := []json.RawMessage{}
	for _, e := range c.events {
		if keep(e.start) {
			events = append(events, e.body)
		}
	}
	doc := map[string]any{"events": events}
	if c.league != nil {
		doc["leagues"] = []json.RawMessage{c.league}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, b)
}
