package sqlite

import (
	"os"
	"sync"
	"time"
)

// sizeFor is how long Info reuses the database's size: /health calls Info
// on every request, and stating the file and its WAL each time was the
// only I/O of that route. A size a few seconds old is still the truth a
// health check needs; connectivity and counters are never kept.
const sizeFor = 5 * time.Second

// sizeCache holds the bytes of the database file and its WAL, measured at
// most once per sizeFor.
type sizeCache struct {
	now   func() time.Time
	paths []string // the database file and its WAL

	mu    sync.Mutex
	bytes int64
	at    time.Time // when bytes was measured; zero before the first time
}

// get returns the size, measuring it again when the last measure is older
// than sizeFor (or lies in the future, after the clock was set back).
func (c *sizeCache) get() int64 {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && !now.Before(c.at) && now.Sub(c.at) < sizeFor {
		return c.bytes
	}
	var n int64
	for _, f := range c.paths {
		if fi, err := os.Stat(f); err == nil {
			n += fi.Size()
		}
	}
	c.bytes, c.at = n, now
	return n
}
