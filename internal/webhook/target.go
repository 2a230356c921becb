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

// metadataAddrs are metadata addresses outside the link-local ranges.
var metadataAddrs = map[netip.Addr]bool{
	netip.MustParseAddr("100.100.100.200"): true, // Alibaba Cloud
	netip.MustParseAddr("fd00:ec2::254"):   true, // AWS, over IPv6
}

// errLinkLocal is why a target is refused.
var errLinkLocal = errors.New("link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10) are refused unless WEBHOOK_ALLOW_LINK_LOCAL is set")

// refusedAddr reports whether a webhook may not connect to ip.
func refusedAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || metadataAddrs[ip]
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
// link-local and metadata addresses after name resolution, so that a name
// resolving (or re-resolving) to one cannot get around checkTarget.
func guardedTransport(allowLinkLocal bool) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
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
	return t
}
