package webhook

import (
	"bufio"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/testenv"
)

// tcpPeer is a real listener on 127.0.0.1 that answers each connection
// with serve: what listens on some port of the host.
func tcpPeer(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return ln.Addr().String()
}

// The peers the port scan found, each with bytes of its own that must
// never come back through the API.
const (
	sshBanner    = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"
	secretReason = "Secret-Reason-Phrase"
	secretServer = "SecretServer/7.1"
	secretBody   = "secret error page of the receiver"
)

// TestTestButtonReportsFixedWords replays the port scan through the test
// button: webhooks pointing at an SSH server, a closed port, an HTTP
// server with an error page of its own and one that never answers. The
// answer (and the list's last_error) says in fixed words whether a
// connection was made, the HTTP status, or a timeout, and carries none of
// the peer's bytes; the log keeps the detail.
func TestTestButtonReportsFixedWords(t *testing.T) {
	logs := &syncBuf{}
	o := testOptions(t)
	o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	o.MaxRetries = -1
	o.Timeout = 300 * time.Millisecond
	s := start(t, o)

	// An SSH server sends its banner at once; here it waits for the
	// request's first line, because a banner that arrives before the
	// request is written is dropped by the HTTP client as unsolicited (and
	// the log would then not have it): this way every run gets the banner
	// back as the answer, the case that must not reach the caller.
	ssh := tcpPeer(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		_, _ = r.ReadString('\n')
		_, _ = io.WriteString(c, sshBanner+"\r\n")
		_, _ = r.ReadString('\n')
	})
	httpErr := tcpPeer(t, func(c net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		_, _ = io.WriteString(c, "HTTP/1.1 404 "+secretReason+"\r\nServer: "+secretServer+"\r\nContent-Length: "+
			itoa(len(secretBody))+"\r\nConnection: close\r\n\r\n"+secretBody)
	})
	hang := tcpPeer(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	closed := testenv.FreeAddr(t)
	ok := newReceiver(t, func(int, http.ResponseWriter, *http.Request) int { return http.StatusNoContent })

	for _, c := range []struct {
		name, url, outcome, err string
		status                  int
		delivered               bool
	}{
		{"ssh", "http://" + ssh + "/", OutcomeConnected, "connected, but no HTTP answer came back", 0, false},
		{"closed port", "http://" + closed + "/", OutcomeRefused, "could not connect", 0, false},
		{"http error page", "http://" + httpErr + "/hook", OutcomeHTTPStatus, "HTTP 404 Not Found", 404, false},
		{"never answers", "http://" + hang + "/", OutcomeTimeout, "no answer within 300ms", 0, false},
		{"receiver", ok.URL(), OutcomeHTTPStatus, "", 204, true},
	} {
		reg := register(t, s.Service, c.url, "")
		res, err := s.Test(t.Context(), reg.ID)
		require.NoError(t, err, c.name)
		b, err := json.Marshal(res)
		require.NoError(t, err)
		var answer map[string]any
		require.NoError(t, json.Unmarshal(b, &answer))
		assert.Equal(t, c.outcome, answer["outcome"], "%s: %s", c.name, b)
		assert.Equal(t, c.delivered, answer["delivered"], c.name)
		if c.status != 0 {
			assert.Equal(t, float64(c.status), answer["status_code"], c.name)
		} else {
			assert.Nil(t, answer["status_code"], c.name)
		}
		if c.err == "" {
			assert.Nil(t, answer["error"], c.name)
		} else {
			assert.Equal(t, c.err, answer["error"], c.name)
		}
		st, _ := stats(t, s.Service, reg.ID)
		if c.err != "" {
			require.NotNil(t, st.LastError, c.name)
			assert.Equal(t, c.err, *st.LastError, c.name)
		}
	}
	list, err := json.Marshal(s.List())
	require.NoError(t, err)
	for _, peer := range []string{sshBanner, "OpenSSH", "Debian", secretReason, secretServer, secretBody, "malformed", "refused", "connect:"} {
		assert.NotContains(t, string(list), peer, "the list")
	}
	// The operator finds the detail in the log.
	assert.Contains(t, logs.String(), "Debian-2+deb12u3", "the log keeps what the peer sent")
	assert.Contains(t, logs.String(), "connection refused")
}

// TestTestOfARefusedStoredURLIsBlocked: a stored registration whose URL the
// rules refuse (an edited file) is not called; the answer says "blocked".
func TestTestOfARefusedStoredURLIsBlocked(t *testing.T) {
	o := testOptions(t)
	doc := `{"version":1,"webhooks":[{"id":"wh_meta","url":"http://169.254.169.254/latest/meta-data/","secret":"` + testSecret +
		`","events":["game_start"],"created_at":"2026-11-01T12:00:00Z"}]}`
	require.NoError(t, os.WriteFile(filepath.Join(o.DataDir, registrationsFile), []byte(doc), 0o644))
	s := start(t, o)
	res, err := s.Test(t.Context(), "wh_meta")
	require.NoError(t, err)
	assert.Equal(t, OutcomeBlocked, res.Outcome)
	assert.False(t, res.Delivered)
	require.NotNil(t, res.Error)
	assert.Contains(t, *res.Error, "WEBHOOK_ALLOW_LINK_LOCAL")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
