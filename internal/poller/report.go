package poller

import (
	"errors"
	"time"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/league"
)

// report logs a poll's outcome: one warning when a league's polls start
// failing, one line when they succeed again, and the failures in between
// at debug level only, so that an outage of hours is two lines. It
// returns when the current outage began (zero when there is none).
func (p *Poller) report(l league.League, err, teamsErr error, failures int, downSince, now time.Time) time.Time {
	switch {
	case err != nil && failures == 1:
		msg := "ESPN polls failing; serving the last good data and retrying within the live interval"
		if agentRefused(err) {
			msg = "ESPN refused this User-Agent; set ESPN_USER_AGENT to an agent that names the program and its address, not a browser's (README, ESPN); serving the last good data meanwhile"
		}
		p.o.Logger.Warn(msg, "league", l.Key, "err", err)
		return now
	case err != nil:
		p.o.Logger.Debug("poll failed", "league", l.Key, "failures", failures, "err", err)
		return downSince
	}
	if !downSince.IsZero() {
		p.o.Logger.Info("ESPN polls succeed again", "league", l.Key, "down_for", now.Sub(downSince).Round(time.Second))
	}
	if teamsErr != nil {
		p.o.Logger.Warn("team list refresh failed; keeping the cached teams", "league", l.Key, "err", teamsErr)
	}
	return time.Time{}
}

// agentRefused reports whether ESPN refused the request for its
// User-Agent.
func agentRefused(err error) bool {
	var he *espn.HTTPError
	return errors.As(err, &he) && he.AgentRefused()
}

// noteTruncated counts the poll's cut answers and warns of them once per
// league and Eastern day (a cut month is asked again every hour); it
// returns the day last warned about.
func (p *Poller) noteTruncated(l league.League, answers []answer, now time.Time, warned string) string {
	today := now.In(p.eastern).Format(time.DateOnly)
	for _, a := range answers {
		if !a.cut {
			continue
		}
		if p.o.OnTruncated != nil {
			p.o.OnTruncated(l.Key)
		}
		if warned == today {
			continue
		}
		warned = today
		if a.month {
			p.o.Logger.Warn("ESPN cut a month's scoreboard short; asking the upcoming days one by one instead (one warning a day)",
				"league", l.Key, "url", a.url, "events", a.events)
		} else {
			p.o.Logger.Warn("ESPN cut a day's scoreboard short in both forms it answers; games of that day may be missing (one warning a day)",
				"league", l.Key, "url", a.url, "events", a.events)
		}
	}
	return warned
}

// reportDegraded logs a degraded reason of a successful poll when it
// appears or changes, and one line when the answers read again; failed
// polls are reported by report. It returns the reason last warned about.
func (p *Poller) reportDegraded(l league.League, warned, reason string, pollErr error) string {
	switch {
	case pollErr != nil:
		return warned
	case reason == "":
		if warned != "" {
			p.o.Logger.Info("ESPN's answers read as expected again", "league", l.Key)
		}
		return ""
	case reason != warned:
		p.o.Logger.Warn("ESPN's answers look wrong; the league is degraded", "league", l.Key, "reason", reason)
	}
	return reason
}
