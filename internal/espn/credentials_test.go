package espn

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
)

// TestBaseURLCredentialsNeverShown: a base URL with credentials (an
// authenticating proxy) sends them as basic auth on every request, while
// no log line and no error carries the password.
func TestBaseURLCredentialsNeverShown(t *testing.T) {
	srv := espntest.NewServer(t)
	var authed atomic.Int32
	statuses := []int{503, 503, 503}
	var n atomic.Int32
	srv.Handle(nflScoreboard, func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); ok && u == "reader" && p == "s3cret-pw" {
			authed.Add(1)
		}
		w.WriteHeader(statuses[min(int(n.Add(1))-1, len(statuses)-1)])
	})
	var logs bytes.Buffer
	o := fastOptions()
	o.MaxRetries = 2
	o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	base := strings.Replace(srv.URL, "http://", "http://reader:s3cret-pw@", 1)
	c := NewClient(base, o)

	_, err := c.ScoreboardDay(context.Background(), mustLeague(t, "nfl"), time.Date(2022, 9, 11, 12, 0, 0, 0, time.UTC))
	require.Error(t, err)
	assert.EqualValues(t, 3, authed.Load(), "every attempt carries the credentials")
	require.Contains(t, logs.String(), "espn request failed; retrying", "the retries were logged")
	assert.NotContains(t, logs.String(), "s3cret-pw")
	assert.NotContains(t, err.Error(), "s3cret-pw")
	assert.Contains(t, err.Error(), nflScoreboard, "the error still names the URL")
}
