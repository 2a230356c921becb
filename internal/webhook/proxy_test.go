package webhook

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/dns/dnsmessage"
)

// dnsServer is a real DNS server on a UDP port of 127.0.0.1 answering A
// queries from names (fully qualified), and a resolver that asks it: the
// names a receiver's URL may carry, resolving where the test says.
func dnsServer(t *testing.T, names map[string]netip.Addr) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil {
				continue
			}
			q, err := p.Question()
			if err != nil {
				continue
			}
			b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true})
			b.EnableCompression()
			addr, known := names[strings.ToLower(q.Name.String())]
			if !known {
				b = dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, RCode: dnsmessage.RCodeNameError})
			}
			_ = b.StartQuestions()
			_ = b.Question(q)
			if known && q.Type == dnsmessage.TypeA && addr.Is4() {
				_ = b.StartAnswers()
				_ = b.AResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 1}, dnsmessage.AResource{A: addr.As4()})
			}
			out, err := b.Finish()
			if err == nil {
				_, _ = pc.WriteTo(out, from)
			}
		}
	}()
	addr := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}

// forwardProxy is a real HTTP forward proxy: it relays each request to its
// target and remembers the targets it was asked for.
type forwardProxy struct {
	*httptest.Server
	mu      sync.Mutex
	targets []string
}

func newForwardProxy(t *testing.T, resolver *net.Resolver) *forwardProxy {
	p := &forwardProxy{}
	relay := &http.Transport{DialContext: (&net.Dialer{Resolver: resolver}).DialContext}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.targets = append(p.targets, r.URL.String())
		p.mu.Unlock()
		out, err := http.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		out.Header = r.Header.Clone()
		resp, err := relay.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *forwardProxy) asked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.targets...)
}

// TestProxyChecksTheTarget: with a proxy (WEBHOOK_USE_PROXY), the dialer
// only sees the proxy's address, so a name resolving to the metadata
// address went out through it. The target is checked first now: such a
// name is blocked and the proxy never asked; a name resolving to the LAN
// or the host goes through the proxy as before.
func TestProxyChecksTheTarget(t *testing.T) {
	rc := newReceiver(t, nil)
	port := rc.URL()[strings.LastIndex(rc.URL(), ":")+1:]
	port = port[:strings.IndexByte(port, '/')]
	resolver := dnsServer(t, map[string]netip.Addr{
		"metadata.rebound.test.": netip.MustParseAddr("169.254.169.254"),
		"nat.rebound.test.":      netip.MustParseAddr("192.0.0.192"),
		"ha.home.test.":          netip.MustParseAddr("127.0.0.1"),
	})
	proxy := newForwardProxy(t, resolver)
	proxyURL, err := url.Parse(proxy.URL)
	require.NoError(t, err)

	o := testOptions(t)
	o.MaxRetries = -1
	o.Resolver = resolver
	o.Proxy = http.ProxyURL(proxyURL)
	s := start(t, o)
	for _, target := range []string{
		"http://metadata.rebound.test/latest/meta-data/iam/security-credentials/",
		"http://nat.rebound.test/opc/v2/instance/",
	} {
		reg := register(t, s.Service, target, "")
		res, err := s.Test(t.Context(), reg.ID)
		require.NoError(t, err)
		assert.Equal(t, OutcomeBlocked, res.Outcome, target)
		assert.False(t, res.Delivered, target)
	}
	assert.Empty(t, proxy.asked(), "the proxy was never asked for a refused target")

	reg := register(t, s.Service, "http://ha.home.test:"+port+"/hook/", "")
	res, err := s.Test(t.Context(), reg.ID)
	require.NoError(t, err)
	assert.True(t, res.Delivered, "%+v", res)
	assert.Equal(t, []string{"http://ha.home.test:" + port + "/hook/"}, proxy.asked(), "allowed targets go through the proxy")

	// The setting that allows the ranges lets them through the proxy too.
	o = testOptions(t)
	o.MaxRetries = -1
	o.Resolver = resolver
	o.Proxy = http.ProxyURL(proxyURL)
	o.AllowLinkLocal = true
	lenient := start(t, o)
	reg = register(t, lenient.Service, "http://metadata.rebound.test/latest/meta-data/", "")
	res, err = lenient.Test(t.Context(), reg.ID)
	require.NoError(t, err)
	assert.NotEqual(t, OutcomeBlocked, res.Outcome)
	assert.Contains(t, proxy.asked(), "http://metadata.rebound.test/latest/meta-data/")
}

// TestEnvironmentProxyIsNotUsed: HTTP_PROXY in the process environment
// (read once per process by net/http, hence a process of its own) does
// not take deliveries elsewhere: they go straight to the receiver, where
// the dialer checks the address.
func TestEnvironmentProxyIsNotUsed(t *testing.T) {
	if os.Getenv("WEBHOOK_ENV_PROXY_CHILD") == "1" {
		environmentProxyChild(t)
		return
	}
	proxy := newForwardProxy(t, nil)
	cmd := exec.Command(os.Args[0], "-test.run=^TestEnvironmentProxyIsNotUsed$", "-test.count=1")
	cmd.Env = append(os.Environ(), "WEBHOOK_ENV_PROXY_CHILD=1", "HTTP_PROXY="+proxy.URL, "http_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "PASS")
	assert.Empty(t, proxy.asked(), "the environment's proxy was not used")
}

func environmentProxyChild(t *testing.T) {
	rc := newReceiver(t, nil)
	port := rc.URL()[strings.LastIndex(rc.URL(), ":")+1:]
	port = port[:strings.IndexByte(port, '/')]
	resolver := dnsServer(t, map[string]netip.Addr{
		"ha.home.test.":          netip.MustParseAddr("127.0.0.1"),
		"metadata.rebound.test.": netip.MustParseAddr("169.254.169.254"),
	})
	// The environment's proxy would take a name that is not loopback.
	req, _ := http.NewRequest(http.MethodPost, "http://ha.home.test:"+port+"/", nil)
	pu, err := http.ProxyFromEnvironment(req)
	require.NoError(t, err)
	require.NotNil(t, pu, "HTTP_PROXY is set in this process")

	o := testOptions(t)
	o.MaxRetries = -1
	o.Resolver = resolver
	s := start(t, o)
	reg := register(t, s.Service, "http://ha.home.test:"+port+"/hook/", "")
	res, err := s.Test(t.Context(), reg.ID)
	require.NoError(t, err)
	require.True(t, res.Delivered, "%+v", res)
	rc.WaitDelivered(t, 1)

	reg = register(t, s.Service, "http://metadata.rebound.test/latest/meta-data/", "")
	res, err = s.Test(t.Context(), reg.ID)
	require.NoError(t, err)
	assert.Equal(t, OutcomeBlocked, res.Outcome, "the dialer refuses what the name resolves to")
}
