package main

import (
	"bufio"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

// TestOpenAPIPageAndLiveRoutes holds the routes the web page added to the
// document: a stored game's events, a webhook's deliveries, the webhooks
// in /health, the page's views and assets, the redirect and the stream.
func TestOpenAPIPageAndLiveRoutes(t *testing.T) {
	t.Parallel()
	c := loadContract(t)
	s := startService(t, newESPN(t).URL, map[string]string{"HISTORY_RATE_LIMIT_PER_MINUTE": "100000"})
	get := func(target string, want int) answer {
		t.Helper()
		return c.check(t, s.base, http.MethodGet, target, nil, nil, want)
	}
	const finalNFL = "401437630" // MIA 20 – NE 7 in the capture
	s.waitFor("a stored timeline", func() bool { return s.get("/api/v1/games/timeline/"+finalNFL, nil) == 200 })

	var evs struct {
		Events []struct {
			EventType string `json:"event_type"`
		} `json:"events"`
	}
	get("/api/v1/games/events/"+finalNFL, 200).decode(t, &evs)
	get("/api/v1/games/events/"+finalNFL+"?league=nfl", 200)
	get("/api/v1/games/events/abc", 400)
	get("/api/v1/games/events/1?league=xfl", 400)
	get("/api/v1/games/events/999999999", 404)

	rc := webhooktest.New(t)
	var reg struct {
		ID string `json:"webhook_id"`
	}
	c.check(t, s.base, http.MethodPost, "/api/v1/ha/webhooks/register",
		map[string]any{"url": rc.URL(), "secret": webhooktest.Secret}, nil, 201).decode(t, &reg)
	c.check(t, s.base, http.MethodPost, "/api/v1/ha/webhooks/"+reg.ID+"/test", nil, nil, 200)
	var ds struct {
		Deliveries []struct {
			Event   string `json:"event"`
			Outcome string `json:"outcome"`
			Status  *int   `json:"status"`
		} `json:"deliveries"`
		Count int `json:"count"`
	}
	get("/api/v1/ha/webhooks/"+reg.ID+"/deliveries", 200).decode(t, &ds)
	require.NotEmpty(t, ds.Deliveries)
	assert.Equal(t, "test", ds.Deliveries[0].Event)
	assert.Equal(t, "delivered", ds.Deliveries[0].Outcome)
	get("/api/v1/ha/webhooks/wh_none/deliveries", 404)
	var h struct {
		Webhooks map[string]int `json:"webhooks"`
	}
	get("/health", 200).decode(t, &h)
	assert.Equal(t, 1, h.Webhooks["registered"])

	page := get("/ui/webhooks", 200)
	for _, p := range []string{"/ui/game/" + finalNFL + "?league=nfl", "/ui/team/nfl-mia"} {
		assert.Equal(t, page.body, get(p, 200).body, "every view is the same page")
	}
	// The document's router takes /ui/ for /ui (it ignores a trailing
	// slash), so /ui/ is checked by hand.
	resp, err := http.Get(s.base + "/ui/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	asset := regexp.MustCompile(`/ui/assets/[0-9a-f]+/app\.js`).Find(page.body)
	require.NotNil(t, asset)
	get(string(asset), 200)
	get(strings.Replace(string(asset), "app.js", "app.css", 1), 200)
	get(strings.Replace(string(asset), "app.js", "missing.js", 1), 404)

	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.Get(s.base + "/ui")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMovedPermanently, resp.StatusCode)
	assert.Equal(t, "/ui/", resp.Header.Get("Location"))

	// The stream opens with the retry hint; an id of an earlier run of the
	// service asks the client to read the state again.
	req, err := http.NewRequest(http.MethodGet, s.base+"/api/v1/games/stream", nil)
	require.NoError(t, err)
	req.Header.Set("Last-Event-ID", "earlier-1")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	r := bufio.NewReader(resp.Body)
	var lines []string
	for len(lines) < 6 {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		lines = append(lines, strings.TrimSuffix(line, "\n"))
	}
	assert.Equal(t, []string{"retry: 2000", ""}, lines[:2])
	assert.Regexp(t, `^id: \S+-\d+$`, lines[2])
	assert.Equal(t, []string{"event: reset", "data: {}", ""}, lines[3:6])
}
