package webhook

import (
	"bytes"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventLog is a listener that records what it is given.
type eventLog struct {
	mu  sync.Mutex
	evs []Event
}

func (l *eventLog) listen(ev Event) {
	l.mu.Lock()
	l.evs = append(l.evs, ev)
	l.mu.Unlock()
}

func (l *eventLog) all() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.evs...)
}

// A listener gets every event once, in order, with the id of the webhook
// delivery; EventPayload rebuilds the webhook's body byte for byte (but
// for webhook_id), so another consumer can publish the same payload.
func TestListenerGetsTheWebhookEvents(t *testing.T) {
	clk := fakeclock.New(kickoff)
	o := testOptions(t)
	o.Now = clk.Now
	s, err := New(o)
	require.NoError(t, err)
	var l eventLog
	s.Subscribe(l.listen)
	r := run(t, s)
	rc := newReceiver(t, testSecret, nil)
	register(t, r.Service, rc.URL(), "NE")

	walk(t, r.Service, clk, miaNEFrames(t))
	got := rc.waitDelivered(t, 7)
	require.Eventually(t, func() bool { return len(l.all()) >= 7 }, 10*time.Second, 2*time.Millisecond)

	// The whole walk again (ESPN replaying it, a final flipping back to
	// live and to final): the same ids, passed on to nobody again.
	walk(t, r.Service, nil, miaNEFrames(t))
	r.stop(t) // passes on anything still queued
	evs := l.all()
	require.Len(t, evs, 7)
	for i, ev := range evs {
		d := got[i]
		assert.Equal(t, d.P.EventID, ev.ID, "event %d", i)
		assert.Equal(t, d.P.Event, ev.Type, "event %d", i)
		assert.Equal(t, kickoff.Add(time.Duration([]int{1, 3, 4, 5, 6, 8, 8}[i])*time.Minute), ev.Observed, "event %d", i)
		// The delivery's body with its webhook_id emptied is EventPayload's.
		var m map[string]any
		require.NoError(t, json.Unmarshal(d.Raw, &m))
		p := EventPayload(ev, "NE", ev.Observed)
		p.WebhookID = d.P.WebhookID
		assert.Equal(t, string(d.Raw), string(p.JSON()), "event %d", i)
		assert.False(t, bytes.Contains(EventPayload(ev, "NE", ev.Observed).JSON(), []byte(d.P.WebhookID)))
	}
}

// A listener that does not return holds up neither detection nor the
// webhooks; what it missed meanwhile reaches it, in order, once it is back.
func TestBlockedListenerBlocksNothing(t *testing.T) {
	o := testOptions(t)
	s, err := New(o)
	require.NoError(t, err)
	release := make(chan struct{})
	var l eventLog
	s.Subscribe(func(ev Event) {
		<-release
		l.listen(ev)
	})
	var panicked eventLog
	s.Subscribe(func(ev Event) {
		panicked.listen(ev)
		panic("a listener bug")
	})
	r := run(t, s)
	rc := newReceiver(t, testSecret, nil)
	register(t, r.Service, rc.URL(), "")

	walk(t, r.Service, nil, miaNEFrames(t)) // returns although the listener is stuck
	got := rc.waitDelivered(t, 7)
	assert.Empty(t, l.all())
	close(release)
	require.Eventually(t, func() bool { return len(l.all()) == 7 }, 10*time.Second, 2*time.Millisecond)
	for i, ev := range l.all() {
		assert.Equal(t, got[i].P.EventID, ev.ID)
	}
	assert.Len(t, panicked.all(), 7, "a panicking listener is called for every event and harms nobody")
}
