package influx

import (
	"time"

	"github.com/sports-data/sports-data/internal/store"
)

// LineProtocol is the line protocol Write sends for p, for benchmarks that
// compare the store with a plain POST of the same bytes.
func LineProtocol(p store.Point) ([]byte, error) { return encodePoint(&p, time.Now()) }
