package espn

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

// flexString reads a JSON string or number as text.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	*s = flexString(jsonText(b))
	return nil
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

// flexNum reads a JSON number or a numeric string. OK is false when the
// value was absent, null or not a number.
type flexNum struct {
	V  float64
	OK bool
}

func (n *flexNum) UnmarshalJSON(b []byte) error {
	n.V, n.OK = parseNumber(jsonText(b))
	return nil
}

// Ptr returns the value as a pointer, nil when absent.
func (n flexNum) Ptr() *float64 {
	if !n.OK {
		return nil
	}
	v := n.V
	return &v
}

// Int returns the value as an int, clamped to a sane range.
func (n flexNum) Int() int { return clampInt(n.V) }

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

// clampInt converts without the undefined behaviour of huge float→int.
func clampInt(v float64) int {
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

// flexScore is a competitor's score: a string on the scoreboard ("24"), an
// object on the team schedule ({"value": 20.0, "displayValue": "20"}),
// possibly a bare number, and absent before the game.
type flexScore struct {
	V  int
	OK bool
}

func (s *flexScore) UnmarshalJSON(b []byte) error {
	*s = flexScore{}
	if len(b) == 0 {
		return nil
	}
	if b[0] == '{' {
		var obj struct {
			Value        flexNum    `json:"value"`
			DisplayValue flexString `json:"displayValue"`
		}
		_ = json.Unmarshal(b, &obj)
		if obj.Value.OK {
			s.V, s.OK = clampInt(obj.Value.V), true
			return nil
		}
		if v, ok := parseNumber(string(obj.DisplayValue)); ok {
			s.V, s.OK = clampInt(v), true
		}
		return nil
	}
	if v, ok := parseNumber(jsonText(b)); ok {
		s.V, s.OK = clampInt(v), true
	}
	return nil
}
