package httpapi

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Encoded answers are kept for the routes clients poll (a dashboard's live
// list, Home Assistant's sensors, a history page): encoding is most of
// what those requests cost, and the answer changes only when its inputs do.

// answerVersion identifies the inputs of a kept answer: the games in
// memory, the favourites, the stored history, and for answers that say how
// far away a start is, the second (or minute) they were made in. Zero
// fields are inputs a route does not use.
type answerVersion struct {
	games, favorites, history uint64
	tick                      int64
}

// answerCache holds encoded answers by path and query. It is small and
// simply starts over when full: clients ask a handful of queries.
type answerCache struct {
	mu      sync.RWMutex
	entries map[string]cachedAnswer
}

type cachedAnswer struct {
	ver  answerVersion
	body []byte
}

const (
	answerCacheSize   = 256
	answerCacheKeyMax = 512
)

func (c *answerCache) get(key string, ver answerVersion) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[key]
	if !ok || e.ver != ver {
		return nil, false
	}
	return e.body, true
}

func (c *answerCache) put(key string, ver answerVersion, body []byte) {
	if len(key) > answerCacheKeyMax {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= answerCacheSize {
		c.entries = make(map[string]cachedAnswer, answerCacheSize)
	}
	c.entries[key] = cachedAnswer{ver: ver, body: body}
}

// keptOutcome says how serveKept answered.
type keptOutcome int

const (
	fromKept keptOutcome = iota // the kept answer
	built                       // a new answer, now kept
	failed                      // an error answer, never kept
)

// serveKept answers r from c when the answer kept for its path and query
// was made from the inputs ver names; otherwise it builds the answer,
// answers it and keeps it. Errors are answered, never kept.
func (s *Server) serveKept(w http.ResponseWriter, r *http.Request, c *answerCache, ver answerVersion, build func() (any, error)) keptOutcome {
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	if body, ok := c.get(key, ver); ok {
		writeBody(w, http.StatusOK, body)
		return fromKept
	}
	v, err := build()
	if err != nil {
		s.fail(w, r, err)
		return failed
	}
	body, err := json.Marshal(v)
	if err != nil {
		s.fail(w, r, err)
		return failed
	}
	c.put(key, ver, body)
	writeBody(w, http.StatusOK, body)
	return built
}

// second is the tick of answers that count seconds to a start: a kept one
// is at most a second old, as if the client had asked a second earlier.
func second(now time.Time) int64 { return now.Unix() }

// minute is the tick of history answers, whose only clock input is which
// season is the current one.
func minute(now time.Time) int64 { return now.Unix() / 60 }
