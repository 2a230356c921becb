package storetest

import (
	"sort"
	"time"

	"github.com/sports-data/sports-data/internal/store"
)

// The Expect functions compute, from the points written (in write order),
// what a store must answer. They are the contract of store.Reader written
// out plainly, for tests that check a store against large generated data.

// ExpectGames is the answer to Games(q) after points were written: the last
// written row of each game of q.League, kept when it matches q, ordered by
// start time then game id.
func ExpectGames(points []store.Point, q store.GameQuery) []store.Point {
	latest := map[string]store.Point{}
	for _, p := range points {
		if p.Series == store.SeriesGames && p.League == q.League {
			latest[p.GameID] = p
		}
	}
	out := []store.Point{}
	for _, p := range latest {
		if q.Matches(p) {
			out = append(out, Normalize(p))
		}
	}
	SortGames(out)
	return out
}

// ExpectTimeline is the answer to Timeline(league, gameID): every score
// point of the game, one per time (the last written), in time order.
func ExpectTimeline(points []store.Point, league, gameID string) []store.Point {
	byTime := map[int64]store.Point{}
	for _, p := range points {
		if p.Series == store.SeriesScores && p.League == league && p.GameID == gameID {
			byTime[p.Time.UnixNano()] = p
		}
	}
	out := make([]store.Point, 0, len(byTime))
	for _, p := range byTime {
		out = append(out, Normalize(p))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// ExpectUnfinished is the answer to Unfinished(league, since), sorted with
// SortByGame: the latest score point at or after since of every game whose
// latest point is scheduled or live.
func ExpectUnfinished(points []store.Point, league string, since time.Time) []store.Point {
	ids := map[string]bool{}
	for _, p := range points {
		if p.Series == store.SeriesScores && p.League == league {
			ids[p.GameID] = true
		}
	}
	out := []store.Point{}
	for id := range ids {
		tl := ExpectTimeline(points, league, id)
		if len(tl) == 0 {
			continue
		}
		last := tl[len(tl)-1]
		if last.Time.Before(since) {
			continue
		}
		if last.Status == Scheduled || last.Status == Live {
			out = append(out, last)
		}
	}
	SortByGame(out)
	return out
}

// Normalize puts a point in the form stores return: times in UTC without a
// monotonic reading, so that points compare with ==.
func Normalize(p store.Point) store.Point {
	p.Time = p.Time.UTC()
	if !p.ObservedAt.IsZero() {
		p.ObservedAt = p.ObservedAt.UTC()
	}
	if !p.ScheduleChangedAt.IsZero() {
		p.ScheduleChangedAt = p.ScheduleChangedAt.UTC()
	}
	return p
}

// NormalizeAll applies Normalize to a copy of points.
func NormalizeAll(points []store.Point) []store.Point {
	out := make([]store.Point, len(points))
	for i, p := range points {
		out[i] = Normalize(p)
	}
	return out
}

// SortGames orders points as Games does: by time, then game id.
func SortGames(points []store.Point) {
	sort.SliceStable(points, func(i, j int) bool {
		if !points[i].Time.Equal(points[j].Time) {
			return points[i].Time.Before(points[j].Time)
		}
		return points[i].GameID < points[j].GameID
	})
}

// SortByGame orders points by game id, then time; for answers whose order
// the contract leaves open (Unfinished).
func SortByGame(points []store.Point) {
	sort.SliceStable(points, func(i, j int) bool {
		if points[i].GameID != points[j].GameID {
			return points[i].GameID < points[j].GameID
		}
		return points[i].Time.Before(points[j].Time)
	})
}
