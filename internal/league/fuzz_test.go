package league

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzCustom feeds LEAGUES's custom league syntax anything: a spec is
// refused with an error, or is a league whose ESPN paths are two plain
// path segments (nothing that leaves ESPN's league path: no slash, no
// "..", no query) and whose key storage and routes can hold; Lookup then
// finds it, and the same spec gives the same league again.
func FuzzCustom(f *testing.F) {
	for _, s := range []string{
		"cricket/8044", "bbl=cricket/8044", "soccer/eng.2", "football/nfl", "x=football/nfl",
		"cricket/../teams", "cricket/8044/scoreboard", "racing/nascar-premier", " A=Golf/PGA ",
		"cricket/8044?x=1", "=/", "a=b/c=d", "ñ/ü",
	} {
		f.Add(s)
	}
	segment := regexp.MustCompile(`^[a-z0-9][a-z0-9.\-]*$`)
	key := regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	f.Fuzz(func(t *testing.T, spec string) {
		l, err := Custom(spec)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if !segment.MatchString(l.Sport) || !segment.MatchString(l.ESPNLeague) ||
			strings.Contains(l.Sport+l.ESPNLeague, "..") {
			t.Fatalf("%q: paths %q/%q", spec, l.Sport, l.ESPNLeague)
		}
		if !key.MatchString(l.Key) || l.Name != strings.ToUpper(l.Key) {
			t.Fatalf("%q: key %q, name %q", spec, l.Key, l.Name)
		}
		got, ok := Lookup(l.Key)
		if !ok || got.Sport != l.Sport || got.ESPNLeague != l.ESPNLeague {
			t.Fatalf("%q: Lookup(%q) = %+v, %v", spec, l.Key, got, ok)
		}
		again, err := Custom(spec)
		if err != nil || again.Key != l.Key {
			t.Fatalf("%q again: %+v, %v", spec, again, err)
		}
	})
}
