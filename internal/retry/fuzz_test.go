package retry

import (
	"testing"
	"time"
)

// FuzzParseRetryAfter: whatever a server sends, the wait is within
// [0, MaxRetryAfter] and a rejected header is no wait at all.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "120", "-1", "1e3", "99999999999999999999",
		"Fri, 04 Dec 2026 16:00:30 GMT", "Friday, 04-Dec-26 16:01:00 GMT", "Fri Dec  4 16:00:05 2026", "\x00"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if d < 0 || d > MaxRetryAfter {
			t.Fatalf("ParseRetryAfter(%q) = %v, outside [0, %v]", v, d, MaxRetryAfter)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) rejected but waits %v", v, d)
		}
	})
}
