package simulator

import (
	"fmt"
	"strconv"
	"time"

	"github.com/sports-data/sports-data/internal/tz"
)

// eastern is the zone of ESPN's scoreboard day and of its pre-game texts.
var eastern = tz.Eastern

// dayOf is midnight Eastern of the day t falls on.
func dayOf(t time.Time) time.Time {
	e := t.In(eastern)
	return time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, eastern)
}

// at is hh:mm Eastern on day (a midnight from dayOf).
func at(day time.Time, hh, mm int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, eastern)
}

// addDays moves a midnight by whole calendar days, keeping midnight across
// daylight-saving changes.
func addDays(day time.Time, n int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day()+n, 0, 0, 0, 0, eastern)
}

// SundayNoonET is the first Sunday 12:00 US/Eastern at or after t: an hour
// before the early NFL window, a good Start for a simulated week.
func SundayNoonET(t time.Time) time.Time {
	d := dayOf(t)
	for i := 0; i < 8; i++ {
		c := at(addDays(d, i), 12, 0)
		if c.Weekday() == time.Sunday && !c.Before(t) {
			return c
		}
	}
	return at(addDays(d, 7), 12, 0) // unreachable
}

// espnDate is ESPN's event date: UTC, minute precision, literal Z.
func espnDate(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04Z")
}

// preShortDetail is ESPN's "11/28 - 1:00 PM EST".
func preShortDetail(t time.Time) string {
	e := t.In(eastern)
	return fmt.Sprintf("%d/%d - %s", int(e.Month()), e.Day(), e.Format("3:04 PM MST"))
}

// preDetail is ESPN's "Sun, November 28th at 1:00 PM EST".
func preDetail(t time.Time) string {
	e := t.In(eastern)
	return fmt.Sprintf("%s, %s %s at %s", e.Format("Mon"), e.Format("January"), ordinal(e.Day()), e.Format("3:04 PM MST"))
}

func ordinal(n int) string {
	suffix := "th"
	switch n % 100 {
	case 11, 12, 13:
	default:
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// displayClock is ESPN's "12:34" / "0:48" for NFL and NHL.
func displayClock(seconds int) string {
	if seconds < 0 {
		seconds = 0
	}
	return fmt.Sprintf("%d:%02d", seconds/60, seconds%60)
}

// nflWeekOne is the Wednesday that opens week 1 of a season: ESPN's NFL
// weeks run Wednesday to Tuesday, and week 1 holds the Thursday after
// Labor Day (the first Monday of September).
func nflWeekOne(season int) time.Time {
	d := time.Date(season, time.September, 1, 0, 0, 0, 0, eastern)
	for d.Weekday() != time.Monday {
		d = addDays(d, 1)
	}
	return addDays(d, 2)
}

// nflWeekIndex counts Wednesday-to-Tuesday weeks from an arbitrary epoch;
// days of one index share one round of pairings.
func nflWeekIndex(day time.Time) int {
	epoch := time.Date(2000, time.January, 5, 0, 0, 0, 0, eastern) // a Wednesday
	days := int(dayOf(day).Sub(epoch).Hours()/24 + 0.5)
	if days < 0 {
		return -((-days + 6) / 7)
	}
	return days / 7
}

// nflWeek is the regular-season week number ESPN would show for a day,
// clamped to 1..18: the simulator plays regular-season games only.
func nflWeek(day time.Time, season int) int {
	days := int(dayOf(day).Sub(nflWeekOne(season)).Hours()/24 + 0.5)
	w := 1
	if days > 0 {
		w = days/7 + 1
	}
	if w > 18 {
		w = 18
	}
	return w
}
