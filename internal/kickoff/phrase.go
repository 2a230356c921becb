package kickoff

import (
	"fmt"
	"math"
	"time"
)

// Phrase says how far t is from now the way TeamTracker's kickoff_in does
// (the "arrow" library's humanize, English): "in 2 hours", "3 days ago",
// "just now". Every kickoff_in the service answers is this phrase.
func Phrase(t, now time.Time) string {
	delta := int64(math.Round(t.Sub(now).Seconds()))
	sign := int64(1)
	if delta < 0 {
		sign = -1
	}
	diff := delta * sign
	const (
		minute = 60
		hour   = 60 * minute
		day    = 24 * hour
		week   = 7 * day
		month  = 2629800 // 30.4375 days
		year   = 31536000
	)
	switch {
	case diff < 10:
		return "just now"
	case diff < minute:
		return phrase(sign, fmt.Sprintf("%d seconds", diff))
	case diff < 2*minute:
		return phrase(sign, "a minute")
	case diff < hour:
		return phrase(sign, fmt.Sprintf("%d minutes", max(diff/minute, 2)))
	case diff < 2*hour:
		return phrase(sign, "an hour")
	case diff < day:
		return phrase(sign, fmt.Sprintf("%d hours", max(diff/hour, 2)))
	case diff < 2*day:
		return phrase(sign, "a day")
	case diff < week:
		return phrase(sign, fmt.Sprintf("%d days", max(diff/day, 2)))
	}
	months := calendarMonths(t, now)
	switch {
	case months >= 1 && diff < year:
		if months == 1 {
			return phrase(sign, "a month")
		}
		return phrase(sign, fmt.Sprintf("%d months", months))
	case diff < 2*week:
		return phrase(sign, "a week")
	case diff < month:
		return phrase(sign, fmt.Sprintf("%d weeks", max(diff/week, 2)))
	case diff < 2*year:
		return phrase(sign, "a year")
	}
	return phrase(sign, fmt.Sprintf("%d years", max(diff/year, 2)))
}

func phrase(sign int64, d string) string {
	if sign < 0 {
		return d + " ago"
	}
	return "in " + d
}

// calendarMonths is the whole months between a and b, counting more than
// two weeks left over as one more, at most 12.
func calendarMonths(a, b time.Time) int {
	a, b = a.UTC(), b.UTC()
	if a.After(b) {
		a, b = b, a
	}
	m := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	// Step back while a plus m months passes b, as a calendar difference does.
	for m > 0 && addMonths(a, m).After(b) {
		m--
	}
	rest := b.Sub(addMonths(a, m))
	if rest >= 15*24*time.Hour {
		m++
	}
	return min(m, 12)
}

// addMonths adds calendar months, clamping the day to the month's end.
func addMonths(t time.Time, n int) time.Time {
	y, mo, d := t.Date()
	first := time.Date(y, mo+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}
