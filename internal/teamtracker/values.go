package teamtracker

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/sports-data/sports-data/internal/espnjson"
)

// Helpers that read ESPN values the way TeamTracker's Python does: a
// missing key gives the default, a value is passed on with its JSON type.

// present reports whether a raw value was sent at all (null counts as sent).
func present(r espnjson.Value) bool { return len(r) > 0 }

// value is a raw value for the attributes map: nil when absent, else as
// ESPN sent it (null included).
func value(r espnjson.Value) any {
	if !present(r) {
		return nil
	}
	return json.RawMessage(r)
}

// orValue is value(r), or def when r was not sent.
func orValue(r espnjson.Value, def any) any {
	if !present(r) {
		return def
	}
	return json.RawMessage(r)
}

// text decodes a JSON string; ok is false for anything else.
func text(r espnjson.Value) (string, bool) {
	var s string
	if !present(r) || r[0] != '"' || json.Unmarshal(r, &s) != nil {
		return "", false
	}
	return s, true
}

// pyStr is Python's str() of a decoded JSON value: strings as they are,
// integers in decimal, true/false/null as Python spells them.
func pyStr(r espnjson.Value) string {
	if s, ok := text(r); ok {
		return s
	}
	t := string(bytes.TrimSpace(r))
	switch t {
	case "", "null":
		return "None"
	case "true":
		return "True"
	case "false":
		return "False"
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && strings.ContainsAny(t, ".eE") {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	return t
}

// number decodes a JSON number or a string holding one.
func number(r espnjson.Value) (float64, bool) {
	if s, ok := text(r); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		return f, err == nil
	}
	var f float64
	if !present(r) || json.Unmarshal(r, &f) != nil {
		return 0, false
	}
	return f, true
}

// pyInt is Python's int() of a value that is an integer or a string of
// one; ok is false where Python would raise.
func pyInt(r espnjson.Value) (int, bool) {
	if s, ok := text(r); ok {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		return n, err == nil
	}
	f, ok := number(r)
	if !ok {
		return 0, false
	}
	return int(f), true
}

// boolish turns the strings "true" and "false", which some ESPN answers
// send, into booleans; other values pass unchanged.
func boolish(r espnjson.Value) any {
	if s, ok := text(r); ok {
		switch s {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return value(r)
}

func itoa(n int) string { return strconv.Itoa(n) }

// firstValue is the first of vs that was sent, as value gives it; nil
// when none was (TeamTracker's chain of defaults).
func firstValue(vs ...espnjson.Value) any {
	for _, v := range vs {
		if present(v) {
			return json.RawMessage(v)
		}
	}
	return nil
}

// firstValueOr is firstValue, or def when none was sent.
func firstValueOr(def any, vs ...espnjson.Value) any {
	if v := firstValue(vs...); v != nil {
		return v
	}
	return def
}
