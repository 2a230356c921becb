package webhook

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Link-local and cloud metadata targets are refused unless allowed;
// loopback and private addresses (Home Assistant on the host or the LAN)
// are not.
func TestLinkLocalTargets(t *testing.T) {
	refused := []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://169.254.0.1:8123/api/webhook/x",
		"http://[fe80::1]/x",
		"http://[fe80::1%25eth0]:8123/x",
		"http://[febf::1]/x",
		"http://[::ffff:169.254.169.254]/x",
		"http://metadata.google.internal/computeMetadata/v1/",
		"http://METADATA.google.internal./x",
		"http://metadata/x",
		"http://100.100.100.200/latest/meta-data",
		"http://[fd00:ec2::254]/latest",
		// NAT64 reaches the metadata address from IPv6; 192.0.0.0/24
		// holds a cloud's metadata service.
		"http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
		"http://[64:ff9b::169.254.169.254]/latest/meta-data/",
		"http://[64:ff9b:1::a9fe:a9fe]/latest/meta-data/",
		"http://[64:ff9b::7f00:1]:8123/x",
		"http://192.0.0.192/opc/v2/instance/",
		"http://192.0.0.1/x",
		"http://[::ffff:192.0.0.192]/x",
	}
	allowed := []string{
		"http://127.0.0.1:8123/api/webhook/x",
		"http://[::1]:8123/x",
		"http://192.168.1.20:8123/x",
		"http://10.0.0.2/x",
		"http://homeassistant.local:8123/x",
		"http://169.255.0.1/x",
		"http://[fec0::1]/x",
		"http://192.0.1.5/x",
		"http://[64:ff9b:2::1]/x",
		"http://[2001:db8::1]/x",
	}
	s, err := New(testOptions(t))
	require.NoError(t, err)
	o := testOptions(t)
	o.AllowLinkLocal = true
	lenient, err := New(o)
	require.NoError(t, err)
	for _, u := range refused {
		_, err := s.Register(context.Background(), RegisterRequest{URL: u, Secret: testSecret})
		var ve *ValidationError
		if assert.ErrorAs(t, err, &ve, u) {
			assert.Equal(t, "url", ve.Field)
			assert.Contains(t, ve.Message, "WEBHOOK_ALLOW_LINK_LOCAL")
		}
		_, err = lenient.Register(context.Background(), RegisterRequest{URL: u, Secret: testSecret})
		assert.NoError(t, err, "allowed by the setting: %s", u)
	}
	for _, u := range allowed {
		_, err := s.Register(context.Background(), RegisterRequest{URL: u, Secret: testSecret})
		assert.NoError(t, err, u)
	}
}

// Whatever a host name resolves to, the connection itself is refused when
// it goes to a link-local address. The check runs before connecting, so no
// packet leaves.
func TestDialerRefusesLinkLocal(t *testing.T) {
	tr := guardedTransport(false, nil, nil)
	for _, addr := range []string{"169.254.169.254:80", "[fe80::1]:80", "[::ffff:169.254.1.1]:80", "100.100.100.200:80",
		"[64:ff9b::a9fe:a9fe]:80", "[64:ff9b:1::1]:80", "192.0.0.192:80"} {
		_, err := tr.DialContext(context.Background(), "tcp", addr)
		assert.ErrorIs(t, err, errLinkLocal, addr)
	}
	rc := newReceiver(t, nil)
	u, err := url.Parse(rc.URL())
	require.NoError(t, err)
	c, err := tr.DialContext(context.Background(), "tcp", u.Host)
	require.NoError(t, err, "loopback is allowed")
	require.NoError(t, c.Close())
}

// The URL length is checked on the URL as stored, after normalisation
// has escaped it.
func TestURLLengthAfterNormalisation(t *testing.T) {
	s, err := New(testOptions(t))
	require.NoError(t, err)
	raw := "http://h/" + strings.Repeat("é", 1000) // 2009 bytes, 6009 once escaped
	require.LessOrEqual(t, len(raw), maxURL)
	_, err = s.Register(context.Background(), RegisterRequest{URL: raw, Secret: testSecret})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "url", ve.Field)
	assert.Contains(t, ve.Message, "normalised")
}

// A registration loaded from disk is checked again: one whose URL the
// current settings refuse is kept, listed as disabled with the reason and
// sent nothing, until a start with settings that allow it.
func TestStoredURLsAreRevalidated(t *testing.T) {
	o := testOptions(t)
	o.AllowLinkLocal = true
	s1, err := New(o)
	require.NoError(t, err)
	meta := register(t, s1, "http://169.254.169.254/latest/meta-data/iam", "")
	rc := newReceiver(t, nil)
	ok := register(t, s1, rc.URL(), "")

	o.AllowLinkLocal = false
	s2 := start(t, o)
	st, _ := stats(t, s2.Service, meta.ID)
	assert.True(t, st.Disabled)
	require.NotNil(t, st.DisabledReason)
	assert.Contains(t, *st.DisabledReason, "WEBHOOK_ALLOW_LINK_LOCAL")
	walk(t, s2, nil, eventstest.MIANEFrames(t)[:2])
	rc.WaitDelivered(t, 1)
	_, pending := stats(t, s2.Service, meta.ID)
	assert.Zero(t, pending, "nothing queued for the refused webhook")
	res, err := s2.Test(context.Background(), meta.ID)
	require.NoError(t, err)
	assert.False(t, res.Delivered)
	assert.Zero(t, res.Attempts, "nothing sent")
	require.NotNil(t, res.Error)
	st, _ = stats(t, s2.Service, ok.ID)
	assert.False(t, st.Disabled)
	s2.stop(t)

	// Not stored as disabled: allowing it again brings it back.
	o.AllowLinkLocal = true
	s3, err := New(o)
	require.NoError(t, err)
	st, _ = stats(t, s3, meta.ID)
	assert.False(t, st.Disabled)
}

// The test route's call answers within its bound whatever the receiver
// does: hang, or ask for a retry much later.
func TestTestIsBounded(t *testing.T) {
	o := testOptions(t)
	o.TestTimeout = 300 * time.Millisecond
	s := start(t, o)
	release := make(chan struct{})
	defer close(release)
	hang := newReceiver(t, func(_ int, _ http.ResponseWriter, r *http.Request) int {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return http.StatusOK
	})
	later := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) int {
		w.Header().Set("Retry-After", "30")
		return http.StatusServiceUnavailable
	})

	res, err := s.Test(context.Background(), register(t, s.Service, hang.URL(), "").ID)
	require.NoError(t, err)
	assert.False(t, res.Delivered)
	require.NotNil(t, res.Error)
	assert.Equal(t, "no answer within 300ms", *res.Error)

	res, err = s.Test(context.Background(), register(t, s.Service, later.URL(), "").ID)
	require.NoError(t, err)
	assert.False(t, res.Delivered)
	assert.Equal(t, 1, res.Attempts)
	require.NotNil(t, res.Error)
	assert.Equal(t, "HTTP 503 Service Unavailable; not retried: the next attempt would be in 30s", *res.Error)

	// The default keeps the route's answer within 15 s.
	d, err := New(testOptions(t))
	require.NoError(t, err)
	assert.Less(t, d.opts.TestTimeout, 15*time.Second)
}
