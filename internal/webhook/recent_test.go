package webhook

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/events/eventstest"
)

// Each webhook remembers its last deliveries, newest first: the events the
// receiver got with its answer, a test, a refusal with its error; at most
// keepDeliveries of them. The summary counts what is registered, pending,
// failing and disabled.
func TestLastDeliveriesAndSummary(t *testing.T) {
	o := testOptions(t)
	o.MaxRetries = -1
	s := start(t, o)
	ok := newReceiver(t, nil)
	bad := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int { return http.StatusNotFound })
	good := register(t, s.Service, ok.URL(), "NE")
	failing := register(t, s.Service, bad.URL(), "NE", "game_start")
	walk(t, s, nil, eventstest.MIANEFrames(t))
	waitIdle(t, s.Service)

	got, err := s.Deliveries(good.ID)
	require.NoError(t, err)
	delivered := ok.Delivered()
	require.Len(t, got, len(delivered))
	for i, d := range got {
		// Newest first: the receiver's last delivery is the first here.
		p := delivered[len(delivered)-1-i].P
		assert.Equal(t, p.EventID, d.EventID)
		assert.Equal(t, p.Event, d.Event)
		assert.Equal(t, "delivered", d.Outcome)
		require.NotNil(t, d.Status)
		assert.Equal(t, 200, *d.Status)
		assert.Nil(t, d.Error)
		assert.Positive(t, d.LatencyMS)
	}
	assert.Equal(t, events.GameEnd, got[0].Event)

	got, err = s.Deliveries(failing.ID)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "failed", got[0].Outcome)
	assert.Equal(t, 404, *got[0].Status)
	require.NotNil(t, got[0].Error)
	assert.Equal(t, "HTTP 404 Not Found", *got[0].Error)

	_, err = s.Test(context.Background(), failing.ID)
	require.NoError(t, err)
	got, _ = s.Deliveries(failing.ID)
	assert.Equal(t, EventTest, got[0].Event, "a test is a delivery too")

	assert.Equal(t, Summary{Registered: 2, Failing: 1}, s.Summary())

	for range keepDeliveries + 5 {
		_, err = s.Test(context.Background(), good.ID)
		require.NoError(t, err)
	}
	got, _ = s.Deliveries(good.ID)
	assert.Len(t, got, keepDeliveries)

	_, err = s.Deliveries("wh_unknown")
	assert.ErrorIs(t, err, ErrNotFound)
	require.NoError(t, s.Delete(good.ID))
	_, err = s.Deliveries(good.ID)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Eventually(t, func() bool { return s.Summary().Registered == 1 }, time.Second, time.Millisecond)
}
