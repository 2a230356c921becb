package simulator

import "time"

// SetRealClock replaces the real clock the simulated one runs on, and
// restarts it: Now() is Options.Start when it returns. Tests only.
func (s *Sim) SetRealClock(now func() time.Time) {
	s.realNow = now
	s.realStart = now()
}

// GroupsJSON is the embedded conferences of the standings. Tests only.
func GroupsJSON() []byte { return groupsJSON }
