// Package poller follows each enabled league on ESPN: one loop per league,
// at the live cadence while a game is live or about to start and at the idle
// cadence otherwise. Each poll publishes the league's games to the in-memory
// state and hands them to the observers (the change recorder and the webhook
// detector). When ESPN fails, the last good games stay published. A month
// answer that ESPN cut short is filled day by day, and each league's
// status says what ESPN last answered and whether its answers can still
// be trusted.
package poller

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/kickoff"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/retry"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/tz"
)

// Fetcher is the part of the ESPN client the poller uses. Every call is a
// single day, a whole month or the team list: ESPN refuses date ranges.
type Fetcher interface {
	ScoreboardDay(ctx context.Context, l league.League, day time.Time) (espn.Scoreboard, error)
	ScoreboardMonth(ctx context.Context, l league.League, year int, month time.Month) (espn.Scoreboard, error)
	Teams(ctx context.Context, l league.League) ([]game.Team, error)
}

// Observer receives every game of every successful poll.
type Observer interface {
	Observe(leagueKey string, games []game.Game)
}

// TeamDirectory keeps the teams of each league.
type TeamDirectory interface {
	Set(l league.League, teams []game.Team) error
	Teams(leagueKey string) []game.Team
	Lookup(leagueKey, abbreviation string) (game.Team, bool)
	// Observe learns the teams a poll names (ESPN's college team lists
	// are incomplete).
	Observe(leagueKey string, games []game.Game)
}

// Options tune the loops. Zero values take the defaults in brackets.
type Options struct {
	LiveInterval  time.Duration // [15s] while a game is live or starts within LiveLead
	IdleInterval  time.Duration // [5m]
	LiveLead      time.Duration // [kickoff.Lead]
	UpcomingEvery time.Duration // [1h] refresh of the next Horizon of games
	Horizon       time.Duration // [7 days]
	TeamsEvery    time.Duration // [24h]
	FetchTimeout  time.Duration // [45s] bound of one poll's ESPN calls
	// RetryBase is the first pause after a failed poll [1s, at most
	// LiveInterval]; it doubles with each failure up to LiveInterval.
	RetryBase time.Duration
	Now       func() time.Time
	Logger    *slog.Logger
	// OnPoll, when set, is called after every poll attempt (metrics).
	OnPoll func(leagueKey string, lag time.Duration, err error)
	// OnTruncated, when set, is called for every answer that looked cut
	// short (metrics).
	OnTruncated func(leagueKey string)
	// OnDegraded, when set, is called after every poll attempt with
	// whether the league's answers cannot be trusted (metrics).
	OnDegraded func(leagueKey string, degraded bool)
}

func (o *Options) defaults() {
	if o.LiveInterval <= 0 {
		o.LiveInterval = 15 * time.Second
	}
	if o.IdleInterval <= 0 {
		o.IdleInterval = 5 * time.Minute
	}
	if o.LiveLead <= 0 {
		o.LiveLead = kickoff.Lead
	}
	if o.UpcomingEvery <= 0 {
		o.UpcomingEvery = time.Hour
	}
	if o.Horizon <= 0 {
		o.Horizon = 7 * 24 * time.Hour
	}
	if o.TeamsEvery <= 0 {
		o.TeamsEvery = 24 * time.Hour
	}
	if o.FetchTimeout <= 0 {
		o.FetchTimeout = 45 * time.Second
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Second
	}
	o.RetryBase = min(o.RetryBase, o.LiveInterval)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// LeagueStatus is what /health says about one league's polling.
type LeagueStatus struct {
	League              string    `json:"league"`
	LastAttempt         time.Time `json:"last_attempt"`
	LastSuccess         time.Time `json:"last_success"`
	LastError           string    `json:"last_error"`
	ConsecutiveFailures int       `json:"consecutive_failures"`
	StaleSeconds        float64   `json:"stale_seconds"`
	Games               int       `json:"games"`
	IntervalSeconds     float64   `json:"interval_seconds"`
	TeamsLoadedAt       time.Time `json:"teams_loaded_at"`
	Polls               int64     `json:"polls"`
	// The last scoreboard answer: when it came, its HTTP status (0 when
	// none came) and how many events it held, and its age when Status
	// was called.
	LastAnswerAt         time.Time `json:"last_answer_at"`
	LastAnswerStatus     int       `json:"last_answer_status"`
	LastAnswerEvents     int       `json:"last_answer_events"`
	LastAnswerAgeSeconds float64   `json:"last_answer_age_seconds"`
	// TruncatedAnswers counts the answers since start that looked cut
	// short (a month's is then asked day by day).
	TruncatedAnswers int64     `json:"truncated_answers"`
	LastTruncatedAt  time.Time `json:"last_truncated_at"`
	// Degraded says why the league's data cannot be trusted now (ESPN
	// refused or failed, an answer no longer reads, a day is empty though
	// its month lists games); empty when it can.
	Degraded string `json:"degraded"`
	// live is true while the league is polled at the live cadence.
	live bool
}

// OK reports whether the league's last poll succeeded.
func (s LeagueStatus) OK() bool { return !s.LastSuccess.IsZero() && s.ConsecutiveFailures == 0 }

// noAnswerYet is the degraded reason of a league before its first poll.
const noAnswerYet = "no answer from ESPN yet"

// Poller owns one loop per league.
type Poller struct {
	f       Fetcher
	st      *state.State
	dir     TeamDirectory
	obs     []Observer
	leagues []league.League
	o       Options
	eastern *time.Location

	mu     sync.Mutex
	status map[string]*LeagueStatus
}

// New builds a poller; Run starts it.
func New(f Fetcher, st *state.State, dir TeamDirectory, obs []Observer, leagues []league.League, o Options) *Poller {
	o.defaults()
	p := &Poller{f: f, st: st, dir: dir, obs: obs, leagues: leagues, o: o, eastern: tz.Eastern,
		status: map[string]*LeagueStatus{}}
	for _, l := range leagues {
		p.status[l.Key] = &LeagueStatus{League: l.Key, Degraded: noAnswerYet}
	}
	return p
}

// Run polls every league until ctx is cancelled, then returns once every
// loop has stopped.
func (p *Poller) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, l := range p.leagues {
		wg.Add(1)
		go func(l league.League) {
			defer wg.Done()
			p.loop(ctx, l)
		}(l)
	}
	wg.Wait()
}

// Live reports whether a league is polled at the live cadence now.
func (p *Poller) Live(leagueKey string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.status[leagueKey]
	return ok && st.live
}

// Status reports every league's polling health.
func (p *Poller) Status() []LeagueStatus {
	now := p.o.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]LeagueStatus, 0, len(p.leagues))
	for _, l := range p.leagues {
		s := *p.status[l.Key]
		if !s.LastSuccess.IsZero() {
			s.StaleSeconds = now.Sub(s.LastSuccess).Seconds()
		}
		if !s.LastAnswerAt.IsZero() {
			s.LastAnswerAgeSeconds = now.Sub(s.LastAnswerAt).Seconds()
		}
		out = append(out, s)
	}
	return out
}

// leagueLoop is what one league's loop keeps from one poll to the next.
type leagueLoop struct {
	l league.League
	// games is the merged view of the upcoming horizon (refreshed hourly
	// by month) and the days polled at the current cadence.
	games                          map[string]game.Game
	upcomingAt, teamsAt, downSince time.Time
	first                          bool
	// The day a cut answer was last warned about, and the degraded
	// reason last warned about: one line each, not one per poll.
	warnedCut, warnedReason string
}

func newLeagueLoop(l league.League) *leagueLoop {
	return &leagueLoop{l: l, games: map[string]game.Game{}, first: true}
}

// loop is one league's polling loop.
func (p *Poller) loop(ctx context.Context, l league.League) {
	ll := newLeagueLoop(l)
	for {
		interval, ok := p.step(ctx, ll)
		if !ok {
			return
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// step is one turn of a league's loop: the team list when it is due, one
// poll, the league's status and what is logged of it. It returns the wait
// before the next turn, and false once ctx has ended.
func (p *Poller) step(ctx context.Context, ll *leagueLoop) (time.Duration, bool) {
	l, now := ll.l, p.o.Now()
	var teamsErr error
	// A league without any team yet asks for the list at every poll:
	// team lookups fail until it is there. Leagues of athletes have no
	// list: the directory learns them from the polls.
	if l.TeamList() && (now.Sub(ll.teamsAt) >= p.o.TeamsEvery || ll.teamsAt.IsZero() || p.noTeams(l)) {
		if teamsErr = p.refreshTeams(ctx, l); teamsErr == nil {
			ll.teamsAt = now
		} else {
			// Try again in an hour rather than at every poll.
			ll.teamsAt = now.Add(time.Hour - p.o.TeamsEvery)
		}
	}
	answers, err := p.poll(ctx, l, ll.games, now, &ll.upcomingAt, ll.first)
	if ctx.Err() != nil {
		return 0, false
	}
	ll.first = false
	ll.warnedCut = p.noteTruncated(l, answers, now, ll.warnedCut)
	reason := degradedReason(answers, ll.games, p.eastern)
	live := p.liveCadence(ll.games, p.o.Now())
	interval := p.interval(live)
	p.mu.Lock()
	st := p.status[l.Key]
	st.live = live
	st.LastAttempt = now
	st.Polls++
	if err != nil {
		st.LastError = err.Error()
		st.ConsecutiveFailures++
		// ESPN unreachable: try again within the live cadence, not
		// after the idle interval, so that its return is seen soon.
		interval = min(interval, p.retryWait(st.ConsecutiveFailures))
	} else {
		st.LastSuccess = now
		st.ConsecutiveFailures = 0
		st.LastError = ""
	}
	failures := st.ConsecutiveFailures
	st.IntervalSeconds = interval.Seconds()
	st.Games = len(ll.games)
	st.noteAnswers(answers, reason)
	p.mu.Unlock()
	if p.o.OnPoll != nil {
		p.o.OnPoll(l.Key, p.o.Now().Sub(now), err)
	}
	if p.o.OnDegraded != nil {
		p.o.OnDegraded(l.Key, reason != "")
	}
	ll.downSince = p.report(l, err, teamsErr, failures, ll.downSince, now)
	ll.warnedReason = p.reportDegraded(l, ll.warnedReason, reason, err)
	return interval, true
}

// retryWait is the pause after the failures-th failed poll in a row:
// exponential backoff with jitter from RetryBase up to LiveInterval,
// never less than half of RetryBase.
func (p *Poller) retryWait(failures int) time.Duration {
	b := retry.Backoff{Base: p.o.RetryBase, Max: p.o.LiveInterval}
	return max(b.Delay(failures-1), p.o.RetryBase/2)
}

// noTeams reports whether the directory holds no team of the league.
func (p *Poller) noTeams(l league.League) bool {
	return p.dir != nil && len(p.dir.Teams(l.Key)) == 0
}

// refreshTeams replaces the league's team list with ESPN's; on failure
// the cached teams stay and the error is returned for the caller to report.
func (p *Poller) refreshTeams(ctx context.Context, l league.League) error {
	if p.dir == nil || !l.TeamList() {
		return nil
	}
	fctx, cancel := context.WithTimeout(ctx, p.o.FetchTimeout)
	defer cancel()
	teams, err := p.f.Teams(fctx, l)
	if err != nil {
		return err
	}
	if len(teams) == 0 {
		return errors.New("ESPN listed no teams")
	}
	if err := p.dir.Set(l, teams); err != nil {
		p.o.Logger.Warn("team cache not written", "league", l.Key, "err", err)
	}
	p.mu.Lock()
	p.status[l.Key].TeamsLoadedAt = p.o.Now()
	p.mu.Unlock()
	return nil
}

// poll fetches what is due, merges it into games, publishes and notifies.
// It returns every scoreboard answer in the order asked and the first
// fetch error; whatever was fetched is still used.
func (p *Poller) poll(ctx context.Context, l league.League, games map[string]game.Game, now time.Time, upcomingAt *time.Time, first bool) ([]answer, error) {
	fctx, cancel := context.WithTimeout(ctx, p.o.FetchTimeout)
	defer cancel()
	f := &pollFetch{p: p, ctx: fctx, l: l, games: games, fresh: map[string]bool{}}

	// The upcoming window by month, when it is due.
	today := now.In(p.eastern)
	if upcomingAt.IsZero() || now.Sub(*upcomingAt) >= p.o.UpcomingEvery {
		if f.months(now, today) {
			*upcomingAt = now
		}
	}
	// Yesterday while one of its games may still be on, and today.
	yesterday := today.AddDate(0, 0, -1)
	if first || p.unfinishedOn(games, yesterday, now) {
		f.day(yesterday)
	}
	f.day(today)
	if ctx.Err() != nil {
		return f.answers, ctx.Err()
	}

	// The merged view to the state, then the poll's games to the directory
	// and the observers.
	p.publish(l, games, f.fresh, f.seen, f.firstErr, now)
	p.notify(l, games, f.seen, f.firstErr)
	return f.answers, f.firstErr
}

// publish forgets the games that are no longer current and puts the rest,
// with the directory's logos and colours, in the state, unless the poll
// failed without bringing any game.
func (p *Poller) publish(l league.League, games map[string]game.Game, fresh map[string]bool, seen []game.Game, firstErr error, now time.Time) {
	p.prune(games, fresh, now)
	published := make([]game.Game, 0, len(games))
	for _, g := range games {
		published = append(published, p.withTeamFallback(l, g))
	}
	if len(seen) > 0 || firstErr == nil {
		// The cadence is known before the games are: a reader of the new
		// games must not see the previous poll's cadence.
		live := p.liveCadence(games, now)
		p.mu.Lock()
		p.status[l.Key].live = live
		p.mu.Unlock()
		p.st.Replace(l.Key, published, now)
	}
}

// notify hands the games the poll fetched, each once and in its freshest
// copy, to the team directory and then to every observer.
func (p *Poller) notify(l league.League, games map[string]game.Game, seen []game.Game, firstErr error) {
	if len(seen) == 0 && firstErr == nil && p.dir != nil {
		// A poll without any game still tells a league of athletes'
		// directory that nobody is there to learn (teams.Directory.Observe).
		p.dir.Observe(l.Key, nil)
	}
	if len(seen) > 0 {
		latest := latestCopies(games, seen)
		// The directory first: it learns the teams a poll names before
		// any observer resolves them.
		if p.dir != nil {
			p.dir.Observe(l.Key, latest)
		}
		for _, o := range p.obs {
			o.Observe(l.Key, latest)
		}
	}
}

// latestCopies lists each game of seen once, in the order first seen.
func latestCopies(games map[string]game.Game, seen []game.Game) []game.Game {
	dedup := make(map[string]int, len(seen))
	var latest []game.Game
	for _, g := range seen {
		// The merged view holds the freshest copy; a game pruned from
		// it just now (an old final of the month) goes out as fetched.
		if cur, ok := games[g.ID]; ok {
			g = cur
		}
		if i, ok := dedup[g.ID]; ok {
			latest[i] = g
			continue
		}
		dedup[g.ID] = len(latest)
		latest = append(latest, g)
	}
	return latest
}

// prune forgets games that are long over or beyond the horizon. Games on
// the scoreboard just fetched stay: ESPN showing them makes them current.
func (p *Poller) prune(games map[string]game.Game, fresh map[string]bool, now time.Time) {
	for id, g := range games {
		if g.Start.IsZero() || fresh[id] {
			continue
		}
		if g.Status.Over() && now.Sub(g.Start) > 48*time.Hour {
			delete(games, id)
		} else if g.Start.Sub(now) > p.o.Horizon+48*time.Hour {
			delete(games, id)
		} else if !g.Status.Over() && now.Sub(g.Start) > 14*24*time.Hour {
			// A game ESPN never finished (data error) must not pin the
			// live cadence forever.
			delete(games, id)
		}
	}
}

// interval is the wait before the next poll.
func (p *Poller) interval(live bool) time.Duration {
	if live {
		return p.o.LiveInterval
	}
	return p.o.IdleInterval
}

// liveCadence picks the cadence: live while a game is live, starts within
// LiveLead, or is a delayed start (kickoff.LateStart).
func (p *Poller) liveCadence(games map[string]game.Game, now time.Time) bool {
	for _, g := range games {
		switch g.Status {
		case game.StatusLive:
			return true
		case game.StatusScheduled:
			if g.Start.IsZero() || !g.TimeValid {
				continue
			}
			until := g.Start.Sub(now)
			if until <= p.o.LiveLead && until > -kickoff.LateStart {
				return true
			}
		}
	}
	return false
}

// withTeamFallback fills logo and colours from the team directory where the
// scoreboard had none.
func (p *Poller) withTeamFallback(l league.League, g game.Game) game.Game {
	if p.dir == nil {
		return g
	}
	fill := func(t *game.Team) {
		if t.Logo != "" && t.Colors != game.DefaultColors {
			return
		}
		dt, ok := p.dir.Lookup(l.Key, t.Abbreviation)
		if !ok {
			return
		}
		if t.Logo == "" {
			t.Logo = dt.Logo
		}
		if t.Colors == game.DefaultColors {
			t.Colors = dt.Colors
		}
	}
	fill(&g.HomeTeam)
	fill(&g.AwayTeam)
	return g
}
