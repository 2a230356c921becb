package writer

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
)

// TestPendingAcrossARestart: points spooled during an outage are what a
// restart must treat as the newest state, before the store has them.
func TestPendingAcrossARestart(t *testing.T) {
	down := &sink{failWith: store.ErrUnavailable}
	o := testOptions(t)
	w, err := New(down, o)
	require.NoError(t, err)
	w.Enqueue(pts(0, 25, "live")...)
	require.Error(t, w.Flush(context.Background()))
	require.NoError(t, w.Close(context.Background()))

	again := newWriter(t, &sink{failWith: store.ErrUnavailable}, o)
	pending, err := again.Pending()
	require.NoError(t, err)
	requireInOrderOnce(t, pending, 25)

	again.Enqueue(pts(25, 5, "live")...)
	pending, err = again.Pending()
	require.NoError(t, err)
	requireInOrderOnce(t, pending, 30)
}
