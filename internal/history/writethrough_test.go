package history_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/store"
	st "github.com/sports-data/sports-data/internal/store/storetest"
)

type failingWriter struct{}

func (failingWriter) Write(context.Context, []store.Point) error { return errors.New("store down") }

// A write through the service's writer moves Version (answers kept by the
// HTTP layer are built again); a failed write moves nothing.
func TestWriteThroughMovesTheVersion(t *testing.T) {
	s := openSQLite(t)
	seedKC(t, s)
	svc := newService(t, s, history.Options{})
	ctx := context.Background()
	v := svc.Version()
	g := st.NewGame("nfl", "115", week(15), "KC", "HOU")
	require.Error(t, svc.WriteThrough(failingWriter{}).Write(ctx, []store.Point{finalRow(g, 27, 19, 4)}))
	assert.Equal(t, v, svc.Version(), "nothing was written")

	require.NoError(t, svc.WriteThrough(s).Write(ctx, []store.Point{finalRow(g, 27, 19, 4)}))
	assert.NotEqual(t, v, svc.Version())
	page, err := svc.History(ctx, history.HistoryQuery{Team: "KC", Season: 2024})
	require.NoError(t, err)
	assert.Equal(t, 10, page.Total, "and the row is there")
}
