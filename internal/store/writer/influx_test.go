package writer

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
)

// The outage of TestSQLiteOutageRestartAndReplay on each real InfluxDB: the
// server is stopped (SIGTERM) mid-game, the writer spools, the service
// stops during the outage, and the server comes back on the same data,
// where a new writer replays the spool in order. Every score point is
// stored once and the games row holds the last state.
func TestInfluxDBOutageRestartAndReplay(t *testing.T) {
	for _, k := range []influxtest.Kind{influxtest.V1, influxtest.V2, influxtest.V3} {
		t.Run(string(k), func(t *testing.T) {
			srv := influxtest.Start(t, k, influxtest.ServerOptions{})
			db := "sports"
			if k == influxtest.V2 {
				db = srv.Bucket
			}
			s, err := influx.Open(context.Background(), influx.Options{URL: srv.URL, Token: srv.Token, Org: srv.Org,
				Database: db, Timeout: 2 * time.Second})
			require.NoError(t, err)
			t.Cleanup(func() { _ = s.Close() })
			outageRestartAndReplay(t, s, srv.Stop, srv.Start)
		})
	}
}

func outageRestartAndReplay(t *testing.T, s *influx.Store, down, up func()) {
	o := testOptions(t)
	o.BreakerFailures = 2
	o.BreakerTimeout = 100 * time.Millisecond
	story := gameStory(40) // 80 points
	ctx := context.Background()

	w1, err := New(s, o)
	require.NoError(t, err)
	w1.Enqueue(story[:20]...)
	require.NoError(t, w1.Flush(ctx))

	down() // the database goes away mid-game
	w1.Enqueue(story[20:50]...)
	err = w1.Flush(ctx)
	require.ErrorIs(t, err, store.ErrUnavailable)
	w1.Enqueue(story[50:60]...)
	require.Error(t, w1.Flush(ctx))
	w1.Enqueue(story[60:70]...) // still in memory when the service stops
	require.NoError(t, w1.Close(ctx))
	assert.Equal(t, 50, w1.Stats().Spooled)
	assert.Zero(t, w1.Stats().Dropped)

	up() // the database comes back on its data; the service starts again
	w2 := newWriter(t, s, o)
	w2.Enqueue(story[70:]...)
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		assert.NoError(c, w2.Flush(ctx))
		st := w2.Stats()
		assert.Zero(c, st.Spooled)
		assert.Zero(c, st.Queued)
	}, time.Minute, 200*time.Millisecond, "the spool replays once the store is back")
	assert.Zero(t, w2.Stats().Dropped)

	timeline, err := s.Timeline(ctx, "nhl", "401458982")
	require.NoError(t, err)
	require.Len(t, timeline, 40, "every score point once")
	for i, p := range timeline {
		assert.Equal(t, story[2*i].Time.UnixNano(), p.Time.UnixNano())
		assert.Equal(t, story[2*i].HomeScore, p.HomeScore)
	}
	games, err := s.Games(ctx, store.GameQuery{League: "nhl"})
	require.NoError(t, err)
	require.Len(t, games, 1)
	last := story[len(story)-1]
	assert.Equal(t, "finished", games[0].Status)
	assert.Equal(t, last.ObservedAt.UnixNano(), games[0].ObservedAt.UnixNano())
	assert.Equal(t, [2]int{last.HomeScore, last.AwayScore}, [2]int{games[0].HomeScore, games[0].AwayScore})
}
