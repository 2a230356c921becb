package writer

import "github.com/sports-data/sports-data/internal/store"

// fifo is the in-memory queue. Taking a batch off the front moves a head
// index instead of shifting the rest, so a long queue drains in linear
// time; the space in front is reclaimed once it is half the buffer.
type fifo struct {
	buf  []store.Point
	head int
}

func (q *fifo) len() int { return len(q.buf) - q.head }

func (q *fifo) push(points []store.Point) {
	if q.head > 0 && q.head >= len(q.buf)/2 {
		n := copy(q.buf, q.buf[q.head:])
		clear(q.buf[n:]) // let the strings of written points go
		q.buf, q.head = q.buf[:n], 0
	}
	q.buf = append(q.buf, points...)
}

// take removes up to n points from the front and returns a copy of them.
func (q *fifo) take(n int) []store.Point {
	n = min(n, q.len())
	out := make([]store.Point, n)
	copy(out, q.buf[q.head:q.head+n])
	q.head += n
	if q.head == len(q.buf) {
		q.reset()
	}
	return out
}

// takeAll empties the queue into a new slice with room for extra more.
func (q *fifo) takeAll(extra int) []store.Point {
	out := make([]store.Point, q.len(), q.len()+extra)
	copy(out, q.buf[q.head:])
	q.reset()
	return out
}

func (q *fifo) reset() {
	clear(q.buf)
	q.buf, q.head = q.buf[:0], 0
}
