package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// espnCounter counts what the simulator answered, and holds scoreboard
// requests of a league until the client gives up when told to.
type espnCounter struct {
	h http.Handler

	mu                                 sync.Mutex
	calls, errors, timeouts, truncated int
	hold                               map[string]int // league → requests still to hold
	gaveUp                             []time.Duration
}

func (c *espnCounter) holdNext(league string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hold == nil {
		c.hold = map[string]int{}
	}
	c.hold[league] += n
}

func (c *espnCounter) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if parts := strings.Split(strings.Trim(req.URL.Path, "/"), "/"); len(parts) == 3 && parts[2] == "scoreboard" {
		c.mu.Lock()
		held := c.hold[parts[1]] > 0
		if held {
			c.hold[parts[1]]--
		}
		c.mu.Unlock()
		if held {
			start := time.Now()
			select {
			case <-req.Context().Done():
			case <-time.After(time.Minute):
			}
			c.mu.Lock()
			c.gaveUp = append(c.gaveUp, time.Since(start).Round(100*time.Millisecond))
			c.mu.Unlock()
			return
		}
	}
	cw := &captureWriter{ResponseWriter: w, status: http.StatusOK}
	c.h.ServeHTTP(cw, req)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	switch {
	case cw.status == http.StatusInternalServerError:
		c.errors++
	case cw.status == http.StatusGatewayTimeout:
		c.timeouts++
	case cw.status == http.StatusOK && !json.Valid(cw.body.Bytes()):
		c.truncated++
	}
}

func (c *espnCounter) summary() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprintf("%d (500: %d, held then 504: %d, half a body: %d, held until the client gave up: %v)",
		c.calls, c.errors, c.timeouts, c.truncated, c.gaveUp)
}

type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *captureWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *captureWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// serveLocal serves h on 127.0.0.1 until the returned stop is called.
func serveLocal(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return "http://" + ln.Addr().String(), func() {
		_ = srv.Close()
		<-done
	}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
