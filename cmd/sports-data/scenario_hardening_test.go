package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/disktest"
	"github.com/sports-data/sports-data/internal/testenv"
	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

// hostRequest sends one request to the service addressed to host (the Host
// header a browser sends for the page's own name) with a page's
// same-origin headers.
func hostRequest(t *testing.T, s *service, method, path, host, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	require.NoError(t, err)
	req.Host = host
	req.Header.Set("Origin", "http://"+host)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// TestRebindingIsRefusedByTheService replays, against the whole service
// with API_KEY unset, what a page on a name re-pointed at the service
// sent: it saved teams (200), registered webhooks (201) and read the
// webhook list. All are 421 now and change nothing; the same requests
// addressed to the service's IP address still work.
func TestRebindingIsRefusedByTheService(t *testing.T) {
	t.Parallel()
	s := startService(t, newESPN(t).URL, nil)
	const rebound = "rebind.attacker.example:8005"
	hook := `{"url":"http://127.0.0.1:9/api/webhook/rebound-0123","events":["game_start"],"secret":"0123456789abcdef-signing"}`
	for _, r := range []struct{ method, path, body string }{
		{http.MethodPost, "/api/v1/user/teams", `{"user_id":"default","nfl_teams":["ne","kc"]}`},
		{http.MethodPost, "/api/v1/ha/webhooks/register", hook},
		{http.MethodPost, "/api/v1/webhooks/register", hook},
		{http.MethodGet, "/api/v1/ha/webhooks", ""},
		{http.MethodGet, "/api/v1/webhooks/list", ""},
		{http.MethodGet, "/api/v1/games/live", ""},
		{http.MethodGet, "/health", ""},
		{http.MethodGet, "/metrics", ""},
		{http.MethodGet, "/docs", ""},
	} {
		code, body := hostRequest(t, s, r.method, r.path, rebound, r.body)
		assert.Equal(t, http.StatusMisdirectedRequest, code, "%s %s: %s", r.method, r.path, body)
		assert.Contains(t, body, `"detail"`, r.path)
		assert.Contains(t, body, "ALLOWED_HOSTS", r.path)
	}
	var teams map[string]any
	require.Equal(t, http.StatusOK, s.get("/api/v1/user/teams", &teams))
	assert.Equal(t, []any{}, teams["nfl_teams"], "nothing was saved")
	var list struct{ Count int }
	require.Equal(t, http.StatusOK, s.get("/api/v1/ha/webhooks", &list))
	assert.Zero(t, list.Count, "nothing was registered")
	assert.Equal(t, 1, strings.Count(s.out.String(), "not in ALLOWED_HOSTS refused"), "one log line for the name")

	// By IP address, and by a name listed in ALLOWED_HOSTS, all is as before.
	code, body := hostRequest(t, s, http.MethodPost, "/api/v1/ha/webhooks/register", strings.TrimPrefix(s.base, "http://"), hook)
	assert.Equal(t, http.StatusCreated, code, body)
	named := startService(t, newESPN(t).URL, map[string]string{"ALLOWED_HOSTS": "sports-data"})
	code, body = hostRequest(t, named, http.MethodGet, "/api/v1/ha/webhooks", "Sports-Data:8005", "")
	assert.Equal(t, http.StatusOK, code, body)
}

// TestTestButtonIsNoPortScanner replays the port scan through the whole
// service: webhooks registered at an SSH server and a closed port of the
// host, then the test button. Each answer says in fixed words what came
// of it, without the peer's bytes; and a page on a rebound name cannot
// press the button at all.
func TestTestButtonIsNoPortScanner(t *testing.T) {
	t.Parallel()
	s := startService(t, newESPN(t).URL, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
			_ = c.Close()
		}
	}()
	type result struct {
		Delivered  bool    `json:"delivered"`
		Outcome    string  `json:"outcome"`
		StatusCode *int    `json:"status_code"`
		Error      *string `json:"error"`
	}
	for target, want := range map[string]result{
		"http://" + ln.Addr().String() + "/":  {Outcome: "connected", Error: ptrTo("connected, but no HTTP answer came back")},
		"http://" + testenv.FreeAddr(t) + "/": {Outcome: "refused", Error: ptrTo("could not connect")},
	} {
		var reg struct {
			ID string `json:"webhook_id"`
		}
		require.Equal(t, http.StatusCreated, s.do(http.MethodPost, "/api/v1/ha/webhooks/register",
			map[string]any{"url": target, "secret": "0123456789abcdef-signing"}, nil, &reg))
		code, body := hostRequest(t, s, http.MethodPost, "/api/v1/ha/webhooks/"+reg.ID+"/test", "scan.attacker.example", "")
		assert.Equal(t, http.StatusMisdirectedRequest, code, body)

		var got result
		require.Equal(t, http.StatusOK, s.do(http.MethodPost, "/api/v1/ha/webhooks/"+reg.ID+"/test", nil, nil, &got))
		assert.Equal(t, want, got, target)
	}
	var list map[string]any
	require.Equal(t, http.StatusOK, s.get("/api/v1/ha/webhooks", &list))
	for _, peer := range []string{"SSH", "OpenSSH", "Debian", "refused", "dial tcp"} {
		assert.NotContains(t, mustJSON(t, list), peer)
	}
}

func ptrTo[T any](v T) *T { return &v }

// TestFullDiskIsLoggedOnceAndLosesNoPoint: the whole service with its
// DATA_DIR (SQLite, spool, webhook outbox, event detection's games) on a
// small real disk that fills up mid-game. It used to log errors at every
// poll while the disk was full and lost the points the spool could not
// take. Now a part that cannot write logs one error when it begins and one
// line when it works again (the service itself frees a little space now
// and then, by replacing a file with a smaller one, so a write may get
// through in between: that is an end and a new beginning, never two errors
// in a row); the points wait in memory, and once the disk has room the
// game's timeline is complete.
func TestFullDiskIsLoggedOnceAndLosesNoPoint(t *testing.T) {
	t.Parallel()
	disk := disktest.New(t, 8192)
	feed := newScFeed(t)
	s := startService(t, feed.URL, map[string]string{
		"DATA_DIR":                        disk.Dir,
		"CIRCUIT_BREAKER_TIMEOUT_SECONDS": "1",
	})
	recv := webhooktest.New(t)
	require.Equal(t, http.StatusCreated, s.do(http.MethodPost, "/api/v1/ha/webhooks/register",
		map[string]any{"url": recv.URL(), "secret": webhooktest.Secret}, nil, nil))

	g := scNFLGame(t)
	frames := scNFLFrames()
	w := &scWalk{t: t, feed: feed, g: g}
	for _, fr := range frames[:2] {
		w.show(s, fr)
	}
	w.settle(s)

	disk.Fill(t)
	full, polls := len(s.out.String()), 0
	for _, fr := range frames[2:8] {
		w.show(s, fr)
		polls += feed.servedCount(g.Path) // of this frame
	}
	duringFull := s.out.String()[full:]
	var health scHealth
	require.Equal(t, http.StatusOK, s.get("/health", &health))
	assert.Zero(t, health.InfluxDB.Dropped)
	assert.Contains(t, duringFull, `msg="writing the spool failed; points the store does not take are held in memory`)
	disk.Free(t)

	// Per part: an error when it begins, a line when it ends, alternating.
	begun, errors := map[string]bool{}, 0
	for _, line := range strings.Split(duringFull, "\n") {
		i := strings.Index(line, `msg="`)
		if i < 0 {
			continue
		}
		msg := line[i+5:]
		msg = msg[:strings.Index(msg, `"`)]
		switch {
		case strings.Contains(line, "level=ERROR"):
			what, _, ok := strings.Cut(msg, " failed;")
			require.True(t, ok, "an error that is not the condition's: %s", line)
			assert.False(t, begun[what], "a second error before it worked again: %s", line)
			begun[what] = true
			errors++
		case strings.HasSuffix(msg, " works again"):
			begun[strings.TrimSuffix(msg, " works again")] = false
		}
	}
	assert.NotZero(t, errors, "the full disk is logged")
	assert.Less(t, errors*4, polls, "far fewer error lines (%d) than polls of the game (%d)", errors, polls)
	assert.NotContains(t, duringFull, "lost")
	if t.Failed() {
		t.Log(duringFull)
	}

	for _, fr := range frames[8:] {
		w.show(s, fr)
	}
	var tl scTimeline
	s.waitFor("the final state in the timeline", func() bool {
		tl = scTimeline{}
		return scGetQuiet(s, "/api/v1/games/timeline/"+g.ID, &tl) == http.StatusOK &&
			len(tl.Timeline) > 0 && tl.Timeline[len(tl.Timeline)-1].Status == "final"
	})
	assert.Equal(t, scExpectedTimeline(frames), tl.entries(), "every change stored, in order, once")
	require.Equal(t, http.StatusOK, s.get("/health", &health))
	assert.Zero(t, health.InfluxDB.Dropped)
	for what, failing := range begun {
		if failing {
			assert.Contains(t, s.out.String()[full:], `msg="`+what+` works again"`, "the end of it is logged")
		}
	}
	assert.NotContains(t, s.out.String(), "lost")
	want := len(scExpectedEvents(g, frames, scHookSpec{events: map[string]bool{"game_start": true, "score_change": true, "game_end": true}}))
	recv.WaitDelivered(t, want)
	w.settle(s)
	assert.Len(t, recv.All(), want, "every event delivered once")
}
