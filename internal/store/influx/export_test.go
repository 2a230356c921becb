package influx

import (
	"time"

	"github.com/sports-data/sports-data/internal/store"
)

// LineProtocol is the line protocol Write sends for p to InfluxDB 1.8 and
// 2.x, for benchmarks that compare the store with a plain POST of the same
// bytes.
func LineProtocol(p store.Point) ([]byte, error) { return encodePoint(&p, time.Now(), false) }
