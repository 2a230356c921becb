// Package redact masks the secret parts of URLs before they are shown or
// logged. A Home Assistant webhook URL is a password in itself (whoever
// knows its id can trigger the automation), and ESPN or InfluxDB URLs may
// carry credentials.
package redact

import (
	"maps"
	"net/url"
	"slices"
	"strings"
)

// Mask is what replaces a secret.
const Mask = "***"

// URL returns raw with its credentials, its last path segment and its
// query values replaced by Mask:
//
//	http://user:pw@ha:8123/api/webhook/abc?token=x → http://user:***@ha:8123/api/webhook/***?token=***
//	http://TOKEN@ha/api/webhook/abc                → http://***@ha/api/webhook/***
//
// A URL with no path (or just "/") keeps it. A string that does not parse
// as a URL is masked whole, since nothing can be said about which part of
// it is secret.
func URL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme == "" && u.Host == "") {
		return Mask
	}
	maskUser(u)
	// Work on the escaped path so that an escaped "/" inside a segment is
	// not taken for a separator.
	if p := strings.TrimSuffix(u.EscapedPath(), "/"); p != "" {
		masked := p[:strings.LastIndex(p, "/")+1] + Mask
		if strings.HasSuffix(u.EscapedPath(), "/") {
			masked += "/"
		}
		u.RawPath = masked
		if unescaped, err := url.PathUnescape(masked); err == nil {
			u.Path = unescaped
		} else {
			u.Path, u.RawPath = "/"+Mask, ""
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		var b strings.Builder
		for i, k := range slices.Sorted(maps.Keys(q)) {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + Mask)
		}
		u.RawQuery = b.String()
	}
	u.Fragment, u.RawFragment = "", ""
	// url.URL.String escapes "*" in user info; undo that for readability.
	return strings.ReplaceAll(u.String(), "%2A%2A%2A", Mask)
}

// maskUser masks a URL's credentials: the password, or the user name
// when it comes alone, which is then a token (http://TOKEN@host/…).
func maskUser(u *url.URL) {
	if u.User == nil {
		return
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), Mask)
	} else {
		u.User = url.User(Mask)
	}
}

// Password returns raw with only its credentials (see URL) replaced by
// Mask, for service URLs (ESPN, InfluxDB, the MQTT broker) whose path and
// query are not secret and help whoever reads the log. A string that does
// not parse as a URL keeps what is surely not secret (see unparsed).
func Password(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return unparsed(raw)
	}
	if u.User == nil {
		return raw
	}
	maskUser(u)
	return strings.ReplaceAll(u.String(), "%2A%2A%2A", Mask)
}

// validScheme: a URL scheme is a letter and then letters, digits, "+",
// "-" and "." (RFC 3986); anything else before "://" may be user info.
func validScheme(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// unparsed masks a malformed URL (a configuration error, which the message
// must show well enough to be fixed): everything between "://" and the
// last "@" before the query (a password may hold "/" or ":"), and the
// query and fragment. Without "://" nothing can be said about it.
func unparsed(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || !validScheme(scheme) {
		return Mask
	}
	var tail string
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest, tail = rest[:i], "?"+Mask
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = Mask + rest[i:]
	}
	return scheme + "://" + rest + tail
}
