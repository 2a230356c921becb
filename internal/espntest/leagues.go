package espntest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sports-data/sports-data/internal/league"
)

// ByLeague splits a capture of a sport's "all" scoreboard (soccer's shows a
// club's games in every competition) into one scoreboard answer per league
// of the registry, by the league id in each event's uid ("s:600~l:700~e:…"
// is the EPL), as if each league had been asked for on its own. Events of
// leagues outside the registry are left out.
func ByLeague(t testing.TB, data []byte, sport string) map[string][]byte {
	t.Helper()
	var doc struct {
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("espntest: %v", err)
	}
	events := map[string][]json.RawMessage{}
	for _, ev := range doc.Events {
		var ids struct {
			UID string `json:"uid"`
		}
		_ = json.Unmarshal(ev, &ids)
		if l, ok := league.ByESPN(sport, "", uidPart(ids.UID, "l")); ok {
			events[l.Key] = append(events[l.Key], ev)
		}
	}
	out := make(map[string][]byte, len(events))
	for key, evs := range events {
		b, err := json.Marshal(map[string]any{"events": evs})
		if err != nil {
			t.Fatalf("espntest: %v", err)
		}
		out[key] = b
	}
	return out
}

// uidPart returns one part of an ESPN uid: "l" of "s:600~l:700~e:1" is "700".
func uidPart(uid, key string) string {
	for _, part := range strings.Split(uid, "~") {
		if k, v, ok := strings.Cut(part, ":"); ok && k == key {
			return v
		}
	}
	return ""
}
