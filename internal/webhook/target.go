package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Where a webhook may point. A webhook makes the service send requests
// wherever its URL says, so a registration is a way to reach addresses the
// registrant cannot reach directly. Loopback and private addresses stay
// allowed (Home Assistant usually runs on the same host or LAN), but
// link-local addresses, where clouds serve instance metadata and
// credentials, are refused unless Options.AllowLinkLocal is set: at
// registration, when registrations are loaded from disk, and again when
// connecting, whatever a host name resolved to.

// metadataHosts are cloud metadata host names, refused like link-local
// addresses.
var metadataHosts = map[string]bool{
	"metadata":                   true,
	"metadata.google.internal":   true,
	"metadata.goog":              true,
	"instance-data":              true,
	"instance-data.ec2.internal": true,
}

// refusedRanges is the one list of addresses a webhook may not reach
// unless Options.AllowLinkLocal is set:
//   - link-local unicast and multicast, where clouds serve instance
//     metadata and credentials (169.254.169.254);
//   - 192.0.0.0/24, addresses set aside for protocols, among which a
//     cloud's metadata service (192.0.0.192);
//   - the NAT64 prefixes, through which an IPv6 host reaches any IPv4
//     address, the metadata address included (64:ff9b::a9fe:a9fe);
//   - cloud metadata addresses outside those ranges.
var refusedRanges = []netip.Prefix{
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("224.0.0.0/24"),
	netip.MustParsePrefix("ff02::/16"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100.100.100.200/32"), // Alibaba Cloud
	netip.MustParsePrefix("fd00:ec2::254/128"),  // AWS, over IPv6
}

// errLinkLocal is why a target is refused; it names the ranges.
var errLinkLocal = func() error {
	names := make([]string, len(refusedRanges))
	for i, p := range refusedRanges {
		names[i] = p.String()
	}
	return errors.New("link-local, cloud metadata and NAT64 addresses (" + strings.Join(names, ", ") +
		") are refused unless WEBHOOK_ALLOW_LINK_LOCAL is set")
}()

// refusedAddr reports whether a webhook may not connect to ip.
func refusedAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range refusedRanges {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// checkTarget checks a normalised webhook URL's host. It can only judge
// literal addresses and known names; the dialer judges what names resolve to.
func checkTarget(u *url.URL, allowLinkLocal bool) error {
	if allowLinkLocal {
		return nil
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if metadataHosts[host] {
		return errLinkLocal
	}
	// A zone ("fe80::1%eth0") is only ever used with link-local addresses.
	addr, zone, _ := strings.Cut(host, "%")
	if ip, err := netip.ParseAddr(addr); err == nil && (refusedAddr(ip) || zone != "") {
		return errLinkLocal
	}
	return nil
}

// checkStoredURL re-validates a URL loaded from disk: the file may have
// been edited, or written by a version with other rules.
func checkStoredURL(raw string, allowLinkLocal bool) error {
	if len(raw) > maxURL {
		return fmt.Errorf("longer than %d characters", maxURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("not an http:// or https:// URL")
	}
	if u.Hostname() == "" {
		return errors.New("names no host")
	}
	return checkTarget(u, allowLinkLocal)
}

// guardedTransport is the default transport with a dialer that refuses
// the refused ranges after name resolution, so that a name resolving (or
// re-resolving) to one of them cannot get around checkTarget.
//
// proxy, when set, sends requests through a proxy (WEBHOOK_USE_PROXY): the
// dialer then only sees the proxy's address, so the target is checked
// before each request instead, its name resolved by the service itself.
// Without proxy the environment's proxy settings are not used: they would
// take the connection, and the check, elsewhere.
func guardedTransport(allowLinkLocal bool, proxy func(*http.Request) (*url.URL, error), resolver *net.Resolver) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Resolver: resolver}
	if !allowLinkLocal {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err == nil && refusedAddr(ap.Addr()) {
				return errLinkLocal
			}
			return nil
		}
	}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	switch {
	case proxy == nil:
	case allowLinkLocal:
		t.Proxy = proxy
	default:
		t.Proxy = func(req *http.Request) (*url.URL, error) {
			if err := checkResolved(req.Context(), req.URL, resolver); err != nil {
				return nil, err
			}
			return proxy(req)
		}
	}
	return t
}

// checkResolved refuses a target whose name is a metadata host or
// resolves to a refused address, for requests the proxy will connect.
func checkResolved(ctx context.Context, u *url.URL, resolver *net.Resolver) error {
	if err := checkTarget(u, false); err != nil {
		return err
	}
	host := u.Hostname()
	if _, err := netip.ParseAddr(host); err == nil {
		return nil // checkTarget judged it
	}
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	addrs, err := resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if refusedAddr(a) {
			return errLinkLocal
		}
	}
	return nil
}
