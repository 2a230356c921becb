package espnjson

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ESPN changes the JSON type of a field from one season to the next (clock
// int → float, score string → object, ids that are usually strings). The
// types below accept every form seen and quietly read anything else as
// absent, so one odd field never costs a whole scoreboard. Their
// UnmarshalJSON methods never return an error.

// Value is one JSON value as ESPN sent it, kept verbatim: a view that
// passes ESPN's values on (the TeamTracker sensor) keeps their JSON type,
// a score sent as a string staying a string. Nil means the key was absent;
// null is kept as null. Its methods read it the way the service's own
// fields do.
type Value []byte

func (v *Value) UnmarshalJSON(b []byte) error {
	*v = append((*v)[:0], b...)
	return nil
}

// MarshalJSON writes the value as it was sent, null when absent.
func (v Value) MarshalJSON() ([]byte, error) {
	if len(v) == 0 {
		return []byte("null"), nil
	}
	return v, nil
}

// Present reports whether the key was sent at all (null counts as sent).
func (v Value) Present() bool { return len(v) > 0 }

// Text is the text of a JSON string or number; "" otherwise.
func (v Value) Text() string { return jsonText(v) }

// String is the text of a JSON string; "" for anything else.
func (v Value) String() string {
	if len(v) == 0 || v[0] != '"' {
		return ""
	}
	return jsonText(v)
}

// Number reads a JSON number or a numeric string.
func (v Value) Number() Number {
	var n Number
	n.V, n.OK = parseNumber(jsonText(v))
	return n
}

// Bool is true for JSON true only.
func (v Value) Bool() bool { return string(v) == "true" }

// Score reads a competitor's score: a string on the scoreboard ("24"), an
// object on the team schedule ({"value": 20.0, "displayValue": "20"}),
// possibly a bare number, and absent before the game.
func (v Value) Score() (int, bool) {
	if len(v) == 0 {
		return 0, false
	}
	if v[0] == '{' {
		var obj struct {
			Value        Number `json:"value"`
			DisplayValue Value  `json:"displayValue"`
		}
		_ = json.Unmarshal(v, &obj)
		if obj.Value.OK {
			return ClampInt(obj.Value.V), true
		}
		if n, ok := parseNumber(obj.DisplayValue.Text()); ok {
			return ClampInt(n), true
		}
		return 0, false
	}
	if n, ok := parseNumber(jsonText(v)); ok {
		return ClampInt(n), true
	}
	return 0, false
}

// jsonText returns the text of a JSON string or number value; "" otherwise.
func jsonText(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	switch c := b[0]; {
	case c == '"':
		if len(b) < 2 {
			return ""
		}
		inner := b[1 : len(b)-1]
		if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			return string(inner)
		}
		var v string
		if json.Unmarshal(b, &v) != nil {
			return ""
		}
		return v
	case c == '-' || (c >= '0' && c <= '9'):
		return string(b)
	}
	return ""
}

// Number is a JSON number or a numeric string. OK is false when the value
// was absent, null or not a number.
type Number struct {
	V  float64
	OK bool
}

func (n *Number) UnmarshalJSON(b []byte) error {
	n.V, n.OK = parseNumber(jsonText(b))
	return nil
}

// Ptr returns the value as a pointer, nil when absent.
func (n Number) Ptr() *float64 {
	if !n.OK {
		return nil
	}
	v := n.V
	return &v
}

// Int returns the value as an int, clamped to a sane range.
func (n Number) Int() int { return ClampInt(n.V) }

func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// ClampInt converts without the undefined behaviour of huge float→int.
func ClampInt(v float64) int {
	const limit = 1 << 31
	switch {
	case math.IsNaN(v):
		return 0
	case v > limit:
		return limit
	case v < -limit:
		return -limit
	}
	return int(v)
}
