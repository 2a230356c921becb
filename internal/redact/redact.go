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

// URL returns raw with its password, its last path segment and its query
// values replaced by Mask:
//
//	http://user:pw@ha:8123/api/webhook/abc?token=x → http://user:***@ha:8123/api/webhook/***?token=***
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
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Mask)
		}
	}
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

// Password returns raw with only the password of its user info replaced by
// Mask, for service URLs (ESPN, InfluxDB) whose path and query are not
// secret and help whoever reads the log. A string that does not parse as
// a URL is masked whole.
func Password(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return Mask
	}
	if u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); !has {
		return raw
	}
	u.User = url.UserPassword(u.User.Username(), Mask)
	return strings.ReplaceAll(u.String(), "%2A%2A%2A", Mask)
}
