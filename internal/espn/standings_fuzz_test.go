package espn

import (
	"encoding/json"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/sports-data/sports-data/internal/espntest"
)

// FuzzParseStandings: whatever the body, a table or an error, never a
// panic; every entry has a team id and a position from 1.
func FuzzParseStandings(f *testing.F) {
	fuzzing := false
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" {
		fuzzing = true
	}
	for _, rel := range captures(f) {
		if kind(rel) != "standings" {
			continue
		}
		// Whole captures when testing; while fuzzing, shrunk ones (the
		// fuzzer stalls on inputs of hundreds of kilobytes).
		data := espntest.Load(f, rel)
		if !fuzzing {
			f.Add(data)
		}
		f.Add(shrinkStandings(f, data))
	}
	for _, s := range []string{
		"", "{}", "[]", `{"children":null}`, `{"children":[{"standings":{"entries":[{"team":{"id":"1"},"stats":[{"name":"rank","value":-3}]}]}}]}`,
		`{"children":[{"children":[{"children":[{"children":[{"children":[{"children":[{"standings":{"entries":[{"team":{"id":"1"}}]}}]}]}]}]}]}]}`,
		`{"standings":{"season":"x","entries":[{"team":{"id":2,"abbreviation":"A"},"stats":[{"name":"wins","value":"1e400"},{"name":"playoffSeed","value":1e300}]}]}}`,
	} {
		f.Add([]byte(s))
	}
	nfl := mustLeague(f, "nfl")
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ParseStandings(data, nfl)
		if err != nil {
			if !errors.Is(err, ErrNoTable) && !errors.Is(err, ErrInvalidJSON) && !errors.Is(err, ErrEmptyBody) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(tb.Entries) == 0 {
			t.Fatal("a table without entries")
		}
		for _, e := range tb.Entries {
			if strings.TrimSpace(e.TeamID) == "" || e.Position < 1 {
				t.Fatalf("entry %+v", e)
			}
		}
	})
}

// shrinkStandings keeps two entries of each group and drops the answer's
// links, logos and season list.
func shrinkStandings(f *testing.F, data []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		f.Fatal(err)
	}
	var cut func(g map[string]any)
	cut = func(g map[string]any) {
		delete(g, "links")
		delete(g, "seasons")
		if st, ok := g["standings"].(map[string]any); ok {
			if es, ok := st["entries"].([]any); ok && len(es) > 2 {
				st["entries"] = es[:2]
			}
			for _, e := range st["entries"].([]any) {
				if tm, ok := e.(map[string]any)["team"].(map[string]any); ok {
					delete(tm, "logos")
					delete(tm, "links")
				}
			}
		}
		if cs, ok := g["children"].([]any); ok {
			for _, c := range cs {
				if cm, ok := c.(map[string]any); ok {
					cut(cm)
				}
			}
		}
	}
	cut(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		f.Fatal(err)
	}
	return out
}
