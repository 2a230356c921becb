package kickoff

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The phrases below are what TeamTracker's humanize library (arrow 1.4,
// English) says for each distance from 2022-09-08T21:45Z.
func TestPhraseSaysWhatTeamTrackerSays(t *testing.T) {
	now := time.Date(2022, 9, 8, 21, 45, 0, 0, time.UTC)
	cases := []struct {
		seconds int64
		want    string
	}{
		{0, "just now"},
		{9, "just now"},
		{-9, "just now"},
		{10, "in 10 seconds"},
		{-10, "10 seconds ago"},
		{44, "in 44 seconds"},
		{-44, "44 seconds ago"},
		{59, "in 59 seconds"},
		{-59, "59 seconds ago"},
		{60, "in a minute"},
		{-60, "a minute ago"},
		{119, "in a minute"},
		{-119, "a minute ago"},
		{120, "in 2 minutes"},
		{-120, "2 minutes ago"},
		{3599, "in 59 minutes"},
		{-3599, "59 minutes ago"},
		{3600, "in an hour"},
		{-3600, "an hour ago"},
		{7199, "in an hour"},
		{-7199, "an hour ago"},
		{7200, "in 2 hours"},
		{-7200, "2 hours ago"},
		{86399, "in 23 hours"},
		{-86399, "23 hours ago"},
		{86400, "in a day"},
		{-86400, "a day ago"},
		{172799, "in a day"},
		{-172799, "a day ago"},
		{172800, "in 2 days"},
		{-172800, "2 days ago"},
		{518400, "in 6 days"},
		{-518400, "6 days ago"},
		{604800, "in a week"},
		{-604800, "a week ago"},
		{1123200, "in a week"},
		{-1123200, "a week ago"},
		{1209600, "in 2 weeks"},
		{-1209600, "2 weeks ago"},
		{1728000, "in a month"},
		{-1728000, "a month ago"},
		{2592000, "in a month"},
		{-2592000, "a month ago"},
		{3888000, "in 2 months"},
		{-3888000, "a month ago"},
		{5097600, "in 2 months"},
		{-5097600, "2 months ago"},
		{8640000, "in 3 months"},
		{-8640000, "3 months ago"},
		{31449600, "in 12 months"},
		{-31449600, "12 months ago"},
		{31536000, "in a year"},
		{-31536000, "a year ago"},
		{69120000, "in 2 years"},
		{-69120000, "2 years ago"},
		{103680000, "in 3 years"},
		{-103680000, "3 years ago"},
	}
	for _, c := range cases {
		got := Phrase(now.Add(time.Duration(c.seconds)*time.Second), now)
		assert.Equal(t, c.want, got, "%d s", c.seconds)
	}
}

func TestSoonIsWithinTheLeadEitherSide(t *testing.T) {
	now := time.Date(2022, 9, 8, 21, 45, 0, 0, time.UTC)
	for _, c := range []struct {
		offset time.Duration
		want   bool
	}{
		{0, true},
		{Lead - time.Second, true},
		{Lead, false},
		{-Lead + time.Second, true},
		{-Lead, false},
		{LateStart, false},
	} {
		assert.Equal(t, c.want, Soon(now.Add(c.offset), now), c.offset)
	}
}
