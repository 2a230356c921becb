package espn

import (
	"encoding/json"
	"flag"
	"strings"
	"testing"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// seedCaptures adds every capture, whole and shrunk, and a few hand-made
// edge cases. While fuzzing only the shrunk forms are used: the fuzzer
// stalls on megabyte inputs.
func seedCaptures(f *testing.F) {
	fuzzing := false
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" {
		fuzzing = true
	}
	for _, rel := range captures(f) {
		data := espntest.Load(f, rel)
		if !fuzzing {
			f.Add(data)
		}
		f.Add(shrink(f, data))
	}
	for _, s := range []string{
		"", "{}", "null", `{"events":null}`, `{"events":[{}]}`, `{"events":{}}`,
		`{"events":[{"id":"1","competitions":[{"competitors":[{"homeAway":"home","team":{"abbreviation":"A"},"score":{"value":1e308}},{"homeAway":"away","team":{"abbreviation":"B"},"score":"-9999999999999"}]}]}]}`,
		`{"events":[{"id":1,"competitions":[{"status":{"period":"x","type":{"state":"post"}},"competitors":[{"homeAway":"home","team":{"abbreviation":"A","color":"zz"},"records":[{"type":"total","summary":"1-2-3-4"}]},{"homeAway":"away","team":{"abbreviation":"B"},"record":"4-2"}]}]}]}`,
	} {
		f.Add([]byte(s))
	}
}

func checkFuzzGames(t *testing.T, l league.League, games []game.Game) {
	for _, g := range games {
		if g.ID == "" || g.HomeTeam.Abbreviation == "" || g.AwayTeam.Abbreviation == "" {
			t.Fatalf("game without identity: %+v", g)
		}
		if _, ok := game.ParseStatus(string(g.Status)); !ok {
			t.Fatalf("status %q outside the API vocabulary", g.Status)
		}
		if g.League != l.Name {
			t.Fatalf("league %q", g.League)
		}
		for _, tm := range []game.Team{g.HomeTeam, g.AwayTeam} {
			if !strings.HasPrefix(tm.Colors.Primary, "#") || !strings.HasPrefix(tm.Colors.Secondary, "#") {
				t.Fatalf("colors %+v", tm.Colors)
			}
		}
		if g.Period.Current < 0 || g.Period.Total <= 0 {
			t.Fatalf("period %+v", g.Period)
		}
	}
}

func FuzzParseScoreboard(f *testing.F) {
	seedCaptures(f)
	l := mustLeague(f, "nfl")
	f.Fuzz(func(t *testing.T, data []byte) {
		games, err := ParseScoreboard(data, l)
		if err != nil {
			if games != nil {
				t.Fatalf("games with an error")
			}
			return
		}
		checkFuzzGames(t, l, games)
	})
}

func FuzzParseSchedule(f *testing.F) {
	seedCaptures(f)
	l := mustLeague(f, "nhl")
	f.Fuzz(func(t *testing.T, data []byte) {
		games, err := ParseSchedule(data, l)
		if err != nil {
			return
		}
		checkFuzzGames(t, l, games)
	})
}

func FuzzParseTeams(f *testing.F) {
	seedCaptures(f)
	l := mustLeague(f, "nfl")
	f.Fuzz(func(t *testing.T, data []byte) {
		teams, err := ParseTeams(data, l)
		if err != nil {
			return
		}
		for _, tm := range teams {
			if tm.Abbreviation == "" || !strings.HasPrefix(tm.ID, "nfl-") {
				t.Fatalf("team %+v", tm)
			}
		}
	})
}

// bulky are keys the parsers never read and that make up most of a capture.
var bulky = map[string]bool{
	"links": true, "leaders": true, "headlines": true, "athletesInvolved": true,
	"geoBroadcasts": true, "tickets": true, "statistics": true, "featuredAthletes": true,
	"calendar": true, "probables": true, "highlights": true, "boxscore": true,
	"drives": true, "plays": true, "news": true, "injuries": true, "standings": true,
	"article": true, "videos": true, "linescores": true, "teamsOnBye": true,
}

// shrink keeps a capture's structure and one event of each status name.
func shrink(f *testing.F, data []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		f.Fatal(err)
	}
	var prune func(v any) any
	prune = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				switch {
				case bulky[k]:
					delete(x, k)
				case k == "logos":
					if arr, ok := c.([]any); ok && len(arr) > 1 {
						x[k] = arr[:1]
					}
				default:
					x[k] = prune(c)
				}
			}
		case []any:
			for i := range x {
				x[i] = prune(x[i])
			}
		}
		return v
	}
	if evs, ok := doc["events"].([]any); ok {
		seen := map[string]bool{}
		var keep []any
		for _, ev := range evs {
			name := ""
			if comp, ok := competitionOf(ev); ok {
				if st, ok := comp["status"].(map[string]any); ok {
					if typ, ok := st["type"].(map[string]any); ok {
						name, _ = typ["name"].(string)
					}
				}
			}
			if !seen[name] {
				seen[name] = true
				keep = append(keep, ev)
			}
		}
		doc["events"] = keep
	}
	if sports, ok := doc["sports"].([]any); ok && len(sports) > 0 {
		if lgs, ok := sports[0].(map[string]any)["leagues"].([]any); ok && len(lgs) > 0 {
			lg := lgs[0].(map[string]any)
			if teams, ok := lg["teams"].([]any); ok && len(teams) > 3 {
				lg["teams"] = teams[:3]
			}
		}
	}
	if _, ok := doc["header"]; ok {
		doc = map[string]any{"header": doc["header"]}
	}
	out, err := json.Marshal(prune(doc))
	if err != nil {
		f.Fatal(err)
	}
	return out
}

func competitionOf(ev any) (map[string]any, bool) {
	m, ok := ev.(map[string]any)
	if !ok {
		return nil, false
	}
	comps, ok := m["competitions"].([]any)
	if !ok || len(comps) == 0 {
		return nil, false
	}
	c, ok := comps[0].(map[string]any)
	return c, ok
}
