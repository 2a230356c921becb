// Package espn talks to ESPN's public site API and turns its JSON into the
// domain types of package game.
//
// The client asks only for forms ESPN still answers (one day, one month,
// one team's season); it never asks for a date range, which ESPN has
// answered with 400 since September 2026. It retries rate limits, server
// errors and network failures with the service's one retry policy
// (package retry) and counts every request per UTC day and league.
package espn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/retry"
	"github.com/sports-data/sports-data/internal/tz"
)

const (
	defaultTimeout     = 10 * time.Second
	defaultMaxRetries  = 3
	defaultBaseBackoff = 500 * time.Millisecond
	maxBackoff         = 10 * time.Second
	// maxBody bounds what is read from one answer. A month of MLB with
	// limit=1000 is several megabytes; nothing legitimate comes near this.
	maxBody = 64 << 20
	// monthLimit is sent with month requests: without it ESPN stops at 100
	// events.
	monthLimit = "1000"
	// groupedLimit is the largest limit ESPN honours with groups=.
	groupedLimit = "500"
	// teamPages bounds the pages of a college team list.
	teamPages = 10
)

// ScoreboardDate is the dates= value for the scoreboard day t falls on in
// US/Eastern: 2026-11-29T03:00Z is still 28 November there. To ask for a
// calendar date, pass a time on that date in Eastern (noon is safest).
func ScoreboardDate(t time.Time) string {
	return t.In(tz.Eastern).Format("20060102")
}

// Options configure a Client. The zero value is usable.
type Options struct {
	// HTTPClient sends the requests; nil means one with a 10 s timeout.
	HTTPClient *http.Client
	// UserAgent defaults to "sports-data/<version> (+https://github.com/sports-data/sports-data)".
	UserAgent string
	// MaxRetries is how many times a failed request is repeated: 0 means
	// the default of 3, a negative value means never.
	MaxRetries int
	// BaseBackoff is the first retry's upper bound (default 500 ms); it
	// doubles per retry up to 10 s, and the wait is drawn uniformly below
	// it. A Retry-After header replaces the draw, capped at 10 s.
	BaseBackoff time.Duration
	// Now tells the usage counters which UTC day it is; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// Observer, when set, is called once per logical call (retries
	// included) with its league, duration and final error.
	Observer func(leagueKey string, d time.Duration, err error)
	// Limits paces every request, retries included, per host; share one
	// value between all clients of a process. nil means no pacing.
	Limits *HostLimits
}

// Client fetches and parses ESPN answers. It is safe for concurrent use.
type Client struct {
	base        string
	user        *url.Userinfo // credentials of the base URL, kept out of every shown URL
	hc          *http.Client
	ua          string
	maxRetries  int
	baseBackoff time.Duration
	log         *slog.Logger
	observer    func(string, time.Duration, error)
	usage       *usageCounter
	limits      *HostLimits
	now         func() time.Time
	// sleep waits between retries; replaced in tests to see the waits.
	sleep func(ctx context.Context, d time.Duration) error
}

// NewClient returns a client for baseURL, e.g.
// "https://site.api.espn.com/apis/site/v2/sports".
func NewClient(baseURL string, o Options) *Client {
	c := &Client{
		base:        strings.TrimRight(strings.TrimSpace(baseURL), "/"),
		hc:          o.HTTPClient,
		ua:          o.UserAgent,
		maxRetries:  o.MaxRetries,
		baseBackoff: o.BaseBackoff,
		log:         o.Logger,
		observer:    o.Observer,
		limits:      o.Limits,
		now:         o.Now,
		sleep:       retry.Sleep,
	}
	// Credentials in the base URL (a proxy's) are sent with each request
	// but kept out of the URLs that errors and logs show.
	if bu, err := url.Parse(c.base); err == nil && bu.User != nil {
		c.user, bu.User = bu.User, nil
		c.base = bu.String()
	}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: defaultTimeout}
	}
	if c.ua == "" {
		c.ua = "sports-data/" + buildVersion() + " (+https://github.com/sports-data/sports-data)"
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = defaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.baseBackoff <= 0 {
		c.baseBackoff = defaultBaseBackoff
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.usage = newUsageCounter(c.now)
	return c
}

func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// ScoreboardDay fetches one scoreboard day: the date day falls on in
// US/Eastern (see ScoreboardDate), because that is how ESPN groups games.
func (c *Client) ScoreboardDay(ctx context.Context, l league.League, day time.Time) ([]game.Game, error) {
	q := url.Values{"dates": {ScoreboardDate(day)}}
	division(q, l)
	return c.scoreboard(ctx, l, q)
}

// division asks a college scoreboard for every game of the league's
// division (groups=) rather than ESPN's default of the ranked teams'. A
// day goes without a limit: ESPN answers only 25 events to a grouped
// request whose limit is above 500, and a day's default holds them all.
// A month is asked with 500, the most a grouped request is answered.
func division(q url.Values, l league.League) {
	if l.Groups == "" {
		return
	}
	q.Set("groups", l.Groups)
	if q.Get("limit") != "" {
		q.Set("limit", groupedLimit)
	}
}

// ScoreboardMonth fetches a whole month, the widest form ESPN still answers.
func (c *Client) ScoreboardMonth(ctx context.Context, l league.League, year int, month time.Month) ([]game.Game, error) {
	if year < 1900 || year > 9999 || month < time.January || month > time.December {
		return nil, fmt.Errorf("espn: invalid month %d-%d", year, int(month))
	}
	q := url.Values{"dates": {fmt.Sprintf("%04d%02d", year, int(month))}, "limit": {monthLimit}}
	division(q, l)
	return c.scoreboard(ctx, l, q)
}

// scoreboard fetches one scoreboard answer and keeps, with each game, its
// event as ESPN sent it and the request it came from.
func (c *Client) scoreboard(ctx context.Context, l league.League, q url.Values) ([]game.Game, error) {
	games, err := fetch(c, ctx, l, "scoreboard", q, ParseScoreboard)
	stampSource(games, c.requestURL(l, "scoreboard", q), c.now())
	return games, err
}

// Teams fetches the league's teams. A college league has hundreds, which
// ESPN pages: pages are asked for until one brings no team not seen
// before (an empty page, or the same page again from a server that does
// not page).
func (c *Client) Teams(ctx context.Context, l league.League) ([]game.Team, error) {
	if !l.College {
		return fetch(c, ctx, l, "teams", nil, ParseTeams)
	}
	var all []game.Team
	seen := map[string]bool{}
	for page := 1; page <= teamPages; page++ {
		q := url.Values{"limit": {groupedLimit}, "page": {strconv.Itoa(page)}}
		ts, err := fetch(c, ctx, l, "teams", q, ParseTeams)
		if err != nil {
			if page > 1 && len(all) > 0 {
				// Keep what the first pages gave; the next refresh tries again.
				c.log.Warn("espn team list page failed", "league", l.Key, "page", page, "err", err)
				break
			}
			return nil, err
		}
		added := 0
		for _, t := range ts {
			if !seen[t.ID] {
				seen[t.ID] = true
				all = append(all, t)
				added++
			}
		}
		if added == 0 {
			break
		}
	}
	return all, nil
}

// TeamSchedule fetches one team's season, future games included. Season 0
// asks for ESPN's default season.
func (c *Client) TeamSchedule(ctx context.Context, l league.League, espnTeamID string, season int) ([]game.Game, error) {
	id := strings.TrimSpace(espnTeamID)
	if !validTeamRef(id) {
		return nil, fmt.Errorf("espn: invalid team id %q", espnTeamID)
	}
	if season < 0 || season > 9999 {
		return nil, fmt.Errorf("espn: invalid season %d", season)
	}
	var q url.Values
	if season != 0 {
		q = url.Values{"season": {strconv.Itoa(season)}}
	}
	return fetch(c, ctx, l, "teams/"+id+"/schedule", q, ParseSchedule)
}

// validTeamRef accepts ESPN team ids and abbreviations, which ESPN also
// takes in this path; nothing else reaches the URL.
func validTeamRef(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// Usage returns the request counters.
func (c *Client) Usage() Usage { return c.usage.snapshot() }

// fetch is one logical call: build the URL, GET with retries, parse.
func fetch[T any](c *Client, ctx context.Context, l league.League, path string, q url.Values, parse func([]byte, league.League) (T, error)) (T, error) {
	start := time.Now()
	out, err := fetchRetry(c, ctx, l, path, q, parse)
	if c.observer != nil {
		c.observer(l.Key, time.Since(start), err)
	}
	return out, err
}

func fetchRetry[T any](c *Client, ctx context.Context, l league.League, path string, q url.Values, parse func([]byte, league.League) (T, error)) (T, error) {
	var zero T
	if l.Sport == "" || l.ESPNLeague == "" {
		return zero, fmt.Errorf("espn: league %q has no ESPN path", l.Key)
	}
	u := c.requestURL(l, path, q)
	for attempt := 0; ; attempt++ {
		body, err := c.once(ctx, u)
		var out T
		if err == nil {
			out, err = parse(body, l)
			if err != nil {
				err = fmt.Errorf("espn: GET %s: %w", u, err)
			}
		}
		c.usage.record(l.Key, err != nil)
		if err == nil {
			return out, nil
		}
		if ctx.Err() != nil {
			return zero, fmt.Errorf("espn: GET %s: %w", u, ctx.Err())
		}
		if attempt >= c.maxRetries || !retry.RetryableError(err) {
			return zero, err
		}
		wait := c.backoff(attempt, err)
		// Each retry is detail: the poller reports an outage once per
		// league, when it starts and when it ends.
		c.log.Debug("espn request failed; retrying", "league", l.Key, "url", u,
			"attempt", attempt+1, "wait", wait, "err", err)
		if serr := c.sleep(ctx, wait); serr != nil {
			return zero, fmt.Errorf("espn: GET %s: %w (last error: %v)", u, serr, err)
		}
	}
}

// requestURL is the address of one ESPN request.
func (c *Client) requestURL(l league.League, path string, q url.Values) string {
	u := c.base + "/" + url.PathEscape(l.Sport) + "/" + url.PathEscape(l.ESPNLeague) + "/" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// transportError is a failure before ESPN's status line or while reading
// the body: a timeout, a refused or reset connection.
type transportError struct{ err error }

func (e *transportError) Error() string { return "espn: " + e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// once sends one GET and returns the body of a 2xx answer.
func (c *Client) once(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("espn: %w", err)
	}
	if err := c.limits.Wait(ctx, req.URL.Host); err != nil {
		return nil, fmt.Errorf("espn: waiting for the request budget: %w", err)
	}
	req.URL.User = c.user
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, &transportError{err}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		// Drain a little more so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		wait, _ := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), c.now())
		return nil, &HTTPError{
			Status:     resp.StatusCode,
			URL:        u,
			RetryAfter: wait,
			Body:       oneLine(string(snippet)),
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, &transportError{fmt.Errorf("reading %s: %w", u, err)}
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("espn: GET %s: %w (over %d bytes)", u, ErrTooLarge, maxBody)
	}
	c.log.Debug("espn request", "url", u, "status", resp.StatusCode, "bytes", len(body), "took", time.Since(start))
	return body, nil
}

// backoff is the wait before retry number attempt+1: ESPN's Retry-After
// when it sent a positive one, else full jitter below base·2^attempt; both
// capped at maxBackoff.
func (c *Client) backoff(attempt int, err error) time.Duration {
	var he *HTTPError
	hasRetryAfter := errors.As(err, &he) && he.RetryAfter > 0
	var after time.Duration
	if hasRetryAfter {
		after = he.RetryAfter
	}
	return retry.Backoff{Base: c.baseBackoff, Max: maxBackoff}.Wait(attempt, after, hasRetryAfter)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}
