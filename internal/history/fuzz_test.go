package history_test

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/teams"
)

var registryAbbr = regexp.MustCompile(`^[A-Z0-9]{1,8}$`)

// FuzzHistoryQuery feeds raw query strings through the same path as the
// HTTP layer (ParseHistoryQuery, then History on a real store) and checks
// that every answer is a clean one and that whatever reaches the store is
// a validated value: an enabled league, a registry abbreviation, a
// storage status word, a season in range.
func FuzzHistoryQuery(f *testing.F) {
	for _, seed := range []string{
		"team=KC&season=2024",
		"team=Chiefs&status=final&page=2&page_size=3",
		"sport=NHL&page=3&page_size=1000",
		"team=nfl-kc&status=finished",
		"team=Panthers",
		"team=Panthers&league=nhl&season=2025",
		"team=NE'+OR+1%3D1+--",
		"team=%22%3B+DROP+TABLE+nfl_games%3B+--",
		"league=nfl_scores%3B",
		"status=final'+OR+'1'%3D'1",
		"season=2024+OR+1%3D1",
		"page_size=0",
		"page_size=1001",
		"page=-1",
		"league=nfl&sport=nhl",
		"status=postponed&league=NFL",
	} {
		f.Add(seed)
	}
	s := openSQLite(f)
	seedKC(f, s)
	dir := newResolver(f)
	enabled := map[string]bool{"nfl": true, "nhl": true}
	storageWords := map[string]bool{"": true, "scheduled": true, "live": true, "finished": true, "postponed": true, "suspended": true, "canceled": true}

	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := history.ParseHistoryQuery(v)
		if err != nil {
			require.ErrorIs(t, err, history.ErrInvalid)
			return
		}
		rec := &recordingReader{r: s}
		svc := history.New(rec, dir, history.Options{Leagues: leagues(t, "nfl", "nhl")})
		page, err := svc.History(context.Background(), q)
		for _, c := range rec.gamesCalls() {
			require.True(t, enabled[c.League], "league %q reached the store", c.League)
			require.True(t, storageWords[c.Status], "status %q reached the store", c.Status)
			require.True(t, c.Season == 0 || (c.Season >= 1900 && c.Season <= 2100), "season %d reached the store", c.Season)
			if c.Team != "" {
				require.Regexp(t, registryAbbr, c.Team)
				_, known := dir.Lookup(c.League, c.Team)
				require.True(t, known, "team %q is not in the registry", c.Team)
			}
		}
		if err != nil {
			var nf *teams.NotFoundError
			var amb *teams.AmbiguousError
			require.True(t, errors.Is(err, history.ErrInvalid) || errors.As(err, &nf) || errors.As(err, &amb), "unexpected error %v", err)
			return
		}
		require.GreaterOrEqual(t, page.Page, 1)
		require.LessOrEqual(t, len(page.Games), page.PageSize)
		require.Equal(t, (page.Total+page.PageSize-1)/page.PageSize, page.TotalPages)
		require.Equal(t, q.Team != "", page.Statistics != nil)
	})
}
