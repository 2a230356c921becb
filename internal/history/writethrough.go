package history

import (
	"context"

	"github.com/sports-data/sports-data/internal/store"
)

// PointWriter stores points.
type PointWriter interface {
	Write(ctx context.Context, points []store.Point) error
}

// WriteThrough returns a writer that stores points with w and then moves
// Version, so that answers kept by the caller are built again. A failed
// write moves nothing.
func (s *Service) WriteThrough(w PointWriter) PointWriter {
	return writeThrough{w: w, s: s}
}

type writeThrough struct {
	w PointWriter
	s *Service
}

func (i writeThrough) Write(ctx context.Context, points []store.Point) error {
	if err := i.w.Write(ctx, points); err != nil {
		return err
	}
	i.s.writes.Add(1)
	return nil
}
