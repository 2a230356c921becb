package influx

import (
	"context"
	"fmt"
	"time"
)

// InfluxDB 3 answers a write once the WAL file holding it is flushed (every
// second by default), and only then can the write be read. A service killed
// with a write in flight leaves that write to land up to a second later,
// after the restarted service may have read what the store holds to know
// where each game stands: it would then store the same state once more.
// WAL files are flushed, and made readable, in the order the writes came
// in; so before its first read after setting up, the store writes one line
// of its own and waits for the answer, and every write the server had
// received by then is readable. The line is a row of startsTable
// (docs/storage.md).

// startsTable is the measurement of those lines: one per start of the
// store (and per reconnection) on InfluxDB 3.
const startsTable = "sports_data_starts"

// settleReads makes the writes the server has received readable before
// the first read of a connection to InfluxDB 3 (see above). A failure is
// not the read's: the read goes ahead and the next one tries again.
func (s *Store) settleReads(ctx context.Context, c conn) {
	if !c.appendOnly || s.settled.Load() {
		return
	}
	line := fmt.Sprintf("%s settled=true %d\n", startsTable, time.Now().UnixNano())
	if err := s.send(ctx, c, []byte(line)); err != nil {
		s.log.Debug("influxdb 3: could not make earlier writes readable before reading", "err", err)
		return
	}
	s.settled.Store(true)
}
