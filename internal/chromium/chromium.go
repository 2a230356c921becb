// Package chromium starts a headless Chromium for the tests and harnesses
// that look at a page the way a user's browser shows it (make e2e-ha opens
// Home Assistant's dashboard with it). It drives Debian's chromium package
// through the DevTools protocol (chromedp): no chromedriver.
//
// Every browser gets a new, empty profile, removed when it stops, and runs
// with the background services that would reach the internet turned off
// (component updates, sync, safe browsing lists, QUIC), so that a page on
// 127.0.0.1 is all it talks to.
package chromium

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"

	"github.com/chromedp/chromedp"
)

// Candidates are the executable names tried in order on the PATH, after
// $CHROMIUM.
var Candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ErrNotFound says that no Chromium is installed.
var ErrNotFound = errors.New("no Chromium found (set CHROMIUM, or install Debian's chromium: apt-get install chromium)")

// Find returns the Chromium executable: $CHROMIUM when set, else the first
// of Candidates on the PATH.
func Find() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range Candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Options configure a browser. Zero values take the defaults in brackets.
type Options struct {
	Path          string // the executable [Find()]
	Width, Height int    // the window [1280×900]
	// TimeZone is the browser's zone, e.g. America/New_York [the
	// machine's].
	TimeZone string
}

// Browser is a running headless Chromium.
type Browser struct {
	// Ctx is the browser's first tab, for chromedp.Run and chromedp.Do.
	Ctx     context.Context
	cancel  []context.CancelFunc
	profile string
	closed  sync.Once
	reading sync.WaitGroup // the console reader

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// Start starts Chromium; Close stops it and removes its profile. ctx bounds
// the browser's whole life.
func Start(ctx context.Context, o Options) (*Browser, error) {
	if o.Path == "" {
		p, err := Find()
		if err != nil {
			return nil, err
		}
		o.Path = p
	}
	if o.Width <= 0 || o.Height <= 0 {
		o.Width, o.Height = 1280, 900
	}
	profile, err := os.MkdirTemp("", "chromium-profile-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(o.Path),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(o.Width, o.Height),
		chromedp.NoSandbox, // as root, and in containers, the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
	)
	if o.TimeZone != "" {
		opts = append(opts, chromedp.Env("TZ="+o.TimeZone))
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b := &Browser{Ctx: bctx, cancel: []context.CancelFunc{bcancel, acancel}, profile: profile}
	// The first run starts the browser.
	if err := chromedp.Do(bctx); err != nil {
		b.Close()
		return nil, fmt.Errorf("starting %s: %w", o.Path, err)
	}
	messages := chromedp.Console(bctx)
	b.reading.Add(1)
	go func() {
		defer b.reading.Done()
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	return b, nil
}

// Console is what the pages wrote to the console so far (calls of the
// console API, exceptions nothing caught, the browser's log), in order.
func (b *Browser) Console() []chromedp.ConsoleMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), b.console...)
}

// Close stops the browser, waits for it to exit and removes its profile.
// Calls after the first do nothing.
func (b *Browser) Close() {
	b.closed.Do(func() {
		_ = chromedp.Cancel(b.Ctx)
		for _, c := range b.cancel {
			c()
		}
		b.reading.Wait()
		_ = os.RemoveAll(b.profile)
	})
}
