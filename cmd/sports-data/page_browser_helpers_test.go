package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/chromium"
	"github.com/sports-data/sports-data/internal/gamefeed/gamefeedtest"
	"github.com/sports-data/sports-data/internal/testenv"
)

// The browser tests' helpers: one headless Chromium for every page,
// waiting on what the page shows, screenshots kept in bin/ui-screenshots
// (the last run's), the page's own timing and weight.

// shotsDir keeps the last run's screenshots, beside the binary make builds.
const shotsDir = "../../bin/ui-screenshots"

// browserZone is the browser's time zone: not the service's, so that every
// time the page shows must have been converted.
const browserZone = "Europe/Berlin"

type pageRun struct {
	t   *testing.T
	b   *chromium.Browser
	dir string
}

func newPageRun(t *testing.T) *pageRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	b, err := chromium.Start(ctx, chromium.Options{Width: 1200, Height: 860, TimeZone: browserZone})
	if errors.Is(err, chromium.ErrNotFound) {
		testenv.Need(t, false, err.Error())
	}
	require.NoError(t, err)
	t.Cleanup(b.Close)
	require.NoError(t, os.RemoveAll(shotsDir))
	require.NoError(t, os.MkdirAll(shotsDir, 0o755))
	return &pageRun{t: t, b: b, dir: shotsDir}
}

// js evaluates an expression in the page (promises are awaited).
func js[T any](p *pageRun, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.b.Ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	require.NoError(p.t, err, "evaluating %s", expr)
	return v
}

// wait polls expr in the page until it is true; on a timeout the test
// fails with a screenshot of what the page showed.
func (p *pageRun) wait(what, expr string, timeout time.Duration) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.b.Ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		name := "failed-" + strings.NewReplacer(" ", "-", "'", "", "/", "-").Replace(what)
		p.shot(name)
		text, _ := chromedp.Run(p.b.Ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 3000)`))
		p.t.Fatalf("waiting for %s (%s): %v; the page is in %s/%s.png and says:\n%s", what, expr, err, p.dir, name, text)
	}
}

// navigate loads a page without waiting for more than its load event.
func (p *pageRun) navigate(url string) error {
	return chromedp.Do(p.b.Ctx, chromedp.Navigate(url))
}

// open loads a page and waits until its view has drawn what it first
// shows (the page marks that moment, "sd-content").
func (p *pageRun) open(url string) {
	p.t.Helper()
	require.NoError(p.t, p.navigate(url))
	p.wait("the view of "+url, `performance.getEntriesByName("sd-content").length > 0`, 30*time.Second)
}

// click clicks the element sel selects, as a person's click does (the
// element's click event, default action included).
func (p *pageRun) click(sel string) {
	p.t.Helper()
	require.True(p.t, js[bool](p, `(() => { const e = document.querySelector(`+q(sel)+`); if (!e) return false; e.click(); return true; })()`),
		"nothing to click at %s", sel)
}

// fill types value into the field sel selects, replacing what it held.
func (p *pageRun) fill(sel, value string) {
	p.t.Helper()
	require.True(p.t, js[bool](p, `(() => { const e = document.querySelector(`+q(sel)+`); if (!e) return false;
	  e.focus(); e.value = `+q(value)+`; e.dispatchEvent(new Event("input", {bubbles: true}));
	  e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`), "no field at %s", sel)
}

// shot keeps what the window shows as <name>.png.
func (p *pageRun) shot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.b.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	require.NoError(p.t, os.WriteFile(filepath.Join(p.dir, name+".png"), png, 0o644))
}

// phone shows the page at a phone's width: nothing may scroll sideways.
// The screenshot is kept; the window gets its size back.
func (p *pageRun) phone(name string) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.b.Ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)))
	defer func() { require.NoError(p.t, chromedp.Do(p.b.Ctx, chromedp.EmulateViewport(1200, 860))) }()
	p.wait("the phone layout of "+name, `innerWidth === 390`, 5*time.Second)
	over := js[float64](p, `document.scrollingElement.scrollWidth - innerWidth`)
	wide := js[[]string](p, `[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest("pre, .offscreen")).slice(0, 5).map((e) => e.tagName + "." + e.className)`)
	p.t.Logf("%s at 390 px: %v px wider than the screen; too wide: %v", name, over, wide)
	if over > 0 || len(wide) > 0 {
		p.t.Errorf("%s scrolls sideways on a phone (%v px): %v", name, over, wide)
	}
	p.shot(name + "-phone")
}

// readStream reads the live stream beside the browser until n messages
// came or the test ends.
func readStream(t *testing.T, base string, n int) <-chan []gamefeedtest.Message {
	out := make(chan []gamefeedtest.Message, 1)
	s := gamefeedtest.Open(t, base, "")
	go func() {
		var got []gamefeedtest.Message
		for len(got) < n {
			m, ok := s.Next()
			if !ok {
				break
			}
			if m.Event != "" {
				got = append(got, m)
			}
		}
		out <- got
	}()
	return out
}

// checkStream holds what the stream carried to the document: a changed
// game is a Game of the live routes, an event the webhooks' payload.
func checkStream(t *testing.T, msgs []gamefeedtest.Message) {
	c := loadContract(t)
	schema := func(name string) *openapi3.Schema { return c.doc.Components.Schemas[name].Value }
	kinds := map[string]int{}
	for _, m := range msgs {
		kinds[m.Event]++
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(m.Data), &v), m.Data)
		switch m.Event {
		case "game":
			assert.Equal(t, "nfl", v["league"])
			_, err := time.Parse(time.RFC3339Nano, fmt.Sprint(v["observed_at"]))
			assert.NoError(t, err)
			assert.NoError(t, schema("Game").VisitJSON(v["game"]), "a game message is a Game: %s", m.Data)
		case "game_start", "score_change", "game_end":
			assert.NoError(t, schema("WebhookPayload").VisitJSON(v), "an event message is a WebhookPayload: %s", m.Data)
			assert.Equal(t, m.Event, v["event_type"])
		default:
			t.Errorf("unexpected stream message %q", m.Event)
		}
	}
	t.Logf("the stream carried %v", kinds)
	assert.Positive(t, kinds["game"])
	assert.Positive(t, kinds["score_change"])
}

// pageTiming is what the browser measured of the page it last loaded.
type pageTiming struct {
	HTML    float64 `json:"html"`    // the page's body as sent (gzip)
	Assets  float64 `json:"assets"`  // scripts and style, as sent
	Files   float64 `json:"files"`   // how many assets
	Data    float64 `json:"data"`    // the JSON it read, as sent
	FCP     float64 `json:"fcp"`     // first contentful paint, ms from navigation
	Content float64 `json:"content"` // the view drawn with its data, ms
}

func (p *pageRun) timing(name string) pageTiming {
	p.t.Helper()
	p.wait("the first paint", `performance.getEntriesByName("first-contentful-paint").length > 0`, 5*time.Second)
	tm := js[pageTiming](p, `(() => {
	  const nav = performance.getEntriesByType("navigation")[0];
	  const res = performance.getEntriesByType("resource");
	  const sum = (list) => list.reduce((a, e) => a + e.encodedBodySize, 0);
	  const assets = res.filter((e) => e.name.includes("/ui/assets/"));
	  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
	  const content = performance.getEntriesByName("sd-content")[0];
	  return {html: nav.encodedBodySize, assets: sum(assets), files: assets.length,
	    data: sum(res.filter((e) => !e.name.includes("/ui/assets/"))),
	    fcp: fcp ? fcp.startTime : -1, content: content ? content.startTime : -1};
	})()`)
	p.t.Logf("%s: page %.0f B + %.0f assets %.0f B (gzip) = %.1f KiB, data %.1f KiB; first contentful paint %.0f ms, view with its data %.0f ms",
		name, tm.HTML, tm.Files, tm.Assets, (tm.HTML+tm.Assets)/1024, tm.Data/1024, tm.FCP, tm.Content)
	return tm
}

// consoleErrors are the errors the pages wrote to the console so far,
// but for those the test caused on purpose (refused requests).
func (p *pageRun) consoleErrors(expected ...string) []string {
	var out []string
	for _, m := range p.b.Console() {
		if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException {
			continue
		}
		if slices.ContainsFunc(expected, func(e string) bool { return strings.Contains(m.Text, e) }) {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %s", m.Type, m.Text))
	}
	return out
}
