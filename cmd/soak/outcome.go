package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/simulator"
)

type healthDoc struct {
	Store struct {
		Connected bool   `json:"connected"`
		Queued    int    `json:"queued"`
		Spooled   int    `json:"spooled"`
		Dropped   int    `json:"dropped"`
		LastError string `json:"last_error"`
	} `json:"influxdb"`
}

type hookList struct {
	Webhooks []struct {
		ID       string  `json:"webhook_id"`
		URL      string  `json:"url"`
		Disabled bool    `json:"disabled"`
		Reason   *string `json:"disabled_reason"`
		Pending  int     `json:"pending_events"`
		Dropped  int     `json:"dropped_events"`
		Expired  int     `json:"expired_events"`
	} `json:"webhooks"`
}

func (l hookList) pending() int {
	n := 0
	for _, w := range l.Webhooks {
		if !w.Disabled {
			n += w.Pending
		}
	}
	return n
}

func (r *run) getJSON(path string, v any) error {
	resp, err := r.client.Get(r.base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, bytes.TrimSpace(b))
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// check compares everything with the truth and fills the report.
func (r *run) check(ctx context.Context, baseline int) {
	tr := r.sim.Truth()
	r.checkTimelines(tr)
	r.checkWebhooks(tr)
	r.checkHistory(tr)

	var h healthDoc
	if err := r.getJSON("/health", &h); err != nil {
		r.rep.check("store: nothing queued, spooled or dropped", "", []string{err.Error()})
	} else {
		var problems []string
		if !h.Store.Connected || h.Store.Queued != 0 || h.Store.Spooled != 0 || h.Store.Dropped != 0 {
			problems = append(problems, fmt.Sprintf("connected %v, queued %d, spooled %d, dropped %d, last error %q",
				h.Store.Connected, h.Store.Queued, h.Store.Spooled, h.Store.Dropped, h.Store.LastError))
		}
		r.rep.check("store: nothing queued, spooled or dropped", "", problems)
	}

	// Goroutines: idle connections to the receivers and this client end
	// first; the poller's connections to the simulator were there before.
	r.rcv.dropIdle()
	r.client.CloseIdleConnections()
	const tolerance = 8
	end := -1
	for i := 0; i < 100 && ctx.Err() == nil; i++ {
		n, err := r.goroutines()
		if err == nil && (end < 0 || n < end) {
			end = n
		}
		if end >= 0 && end <= baseline+tolerance {
			break
		}
		sleepCtx(ctx, 200*time.Millisecond)
	}
	var gp []string
	if end < 0 || end > baseline+tolerance {
		gp = append(gp, fmt.Sprintf("%d goroutines after the games, %d before (tolerance %d)", end, baseline, tolerance))
	}
	r.rep.check("goroutines back to the baseline", fmt.Sprintf("%d before the games, %d after (tolerance +%d)", baseline, end, tolerance), gp)

	r.checkLog()

	r.svc.sampleRSS()
	mb := float64(r.svc.peakKB) / 1024
	aim := "under the 40 MB aim"
	if mb >= 40 {
		aim = "ABOVE the 40 MB aim"
	}
	r.rep.info("peak RSS of the service (VmHWM)", fmt.Sprintf("%.1f MB over %d runs of the process, %s", mb, r.svc.starts, aim))

	code, took := r.svc.term(20 * time.Second)
	var sp []string
	if code != 0 {
		sp = append(sp, fmt.Sprintf("exit status %d after %s (see %s)", code, took.Round(time.Millisecond), r.svc.LogPath))
	}
	r.rep.check("clean stop on SIGTERM", fmt.Sprintf("exit %d after %s", code, took.Round(time.Millisecond)), sp)
}

func (r *run) checkTimelines(tr simulator.Truth) {
	var dups, order, finals []string
	stored, nFinals, nGames, truthStatesN := 0, 0, 0, 0
	for _, g := range tr.Games {
		nGames++
		if g.Final != nil {
			nFinals++
		}
		var tl timelineDoc
		if err := r.getJSON("/api/v1/games/timeline/"+url.PathEscape(g.ID), &tl); err != nil {
			order = append(order, fmt.Sprintf("%s: %v", gameName(g), err))
			continue
		}
		stored += len(tl.Timeline)
		for _, e := range tl.Timeline {
			if e.Status == "final" {
				r.firstFinal[g.League+"/"+g.ID] = e.Time
				break
			}
		}
		truthStatesN += len(truthStates(g))
		d, o, f := checkTimeline(g, tl)
		dups, order, finals = append(dups, d...), append(order, o...), append(finals, f...)
	}
	r.rep.check("timelines: each observed change stored once", fmt.Sprintf("%d games, %d stored changes of the truth's %d", nGames, stored, truthStatesN), dups)
	r.rep.check("timelines: changes in the simulator's order", "stored states are a subsequence of the truth's", order)
	r.rep.check("finals equal the simulator's", fmt.Sprintf("%d finals", nFinals), finals)
}

func (r *run) checkWebhooks(tr simulator.Truth) {
	byHook := map[string][]delivery{}
	var bad []string
	for _, d := range r.rcv.deliveries() {
		byHook[d.Hook] = append(byHook[d.Hook], d)
		if !d.SigOK {
			bad = append(bad, fmt.Sprintf("%s: %s %s failed the signature check", d.Hook, d.Event, d.EventID))
		}
	}
	r.rep.check("webhooks: every request signed correctly", fmt.Sprintf("%d requests", len(r.rcv.deliveries())), bad)

	all := firstAccepted(byHook["all"])
	once, tolerated := checkOnce(byHook["all"], r.kills)
	games := map[string]simulator.GameTruth{}
	for _, g := range tr.Games {
		games[g.League+"/"+g.ID] = g
	}
	perGame := map[string][]payload{}
	for _, d := range all {
		k := strings.ToLower(d.Payload.League) + "/" + d.Payload.GameID
		if _, ok := games[k]; !ok {
			once = append(once, fmt.Sprintf("all: event for unknown game %s", k))
			continue
		}
		perGame[k] = append(perGame[k], d.Payload)
	}
	var chain []string
	withheld := 0
	for _, g := range tr.Games {
		k := g.League + "/" + g.ID
		late := false
		if f, ok := r.firstFinal[k]; ok && g.Final != nil && f.Sub(g.End) > time.Hour {
			late = true
			if n := len(perGame[k]); n == 0 || perGame[k][n-1].Event != "game_end" {
				withheld++
			}
		}
		chain = append(chain, checkChain(g, perGame[k], late)...)
	}
	chainDetail := fmt.Sprintf("%d games", len(tr.Games))
	if withheld > 0 {
		chainDetail += fmt.Sprintf("; %d ends not sent, first seen final over an hour after the end (by design)", withheld)
	}
	detail := fmt.Sprintf("%d events", len(all))
	if tolerated > 0 {
		detail += fmt.Sprintf(", %d resent after a kill (documented)", tolerated)
	}
	r.rep.check("webhook all: each event delivered once", detail, once)
	r.rep.check("webhook all: per game in order, none missing", chainDetail, chain)

	// Team: exactly the reference webhook's events of the team's games.
	team := firstAccepted(byHook["team"])
	tOnce, _ := checkOnce(byHook["team"], r.kills)
	want := r.team.events(all)
	var got []string
	for _, d := range team {
		got = append(got, d.EventID)
		if d.Payload.Team != r.team.Abbreviation || !strings.EqualFold(d.Payload.League, r.team.League) {
			tOnce = append(tOnce, fmt.Sprintf("team: %s has team %q of %q", d.EventID, d.Payload.Team, d.Payload.League))
		}
	}
	if p := checkPrefix(got, want); p != "" || len(got) != len(want) {
		tOnce = append(tOnce, fmt.Sprintf("team: %d events, the reference webhook has %d for %s: %s", len(got), len(want), r.team, p))
	}
	r.rep.check("webhook team: its games' events, once, in order", fmt.Sprintf("%s: %d events", r.team, len(got)), tOnce)
	r.checkFlaky(byHook["flaky"], all)
}

// checkFlaky: the flaky webhook got a prefix of the reference webhook's
// events, retried after 500s and through the hold, nothing after the 410.
func (r *run) checkFlaky(fl, all []delivery) {
	fOnce, _ := checkOnce(fl, r.kills)
	var fids, aids []string
	for _, d := range firstAccepted(fl) {
		fids = append(fids, d.EventID)
	}
	for _, d := range all {
		aids = append(aids, d.EventID)
	}
	if p := checkPrefix(fids, aids); p != "" {
		fOnce = append(fOnce, "flaky: "+p)
	}
	// Flaps and the hold stay within the retry budget: every event seen
	// before the hold ended reaches the flaky receiver too.
	inFlaky := map[string]bool{}
	for _, id := range fids {
		inFlaky[id] = true
	}
	before := 0
	for _, d := range all {
		ts, err := time.Parse(time.RFC3339, d.Payload.Timestamp)
		if err != nil || !ts.Before(r.hangEnd) {
			continue
		}
		before++
		if !inFlaky[d.EventID] {
			fOnce = append(fOnce, fmt.Sprintf("flaky: lost %s %s of game %s (observed %s)", d.Event, d.EventID, d.Payload.GameID, d.Payload.Timestamp))
		}
	}
	failedThenOK, held, gone, after := 0, 0, 0, 0
	failed := map[string]bool{}
	for _, d := range fl {
		switch {
		case gone > 0:
			after++
		case d.Status == http.StatusInternalServerError:
			failed[d.EventID] = true
		case d.Status == 0:
			held++
		case d.Status == http.StatusGone:
			gone++
		case d.Status < 300 && failed[d.EventID]:
			failedThenOK++
		}
	}
	if failedThenOK == 0 {
		fOnce = append(fOnce, "flaky: no event was delivered after a 500")
	}
	if held == 0 {
		fOnce = append(fOnce, "flaky: no request was held")
	}
	if gone != 1 || after != 0 {
		fOnce = append(fOnce, fmt.Sprintf("flaky: %d answers 410 and %d requests after the first", gone, after))
	}
	var l hookList
	if err := r.getJSON("/api/v1/ha/webhooks", &l); err != nil {
		fOnce = append(fOnce, err.Error())
	}
	for _, w := range l.Webhooks {
		name := r.hookIDs[w.ID]
		if w.Disabled != (name == "flaky") {
			fOnce = append(fOnce, fmt.Sprintf("%s (%s): disabled %v", name, w.ID, w.Disabled))
		}
		if w.Dropped != 0 || w.Expired != 0 {
			fOnce = append(fOnce, fmt.Sprintf("%s (%s): %d events dropped (queue full), %d past the retry window", name, w.ID, w.Dropped, w.Expired))
		}
	}
	r.rep.check("webhook flaky: retried, then disabled by 410",
		fmt.Sprintf("%d of %d events before the 410 (all %d observed before the hold ended); %d delivered after a 500, %d held",
			len(fids), len(aids), before, failedThenOK, held), fOnce)
}

func (r *run) checkHistory(tr simulator.Truth) {
	want := recordsFromTruth(tr)
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var problems []string
	for _, k := range keys {
		parts := strings.Split(k, "/") // league/ABBR/season
		q := url.Values{
			"team":      {parts[0] + "-" + strings.ToLower(parts[1])},
			"league":    {parts[0]},
			"season":    {parts[2]},
			"page_size": {"1"},
		}
		var doc struct {
			Statistics *record `json:"statistics"`
		}
		if err := r.getJSON("/api/v1/games/history?"+q.Encode(), &doc); err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if doc.Statistics == nil {
			problems = append(problems, k+": no statistics")
			continue
		}
		if *doc.Statistics != want[k] {
			problems = append(problems, fmt.Sprintf("%s: stored %+v, simulator %+v", k, *doc.Statistics, want[k]))
		}
	}
	r.rep.check("history records equal the simulator's finals", fmt.Sprintf("%d team seasons", len(keys)), problems)
}

// saveDeliveries writes every request the receivers got, one JSON object a
// line, for reading after a failed check.
func (r *run) saveDeliveries(path string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, d := range r.rcv.deliveries() {
		_ = enc.Encode(d)
	}
	_ = os.WriteFile(path, b.Bytes(), 0o644)
}

// checkLog summarises the service's warnings and fails on errors and
// panics: every fault the soak injects is expected to be met with a
// warning at most.
func (r *run) checkLog() {
	raw, err := os.ReadFile(r.svc.LogPath)
	if err != nil {
		r.rep.check("service log: no errors or panics", "", []string{err.Error()})
		return
	}
	warns := map[string]int{}
	var problems []string
	for _, line := range strings.Split(string(raw), "\n") {
		switch {
		case strings.Contains(line, "level=ERROR"):
			problems = append(problems, line)
		case strings.HasPrefix(line, "panic:") || strings.HasPrefix(line, "fatal error:"):
			problems = append(problems, line)
		case strings.Contains(line, "level=WARN"):
			warns[logMsg(line)]++
		}
	}
	r.rep.check("service log: no errors or panics", fmt.Sprintf("%d kinds of warning", len(warns)), problems)
	kinds := make([]string, 0, len(warns))
	for m := range warns {
		kinds = append(kinds, m)
	}
	sort.Slice(kinds, func(i, j int) bool { return warns[kinds[i]] > warns[kinds[j]] })
	for _, m := range kinds {
		r.rep.info("  warning", fmt.Sprintf("%5d× %s", warns[m], m))
	}
}

// logMsg is the msg of a slog text line.
func logMsg(line string) string {
	i := strings.Index(line, "msg=")
	if i < 0 {
		return line
	}
	rest := line[i+4:]
	if strings.HasPrefix(rest, `"`) {
		if j := strings.Index(rest[1:], `"`); j >= 0 {
			return rest[1 : j+1]
		}
		return rest
	}
	if j := strings.IndexByte(rest, ' '); j >= 0 {
		return rest[:j]
	}
	return rest
}
