package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/simulator"
	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

// pageSpeed is the simulator's speed in the browser test: the early games
// of a Sunday kick off four seconds after it starts and end about forty
// seconds later.
const pageSpeed = 300

// q writes a Go string as a JavaScript string literal.
func q(s string) string { return strconv.Quote(s) }

// TestPageInABrowser opens every view of the web page in headless
// Chromium, against the whole service following a simulated NFL Sunday,
// and checks what a person sees: kick-off times in the browser's zone,
// scores changing by themselves (and how long after the simulator's
// change), the service's state, a webhook registered, tested, seen
// delivering and deleted through the form, nothing of it possible from
// another origin, a game's chart equal to its stored timeline and events,
// a team's season and sensor, the key prompt of a service with API_KEY,
// every view at a phone's width without sideways scrolling, (with a real
// Mosquitto) a team's MQTT entities and trouble said in words, and the
// Now page going on by itself through a restart of the service mid-game.
// Screenshots of the run stay in bin/ui-screenshots.
func TestPageInABrowser(t *testing.T) {
	t.Parallel()
	started := time.Now()
	p := newPageRun(t)
	ss := startSimulator(t, simulator.SundayNoonET(time.Now()).Add(40*time.Minute), pageSpeed)
	g := longestEarlyGame(t, ss.sim)
	ss.serve(map[string]string{"LOG_LEVEL": "info", "LEAGUES": "nfl"})
	rcv := webhooktest.New(t)
	stream := readStream(t, ss.base, 300)

	shown := checkNow(t, p, ss, g)
	checkWebhookForm(t, p, ss, rcv, g)
	require.Empty(t, p.consoleErrors(), "the page wrote errors to the console")
	checkOtherOrigin(t, p, ss)
	checkGameLive(t, p, ss, g)
	logLiveDelay(t, ss, shown)
	checkGameFinal(t, p, ss, rcv, g)
	checkTeam(t, p, ss, g)
	select {
	case msgs := <-stream:
		checkStream(t, msgs)
	case <-time.After(30 * time.Second):
		t.Error("the stream beside the browser did not carry 300 messages")
	}
	checkKeyPrompt(t, p)
	t.Run("trouble and entities", func(t *testing.T) { checkTroubleAndEntities(t, p) })
	t.Run("restart mid-game", func(t *testing.T) { checkRestart(t, p) })
	// The other site's refused requests, the key prompt's 401s and the
	// requests while the service restarted are the only errors the pages
	// wrote.
	assert.Empty(t, p.consoleErrors("CORS policy", "net::ERR_FAILED", "status of 401", "status of 403", "net::ERR_CONNECTION_REFUSED"))
	t.Logf("the browser test took %s", time.Since(started).Round(time.Second))
}

// longestEarlyGame is the 13:00 game that ends last: the one the test
// follows, live for as long as possible.
func longestEarlyGame(t *testing.T, sim *simulator.Sim) simulator.GameTruth {
	games := sim.TruthAt(sim.OverAt()).Games
	early := slices.MinFunc(games, func(a, b simulator.GameTruth) int { return a.Scheduled.Compare(b.Scheduled) }).Scheduled
	var last simulator.GameTruth
	for _, g := range games {
		if g.Scheduled.Equal(early) && g.Final != nil && len(g.Scores) > 0 && g.End.After(last.End) {
			last = g
		}
	}
	require.NotEmpty(t, last.ID)
	return last
}

// domScore is a score the Now page showed, and when (the browser's clock,
// ms since 1970).
type domScore struct {
	Game string  `json:"game"`
	Home int     `json:"home"`
	Away int     `json:"away"`
	At   float64 `json:"at"`
}

// recordScores notes every score a game card shows, at the moment the
// page changes it.
const recordScores = `(() => {
  window.__scores = [];
  const last = new Map();
  const scan = () => {
    const at = Date.now();
    for (const c of document.querySelectorAll("#live [data-game]")) {
      const h = c.querySelector('.score[data-side="home"]').textContent;
      const a = c.querySelector('.score[data-side="away"]').textContent;
      if (last.get(c.dataset.game) === h + "-" + a) continue;
      last.set(c.dataset.game, h + "-" + a);
      window.__scores.push({game: c.dataset.game, home: +h, away: +a, at});
    }
  };
  new MutationObserver(scan).observe(document.getElementById("live"), {subtree: true, childList: true, characterData: true});
  scan();
  return true;
})()`

// checkNow: before kick-off the game is coming up at its time in the
// browser's zone; then the cards go live and their scores move with no
// reload; events appear; the service's state is in words.
func checkNow(t *testing.T, p *pageRun, ss *simService, g simulator.GameTruth) []domScore {
	p.open(ss.base + "/ui/")
	p.timing("now")
	key := "nfl-" + g.ID
	row := `document.querySelector('#upcoming li[data-game=` + q(key) + `]')`
	card := `document.querySelector('#live [data-game=` + q(key) + `]')`
	if time.Now().Before(ss.wallOf(g.Start)) {
		// Under load the game may kick off while the page loads: then it
		// is live, not coming up, and only its kick-off time goes unchecked.
		p.wait("the game coming up or live", "!!"+row+" || !!"+card, 10*time.Second)
	}
	if js[bool](p, "!!"+row) {
		text := js[string](p, row+".textContent")
		loc, err := time.LoadLocation(browserZone)
		require.NoError(t, err)
		at := g.Scheduled.In(loc)
		assert.True(t, strings.Contains(text, at.Format("03:04 PM")) || strings.Contains(text, at.Format("15:04")),
			"kick-off %s ET shown in %s: %q", g.Scheduled.Format("15:04"), browserZone, text)
	} else {
		t.Logf("the game was live when the page showed it (a slow start): the upcoming time is not checked")
	}
	assert.Equal(t, "Times are in "+browserZone+".", js[string](p, `document.getElementById("zone").textContent`))
	require.True(t, js[bool](p, recordScores))
	p.wait("the service's state", `document.getElementById("service").textContent.includes("Everything is working.")`, 15*time.Second)
	assert.Regexp(t, `NFL last poll at \d`, js[string](p, `document.getElementById("service").textContent`))

	p.wait("kick-off on the page", "!!"+card, 30*time.Second)
	p.wait("scores moving", `window.__scores.filter((s) => s.home + s.away > 0).length >= 12`, 40*time.Second)
	p.wait("the latest events", `document.querySelectorAll("#events li[data-event]").length >= 3`, 10*time.Second)
	p.shot("now-live")
	p.phone("now")
	return js[[]domScore](p, `window.__scores`)
}

// checkWebhookForm registers a webhook for the game's home team through
// the form, tests it (the receiver's answer is shown), waits for a real
// delivery in the list and deletes it.
func checkWebhookForm(t *testing.T, p *pageRun, ss *simService, rcv *webhooktest.Receiver, g simulator.GameTruth) {
	p.open(ss.base + "/ui/webhooks")
	p.timing("webhooks")
	p.wait("the empty list", `!!document.querySelector("#webhooks .empty")`, 10*time.Second)
	p.fill("#wh-url", rcv.URL())
	p.fill("#wh-secret", webhooktest.Secret)
	p.fill("#wh-team", g.Home.Abbreviation)
	p.click("#wh-submit")
	p.wait("the registration", `document.getElementById("register-result").textContent.startsWith("Registered wh_")`, 10*time.Second)
	id := regexp.MustCompile(`wh_\w+`).FindString(js[string](p, `document.getElementById("register-result").textContent`))
	hook := `document.querySelector('#webhooks article[data-id=` + q(id) + `]')`
	p.wait("the new webhook in the list", "!!"+hook, 10*time.Second)
	text := js[string](p, hook+".textContent")
	assert.Contains(t, text, strings.ToUpper(g.Home.Abbreviation)+", NFL")
	assert.Contains(t, text, "game_start, game_end, score_change")
	assert.NotContains(t, text, webhooktest.Secret)

	p.click(`#webhooks article[data-id="` + id + `"] .test`)
	p.wait("the receiver's answer", hook+`.querySelector(".test-result").textContent.includes("The receiver took the test event.")`, 20*time.Second)
	answer := js[string](p, hook+`.querySelector(".test-result").textContent`)
	assert.Contains(t, answer, "HTTP 200")
	assert.Regexp(t, `Latency [\d.]+ ms`, answer)
	assert.True(t, slices.ContainsFunc(rcv.All(), func(d webhooktest.Delivery) bool { return d.P.Event == "test" && d.P.WebhookID == id }))

	p.wait("a delivery of the game in the list", hook+`.querySelector('.deliveries li[data-event="score_change"][data-outcome="delivered"], .deliveries li[data-event="game_end"]') !== null`, 45*time.Second)
	p.shot("webhooks")
	p.phone("webhooks")

	del := `#webhooks article[data-id="` + id + `"] .delete`
	p.click(del)
	p.wait("the delete to be confirmed", `document.querySelector('`+del+`').textContent === "Really delete?"`, 5*time.Second)
	p.click(del)
	p.wait("the webhook gone", `!!document.querySelector("#webhooks .empty")`, 10*time.Second)
	var list struct{ Count int }
	require.Equal(t, http.StatusOK, ss.do(http.MethodGet, "/api/v1/ha/webhooks", nil, &list))
	assert.Zero(t, list.Count)
}

// checkOtherOrigin opens a page of another origin that tries what the
// webhook page does: the browser and the service refuse all of it.
func checkOtherOrigin(t *testing.T, p *pageRun, ss *simService) {
	body := fmt.Sprintf(`{"url":"http://127.0.0.1:9/x","secret":%q}`, webhooktest.Secret)
	attack := `<!doctype html><title>another site</title><script>
(async () => {
  const target = ` + q(ss.base) + `, out = {};
  const body = ` + q(body) + `;
  const attempt = async (name, url, init) => {
    try { const r = await fetch(target + url, init); out[name] = r.type === "opaque" ? "sent blind" : "read " + r.status; }
    catch (e) { out[name] = "refused"; }
  };
  await attempt("json", "/api/v1/ha/webhooks/register", {method: "POST", headers: {"Content-Type": "application/json"}, body});
  await attempt("key", "/api/v1/ha/webhooks/register", {method: "POST", headers: {"Content-Type": "application/json", "X-API-Key": "guess"}, body});
  await attempt("form", "/api/v1/ha/webhooks/register", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body});
  await attempt("list", "/api/v1/ha/webhooks", {});
  await attempt("delete", "/api/v1/ha/webhooks/wh_x", {method: "DELETE"});
  window.__attack = out;
})();
</script>`
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(attack))
	}))
	defer other.Close()
	require.NoError(t, p.navigate(other.URL))
	p.wait("the other site's attempts", `!!window.__attack`, 15*time.Second)
	got := js[map[string]string](p, `window.__attack`)
	t.Logf("another origin's attempts: %v", got)
	assert.Equal(t, map[string]string{"json": "refused", "key": "refused", "form": "sent blind", "list": "refused", "delete": "refused"}, got)
	var list struct{ Count int }
	require.Equal(t, http.StatusOK, ss.do(http.MethodGet, "/api/v1/ha/webhooks", nil, &list))
	assert.Zero(t, list.Count, "the request sent blind was refused by the service")
	assert.True(t, slices.ContainsFunc(p.b.Console(), func(m chromedp.ConsoleMessage) bool {
		return strings.Contains(m.Text, "status of 403 (Forbidden)")
	}), "the service answered the request sent blind with 403")
}

// checkGameLive: the game's page draws the stored timeline and moves with
// the game.
func checkGameLive(t *testing.T, p *pageRun, ss *simService, g simulator.GameTruth) {
	if !time.Now().Before(ss.wallOf(g.End).Add(-5 * time.Second)) {
		t.Logf("the game ended before its live page was opened (a slow machine): its live page is not checked")
		return
	}
	p.open(ss.base + "/ui/game/" + g.ID + "?league=nfl")
	p.timing("game")
	p.wait("the chart", `document.querySelectorAll("#score-chart g.obs").length >= 2`, 10*time.Second)
	score := `[...document.querySelectorAll(".game-head .score")].map((s) => s.textContent).join("-") + " " + document.getElementById("game-status").textContent`
	before := js[string](p, score)
	p.wait("the game page moving", score+" !== "+q(before), 30*time.Second)
}

// logLiveDelay logs how long after the simulator's change the Now page
// showed each score it recorded (ESPN's answer, the simulator, changes;
// the service polls it, every 20 ms here; the stream carries it; the page
// changes the card) and fails when one took a second or more.
func logLiveDelay(t *testing.T, ss *simService, shown []domScore) {
	var delays []time.Duration
	missed := 0
	var first, last float64
	if len(shown) > 0 {
		first, last = shown[0].At, shown[len(shown)-1].At
	}
	for _, g := range ss.sim.TruthAt(ss.sim.OverAt()).Games {
		for _, sc := range g.Scores {
			w := float64(ss.wallOf(sc.Time).UnixNano()) / 1e6
			if w < first || w > last {
				continue // the page was not open then
			}
			i := slices.IndexFunc(shown, func(s domScore) bool {
				return s.Game == "nfl-"+g.ID && s.Home == sc.Home && s.Away == sc.Away && s.At >= w
			})
			if i < 0 {
				missed++ // two scores within one poll: the first was never shown
				continue
			}
			delays = append(delays, time.Duration((shown[i].At-w)*1e6))
		}
	}
	t.Logf("simulator's change -> score on the page: %s (%d changes shown by no poll; simulator at %dx, polls every 20 ms)",
		summary(delays), missed, pageSpeed)
	assert.NotEmpty(t, delays, "the page showed scores as they changed")
	// The page promises a score within a second of the service seeing it;
	// measured from ESPN's change, a poll included, it is still within it.
	for _, d := range delays {
		assert.Less(t, d, time.Second, "a score reached the page %s after the simulator's change", d)
	}
}

// checkGameFinal: once the game is over and stored, its chart has exactly
// the stored observations and events, and the marks name the events the
// webhook received.
func checkGameFinal(t *testing.T, p *pageRun, ss *simService, rcv *webhooktest.Receiver, g simulator.GameTruth) {
	var tl struct {
		FinalScore *struct{ Home, Away int } `json:"final_score"`
		Timeline   []struct {
			Time      string `json:"time"`
			HomeScore int    `json:"home_score"`
			AwayScore int    `json:"away_score"`
			Period    int    `json:"period"`
			Status    string `json:"status"`
		} `json:"timeline"`
	}
	require.Eventually(t, func() bool {
		return ss.do(http.MethodGet, "/api/v1/games/timeline/"+g.ID, nil, &tl) == http.StatusOK && tl.FinalScore != nil
	}, time.Until(ss.wallOf(g.End))+30*time.Second, 100*time.Millisecond, "the game stored as final")
	assert.Equal(t, g.Final.Home, tl.FinalScore.Home)
	var evs struct {
		Events []struct {
			EventID string `json:"event_id"`
		} `json:"events"`
	}
	require.Equal(t, http.StatusOK, ss.do(http.MethodGet, "/api/v1/games/events/"+g.ID, nil, &evs))

	p.open(ss.base + "/ui/game/" + g.ID + "?league=nfl")
	p.wait("the final", `document.getElementById("game-status").textContent === "Final"`, 10*time.Second)
	type point struct {
		Time   string `json:"time"`
		Home   int    `json:"home"`
		Away   int    `json:"away"`
		Period int    `json:"period"`
		Status string `json:"status"`
	}
	drawn := js[[]point](p, `[...document.querySelectorAll("#score-chart g.obs")].map((g) => ({time: g.dataset.time,
	  home: +g.dataset.home, away: +g.dataset.away, period: +g.dataset.period, status: g.dataset.status}))`)
	var stored []point
	for _, e := range tl.Timeline {
		stored = append(stored, point{e.Time, e.HomeScore, e.AwayScore, e.Period, e.Status})
	}
	assert.Equal(t, stored, drawn, "the chart's points are the stored timeline")
	marks := js[[]string](p, `[...document.querySelectorAll("#score-chart g.ev")].map((e) => e.dataset.eventId)`)
	var ids []string
	for _, e := range evs.Events {
		ids = append(ids, e.EventID)
	}
	assert.Equal(t, ids, marks, "the chart marks the game's events")
	received := 0
	for _, d := range rcv.All() {
		if d.P.GameID == g.ID && d.P.Event != "test" {
			received++
			assert.Contains(t, marks, d.P.EventID, "the webhook's %s is marked on the chart", d.P.Event)
		}
	}
	assert.Positive(t, received, "the webhook received events of the game")
	total := js[[]string](p, `[...document.querySelectorAll("#line-score .total")].map((c) => c.textContent)`)
	assert.Equal(t, []string{strconv.Itoa(g.Final.Away), strconv.Itoa(g.Final.Home)}, total, "the line score's totals")
	facts := js[string](p, `document.getElementById("facts").textContent`)
	for _, f := range []string{"League National Football League", "Status Final", "ESPN game id " + g.ID,
		"Stored observations " + strconv.Itoa(len(tl.Timeline))} {
		assert.Contains(t, facts, f, "the game's facts")
	}
	p.shot("game-final")
	p.phone("game")
}

// checkTeam: the home team's season chart holds the game with its result;
// the REST sensor to copy points at this service.
func checkTeam(t *testing.T, p *pageRun, ss *simService, g simulator.GameTruth) {
	team := "nfl-" + strings.ToLower(g.Home.Abbreviation)
	var sched struct {
		Games []struct {
			GameID string `json:"game_id"`
			Status string `json:"status"`
		} `json:"games"`
	}
	require.Eventually(t, func() bool {
		return ss.do(http.MethodGet, "/api/v1/games/schedule/"+team, nil, &sched) == http.StatusOK &&
			slices.ContainsFunc(sched.Games, func(s struct {
				GameID string `json:"game_id"`
				Status string `json:"status"`
			}) bool {
				return s.GameID == g.ID && s.Status == "final"
			})
	}, 30*time.Second, 100*time.Millisecond, "the game final in the team's schedule")
	pos := tablePosition(t, ss, team)
	p.open(ss.base + "/ui/team/" + team)
	p.timing("team")
	want := map[bool]string{true: "W", false: "L"}[g.Final.Home > g.Final.Away]
	if g.Final.Home == g.Final.Away {
		want = "T"
	}
	bar := `document.querySelector('#season-chart rect.result[data-game-id=` + q(g.ID) + `]')`
	p.wait("the game in the season chart", "!!"+bar, 10*time.Second)
	assert.Equal(t, want, js[string](p, bar+".dataset.result"))
	// The next games are the team's first five scheduled games of the
	// stored schedule, or none.
	var next []string
	for _, s := range sched.Games {
		if s.Status == "scheduled" && len(next) < 5 {
			next = append(next, s.GameID)
		}
	}
	shown := js[[]string](p, `[...[...document.querySelectorAll("section.panel")].find((s) => s.querySelector("h2").textContent === "Next games")
	  .querySelectorAll("li[data-game-id]")].map((li) => li.dataset.gameId)`)
	t.Logf("the team's next games on its page: %v", shown)
	assert.Equal(t, len(next), len(shown), "the next games: %v", shown)
	if len(next) > 0 {
		assert.Equal(t, next, shown)
	}
	// Its standing as /api/v1/standings answers it, and its calendar.
	p.wait("the team's standing", `!!document.getElementById("standing")`, 10*time.Second)
	assert.Contains(t, js[string](p, `document.getElementById("standing").textContent`), fmt.Sprintf("position %d", pos))
	assert.Equal(t, "/api/v1/calendar/"+team+".ics", js[string](p, `new URL(document.getElementById("calendar").href).pathname`))
	assert.Contains(t, js[string](p, `document.getElementById("rest-sensor").textContent`), "resource: "+ss.base+"/api/v1/ha/sensor/"+team)
	assert.Contains(t, js[string](p, `document.getElementById("card-config").textContent`), "type: custom:teamtracker-card")
	p.phone("team")
}

// tablePosition is the team's place in its league's table as the service
// answers it, once the table has been asked of the simulator.
func tablePosition(t *testing.T, ss *simService, team string) int {
	t.Helper()
	var table struct {
		Groups []struct {
			Entries []struct {
				TeamID   string `json:"team_id"`
				Position int    `json:"position"`
			} `json:"entries"`
		} `json:"groups"`
	}
	pos := 0
	require.Eventually(t, func() bool {
		if ss.do(http.MethodGet, "/api/v1/standings?league=nfl", nil, &table) != http.StatusOK {
			return false
		}
		for _, g := range table.Groups {
			for _, e := range g.Entries {
				if e.TeamID == team {
					pos = e.Position
					return true
				}
			}
		}
		return false
	}, 30*time.Second, 100*time.Millisecond, "the team in the league's table")
	return pos
}

// checkKeyPrompt: a service with API_KEY asks for the key, says when it is
// wrong, keeps it in the tab only and sends it as a header with the form.
func checkKeyPrompt(t *testing.T, p *pageRun) {
	const key = "a-key-for-the-browser-test"
	ks := startService(t, newESPN(t).URL, map[string]string{"API_KEY": key, "LOG_LEVEL": "info"})
	require.NoError(t, p.navigate(ks.base+"/ui/webhooks"))
	p.wait("the key prompt", `document.getElementById("key-dialog").open`, 10*time.Second)
	p.shot("key-prompt")
	p.fill("#key-input", "not-the-key")
	p.click(`#key-form button[type="submit"]`)
	p.wait("the wrong key refused", `document.getElementById("key-dialog").open && document.getElementById("key-error").textContent === "The service refused this key."`, 10*time.Second)
	p.fill("#key-input", key)
	p.click(`#key-form button[type="submit"]`)
	p.wait("the list with the key", `!!document.querySelector("#webhooks .empty")`, 10*time.Second)
	rcv := webhooktest.New(t)
	p.fill("#wh-url", rcv.URL())
	p.fill("#wh-secret", webhooktest.Secret)
	p.click("#wh-submit")
	p.wait("a registration with the key", `document.getElementById("register-result").textContent.startsWith("Registered wh_")`, 10*time.Second)
	assert.Equal(t, key, js[string](p, `sessionStorage.getItem("sports-data-api-key")`))
	assert.Empty(t, js[string](p, `localStorage.length ? "something in localStorage" : ""`))
	assert.False(t, js[bool](p, `performance.getEntriesByType("resource").some((e) => e.name.includes(`+q(key)+`)) || location.href.includes(`+q(key)+`)`),
		"the key is never in a URL")
	var list struct{ Count int }
	require.Equal(t, http.StatusOK, ks.do(http.MethodGet, "/api/v1/ha/webhooks", nil, http.Header{"X-Api-Key": {key}}, &list))
	assert.Equal(t, 1, list.Count)
}
