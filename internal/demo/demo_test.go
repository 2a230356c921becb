package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/sports-data/sports-data/internal/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--speed", "0"}, "--speed"},
		{[]string{"--speed", "abc"}, "speed"},
		{[]string{"--port", "70000"}, "--port"},
		{[]string{"--bind", "localhost"}, "--bind"},
		{[]string{"--data-dir", " "}, "--data-dir"},
		{[]string{"--poll", "1ms"}, "--poll"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"--clock-start", "2026-11-29T17:00:00Z"}, "go with --attach"},
		{[]string{"--attach", "ftp://x"}, "not an http(s) URL"},
		{[]string{"--attach", "http://127.0.0.1:1"}, "needs --clock-start"},
		{[]string{"--attach", "http://127.0.0.1:1", "--clock-start", "sunday", "--clock-epoch", "1"}, "RFC 3339"},
	} {
		_, err := parseFlags(tc.args, &bytes.Buffer{})
		if assert.Error(t, err, tc.args) {
			assert.Contains(t, err.Error(), tc.want, tc.args)
		}
	}
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), []string{"--help"}, func(string) string { return "" }, &out, nil))
	assert.Contains(t, out.String(), "--speed")
	assert.NotContains(t, out.String(), "--attach", "the attach flags are for programs")
}

// The demo's service listens on 127.0.0.1 unless --bind says otherwise.
func TestServiceListensOnLoopbackUnlessTold(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "127.0.0.1"},
		{[]string{"--bind", "0.0.0.0"}, "0.0.0.0"},
	} {
		var got string
		serve := func(_ context.Context, getenv func(string) string, _ io.Writer, _ func(string), _ func() time.Time) error {
			got = getenv("BIND_ADDRESS")
			return nil
		}
		args := append([]string{"--attach", "http://127.0.0.1:1", "--clock-start", "2026-11-29T17:00:00Z", "--clock-epoch", "1",
			"--data-dir", t.TempDir()}, tc.args...)
		require.NoError(t, Run(context.Background(), args, func(string) string { return "" }, &bytes.Buffer{}, serve))
		assert.Equal(t, tc.want, got, tc.args)
	}
	base, err := localBase("[::]:8005")
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8005", base)
	base, err = localBase("192.168.1.20:8005")
	require.NoError(t, err)
	assert.Equal(t, "http://192.168.1.20:8005", base)
}

func TestReceiverVerifiesAndPrintsOneLinePerEvent(t *testing.T) {
	out := &logbuf.Buffer{}
	const secret = "demo-receiver-secret-0123456789"
	r, err := startReceiver(secret, &lineWriter{w: out})
	require.NoError(t, err)
	t.Cleanup(r.close)

	body := []byte(`{"event":"score_change","event_id":"e1","league":"NFL","home_team":"NE","away_team":"BUF",` +
		`"score":{"home":14,"away":10},"home_diff":7,"away_diff":0,"timestamp":"2025-10-12T17:41:07Z"}`)
	post := func(secret string, body []byte) int {
		hexSig, std := webhook.Signatures(secret, "e1", "1760290867", body)
		req, err := http.NewRequest(http.MethodPost, r.url, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("X-Webhook-Signature", hexSig)
		req.Header.Set("X-Webhook-ID", "e1")
		req.Header.Set("webhook-id", "e1")
		req.Header.Set("webhook-timestamp", "1760290867")
		req.Header.Set("webhook-signature", std)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusNoContent, post(secret, body))
	assert.Equal(t, "13:41:07 score_change NE 14-10 BUF (+7 NE)\n", out.String())
	require.Equal(t, http.StatusNoContent, post(secret, body), "a repeat is accepted")
	assert.Equal(t, "13:41:07 score_change NE 14-10 BUF (+7 NE)\n13:41:07 score_change NE 14-10 BUF (+7 NE) [sent again, same event id]\n", out.String())

	require.Equal(t, http.StatusUnauthorized, post("another-secret-0123456789", body))
	tampered := bytes.Replace(body, []byte(`"home":14`), []byte(`"home":21`), 1)
	hexSig, _ := webhook.Signatures(secret, "e1", "1760290867", body)
	req, _ := http.NewRequest(http.MethodPost, r.url, bytes.NewReader(tampered))
	req.Header.Set("X-Webhook-Signature", hexSig)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	assert.Contains(t, lines[2], "rejected a delivery")
	assert.Contains(t, lines[3], "rejected a delivery")
}

func TestEventLines(t *testing.T) {
	for _, tc := range []struct {
		body, want string
	}{
		{`{"event":"game_start","league":"NHL","home_team":"BOS","away_team":"TOR","score":{"home":0,"away":0},"timestamp":"2026-11-29T00:07:00Z"}`,
			"19:07:00 game_start BOS 0-0 TOR (NHL game under way)"},
		{`{"event":"score_change","home_team":"NE","away_team":"BUF","score":{"home":7,"away":0},"home_diff":0,"away_diff":-6,"timestamp":"2026-11-29T18:10:00Z"}`,
			"13:10:00 score_change NE 7-0 BUF (-6 BUF, overturned)"},
		{`{"event":"score_change","home_team":"NE","away_team":"BUF","score":{"home":3,"away":7},"home_diff":3,"away_diff":7,"timestamp":"2026-11-29T18:10:00Z"}`,
			"13:10:00 score_change NE 3-7 BUF (+3 NE, +7 BUF)"},
		{`{"event":"game_end","home_team":"NE","away_team":"BUF","score":{"home":23,"away":17},"winner":"NE","timestamp":"2026-11-29T21:10:00Z"}`,
			"16:10:00 game_end NE 23-17 BUF (final, NE win)"},
		{`{"event":"game_end","home_team":"NE","away_team":"BUF","score":{"home":10,"away":10},"winner":"tie","timestamp":"2026-11-29T21:10:00Z"}`,
			"16:10:00 game_end NE 10-10 BUF (final, a tie)"},
	} {
		var ev event
		require.NoError(t, json.Unmarshal([]byte(tc.body), &ev))
		assert.Equal(t, tc.want, ev.line())
	}
}
