package webhook

import (
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/logbuf"
)

// slowReceiver answers each delivery only when the test says: entered
// tells when a request is in flight.
func slowReceiver(t *testing.T) (rc interface {
	URL() string
	Count() int
}, entered chan struct{}, answer chan int) {
	entered, answer = make(chan struct{}, 16), make(chan int, 16)
	r := newReceiver(t, func(n int, w http.ResponseWriter, req *http.Request) int {
		entered <- struct{}{}
		select {
		case code := <-answer:
			return code
		case <-req.Context().Done():
			return http.StatusServiceUnavailable
		}
	})
	return r, entered, answer
}

// pendingOnDisk is what the next start would send: the outbox journal's
// items not in the delivered log.
func pendingOnDisk(t *testing.T, dir string) int {
	t.Helper()
	queues, _, err := loadJournal(filepath.Join(dir, outboxFile))
	require.NoError(t, err)
	delivered, _, err := loadDelivered(filepath.Join(dir, deliveredFile), time.Time{})
	require.NoError(t, err)
	n := 0
	for id, items := range queues {
		for _, it := range items {
			if _, done := delivered[id][it.EventID]; !done {
				n++
			}
		}
	}
	return n
}

// TestStopWaitsForTheDeliveryInFlight: a stop used to cut the request a
// slow receiver was answering; the event stayed pending and the receiver
// got it a second time after the restart. The stop now waits (bounded)
// for the answer and records it: delivered, so the next start sends
// nothing again.
func TestStopWaitsForTheDeliveryInFlight(t *testing.T) {
	o := testOptions(t)
	o.Timeout = 30 * time.Second
	o.StopGrace = 30 * time.Second
	s := start(t, o)
	rc, entered, answer := slowReceiver(t)
	register(t, s.Service, rc.URL(), "NE", "game_start")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:2]) // kick-off
	<-entered

	stopped := make(chan struct{})
	go func() { s.stop(t); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("the stop did not wait for the answer in flight")
	case <-time.After(50 * time.Millisecond):
	}
	answer <- http.StatusOK
	<-stopped
	assert.Zero(t, pendingOnDisk(t, o.DataDir), "delivered, and recorded as such")

	again := start(t, o)
	waitIdle(t, again.Service)
	again.stop(t)
	assert.Equal(t, 1, rc.Count(), "the restart does not send it again")
}

// TestStopPastItsGraceKeepsTheDelivery: a receiver that does not answer
// within the stop's grace has its request cut; the event stays pending and
// goes out after the next start: not lost.
func TestStopPastItsGraceKeepsTheDelivery(t *testing.T) {
	var logs logbuf.Buffer
	o := testOptions(t)
	o.Timeout = 30 * time.Second
	o.StopGrace = 50 * time.Millisecond
	o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	s := start(t, o)
	rc, entered, answer := slowReceiver(t)
	register(t, s.Service, rc.URL(), "NE", "game_start")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:2])
	<-entered
	s.stop(t)
	assert.Contains(t, logs.String(), "still unanswered at the stop")
	assert.Equal(t, 1, pendingOnDisk(t, o.DataDir), "kept for the next start")

	answer <- http.StatusOK
	again := start(t, o)
	<-entered
	waitIdle(t, again.Service)
	assert.Zero(t, pendingOnDisk(t, o.DataDir))
	assert.Equal(t, 2, rc.Count(), "sent again, with the same event id")
}

// TestStopStartsNoNewAttempt: a receiver that answered 503 is not tried
// again during the stop (its retry waits for the next start), and a
// delivery not yet begun is not begun.
func TestStopStartsNoNewAttempt(t *testing.T) {
	o := testOptions(t)
	o.BaseBackoff = time.Hour // the retry would come long after the stop
	s := start(t, o)
	rc, entered, answer := slowReceiver(t)
	register(t, s.Service, rc.URL(), "NE")
	walk(t, s, nil, eventstest.MIANEFrames(t)[:4]) // kick-off and scores
	<-entered
	answer <- http.StatusServiceUnavailable
	s.stop(t)
	assert.Equal(t, 1, rc.Count())
	assert.Positive(t, pendingOnDisk(t, o.DataDir), "the 503 and the events behind it wait for the next start")
}
