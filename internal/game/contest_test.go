package game

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAthleteKey(t *testing.T) {
	for in, want := range map[string]string{
		"Jan-Lennard Struff":                 "jan-lennard-struff",
		"Sergio Pérez":                       "sergio-perez",
		"Nico Hülkenberg":                    "nico-hulkenberg",
		"M. Fucsovics / F. Marozsan":         "m-fucsovics-f-marozsan",
		"Marton Fucsovics / Fabian Marozsan": "marton-fucsovics-fabian-marozsan",
		"N.Sriram Balaji":                    "n-sriram-balaji",
		"Tim O'Connor":                       "tim-oconnor",
		"  Demi  Schuurs ":                   "demi-schuurs",
		"---":                                "",
	} {
		assert.Equal(t, want, AthleteKey(in), in)
	}
	assert.Equal(t, "atp-tbd", AthleteID("atp", "TBD"))
	assert.Equal(t, "atp-tbd", AthleteID("atp", "TBD / TBD"))
	assert.Equal(t, "atp-tbd", AthleteID("atp", ""))
}

// Names are folded on every poller's goroutine at once.
func TestAthleteKeyConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if got := AthleteKey("Sergio Pérez Hülkenberg"); got != "sergio-perez-hulkenberg" {
					t.Errorf("got %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}
