package history

import (
	"context"

	"github.com/sports-data/sports-data/internal/store"
)

// PointWriter stores points.
type PointWriter interface {
	Write(ctx context.Context, points []store.Point) error
}

// WriteThrough returns a writer that stores points with w and then drops
// the cached answers of the teams written, so fresh results show up before
// the cache would expire. Nothing is dropped when the write fails.
func (s *Service) WriteThrough(w PointWriter) PointWriter {
	return invalidating{w: w, s: s}
}

type invalidating struct {
	w PointWriter
	s *Service
}

func (i invalidating) Write(ctx context.Context, points []store.Point) error {
	if err := i.w.Write(ctx, points); err != nil {
		return err
	}
	type key struct{ league, team string }
	seen := map[key]bool{}
	for _, p := range points {
		for _, t := range []string{p.HomeTeam, p.AwayTeam} {
			k := key{p.League, t}
			if !seen[k] {
				seen[k] = true
				i.s.Invalidate(p.League, t)
			}
		}
	}
	return nil
}
