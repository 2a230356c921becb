package tz

import (
	"testing"
	"time"
)

func TestEasternFollowsDaylightSaving(t *testing.T) {
	if Eastern.String() != "America/New_York" {
		t.Fatalf("Eastern = %q, want America/New_York (tzdata not linked?)", Eastern)
	}
	cases := []struct {
		utc  time.Time
		want string
	}{
		// Summer: UTC-4, so 00:20Z on 8 Sep is still 7 Sep.
		{time.Date(2026, 9, 8, 0, 20, 0, 0, time.UTC), "2026-09-07 20:20 EDT"},
		// Winter: UTC-5.
		{time.Date(2026, 12, 1, 4, 30, 0, 0, time.UTC), "2026-11-30 23:30 EST"},
	}
	for _, c := range cases {
		if got := c.utc.In(Eastern).Format("2006-01-02 15:04 MST"); got != c.want {
			t.Errorf("%s in Eastern = %s, want %s", c.utc, got, c.want)
		}
	}
}
