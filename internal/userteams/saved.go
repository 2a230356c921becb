package userteams

import (
	"sort"
	"strings"
)

// Saved returns every team any user saved, as prefixed ids ("nfl-sf"),
// sorted and without repeats.
func (s *Store) Saved() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[string]bool{}
	for _, byLeague := range s.users {
		for league, ids := range byLeague {
			for _, id := range ids {
				if !strings.Contains(id, "-") {
					id = league + "-" + id
				}
				seen[strings.ToLower(id)] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
