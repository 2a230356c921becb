package influx_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/flighttest"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

// A query's answer breaks off in the middle of its stream, after the
// server has sent some of the record batches: the read fails as
// unavailable and answers nothing, rather than part of the rows; once the
// server answers whole again, so does the store. Only the Flight stand-in
// can cut a stream at that point.
func TestQueryStreamCutMidwayFlight(t *testing.T) {
	srv := flighttest.Start(t, "tok")
	s := openStore(t, influx.Options{URL: srv.URL(), Token: "tok", Database: "sports", Timeout: time.Minute})
	ctx := context.Background()
	g := sampleGame()
	n := 2*flighttest.BatchRows + 10
	points := make([]store.Point, n)
	for i := range points {
		points[i] = storetest.ScorePoint(g, kickoff.Add(time.Duration(i)*time.Second), storetest.Live, i, 0, 1)
	}
	require.NoError(t, s.Write(ctx, points))

	srv.CutStreams(1)
	tl, err := s.Timeline(ctx, "nfl", g.ID)
	require.ErrorIs(t, err, store.ErrUnavailable)
	assert.Nil(t, tl, "no part of the answer")

	srv.CutStreams(0)
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		tl, err := s.Timeline(ctx, "nfl", g.ID)
		if assert.NoError(c, err) {
			assert.Len(c, tl, n)
		}
	}, 30*time.Second, 100*time.Millisecond)
}
