package espn

import (
	"sort"
	"sync"
	"time"
)

// usageDays is how many UTC days of counters are kept, today included.
const usageDays = 7

// Usage counts the HTTP requests sent to ESPN: every attempt, retries and
// failed ones included, because that is the load ESPN sees. Date, Total,
// ByLeague and Errors describe the current UTC day; History lists the kept
// days, newest first, today included.
type Usage struct {
	Date     string           `json:"date"`
	Total    int64            `json:"total"`
	ByLeague map[string]int64 `json:"by_league"`
	Errors   int64            `json:"errors"`
	History  []UsageDay       `json:"history"`
}

// UsageDay is one UTC day of counters.
type UsageDay struct {
	Date     string           `json:"date"`
	Total    int64            `json:"total"`
	ByLeague map[string]int64 `json:"by_league"`
	Errors   int64            `json:"errors"`
}

type usageCounter struct {
	now  func() time.Time
	mu   sync.Mutex
	days map[string]*UsageDay
}

func newUsageCounter(now func() time.Time) *usageCounter {
	return &usageCounter{now: now, days: map[string]*UsageDay{}}
}

func (u *usageCounter) record(leagueKey string, failed bool) {
	today := u.now().UTC()
	key := today.Format(time.DateOnly)
	u.mu.Lock()
	defer u.mu.Unlock()
	d := u.days[key]
	if d == nil {
		d = &UsageDay{Date: key, ByLeague: map[string]int64{}}
		u.days[key] = d
		u.pruneLocked(today)
	}
	d.Total++
	d.ByLeague[leagueKey]++
	if failed {
		d.Errors++
	}
}

// pruneLocked drops days that fell out of the window ending today.
func (u *usageCounter) pruneLocked(today time.Time) {
	oldest := today.AddDate(0, 0, -(usageDays - 1)).Format(time.DateOnly)
	for k := range u.days {
		if k < oldest {
			delete(u.days, k)
		}
	}
}

func (u *usageCounter) snapshot() Usage {
	today := u.now().UTC()
	key := today.Format(time.DateOnly)
	oldest := today.AddDate(0, 0, -(usageDays - 1)).Format(time.DateOnly)
	u.mu.Lock()
	defer u.mu.Unlock()
	out := Usage{Date: key, ByLeague: map[string]int64{}, History: []UsageDay{}}
	for k, d := range u.days {
		// A clock that went backwards leaves "future" days; keep them out
		// of the window rather than reporting them.
		if k < oldest || k > key {
			continue
		}
		c := UsageDay{Date: d.Date, Total: d.Total, Errors: d.Errors, ByLeague: make(map[string]int64, len(d.ByLeague))}
		for l, n := range d.ByLeague {
			c.ByLeague[l] = n
		}
		out.History = append(out.History, c)
		if k == key {
			out.Total, out.Errors = c.Total, c.Errors
			for l, n := range c.ByLeague {
				out.ByLeague[l] = n
			}
		}
	}
	sort.Slice(out.History, func(i, j int) bool { return out.History[i].Date > out.History[j].Date })
	return out
}
