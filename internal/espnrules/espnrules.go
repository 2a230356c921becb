// Package espnrules states how ESPN's site API answers since August and
// September 2026 (docs/espn.md, Requests): which User-Agents it refuses,
// how many events it answers for which limit, and what it answers to a
// date range. The ESPN client asks by these rules, and the test stand-ins
// (package espntest, the simulator) answer by them, so that a client that
// breaks one of them fails its tests as it would fail its users.
package espnrules

import (
	"errors"
	"strconv"
	"strings"
)

const (
	// MaxLimit is the largest limit ESPN answers completely.
	MaxLimit = 500
	// DefaultEvents is where an answer without a limit stops.
	DefaultEvents = 100
	// CutEvents is how many events ESPN answers, silently, to a limit
	// above MaxLimit.
	CutEvents = 25
)

// Events is how many of available events ESPN answers to a request whose
// limit parameter is limit ("" when the request has none).
func Events(limit string, available int) int {
	n, err := strconv.Atoi(strings.TrimSpace(limit))
	switch {
	case err != nil || n <= 0:
		return min(available, DefaultEvents)
	case n > MaxLimit:
		return min(available, CutEvents)
	}
	return min(available, n)
}

// Bodies of ESPN's refusals. RangeBody is ESPN's answer to a date range
// (dates=A-B), as reported; no 403 body has been captured, so
// ForbiddenBody is ESPN's error form with the status's text.
var (
	RangeBody     = []byte(`{"code":400,"message":"Failed to get events endpoint."}`)
	ForbiddenBody = []byte(`{"code":403,"message":"Forbidden"}`)
)

// IsRange reports whether a dates parameter asks for a range.
func IsRange(dates string) bool { return strings.Contains(dates, "-") }

// browserMarks are what browsers put in their agents.
var browserMarks = []string{"mozilla/", "applewebkit", "chrome/", "safari/", "gecko/", "firefox/", "edg/", "opera", "trident/"}

// AgentRefused reports whether ESPN answers 403 to a request carrying ua:
// an empty agent or one that looks like a browser's (Chrome, Safari).
// Go's default agent, curl's and a custom agent naming its program are
// answered.
func AgentRefused(ua string) bool {
	ua = strings.ToLower(strings.TrimSpace(ua))
	if ua == "" {
		return true
	}
	for _, m := range browserMarks {
		if strings.Contains(ua, m) {
			return true
		}
	}
	return false
}

// CheckAgent says why ua cannot be sent to ESPN, or nil when it can.
func CheckAgent(ua string) error {
	for _, r := range ua {
		if r < 0x20 || r == 0x7f {
			return errors.New("it holds a control character, which no HTTP header may carry")
		}
	}
	switch {
	case strings.TrimSpace(ua) == "":
		return errors.New("ESPN answers 403 to an empty agent")
	case AgentRefused(ua):
		return errors.New("ESPN answers 403 to an agent that looks like a browser's; use one that names the program and its address, such as sports-data/2.0 (+https://github.com/sports-data/sports-data)")
	case len(ua) > 256:
		return errors.New("it is longer than 256 characters")
	}
	return nil
}
