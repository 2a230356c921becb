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

// FuzzParseSportRules parses each input by the rules of every sport that
// has its own (soccer, also as a mixed answer; baseball; volleyball;
// college) and checks what those rules promise.
func FuzzParseSportRules(f *testing.F) {
	seedCaptures(f)
	for _, s := range []string{
		// A shoot-out, shots, a minute clock with stoppage time.
		`{"events":[{"id":"1","uid":"s:600~l:770~e:1","competitions":[{"status":{"period":5,"displayClock":"120'+3'","type":{"name":"STATUS_FINAL_PEN","state":"post","completed":true}},"competitors":[{"homeAway":"home","score":"1","shootoutScore":3,"team":{"abbreviation":"A"},"statistics":[{"name":"totalShots","displayValue":"9"},{"name":"shotsOnTarget","displayValue":"x"}]},{"homeAway":"away","score":"1","shootoutScore":"4","team":{"abbreviation":"B"},"statistics":[{"name":"totalShots","displayValue":"-2"}]}]}]}]}`,
		// A count and bases, sets, a rank.
		`{"events":[{"id":"2","uid":"s:1~l:10~e:2","competitions":[{"situation":{"balls":"3","strikes":2.5,"outs":-1,"onFirst":true},"status":{"period":11,"type":{"state":"in","shortDetail":"Bot 11th"}},"competitors":[{"homeAway":"home","curatedRank":{"current":"7"},"linescores":[{"value":25},{"value":"x"}],"team":{"abbreviation":"A"}},{"homeAway":"away","curatedRank":{"current":99},"linescores":[{"value":1e300}],"team":{"abbreviation":"B"}}]}]}]}`,
		`{"events":[{"id":"3","competitions":[{"status":{"displayClock":"45'+","type":{"state":"in"}},"competitors":[{"homeAway":"home","team":{"abbreviation":"A"},"records":[{"type":"total","summary":"1-2-3"}]},{"homeAway":"away","team":{"abbreviation":"B"},"records":[{"type":"total","summary":"4-5"}]}]}]}]}`,
	} {
		f.Add([]byte(s))
	}
	keys := []string{"mls", "mlb", "ncaavbw", "ncaaf"}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, key := range keys {
			l := mustLeague(t, key)
			games, err := ParseScoreboard(data, l)
			if err != nil {
				return
			}
			checkFuzzGames(t, l, games)
			for _, g := range games {
				checkSportRules(t, l, g)
			}
		}
	})
}

func checkSportRules(t *testing.T, l league.League, g game.Game) {
	if (g.Soccer != nil) != l.Draws() || (g.Sets != nil && !l.Sets()) || (g.Baseball != nil && !l.Innings()) {
		t.Fatalf("%s game with another sport's fields: %+v", l.Key, g)
	}
	if g.Baseball != nil && g.Status != game.StatusLive {
		t.Fatalf("a baseball situation on a %s game", g.Status)
	}
	if s := g.Soccer; s != nil && (s.Minute < 0 || s.AddedTime < 0 || s.Shootout != nil && (s.Shootout.Home < 0 && s.Shootout.Away < 0)) {
		t.Fatalf("soccer %+v", s)
	}
	for _, tm := range []game.Team{g.HomeTeam, g.AwayTeam} {
		if tm.Rank != nil && (!l.College || *tm.Rank < 1 || *tm.Rank > 50) {
			t.Fatalf("rank %d in %s", *tm.Rank, l.Key)
		}
		if r := tm.Record; r != nil && r.Points != nil && (!l.Draws() || *r.Points != 3*r.Wins+*r.Ties) {
			t.Fatalf("points %+v in %s", r, l.Key)
		}
	}
	switch w := g.Winner(); {
	case g.Status != game.StatusFinal && w != game.Level:
		t.Fatalf("a %s game has a winner", g.Status)
	case w == game.Level && g.Status == game.StatusFinal && g.Score.Home != g.Score.Away && (g.Soccer == nil || g.Soccer.Shootout == nil):
		t.Fatalf("a final %d-%d without a winner", g.Score.Home, g.Score.Away)
	}
}
