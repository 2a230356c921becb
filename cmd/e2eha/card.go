package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/sports-data/sports-data/internal/chromium"
)

// cardView is a dashboard with ha-teamtracker-card for the MQTT sensor and
// for the package's REST TeamTracker sensor, open in a headless Chromium
// logged in as the owner.
type cardView struct {
	b   *chromium.Browser
	url string
}

// dashboard is the url_path of the dashboard with the cards.
const dashboard = "sports-data-e2e"

// renderedCard is what one card shows (its shadow DOM) and the state the
// card was given by the frontend.
type renderedCard struct {
	Entity   string         `json:"entity"`
	State    string         `json:"state"`
	Attrs    map[string]any `json:"attrs"`
	Names    []string       `json:"names"`
	Scores   []string       `json:"scores"`
	Clock    []string       `json:"clock"`
	Post     []string       `json:"post"`
	GameTime []string       `json:"gametime"`
	X        float64        `json:"x"`
	Y        float64        `json:"y"`
	W        float64        `json:"w"`
	H        float64        `json:"h"`
}

// findCards walks the document and every shadow root (the frontend nests
// the cards deep in them) and reads each teamtracker-card.
const findCards = `(() => {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.tagName === "TEAMTRACKER-CARD") found.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found.map((c) => {
    const sr = c.shadowRoot;
    const q = (s) => (sr ? [...sr.querySelectorAll(s)].map((e) => e.textContent.trim()) : []);
    const entity = c._config ? c._config.entity : "";
    const st = c.hass && c.hass.states ? c.hass.states[entity] : null;
    const r = c.getBoundingClientRect();
    return {entity, state: st ? st.state : "", attrs: st ? st.attributes : {},
      names: q(".name"), scores: q(".score"), clock: q(".play-clock"), post: q(".post-row1"), gametime: q(".gametime"),
      x: r.x, y: r.y, w: r.width, h: r.height};
  });
})()`

// openCard waits for the MQTT sensor, puts the card's file in as a
// dashboard resource and a view with both cards on the default dashboard
// (through the WebSocket API, as the dashboard editor does), and opens it
// in Chromium.
func (r *run) openCard(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for r.mqttSensor == "" && time.Now().Before(deadline) {
		r.mqttSensor, r.mqttLive, r.mqttEvent, _, _ = r.mqttEntities(ctx)
		if r.mqttSensor == "" {
			time.Sleep(500 * time.Millisecond)
		}
	}
	if r.mqttSensor == "" {
		return fmt.Errorf("the MQTT sensor did not appear within 30 s")
	}
	ws := r.obs.conn()
	if err := ws.command(ctx, map[string]any{"type": "lovelace/resources/create", "res_type": "module",
		"url": "/local/ha-teamtracker-card.js"}, nil); err != nil {
		return fmt.Errorf("adding the card as a dashboard resource: %w", err)
	}
	// A dashboard of its own: the default one of releases from 2026 is a
	// generated overview.
	if err := ws.command(ctx, map[string]any{"type": "lovelace/dashboards/create", "url_path": dashboard,
		"title": "sports-data", "mode": "storage", "show_in_sidebar": true, "require_admin": false}, nil); err != nil {
		return fmt.Errorf("creating the dashboard: %w", err)
	}
	view := map[string]any{"title": "Game", "path": "game", "cards": []any{
		map[string]any{"type": "custom:teamtracker-card", "entity": r.mqttSensor, "card_title": "MQTT discovery"},
		map[string]any{"type": "custom:teamtracker-card", "entity": restTracker, "card_title": "REST sensor (package)"},
	}}
	if err := ws.command(ctx, map[string]any{"type": "lovelace/config/save", "url_path": dashboard,
		"config": map[string]any{"title": "sports-data", "views": []any{view}}}, nil); err != nil {
		return fmt.Errorf("saving the dashboard: %w", err)
	}
	b, err := chromium.Start(ctx, chromium.Options{Width: 1000, Height: 800, TimeZone: "America/New_York"})
	if err != nil {
		return err
	}
	r.card = &cardView{b: b, url: r.hc.base + "/" + dashboard + "/game"}
	// The frontend keeps its tokens in the origin's local storage: put the
	// owner's there, as its login page would.
	access, refresh := r.hc.tokens()
	tokens, _ := json.Marshal(map[string]any{"hassUrl": r.hc.base, "clientId": r.hc.clientID,
		"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": 1800,
		"expires": time.Now().Add(25 * time.Minute).UnixMilli()})
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(r.hc.base+"/robots.txt")); err != nil {
		return err
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[any](fmt.Sprintf(`localStorage.setItem("hassTokens", %q)`, tokens))); err != nil {
		return err
	}
	return nil
}

// closeCard stops the browser and keeps what the pages wrote to the
// console in chromium-console.txt.
func (r *run) closeCard() {
	if r.card == nil {
		return
	}
	r.card.b.Close()
	r.saveConsole()
}

func (r *run) saveConsole() {
	var b strings.Builder
	for _, m := range r.card.b.Console() {
		fmt.Fprintf(&b, "%s %s %s\n", m.Time.Format("15:04:05.000"), m.Type, m.Text)
	}
	if err := os.WriteFile(filepath.Join(r.dir, "chromium-console.txt"), []byte(b.String()), 0o644); err != nil {
		r.rep.note("saving the browser's console: %v", err)
	}
}

// captureCard waits (until the deadline) for both sensors to be in the
// phase, opens the dashboard, reads both cards and keeps a screenshot of
// them as card-<phase>.png in the run's directory; the check "card
// <phase>" says whether each card showed the game as it should.
func (r *run) captureCard(ctx context.Context, phase string, deadline time.Time) {
	name := "card " + phase
	if r.card == nil {
		r.rep.fail(name, "no dashboard open")
		return
	}
	for _, e := range []string{r.mqttSensor, restTracker} {
		for {
			st, err := r.hc.state(ctx, e)
			if err == nil && st.State == phase {
				break
			}
			if time.Now().After(deadline) {
				r.rep.fail(name, fmt.Sprintf("%s was %q, not %s, by %s", e, st.State, phase, deadline.Format("15:04:05")))
				return
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	cards, shot, err := r.card.read(ctx, phase)
	if err != nil {
		// What the browser showed instead, for a look.
		if page, perr := chromedp.Run(r.card.b.Ctx, chromedp.CaptureScreenshot()); perr == nil {
			_ = os.WriteFile(filepath.Join(r.dir, "card-"+phase+"-page.png"), page, 0o644)
		}
		r.saveConsole()
		loc, _ := chromedp.Run(r.card.b.Ctx, chromedp.Evaluate[string](`location.href + " | " + document.title`))
		r.rep.fail(name, fmt.Sprintf("%v (page %s; screenshot card-%s-page.png)", err, loc, phase))
		return
	}
	r.save("card-"+phase+".json", cards)
	if err := os.WriteFile(filepath.Join(r.dir, "card-"+phase+".png"), shot, 0o644); err != nil {
		r.rep.note("saving the screenshot: %v", err)
	}
	var problems, shown []string
	for _, c := range cards {
		problems = append(problems, r.cardProblems(c, phase)...)
		shown = append(shown, fmt.Sprintf("%s: %s %s %s", c.Entity, strings.Join(c.Names, " vs "),
			strings.Join(c.Scores, "-"), strings.Join(slices.Concat(c.Clock, c.Post, c.GameTime), " ")))
	}
	if len(cards) != 2 {
		problems = append(problems, fmt.Sprintf("%d cards rendered, want 2", len(cards)))
	}
	r.rep.add(name, len(problems) == 0, "ha-teamtracker-card in Chromium: %s; screenshot card-%s.png%s",
		strings.Join(shown, "; "), phase, listText(" ", problems))
}

// read opens the dashboard afresh (after a restart the page would wait to
// reconnect), waits until both cards show the phase and reads them.
func (v *cardView) read(ctx context.Context, phase string) ([]renderedCard, []byte, error) {
	sel := map[string]string{"PRE": ".gametime", "IN": ".play-clock", "POST": ".post-row1"}[phase]
	if err := chromedp.Do(v.b.Ctx, chromedp.Navigate(v.url)); err != nil {
		return nil, nil, err
	}
	var cards []renderedCard
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := chromedp.Run(v.b.Ctx, chromedp.Evaluate[[]renderedCard](findCards))
		if err == nil && len(got) == 2 && showsPhase(got, sel) {
			cards = got
			break
		}
		if time.Now().After(deadline) {
			return got, nil, fmt.Errorf("the dashboard did not show both cards at %s within 30 s (found %d; %v)", phase, len(got), err)
		}
		if err := sleepUntil(ctx, time.Now().Add(250*time.Millisecond)); err != nil {
			return nil, nil, err
		}
	}
	// Fonts and the last frame settle before the picture.
	time.Sleep(500 * time.Millisecond)
	clip := boundingBox(cards)
	shot, err := chromedp.Run(v.b.Ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{Clip: &clip, FromSurface: ptr(true)})
		return res.Data, err
	})
	return cards, shot, err
}

func showsPhase(cards []renderedCard, sel string) bool {
	for _, c := range cards {
		var part []string
		switch sel {
		case ".gametime":
			part = c.GameTime
		case ".play-clock":
			part = c.Clock
		case ".post-row1":
			part = c.Post
		}
		if len(part) == 0 || len(c.Names) != 2 {
			return false
		}
	}
	return true
}

// boundingBox is the area of the cards with a margin around them.
func boundingBox(cards []renderedCard) page.Viewport {
	x0, y0, x1, y1 := cards[0].X, cards[0].Y, cards[0].X+cards[0].W, cards[0].Y+cards[0].H
	for _, c := range cards[1:] {
		x0, y0 = min(x0, c.X), min(y0, c.Y)
		x1, y1 = max(x1, c.X+c.W), max(y1, c.Y+c.H)
	}
	const m = 8
	return page.Viewport{X: max(x0-m, 0), Y: max(y0-m, 0), Width: x1 - x0 + 2*m, Height: y1 - y0 + 2*m, Scale: 1}
}

// cardProblems compares one card with the state the frontend gave it and
// with the simulator: both teams, and the score with the clock (IN) or the
// final (POST).
func (r *run) cardProblems(c renderedCard, phase string) []string {
	var out []string
	bad := func(f string, a ...any) { out = append(out, c.Entity+": "+fmt.Sprintf(f, a...)) }
	str := func(k string) string { s, _ := c.Attrs[k].(string); return s }
	if c.State != phase {
		bad("the card was given state %q", c.State)
	}
	if want := []string{str("team_name"), str("opponent_name")}; !slices.Equal(c.Names, want) || want[0] == "" {
		bad("shows %q, the sensor names %q", c.Names, want)
	}
	if str("team_abbr") != r.g.truth.Home.Abbreviation || str("opponent_abbr") != r.g.truth.Away.Abbreviation {
		bad("the sensor is %s vs %s, the simulator's game %s vs %s", str("team_abbr"), str("opponent_abbr"),
			r.g.truth.Home.Abbreviation, r.g.truth.Away.Abbreviation)
	}
	score := []string{str("team_score"), str("opponent_score")}
	switch phase {
	case "PRE":
		if len(c.GameTime) != 1 || c.GameTime[0] == "" {
			bad("no start time: %q", c.GameTime)
		}
	case "IN":
		if !slices.Equal(c.Scores, score) {
			bad("shows the score %q, the sensor %q", c.Scores, score)
		}
		if !r.simHadScore(score) {
			bad("the simulator never had the score %q", score)
		}
		if len(c.Clock) != 1 || c.Clock[0] != str("clock") || c.Clock[0] == "" {
			bad("shows the clock %q, the sensor %q", c.Clock, str("clock"))
		}
	case "POST":
		fin := r.g.truth.Final
		if fin == nil || !slices.Equal(c.Scores, []string{fmt.Sprint(fin.Home), fmt.Sprint(fin.Away)}) {
			bad("shows the final %q, the simulator's is %v", c.Scores, fin)
		}
		if len(c.Post) != 1 || !strings.HasPrefix(c.Post[0], str("clock")) || str("clock") == "" {
			bad("shows %q, the sensor's clock is %q", c.Post, str("clock"))
		}
	}
	return out
}

// simHadScore: the home-away score (as strings) was one of the game's.
func (r *run) simHadScore(score []string) bool {
	if score[0] == "0" && score[1] == "0" {
		return true
	}
	for _, s := range r.g.truth.Scores {
		if score[0] == fmt.Sprint(s.Home) && score[1] == fmt.Sprint(s.Away) {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }
