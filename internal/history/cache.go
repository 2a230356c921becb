package history

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// cacheEntry is one cached answer. league and teams say which writes make
// it stale: a team-less entry (teams empty) goes stale with any write of its
// league.
type cacheEntry struct {
	key     string
	league  string
	teams   []string
	expires time.Time
	val     any
}

// resultCache is a small LRU with a time to live. Every Invalidate bumps
// epoch, and a value computed from a read that began before the bump is not
// stored, so a slow read cannot put an answer back that a write made stale.
type resultCache struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration
	now   func() time.Time
	order *list.List // front = most recently used
	items map[string]*list.Element
	epoch uint64
}

func newResultCache(max int, ttl time.Duration, now func() time.Time) *resultCache {
	return &resultCache{max: max, ttl: ttl, now: now, order: list.New(), items: map[string]*list.Element{}}
}

func (c *resultCache) get(key string) (any, bool) {
	if c.ttl <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !c.now().Before(e.expires) {
		c.order.Remove(el)
		delete(c.items, key)
		return nil, false
	}
	c.order.MoveToFront(el)
	return e.val, true
}

func (c *resultCache) currentEpoch() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// put stores val unless an invalidation happened since epoch was read.
func (c *resultCache) put(epoch uint64, key, leagueKey string, teams []string, val any) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	e := &cacheEntry{key: key, league: leagueKey, teams: teams, expires: c.now().Add(c.ttl), val: val}
	if el, ok := c.items[key]; ok {
		el.Value = e
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(e)
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).key)
	}
}

// invalidate drops the entries of leagueKey that involve one of teams, and
// its team-less entries. Without teams every entry of the league goes.
func (c *resultCache) invalidate(leagueKey string, teams []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		e := el.Value.(*cacheEntry)
		if e.league == leagueKey && (len(teams) == 0 || len(e.teams) == 0 || overlaps(e.teams, teams)) {
			c.order.Remove(el)
			delete(c.items, e.key)
		}
		el = next
	}
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// flight lets concurrent identical misses share one store read. The read
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
