package teams

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ids(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Team.ID
	}
	return out
}

func TestResolveForms(t *testing.T) {
	d := newDir(t, "", "nfl", "nhl")
	tests := []struct {
		input, league, want string
	}{
		{"nfl-ne", "", "nfl-ne"},
		{"NFL-NE", "", "nfl-ne"},
		{"  nfl-ne  ", "nfl", "nfl-ne"},
		{"NE", "", "nfl-ne"},
		{" ne ", "", "nfl-ne"},
		{"Patriots", "", "nfl-ne"},
		{"PATRIOTS", "", "nfl-ne"},
		{"New England Patriots", "", "nfl-ne"},
		{"new   england  patriots", "", "nfl-ne"},
		{"New England", "", "nfl-ne"},
		{"17", "nfl", "nfl-ne"},
		{"17", "NHL", "nhl-col"},
		{"nhl-utah", "", "nhl-utah"},
		{"UTAH", "", "nhl-utah"},
		{"Utah", "nhl", "nhl-utah"},
		{"Utah Hockey Club", "", "nhl-utah"},
		{"Hockey Club", "", "nhl-utah"},
		{"Utah HC", "", "nhl-utah"},
		{"129764", "nhl", "nhl-utah"},
		{"129764", "", "nhl-utah"},
		{"St Louis Blues", "", "nhl-stl"},
		{"st. louis", "", "nhl-stl"},
		{"Blues", "", "nhl-stl"},
		{"49ers", "", "nfl-sf"},
		{"San Francisco 49ers", "", "nfl-sf"},
		{"Golden Knights", "", "nhl-vgk"},
		{"Maple Leafs", "", "nhl-tor"},
		{"LA", "", "nhl-la"},
		{"Kings", "", "nhl-la"},
		{"Rangers", "", "nhl-nyr"},
		{"Jets", "nhl", "nhl-wpg"},
		{"Jets", "NFL", "nfl-nyj"},
		{"Panthers", "nfl", "nfl-car"},
		{"Panthers", "nhl", "nhl-fla"},
		{"CAR", "nhl", "nhl-car"},
		{"Carolina", "nfl", "nfl-car"},
		{"New York", "nfl", ""}, // two NFL teams: ambiguous, checked below
	}
	for _, tt := range tests {
		m, err := d.Resolve(tt.input, tt.league)
		if tt.want == "" {
			continue
		}
		if assert.NoError(t, err, "%q league %q", tt.input, tt.league) {
			assert.Equal(t, tt.want, m.Team.ID, "%q league %q", tt.input, tt.league)
			assert.Equal(t, strings.SplitN(tt.want, "-", 2)[0], m.League.Key)
		}
	}
}

func TestResolveAmbiguous(t *testing.T) {
	d := newDir(t, "", "nfl", "nhl")

	_, err := d.Resolve("Jets", "")
	var amb *AmbiguousError
	require.ErrorAs(t, err, &amb)
	assert.Equal(t, `"Jets" matches several teams: nfl-nyj (New York Jets), nhl-wpg (Winnipeg Jets); add league= to choose`, err.Error())
	assert.Equal(t, "Jets", amb.Input)

	tests := []struct {
		input, league string
		want          []string
	}{
		{"Panthers", "", []string{"nfl-car", "nhl-fla"}},
		{"panthers", "", []string{"nfl-car", "nhl-fla"}},
		{"CAR", "", []string{"nfl-car", "nhl-car"}},
		{"Carolina", "", []string{"nfl-car", "nhl-car"}},
		{"17", "", []string{"nfl-ne", "nhl-col"}},
		{"New York", "", []string{"nfl-nyg", "nfl-nyj", "nhl-nyi", "nhl-nyr"}},
		{"New York", "nfl", []string{"nfl-nyg", "nfl-nyj"}},
		{"Los Angeles", "nfl", []string{"nfl-lac", "nfl-lar"}},
	}
	for _, tt := range tests {
		_, err := d.Resolve(tt.input, tt.league)
		var amb *AmbiguousError
		if assert.ErrorAs(t, err, &amb, "%q", tt.input) {
			assert.Equal(t, tt.want, ids(amb.Candidates), "%q", tt.input)
		}
	}
}

func TestResolveAcrossMoreLeagues(t *testing.T) {
	// MLB teams from the 2025-06-04 scoreboard; NBA teams from the NBA
	// scoreboard plus a hand-made Sacramento Kings (see newDir).
	d := newDir(t, "", "nfl", "nhl", "mlb", "nba")
	tests := []struct {
		input string
		want  []string
	}{
		{"Rangers", []string{"mlb-tex", "nhl-nyr"}},
		{"Kings", []string{"nba-sac", "nhl-la"}},
		{"Cardinals", []string{"mlb-stl", "nfl-ari"}},
		{"Giants", []string{"mlb-sf", "nfl-nyg"}},
		{"Jets", []string{"nfl-nyj", "nhl-wpg"}},
	}
	for _, tt := range tests {
		_, err := d.Resolve(tt.input, "")
		var amb *AmbiguousError
		if assert.ErrorAs(t, err, &amb, tt.input) {
			assert.Equal(t, tt.want, ids(amb.Candidates), tt.input)
			assert.Contains(t, err.Error(), "add league= to choose")
		}
	}
	m, err := d.Resolve("Rangers", "mlb")
	require.NoError(t, err)
	assert.Equal(t, "mlb-tex", m.Team.ID)
	m, err = d.Resolve("Kings", "nba")
	require.NoError(t, err)
	assert.Equal(t, "nba-sac", m.Team.ID)
	m, err = d.Resolve("Texas Rangers", "")
	require.NoError(t, err, "the full name is unique")
	assert.Equal(t, "mlb-tex", m.Team.ID)
}

func TestResolveNotFound(t *testing.T) {
	d := newDir(t, "", "nfl", "nhl")

	cases := []struct {
		input     string
		wantFirst string
	}{
		{"Patriotz", "nfl-ne"},
		{"patri", "nfl-ne"},
		{"Bruns", "nhl-bos"},
		{"Mapel Leafs", "nhl-tor"},
		{"New Englnd Patriots", "nfl-ne"},
		{"Seahawk", "nfl-sea"},
		{"Kansas City Chiefs fans", "nfl-kc"},
	}
	for _, c := range cases {
		_, err := d.Resolve(c.input, "")
		var nf *NotFoundError
		if !assert.ErrorAs(t, err, &nf, c.input) {
			continue
		}
		require.NotEmpty(t, nf.Suggestions, c.input)
		assert.Equal(t, c.wantFirst, nf.Suggestions[0].Team.ID, c.input)
		assert.Contains(t, err.Error(), "did you mean "+nf.Suggestions[0].String(), c.input)
		assert.Nil(t, nf.Reason)
	}

	_, err := d.Resolve("Jest", "")
	var nf *NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.ElementsMatch(t, []string{"nfl-nyj", "nhl-wpg"}, ids(nf.Suggestions[:2]), "one swap away from Jets")

	// Many close names: at most five, in the message too.
	_, err = d.Resolve("New", "")
	require.ErrorAs(t, err, &nf)
	assert.Len(t, nf.Suggestions, 5)
	assert.Equal(t, 4, strings.Count(err.Error(), "), "), "five suggestions in the message")

	// Nothing close.
	_, err = d.Resolve("xyzzy", "")
	require.ErrorAs(t, err, &nf)
	assert.Empty(t, nf.Suggestions)
	assert.Equal(t, `no team matches "xyzzy"`, err.Error())

	// Suggestions stay within the league asked for.
	_, err = d.Resolve("Jest", "nhl")
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, []string{"nhl-wpg"}, ids(nf.Suggestions))

	// A prefixed id with a wrong abbreviation or the wrong league.
	_, err = d.Resolve("nfl-zz", "")
	require.ErrorAs(t, err, &nf)
	_, err = d.Resolve("nfl-ne", "nhl")
	require.ErrorAs(t, err, &nf)
	_, err = d.Resolve("nfl-nee", "")
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, "nfl-ne", nf.Suggestions[0].Team.ID)

	// An ESPN id nobody has.
	_, err = d.Resolve("999999", "nfl")
	require.ErrorAs(t, err, &nf)
}

func TestResolveBadInput(t *testing.T) {
	d := newDir(t, "", "nfl", "nhl")

	long := strings.Repeat("Patriots", 9) // 72 characters
	_, err := d.Resolve(long, "")
	var nf *NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Empty(t, nf.Suggestions)
	assert.ErrorIs(t, err, ErrInvalidInput)
	assert.Less(t, len(nf.Input), len(long))

	for _, in := range []string{"", "   ", "\t\n"} {
		_, err = d.Resolve(in, "")
		assert.ErrorIs(t, err, ErrInvalidInput, "%q", in)
	}

	// Leagues that are not followed, by parameter or by prefix.
	for _, c := range [][2]string{{"Lakers", "nba"}, {"nba-lal", ""}, {"NE", "xfl"}, {"nba-lal", "nfl"}} {
		_, err = d.Resolve(c[0], c[1])
		require.ErrorAs(t, err, &nf, "%v", c)
		assert.ErrorIs(t, err, ErrLeagueNotEnabled, "%v", c)
		assert.Contains(t, err.Error(), "enabled: nfl, nhl")
	}

	// Odd bytes never panic and never echo raw control characters.
	for _, in := range []string{"\x00", "\xff\xfe", "nfl-", "-ne", "nfl--ne", "🏈", strings.Repeat("é", 40)} {
		_, err = d.Resolve(in, "")
		require.Error(t, err, "%q", in)
		assert.True(t, utf8.ValidString(err.Error()))
		assert.NotContains(t, err.Error(), "\x00")
	}
}

func TestResolveBeforeTeamsAreKnown(t *testing.T) {
	d := NewDirectory("", nil, nil)
	_, err := d.Resolve("Patriots", "")
	var nf *NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.False(t, errors.Is(err, ErrInvalidInput))
}

func TestDistance(t *testing.T) {
	assert.Equal(t, 0, distance("jets", "jets", 3))
	assert.Equal(t, 1, distance("jest", "jets", 3), "a swap is one edit")
	assert.Equal(t, 1, distance("bruns", "bruins", 3))
	assert.Equal(t, 3, distance("kitten", "sitting", 3))
	assert.Equal(t, 2, distance("abc", "xyzabc", 1), "over the limit: limit+1")
	assert.Equal(t, 2, distance("aaaa", "bbbb", 1))
	assert.Equal(t, 1, distance("é", "e", 2), "by rune, not byte")
}

func FuzzResolve(f *testing.F) {
	d := newDir(f, "", "nfl", "nhl")
	for _, s := range []string{
		"nfl-ne", "NE", "Patriots", "New England Patriots", "Jets", "Panthers", "17", "129764",
		"New York", "Utah HC", "st. louis", "Patriotz", "", "nfl-", "-", "nba-lal",
		strings.Repeat("x", 65), "\xff", "é", "Kings",
	} {
		for _, l := range []string{"", "nfl", "NHL", "nba", "\x00"} {
			f.Add(s, l)
		}
	}
	f.Fuzz(func(t *testing.T, input, leagueKey string) {
		m, err := d.Resolve(input, leagueKey)
		if err == nil {
			got, ok := d.Lookup(m.League.Key, m.Team.Abbreviation)
			if !ok || got.ID != m.Team.ID {
				t.Fatalf("resolved %q to %s, which the directory does not hold", input, m.Team.ID)
			}
			return
		}
		var amb *AmbiguousError
		var nf *NotFoundError
		switch {
		case errors.As(err, &amb):
			if len(amb.Candidates) < 2 {
				t.Fatalf("ambiguous with %d candidates", len(amb.Candidates))
			}
		case errors.As(err, &nf):
			if len(nf.Suggestions) > maxSuggestions {
				t.Fatalf("%d suggestions", len(nf.Suggestions))
			}
		default:
			t.Fatalf("untyped error %T: %v", err, err)
		}
		if len(err.Error()) > 2000 {
			t.Fatalf("error message of %d bytes", len(err.Error()))
		}
	})
}
