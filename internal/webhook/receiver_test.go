package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

// starting is a receiver that behaves as Home Assistant does when it
// restarts: nothing listens while it is down; once its port is open again
// it answers 200 to every webhook call but, for its first moments, runs no
// automation (the call is lost); OPTIONS is answered 405 and runs nothing.
type starting struct {
	t    *testing.T
	addr string
	srv  *httptest.Server
	// loading is how long after its port opens calls are lost.
	loading time.Duration

	mu      sync.Mutex
	upAt    time.Time
	ran     []webhooktest.Delivery // calls that ran an automation, by path
	paths   []string
	lost    []string // paths of calls answered 200 and lost
	options int
}

func newStarting(t *testing.T, loading time.Duration) *starting {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	r := &starting{t: t, addr: ln.Addr().String(), loading: loading}
	r.serveOn(ln)
	t.Cleanup(func() { r.down() })
	return r
}

func (r *starting) serveOn(ln net.Listener) {
	r.mu.Lock()
	r.upAt = time.Now()
	r.mu.Unlock()
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	r.srv.Listener = ln
	r.srv.Start()
}

func (r *starting) url(id string) string { return "http://" + r.addr + "/api/webhook/" + id }

func (r *starting) down() {
	if r.srv != nil {
		r.srv.Close()
		r.srv = nil
	}
}

func (r *starting) up() {
	ln, err := net.Listen("tcp", r.addr)
	require.NoError(r.t, err)
	r.serveOn(ln)
}

func (r *starting) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if req.Method == http.MethodOptions {
		r.options++
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	body, _ := io.ReadAll(req.Body)
	var p events.Payload
	if err := verifyStrict(req, body, &p); err != nil {
		r.t.Errorf("starting receiver: %v", err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if time.Since(r.upAt) < r.loading {
		r.lost = append(r.lost, req.URL.Path)
	} else {
		r.ran = append(r.ran, webhooktest.Delivery{P: p, Raw: body, At: time.Now(), Status: http.StatusOK})
		r.paths = append(r.paths, req.URL.Path)
	}
	w.WriteHeader(http.StatusOK)
}

// verifyStrict checks a delivery with the service's own signature check
// and decodes its body strictly.
func verifyStrict(req *http.Request, body []byte, p *events.Payload) error {
	if err := Verify(testSecret, req.Header, body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(p)
}

func (r *starting) snapshot() (ran []webhooktest.Delivery, paths, lost []string, options int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhooktest.Delivery(nil), r.ran...), append([]string(nil), r.paths...), append([]string(nil), r.lost...), r.options
}

// Home Assistant is stopped mid-game and started again; its port opens
// before its automations are loaded. Once an attempt found it down, no
// event goes to it, from either of its webhooks, until it has answered for
// the hold: nothing lands while it is loading, and every event runs once,
// in order.
func TestAfterAnOutageEventsWaitUntilTheReceiverHasAnsweredForTheHold(t *testing.T) {
	o := testOptions(t)
	o.BaseBackoff, o.MaxBackoff = 5*time.Millisecond, 20*time.Millisecond
	o.RecoveryHold = 300 * time.Millisecond
	s := start(t, o)
	ha := newStarting(t, 150*time.Millisecond)
	time.Sleep(ha.loading) // loaded: the game starts with Home Assistant up
	score := register(t, s.Service, ha.url("score"), "NE", events.GameStart, events.ScoreChange)
	final := register(t, s.Service, ha.url("final"), "NE", events.GameEnd)
	frames := eventstest.MIANEFrames(t)
	s.Observe("nfl", eventstest.Poll(t, frames[0]))
	s.Observe("nfl", eventstest.Poll(t, frames[1]))
	require.Eventually(t, func() bool { ran, _, _, _ := ha.snapshot(); return len(ran) == 1 }, 10*time.Second, time.Millisecond)

	ha.down()
	for i := 2; i <= 6; i++ {
		s.Observe("nfl", eventstest.Poll(t, frames[i]))
	}
	require.Eventually(t, func() bool { st, _ := stats(t, s.Service, score.ID); return st.FailedCalls >= 1 }, 10*time.Second, time.Millisecond)
	ha.up()
	// The final goes to the other webhook, which has not failed itself:
	// its receiver is held all the same.
	s.Observe("nfl", eventstest.Poll(t, frames[8]))

	require.Eventually(t, func() bool { ran, _, _, _ := ha.snapshot(); return len(ran) == 7 }, 10*time.Second, time.Millisecond)
	waitIdle(t, s.Service)
	ran, paths, lost, options := ha.snapshot()
	assert.Empty(t, lost, "no event arrived while the receiver was loading")
	assert.Positive(t, options, "the receiver was asked with OPTIONS whether it answers")
	var scores [][2]int
	for i, c := range ran[1:] {
		if c.P.Event == events.ScoreChange {
			scores = append(scores, [2]int{c.P.Score.Home, c.P.Score.Away})
			assert.Equal(t, "/api/webhook/score", paths[i+1])
		}
	}
	assert.Equal(t, [][2]int{{7, 0}, {10, 0}, {10, 7}, {17, 7}, {20, 7}}, scores, "each score once, in order")
	var ends []string
	for i, c := range ran {
		if c.P.Event == events.GameEnd {
			ends = append(ends, paths[i])
		}
	}
	assert.Equal(t, []string{"/api/webhook/final"}, ends)
	st, _ := stats(t, s.Service, final.ID)
	assert.Zero(t, st.FailedCalls, "the held webhook made no attempt while its receiver was down")
}

// A receiver that never failed is never probed and never waited for.
func TestAReceiverThatAnswersIsNotProbed(t *testing.T) {
	o := testOptions(t)
	o.RecoveryHold = time.Hour
	s := start(t, o)
	ha := newStarting(t, 0)
	register(t, s.Service, ha.url("score"), "NE")
	for _, f := range eventstest.MIANEFrames(t) {
		s.Observe("nfl", eventstest.Poll(t, f))
	}
	require.Eventually(t, func() bool { ran, _, _, _ := ha.snapshot(); return len(ran) == 7 }, 10*time.Second, time.Millisecond)
	waitIdle(t, s.Service)
	_, _, _, options := ha.snapshot()
	assert.Zero(t, options)
}

// While a receiver is held: a test event goes at once, an event past the
// retry window is dropped, and stopping the service ends the probes and
// keeps the pending event for the next start.
func TestAHeldReceiver(t *testing.T) {
	o := testOptions(t)
	o.BaseBackoff, o.MaxBackoff = 5*time.Millisecond, 20*time.Millisecond
	o.RecoveryHold = time.Hour
	o.TestTimeout = 5 * time.Second
	s := start(t, o)
	ha := newStarting(t, 0)
	reg := register(t, s.Service, ha.url("score"), "NE")
	ha.down()
	frames := eventstest.MIANEFrames(t)
	s.Observe("nfl", eventstest.Poll(t, frames[0]))
	s.Observe("nfl", eventstest.Poll(t, frames[1]))
	require.Eventually(t, func() bool { st, _ := stats(t, s.Service, reg.ID); return st.FailedCalls >= 1 }, 10*time.Second, time.Millisecond)
	ha.up()
	require.Eventually(t, func() bool { _, _, _, n := ha.snapshot(); return n >= 2 }, 10*time.Second, time.Millisecond, "probed")

	res, err := s.Test(context.Background(), reg.ID)
	require.NoError(t, err)
	assert.True(t, res.Delivered, "a test is sent now: %+v", res)
	ran, _, _, _ := ha.snapshot()
	require.Len(t, ran, 1)
	assert.Equal(t, EventTest, ran[0].P.Event, "and only the test went out")

	// Run returns only once the probe goroutine has ended (stop fails the
	// test otherwise).
	s.stop(t)
	_, pending := stats(t, s.Service, reg.ID)
	assert.Equal(t, 1, pending, "the held game_start stays in the outbox")

	// Restarted with a short window and the receiver gone: the held event
	// expires instead of waiting for ever.
	ha.down()
	o.RetryWindow = 200 * time.Millisecond
	s2 := start(t, o)
	require.Eventually(t, func() bool { st, p := stats(t, s2.Service, reg.ID); return st.Expired == 1 && p == 0 }, 10*time.Second, time.Millisecond)
}

func TestReceiverKeyIsSchemeHostAndPort(t *testing.T) {
	assert.Equal(t, "http://ha.local:8123", receiverKey("http://HA.local:8123/api/webhook/a"))
	assert.Equal(t, receiverKey("http://ha.local:8123/api/webhook/a"), receiverKey("http://ha.local:8123/api/webhook/b?x=1"))
	assert.Equal(t, "https://ha.example:443", receiverKey("https://user:pw@ha.example/hook"))
	assert.Equal(t, "http://[::1]:80", receiverKey("http://[::1]/x"))
}
