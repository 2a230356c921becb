package webhook

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuf is a log destination safe for the service's goroutines.
type syncBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A webhook URL is a secret: its last path segment and password appear in
// no answer, no error shown in the stats and no log line, though the
// service still calls the whole URL.
func TestWebhookURLIsNeverShownWhole(t *testing.T) {
	const hookID = "ha-webhook-id-0123456789"
	logs := &syncBuf{}
	o := testOptions(t)
	o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	o.MaxRetries = -1
	s := start(t, o)

	// A port nobody listens on: the delivery fails with an error that
	// names the URL.
	addr := testenv.FreeAddr(t)
	dead := "http://user:p4ssw0rd-secret@" + addr + "/api/webhook/" + hookID
	rc := newReceiver(t, nil)

	deadReg := register(t, s.Service, dead, "")
	b, err := json.Marshal(deadReg)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"url":"http://user:***@`+addr+`/api/webhook/***"`)
	register(t, s.Service, rc.URL(), "")

	walk(t, s, nil, eventstest.MIANEFrames(t)[:2])
	rc.WaitDelivered(t, 1)
	waitIdle(t, s.Service)
	st, _ := stats(t, s.Service, deadReg.ID)
	require.NotNil(t, st.LastError)
	assert.Equal(t, "could not connect", *st.LastError, "fixed words, not the system's")

	res, err := s.Test(t.Context(), deadReg.ID)
	require.NoError(t, err)
	require.NotNil(t, res.Error)

	list, err := json.Marshal(s.List())
	require.NoError(t, err)
	s.persistNow()
	require.Contains(t, logs.String(), "webhook delivery failed")
	// The log keeps the detail for the operator, with the URL masked.
	assert.Contains(t, logs.String(), "/api/webhook/***")
	assert.Contains(t, logs.String(), "connection refused")
	for what, text := range map[string]string{
		"list":     string(list),
		"logs":     logs.String(),
		"test":     *res.Error,
		"stats":    *st.LastError,
		"register": string(b),
	} {
		assert.NotContains(t, text, hookID, what)
		assert.NotContains(t, text, "p4ssw0rd", what)
	}
	// Only the registrations file, which must hold it, has it whole.
	reg, err := os.ReadFile(filepath.Join(o.DataDir, registrationsFile))
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(reg), dead))
}
