package chromium

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/testenv"
)

// A page whose text lives in a shadow root, as a Lovelace card's does.
const page = `<!doctype html><html><body>
<x-card></x-card>
<script>
console.error("from the page");
customElements.define("x-card", class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({mode: "open"});
    root.innerHTML = '<div class="score">3</div><div class="clock">12:34 - 2nd</div>';
  }
});
</script></body></html>`

func start(t *testing.T) *Browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	b, err := Start(ctx, Options{Width: 640, Height: 480, TimeZone: "America/New_York"})
	if errors.Is(err, ErrNotFound) {
		testenv.Need(t, false, err.Error())
	}
	require.NoError(t, err)
	t.Cleanup(b.Close)
	return b
}

func TestHeadlessChromiumRendersAPageAndItsShadowDOM(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)
	b := start(t)

	require.NoError(t, chromedp.Do(b.Ctx, chromedp.Navigate(srv.URL)))
	_, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](`document.querySelector("x-card").shadowRoot !== null`))
	require.NoError(t, err)
	texts, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`[...document.querySelector("x-card").shadowRoot.querySelectorAll("div")].map(d => d.textContent)`))
	require.NoError(t, err)
	assert.Equal(t, []string{"3", "12:34 - 2nd"}, texts)
	shot, err := chromedp.Run(b.Ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(shot))
	require.NoError(t, err)
	assert.Equal(t, 640, img.Bounds().Dx(), "the window size asked for")

	zone, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`Intl.DateTimeFormat().resolvedOptions().timeZone`))
	require.NoError(t, err)
	assert.Equal(t, "America/New_York", zone)

	require.Eventually(t, func() bool { return len(b.Console()) > 0 }, 10*time.Second, 10*time.Millisecond)
	m := b.Console()[0]
	assert.Equal(t, chromedp.ConsoleError, m.Type)
	assert.Equal(t, "from the page", m.Text)
}

func TestCloseRemovesTheProfile(t *testing.T) {
	b := start(t)
	require.DirExists(t, b.profile)
	b.Close()
	assert.NoDirExists(t, b.profile)
}
