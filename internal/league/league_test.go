package league

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeasonFor(t *testing.T) {
	nfl, _ := Lookup("nfl")
	nhl, _ := Lookup("NHL")
	mlb, _ := Lookup("mlb")
	assert.Equal(t, 2024, nfl.SeasonFor(2025, 2), "a Super Bowl in February belongs to the season before")
	assert.Equal(t, 2025, nfl.SeasonFor(2025, 9))
	assert.Equal(t, 2023, nhl.SeasonFor(2022, 9), "ESPN names NHL seasons by the year they end in")
	assert.Equal(t, 2025, nhl.SeasonFor(2025, 4))
	assert.Equal(t, 2025, mlb.SeasonFor(2025, 6))
}

func TestSeasonWindowHoldsTheSeason(t *testing.T) {
	cases := []struct {
		league string
		season int
		games  []time.Time
	}{
		// Super Bowl LIX (season 2024) on 2025-02-09; KC's 2023 opener on 2023-09-08.
		{"nfl", 2024, []time.Time{time.Date(2024, 9, 5, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 9, 23, 30, 0, 0, time.UTC)}},
		// An NHL preseason game of 2022-09-25 is season 2023; the final in June 2023.
		{"nhl", 2023, []time.Time{time.Date(2022, 9, 25, 0, 0, 0, 0, time.UTC), time.Date(2023, 6, 13, 0, 0, 0, 0, time.UTC)}},
		{"mlb", 2025, []time.Time{time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)}},
	}
	for _, c := range cases {
		l, ok := Lookup(c.league)
		require.True(t, ok)
		from, to := l.SeasonWindow(c.season)
		for _, g := range c.games {
			assert.True(t, !g.Before(from) && g.Before(to), "%s %d: %s outside [%s, %s)", c.league, c.season, g, from, to)
		}
	}
}

func TestParseList(t *testing.T) {
	ls, err := ParseList("nfl, NHL,nfl")
	require.NoError(t, err)
	assert.Len(t, ls, 2)
	_, err = ParseList("xfl")
	require.ErrorContains(t, err, "xfl")
}
