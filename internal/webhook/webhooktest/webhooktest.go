// Package webhooktest is the tests' webhook receiver: a real HTTP server on
// 127.0.0.1 that checks every delivery the way docs/events.md says a
// receiver can (both signatures, the headers that must agree, the body) and
// records what it accepted. Every test that receives deliveries uses it.
//
// Its checks are written here from docs/events.md rather than taken from
// package webhook (webhook.Verify), so that a mistake in the signing code
// is not hidden by the same mistake in the code checking it; the webhook
// package's own tests compare the two.
package webhooktest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/events"
)

// Secret is the secret of the receiver's default hook ("").
const Secret = "s3cret-of-at-least-16"

// Delivery is one request the receiver accepted.
type Delivery struct {
	Hook   string         // the hook it was sent to ("" for the default)
	P      events.Payload // the body, decoded strictly
	Body   map[string]any // the body, as JSON values
	Raw    []byte
	Header http.Header
	At     time.Time // when it arrived
	Status int       // what the receiver answered
}

// Receiver is a webhook receiver. Hooks are paths, each with its own
// secret; a delivery that fails a check is answered 400 and is a test
// error.
type Receiver struct {
	t    testing.TB
	addr string

	mu      sync.Mutex
	srv     *httptest.Server
	secrets map[string]string // hook → secret
	respond func(n int, w http.ResponseWriter, r *http.Request) int
	skew    time.Duration
	got     []Delivery
	n       int
}

// New starts a receiver that stops when the test ends.
func New(t testing.TB) *Receiver {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("webhooktest: %v", err)
	}
	r := &Receiver{t: t, addr: ln.Addr().String(), secrets: map[string]string{"": Secret}}
	r.serve(ln)
	t.Cleanup(r.Down)
	return r
}

// URL is where the default hook takes deliveries (its secret is Secret).
func (r *Receiver) URL() string { return "http://" + r.addr + "/hook/" }

// Hook adds a hook with a secret of its own and returns where it takes
// deliveries.
func (r *Receiver) Hook(name string) (url, secret string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	secret = "secret-of-" + name + "-0123456789"
	r.secrets[name] = secret
	return "http://" + r.addr + "/hook/" + name, secret
}

// Respond decides the answer to the n-th request (0-based, every hook);
// fn may write headers or block, as a slow receiver does. 200 without it.
func (r *Receiver) Respond(fn func(n int, w http.ResponseWriter, req *http.Request) int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.respond = fn
}

// TimestampWithin also checks that a delivery's timestamp is within d of
// the receiver's clock: for a service that runs on real time.
func (r *Receiver) TimestampWithin(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.skew = d
}

// Down stops listening: nothing answers at the address (a receiver that
// restarts). Up listens there again.
func (r *Receiver) Down() {
	r.mu.Lock()
	srv := r.srv
	r.srv = nil
	r.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Up listens on the receiver's address again after Down.
func (r *Receiver) Up() {
	r.t.Helper()
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		r.t.Fatalf("webhooktest: listening again on %s: %v", r.addr, err)
	}
	r.serve(ln)
}

func (r *Receiver) serve(ln net.Listener) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(r.handle))
	srv.Listener = ln
	srv.Start()
	r.mu.Lock()
	r.srv = srv
	r.mu.Unlock()
}

func (r *Receiver) handle(w http.ResponseWriter, req *http.Request) {
	at := time.Now()
	raw, err := io.ReadAll(req.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	hook := strings.TrimPrefix(req.URL.Path, "/hook/")
	r.mu.Lock()
	secret, known := r.secrets[hook]
	skew, respond := r.skew, r.respond
	r.mu.Unlock()
	d := Delivery{Hook: hook, Raw: raw, Header: req.Header.Clone(), At: at}
	if !known {
		err = fmt.Errorf("no hook %q", hook)
	} else {
		err = check(req, raw, secret, skew, &d)
	}
	if err != nil {
		r.t.Errorf("webhooktest: delivery to %s refused: %v\n%s", req.URL.Path, err, raw)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	n := r.n
	r.n++
	r.got = append(r.got, d)
	i := len(r.got) - 1
	r.mu.Unlock()
	status := http.StatusOK
	if respond != nil {
		status = respond(n, w, req)
	}
	r.mu.Lock()
	r.got[i].Status = status
	r.mu.Unlock()
	w.WriteHeader(status)
}

// check is what a receiver can check of a delivery (docs/events.md).
func check(req *http.Request, body []byte, secret string, skew time.Duration, d *Delivery) error {
	h := req.Header
	switch {
	case req.Method != http.MethodPost:
		return fmt.Errorf("method %s", req.Method)
	case h.Get("Content-Type") != "application/json":
		return fmt.Errorf("Content-Type %q", h.Get("Content-Type"))
	case !strings.HasPrefix(h.Get("User-Agent"), "sports-data/"):
		return fmt.Errorf("User-Agent %q", h.Get("User-Agent"))
	}
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	if id == "" || id != h.Get("X-Webhook-ID") || ts == "" || ts != h.Get("X-Webhook-Timestamp") {
		return fmt.Errorf("webhook-id %q / X-Webhook-ID %q, webhook-timestamp %q / X-Webhook-Timestamp %q",
			id, h.Get("X-Webhook-ID"), ts, h.Get("X-Webhook-Timestamp"))
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook-timestamp %q is not unix seconds", ts)
	}
	if skew > 0 && time.Since(time.Unix(sec, 0)).Abs() > skew {
		return fmt.Errorf("webhook-timestamp %s is not now", ts)
	}
	if want := hex.EncodeToString(mac(secret, body)); !hmac.Equal([]byte(h.Get("X-Webhook-Signature")), []byte(want)) {
		return errors.New("X-Webhook-Signature is not the hex HMAC-SHA256 of the body")
	}
	want := "v1," + base64.StdEncoding.EncodeToString(mac(secret, []byte(id+"."+ts+"."), body))
	if !hmac.Equal([]byte(h.Get("webhook-signature")), []byte(want)) {
		return errors.New("webhook-signature is not v1,<base64 HMAC-SHA256 of id.timestamp.body>")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d.P); err != nil {
		return fmt.Errorf("body: %v", err)
	}
	if err := json.Unmarshal(body, &d.Body); err != nil {
		return fmt.Errorf("body: %v", err)
	}
	if d.P.EventID != id {
		return fmt.Errorf("event_id %q differs from webhook-id %q", d.P.EventID, id)
	}
	if d.P.Event != h.Get("X-Webhook-Event") || d.P.EventType != d.P.Event {
		return fmt.Errorf("event %q, event_type %q, X-Webhook-Event %q", d.P.Event, d.P.EventType, h.Get("X-Webhook-Event"))
	}
	return nil
}

func mac(secret string, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// All is every delivery accepted so far, in the order they arrived.
func (r *Receiver) All() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.got...)
}

// Count is how many deliveries were accepted.
func (r *Receiver) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// To is what hook accepted, answered or not.
func (r *Receiver) To(hook string) []Delivery {
	var out []Delivery
	for _, d := range r.All() {
		if d.Hook == hook {
			out = append(out, d)
		}
	}
	return out
}

// Delivered is what was answered 2xx, every hook.
func (r *Receiver) Delivered() []Delivery {
	var out []Delivery
	for _, d := range r.All() {
		if d.Status >= 200 && d.Status < 300 {
			out = append(out, d)
		}
	}
	return out
}

// WaitDelivered waits until n deliveries were answered 2xx and returns
// them.
func (r *Receiver) WaitDelivered(t testing.TB, n int) []Delivery {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for len(r.Delivered()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("webhooktest: %d deliveries, waited for %d", len(r.Delivered()), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return r.Delivered()
}
