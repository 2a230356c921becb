package history

import (
	"context"
	"sync"
)

// flight lets concurrent identical questions share one store read. The read
// runs in its own goroutine under a context detached from the first caller
// (so one caller going away does not fail the others) and bounded by the
// query timeout, which is what ends the goroutine.
type flight struct {
	mu    sync.Mutex
	calls map[string]*flightCall
}

type flightCall struct {
	done   chan struct{}
	val    any
	err    error
	joined int // callers that found the read under way
}

func (f *flight) do(ctx context.Context, key string, fn func() (any, error)) (any, error) {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]*flightCall{}
	}
	c, ok := f.calls[key]
	if ok {
		c.joined++
	} else {
		c = &flightCall{done: make(chan struct{})}
		f.calls[key] = c
		go func() {
			defer close(c.done)
			c.val, c.err = fn()
			f.mu.Lock()
			delete(f.calls, key)
			f.mu.Unlock()
		}()
	}
	f.mu.Unlock()

	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// joined counts the callers waiting on another caller's read.
func (f *flight) joined() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c.joined
	}
	return n
}
