package history_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/store"
	st "github.com/sports-data/sports-data/internal/store/storetest"
)

type failingWriter struct{}

func (failingWriter) Write(context.Context, []store.Point) error { return errors.New("store down") }

// A write through the service's writer is visible at the next question;
// a failed write keeps the cached answer.
func TestWriteThroughDropsTheWrittenTeamsAnswers(t *testing.T) {
	s := openSQLite(t)
	seedKC(t, s)
	rec := &recordingReader{r: s}
	clock := fakeclock.New(time.Date(2024, 12, 1, 12, 0, 0, 0, time.UTC))
	svc := newService(t, rec, history.Options{Now: clock.Now})
	ctx := context.Background()
	kc := history.HistoryQuery{Team: "KC", Season: 2024}
	first, err := svc.History(ctx, kc)
	require.NoError(t, err)

	g := st.NewGame("nfl", "115", week(15), "KC", "HOU")
	require.Error(t, svc.WriteThrough(failingWriter{}).Write(ctx, []store.Point{finalRow(g, 27, 19, 4)}))
	_, err = svc.History(ctx, kc)
	require.NoError(t, err)
	assert.Len(t, rec.gamesCalls(), 1, "nothing was written, the answer stays cached")

	require.NoError(t, svc.WriteThrough(s).Write(ctx, []store.Point{finalRow(g, 27, 19, 4)}))
	fresh, err := svc.History(ctx, kc)
	require.NoError(t, err)
	assert.Len(t, rec.gamesCalls(), 2)
	assert.Equal(t, first.Total+1, fresh.Total)
}
