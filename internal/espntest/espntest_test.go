package espntest

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/tz"
)

func get(t *testing.T, url, agent string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("User-Agent", agent)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func events(t *testing.T, body []byte) int {
	t.Helper()
	var doc struct {
		Events []json.RawMessage `json:"events"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	return len(doc.Events)
}

// The stand-in answers as ESPN does today: the events a limit allows,
// 400 to a range, 403 to a browser's or an empty agent, and an answer
// within its limit byte for byte.
func TestServerAnswersAsESPNDoesToday(t *testing.T) {
	srv := NewServer(t)
	// 31 days of 20 games (derived from a capture): 620 in December.
	cal := NewCalendar(t, "ncaavbw/scoreboard-2022-09-11-live-mixed.json", time.Date(2026, 12, 1, 12, 0, 0, 0, tz.Eastern), 31, 20, nil)
	require.Equal(t, 620, cal.Len())
	srv.Handle("/volleyball/womens-college-volleyball/scoreboard", cal.ServeHTTP)
	srv.ServeFixture(t, "/football/nfl/scoreboard", "nfl/scoreboard-2022-wk1-sun-live-mixed.json")
	base := srv.URL + "/volleyball/womens-college-volleyball/scoreboard?dates="
	const agent = "sports-data/test (+https://github.com/sports-data/sports-data)"

	for _, c := range []struct {
		query string
		want  int
	}{
		{"202612", 100},
		{"202612&limit=50", 50},
		{"202612&limit=500", 500},
		{"202612&limit=501", 25},
		{"202612&limit=1000", 25},
		{"20261205", 20},
		{"20261205&limit=1000", 20},
	} {
		status, body := get(t, base+c.query, agent)
		require.Equal(t, http.StatusOK, status, c.query)
		assert.Equal(t, c.want, events(t, body), c.query)
	}

	status, body := get(t, base+"20261201-20261207", agent)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, `{"code":400,"message":"Failed to get events endpoint."}`, string(body))
	assert.Equal(t, 1, srv.RangeRequests())

	for _, ua := range []string{"", "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15"} {
		status, _ = get(t, base+"20261205", ua)
		assert.Equal(t, http.StatusForbidden, status, "%q", ua)
	}
	status, _ = get(t, base+"20261205", "Go-http-client/1.1")
	assert.Equal(t, http.StatusOK, status)

	status, body = get(t, srv.URL+"/football/nfl/scoreboard?dates=20220911", agent)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, string(Load(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json")), string(body), "an answer within its limit is the capture as it is")
}
