package schedule

import (
	"testing"
	"time"
)

func TestFirstSpreadDefaultsAndBounds(t *testing.T) {
	r := NewRefresher(nil, nil, nil, nil, Options{})
	if r.o.FirstSpread != 10*time.Minute || r.o.Spread != 6*time.Hour {
		t.Fatalf("defaults: first %s, spread %s", r.o.FirstSpread, r.o.Spread)
	}
	r = NewRefresher(nil, nil, nil, nil, Options{Spread: time.Minute, FirstSpread: time.Hour})
	if r.o.FirstSpread != time.Minute {
		t.Fatalf("the first cycle is never slower than the others: %s", r.o.FirstSpread)
	}
}
