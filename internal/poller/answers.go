package poller

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/retry"
)

// answer is what one scoreboard request of a poll brought back. The
// poller keeps the last one per league for /health and judges each
// poll's answers to tell when ESPN changed again (docs/espn.md, When ESPN
// changes).
type answer struct {
	month  bool      // a month's scoreboard, else a day's
	day    time.Time // the Eastern day asked (a month: its first day)
	at     time.Time
	status int // HTTP status; 0 when none came
	events int
	games  int
	url    string
	cut    bool
	err    error
}

func newAnswer(sb espn.Scoreboard, err error, month bool, day, at time.Time) answer {
	a := answer{month: month, day: day, at: at, events: sb.Events, games: len(sb.Games), url: sb.URL,
		cut: err == nil && sb.Truncated(), err: err}
	a.status = answerStatus(err)
	return a
}

// answerStatus is the HTTP status behind a call's outcome: ESPN's when it
// answered with an error status, 200 when it answered something that did
// not read, 0 when no answer came.
func answerStatus(err error) int {
	var se retry.StatusError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &se):
		return se.HTTPStatus()
	case errors.Is(err, espn.ErrInvalidJSON), errors.Is(err, espn.ErrEmptyBody), errors.Is(err, espn.ErrTooLarge):
		return http.StatusOK
	}
	return 0
}

// refused reports whether ESPN turned the request down for what it is (a
// 4xx other than a timeout or a rate limit): asking again will not help.
func (a answer) refused() bool {
	return a.status >= 400 && a.status < 500 && !retry.RetryableStatus(a.status)
}

func (a answer) what() string {
	if a.month {
		return "month " + a.day.Format("2006-01")
	}
	return a.day.Format(time.DateOnly)
}

// degradedReason says why a poll's answers cannot be trusted, or "" when
// they can: ESPN refused a request, an answer no longer reads, a day came
// back empty although the month lists games on it, or a day stayed cut
// short. A failure that may pass (a timeout, a 5xx) is reported as such.
// games is the league's merged view after the poll.
func degradedReason(answers []answer, games map[string]game.Game, eastern *time.Location) string {
	var failed string
	for _, a := range answers {
		switch {
		case a.refused() && a.status == http.StatusForbidden:
			return a.err.Error()
		case a.refused():
			return fmt.Sprintf("ESPN refused the scoreboard request of %s (HTTP %d); the forms ESPN answers may have changed (docs/espn.md): %v",
				a.what(), a.status, a.err)
		case a.err != nil && a.status == http.StatusOK:
			return fmt.Sprintf("ESPN's scoreboard of %s no longer reads: %v", a.what(), a.err)
		case a.err != nil:
			if failed == "" {
				failed = fmt.Sprintf("ESPN did not answer the scoreboard of %s: %v", a.what(), a.err)
			}
		case a.events > 0 && a.games == 0:
			return fmt.Sprintf("ESPN's scoreboard of %s has %d events and none reads as a game: its answers may have changed shape",
				a.what(), a.events)
		case !a.month && a.events == 0:
			if n := scheduledOn(games, a.day, eastern); n > 0 {
				return fmt.Sprintf("ESPN's scoreboard of %s is empty, but its month lists %d games that day", a.what(), n)
			}
		case !a.month && a.cut:
			return fmt.Sprintf("ESPN's scoreboard of %s stops at %d events in both forms it answers; games of that day may be missing",
				a.what(), a.events)
		}
	}
	return failed
}

// scheduledOn counts the games of an Eastern day that are still to be
// played or were played, leaving out postponed and canceled ones, and
// those starting before 6:00 Eastern: ESPN may list a game that starts
// after midnight (Hawaii, the west coast's late games) on the previous
// day's scoreboard.
func scheduledOn(games map[string]game.Game, day time.Time, eastern *time.Location) int {
	y, m, d := day.In(eastern).Date()
	n := 0
	for _, g := range games {
		if g.Start.IsZero() || g.Status == game.StatusPostponed || g.Status == game.StatusCanceled {
			continue
		}
		s := g.Start.In(eastern)
		if gy, gm, gd := s.Date(); gy == y && gm == m && gd == d && s.Hour() >= 6 {
			n++
		}
	}
	return n
}

// noteAnswers records a poll's answers in the league's status: the last
// one, the cut ones and the degraded reason.
func (s *LeagueStatus) noteAnswers(answers []answer, reason string) {
	s.Degraded = reason
	for _, a := range answers {
		if a.cut {
			s.TruncatedAnswers++
			s.LastTruncatedAt = a.at
		}
	}
	if n := len(answers); n > 0 {
		last := answers[n-1]
		s.LastAnswerAt, s.LastAnswerStatus, s.LastAnswerEvents = last.at, last.status, last.events
	}
}
