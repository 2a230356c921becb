// Package schedule keeps every followed team's season schedule in the store
// from ESPN's team schedule endpoint, so that a season is complete (played
// and upcoming games) before the poller has watched any of it. A soccer
// club's schedule lists played games only; its coming matches come from
// its fixtures, in every followed competition.
//
// ESPN publishes no rate limit and asks for politeness, so a refresh cycle
// does not fetch every team at once: the teams' requests are spread evenly
// over Options.Spread, and cycles start Options.Every apart. The teams
// users care about (Options.Wanted) go first and without that pause, so
// that their schedules are there within a minute of start.
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/retry"
)

// ScheduleFetcher loads one team's schedule of one season.
type ScheduleFetcher interface {
	TeamSchedule(ctx context.Context, l league.League, espnTeamID string, season int) ([]game.Game, error)
}

// Observer takes game snapshots and stores what changed.
type Observer interface {
	Observe(leagueKey string, games []game.Game)
}

// Options configure a Refresher. Zero values take the defaults.
type Options struct {
	Every  time.Duration // 24h between the starts of two cycles
	Spread time.Duration // 6h over which one cycle's requests are spread
	// FirstSpread spreads the first cycle after start, which fills the
	// schedules of a new installation: 10m, one request every ~10 s for
	// two leagues of 32 teams.
	FirstSpread time.Duration
	// Retry is the longest first pause before teams that failed for a
	// reason that may pass (up to twice) and leagues whose team list was
	// still empty are tried again within a cycle; later pauses grow, with
	// the service's retry policy (package retry), up to 8×Retry; 1m.
	Retry time.Duration
	// TeamsWait is the pause before leagues whose team list was still
	// empty are looked at again when no failed team waits; 5s.
	TeamsWait time.Duration
	// Wanted lists the teams users care about (saved teams, webhook and
	// MQTT teams); it is asked at the start of every cycle. Their
	// schedules are fetched first, one after the other, before the rest
	// is spread.
	Wanted func() []TeamKey
	// Season is the season to load for a league; the league's current
	// season by the calendar when nil.
	Season func(l league.League) int
	// Fixtures, when set, loads a soccer club's coming matches in every
	// competition (espn.Client.TeamFixtures): ESPN's soccer team
	// schedules list played games only (docs/espn.md).
	Fixtures func(ctx context.Context, l league.League, espnTeamID string) ([]game.Game, error)
	Now      func() time.Time
	Logger   *slog.Logger
}

// TeamKey names a team by league key and ESPN abbreviation. An empty
// League matches the abbreviation in every league.
type TeamKey struct {
	League       string
	Abbreviation string
}

// retryPasses is how often a cycle goes back to the teams that failed.
const retryPasses = 2

// Refresher runs the schedule refresh cycles.
type Refresher struct {
	f       ScheduleFetcher
	teamsOf func(leagueKey string) []game.Team
	obs     Observer
	leagues []league.League
	o       Options
	log     *slog.Logger
}

// NewRefresher builds a Refresher over the enabled leagues. teamsOf lists
// a league's teams as the team directory knows them (it may be empty until
// the directory has loaded).
func NewRefresher(f ScheduleFetcher, teamsOf func(leagueKey string) []game.Team, obs Observer, leagues []league.League, o Options) *Refresher {
	if o.Every <= 0 {
		o.Every = 24 * time.Hour
	}
	if o.Spread <= 0 {
		o.Spread = 6 * time.Hour
	}
	o.Spread = min(o.Spread, o.Every)
	if o.FirstSpread <= 0 {
		o.FirstSpread = 10 * time.Minute
	}
	o.FirstSpread = min(o.FirstSpread, o.Spread)
	if o.Retry <= 0 {
		o.Retry = time.Minute
	}
	if o.TeamsWait <= 0 {
		o.TeamsWait = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Season == nil {
		now := o.Now
		o.Season = func(l league.League) int {
			t := now()
			return l.SeasonFor(t.Year(), int(t.Month()))
		}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	// Athletes (and cricket teams) have no season schedule at ESPN.
	var scheduled []league.League
	for _, l := range leagues {
		if l.TeamList() {
			scheduled = append(scheduled, l)
		}
	}
	return &Refresher{f: f, teamsOf: teamsOf, obs: obs, leagues: scheduled, o: o, log: o.Logger}
}

type job struct {
	l     league.League
	team  game.Team
	tries int
}

// Run refreshes every team's schedule now and then every Options.Every,
// until ctx is done.
func (r *Refresher) Run(ctx context.Context) {
	spread := r.o.FirstSpread
	for {
		started := r.o.Now()
		r.cycle(ctx, spread)
		spread = r.o.Spread
		wait := r.o.Every - r.o.Now().Sub(started)
		if !sleep(ctx, max(wait, 0)) {
			return
		}
	}
}

// cycle is one pass over every team, then up to retryPasses passes over
// the teams that failed. Leagues without teams yet (the team directory
// loads from ESPN too) are looked at again every Retry until the cycle's
// time is up.
func (r *Refresher) cycle(ctx context.Context, firstSpread time.Duration) {
	deadline := r.o.Now().Add(r.o.Every)
	seasons := make(map[string]int, len(r.leagues))
	for _, l := range r.leagues {
		seasons[l.Key] = r.o.Season(l)
	}
	jobs, empty := r.jobs(r.leagues)
	jobs, wanted := r.wantedFirst(jobs)
	spread := firstSpread
	var games, failed int
	for pass := 0; ; pass++ {
		if pass > 0 {
			if len(jobs) == 0 && len(empty) == 0 {
				break
			}
			pause := retry.Backoff{Base: r.o.Retry, Max: 8 * r.o.Retry}.Delay(pass - 1)
			// With only leagues without teams left, look again soon: their
			// list comes with the first poll after start, and the wanted
			// teams' schedules are due within a minute of it.
			if len(jobs) == 0 {
				pause = min(r.o.Retry, r.o.TeamsWait)
			}
			if !r.o.Now().Add(pause).Before(deadline) {
				break
			}
			if !sleep(ctx, pause) {
				return
			}
			var more []job
			more, empty = r.jobs(empty)
			more, wanted = r.wantedFirst(more)
			jobs = append(more, jobs...)
			// A league that just got its teams is spread like a first
			// pass; retries alone are few and go within a retry pause.
			spread = r.o.Retry
			if len(more) > 0 {
				spread = firstSpread
			}
		}
		var again []job
		for i, j := range jobs {
			if i > 0 && i >= wanted && !sleep(ctx, spread/time.Duration(len(jobs)-wanted)) {
				return
			}
			n, err := r.RefreshTeam(ctx, j.l, j.team, seasons[j.l.Key])
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				r.log.Warn("team schedule refresh failed", "league", j.l.Key, "team", j.team.Abbreviation, "err", err)
				failed++
				// ESPN answering 404 or an unreadable schedule will not
				// change within a minute; the next cycle asks again.
				if j.tries++; j.tries <= retryPasses && retry.RetryableError(err) {
					again = append(again, j)
				}
				continue
			}
			games += n
		}
		jobs, wanted = again, 0
	}
	for _, l := range empty {
		r.log.Warn("no teams known for league; its schedules were not refreshed", "league", l.Key)
	}
	r.log.Info("team schedules refreshed", "games", games, "failed_requests", failed)
}

// wantedFirst moves the jobs of wanted teams to the front, keeping the
// order otherwise, and returns how many there are.
func (r *Refresher) wantedFirst(jobs []job) ([]job, int) {
	if r.o.Wanted == nil || len(jobs) == 0 {
		return jobs, 0
	}
	keys := r.o.Wanted()
	isWanted := func(j job) bool {
		for _, k := range keys {
			if (k.League == "" || strings.EqualFold(k.League, j.l.Key)) && strings.EqualFold(k.Abbreviation, j.team.Abbreviation) {
				return true
			}
		}
		return false
	}
	out := make([]job, 0, len(jobs))
	for _, j := range jobs {
		if isWanted(j) {
			out = append(out, j)
		}
	}
	n := len(out)
	for _, j := range jobs {
		if !isWanted(j) {
			out = append(out, j)
		}
	}
	return out, n
}

func (r *Refresher) jobs(leagues []league.League) (jobs []job, empty []league.League) {
	for _, l := range leagues {
		teams := r.teamsOf(l.Key)
		if len(teams) == 0 {
			empty = append(empty, l)
			continue
		}
		for _, t := range teams {
			jobs = append(jobs, job{l: l, team: t})
		}
	}
	return jobs, empty
}

// RefreshTeam loads one team's season schedule now and hands it to the
// observer. It returns how many games were handed over.
//
// Games in progress, and scheduled games whose start has passed, are left
// out: the scoreboard poller follows those, and a schedule answer (cached
// longer by ESPN) must not put an older state after a newer one.
func (r *Refresher) RefreshTeam(ctx context.Context, l league.League, team game.Team, season int) (int, error) {
	if team.ESPNID == "" {
		return 0, fmt.Errorf("schedule %s %s: the team has no ESPN id", l.Key, team.Abbreviation)
	}
	games, err := r.f.TeamSchedule(ctx, l, team.ESPNID, season)
	if err != nil {
		return 0, fmt.Errorf("schedule %s %s %d: %w", l.Key, team.Abbreviation, season, err)
	}
	now := r.o.Now()
	keep := games[:0:0]
	for _, g := range games {
		if g.Season != 0 && g.Season != season {
			continue
		}
		if g.Status == game.StatusLive {
			continue
		}
		if g.Status == game.StatusScheduled && !g.Start.IsZero() && g.Start.Before(now) {
			continue
		}
		keep = append(keep, g)
	}
	if len(keep) > 0 {
		r.obs.Observe(l.Key, keep)
	}
	if l.Sport != league.Soccer || r.o.Fixtures == nil {
		return len(keep), nil
	}
	n, err := r.fixtures(ctx, l, team, now)
	if err != nil {
		return len(keep) + n, fmt.Errorf("fixtures %s %s: %w", l.Key, team.Abbreviation, err)
	}
	return len(keep) + n, nil
}

// fixtures hands a club's coming matches to the observer, each under the
// followed league of its competition; matches of competitions the service
// does not follow, and those already under way, are left out (the poller
// follows a started game). It returns how many were handed over.
func (r *Refresher) fixtures(ctx context.Context, l league.League, team game.Team, now time.Time) (int, error) {
	games, err := r.o.Fixtures(ctx, l, team.ESPNID)
	if err != nil {
		return 0, err
	}
	byLeague := map[string][]game.Game{}
	for _, g := range games {
		fl, ok := league.Lookup(g.League)
		if !ok || !r.follows(fl.Key) {
			continue
		}
		if g.Status != game.StatusScheduled || g.Start.IsZero() || g.Start.Before(now) {
			continue
		}
		byLeague[fl.Key] = append(byLeague[fl.Key], g)
	}
	n := 0
	for _, fl := range r.leagues {
		if gs := byLeague[fl.Key]; len(gs) > 0 {
			r.obs.Observe(fl.Key, gs)
			n += len(gs)
		}
	}
	return n, nil
}

func (r *Refresher) follows(leagueKey string) bool {
	for _, l := range r.leagues {
		if l.Key == leagueKey {
			return true
		}
	}
	return false
}

// sleep waits d or until ctx is done; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	return retry.Sleep(ctx, d) == nil
}
