package writer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sports-data/sports-data/internal/store"
)

// The spool keeps points the store could not take, in the order they were
// meant to be written, in segment files of JSON lines (one point a line).
// Segments are append-only and named by a sequence number; replay reads
// the oldest segment from a cursor and deletes a segment once it is read.
// Every append ends with an fsync, and a line is only ever written whole
// within one write call, so a crash can tear at most the last line of the
// last segment: it lacks its newline, is cut off when the spool is opened
// again, and never spoils the lines before it.
//
// The spool is not safe for concurrent use; the Writer guards it.
type spool struct {
	dir      string
	maxBytes int64
	segMax   int64
	log      *slog.Logger

	segs    []*segment // sorted by seq, oldest first
	cur     *segment   // open for appending; nil until the next append
	nextSeq uint64
	bytes   int64 // on-disk size of all segments
	points  int   // lines not yet replayed, over all segments
	rd      *bufio.Reader
}

type segment struct {
	seq       uint64
	path      string
	size      int64
	lines     int   // complete lines in the file
	readOff   int64 // bytes already replayed (head segment only)
	readLines int
	f         *os.File // open while this is the append segment
}

// cursor says how far a peek read: acking it marks the lines as replayed.
type cursor struct {
	seq   uint64
	off   int64
	lines int
}

const (
	segPrefix  = "seg-"
	segSuffix  = ".jsonl"
	cursorFile = "cursor.json"
)

func segName(seq uint64) string { return fmt.Sprintf("%s%020d%s", segPrefix, seq, segSuffix) }

func parseSegName(name string) (uint64, bool) {
	if !strings.HasPrefix(name, segPrefix) || !strings.HasSuffix(name, segSuffix) {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(name, segPrefix), segSuffix), 10, 64)
	return n, err == nil
}

// openSpool opens dir, creating it when needed, and takes stock of the
// segments a previous run left behind.
func openSpool(dir string, maxBytes int64, log *slog.Logger) (*spool, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("writer: spool directory: %w", err)
	}
	// Small segments make the bound fine-grained (the oldest segment is
	// the unit of dropping); large ones keep the file count down.
	segMax := min(max(maxBytes/16, 1), 4<<20)
	s := &spool{dir: dir, maxBytes: maxBytes, segMax: segMax, log: log, nextSeq: 1}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("writer: spool directory: %w", err)
	}
	for _, e := range entries {
		seq, ok := parseSegName(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		seg := &segment{seq: seq, path: filepath.Join(dir, e.Name())}
		if err := s.inspect(seg); err != nil {
			return nil, err
		}
		if seg.size == 0 {
			_ = os.Remove(seg.path)
			continue
		}
		s.segs = append(s.segs, seg)
		s.bytes += seg.size
		s.points += seg.lines
		s.nextSeq = max(s.nextSeq, seq+1)
	}
	slices.SortFunc(s.segs, func(a, b *segment) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	s.loadCursor()
	return s, nil
}

// inspect counts the complete lines of a segment and cuts off a torn last
// line left by a crash in the middle of an append.
func (s *spool) inspect(seg *segment) error {
	data, err := os.ReadFile(seg.path)
	if err != nil {
		return fmt.Errorf("writer: read spool segment: %w", err)
	}
	end := bytes.LastIndexByte(data, '\n') + 1
	if end < len(data) {
		s.log.Warn("spool segment ends in a torn line; skipping it",
			"segment", filepath.Base(seg.path), "bytes", len(data)-end)
		if err := os.Truncate(seg.path, int64(end)); err != nil {
			return fmt.Errorf("writer: repair spool segment: %w", err)
		}
	}
	seg.size = int64(end)
	seg.lines = bytes.Count(data[:end], []byte{'\n'})
	return nil
}

type savedCursor struct {
	Segment uint64 `json:"segment"`
	Offset  int64  `json:"offset"`
}

// loadCursor resumes a replay that a clean shutdown interrupted. Without
// it the head segment is replayed from its start, which only repeats
// writes the store treats as idempotent.
func (s *spool) loadCursor() {
	path := filepath.Join(s.dir, cursorFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	// The cursor is used once: a later run must not apply it to a new
	// segment that happens to reuse the number.
	_ = os.Remove(path)
	var c savedCursor
	if json.Unmarshal(data, &c) != nil || len(s.segs) == 0 {
		return
	}
	head := s.segs[0]
	if head.seq != c.Segment || c.Offset <= 0 || c.Offset > head.size {
		return
	}
	f, err := os.Open(head.path)
	if err != nil {
		return
	}
	defer f.Close()
	prefix := make([]byte, c.Offset)
	if _, err := io.ReadFull(f, prefix); err != nil || prefix[len(prefix)-1] != '\n' {
		return
	}
	n := bytes.Count(prefix, []byte{'\n'})
	head.readOff, head.readLines = c.Offset, n
	s.points -= n
}

// append adds points behind everything spooled. It returns how many of
// them are on disk; the rest were lost to an I/O error.
func (s *spool) append(points []store.Point) (int, error) {
	lines, err := encodeLines(points)
	if err != nil {
		return 0, err
	}
	written := 0
	for len(lines) > 0 {
		if s.cur == nil || (s.cur.size > 0 && s.cur.size+int64(len(lines[0])) > s.segMax) {
			if err := s.rotate(); err != nil {
				return written, err
			}
		}
		// Fill the segment up to its size, at least one line.
		n, size := 0, s.cur.size
		for n < len(lines) && (n == 0 || size+int64(len(lines[n])) <= s.segMax) {
			size += int64(len(lines[n]))
			n++
		}
		if err := s.writeLines(s.cur, lines[:n]); err != nil {
			s.closeCur()
			return written, err
		}
		written += n
		lines = lines[n:]
	}
	return written, nil
}

// appendAt writes points into a new segment with a sequence number taken
// earlier by gap, so they are replayed before anything appended since.
func (s *spool) appendAt(seq uint64, points []store.Point) (int, error) {
	lines, err := encodeLines(points)
	if err != nil {
		return 0, err
	}
	seg, err := s.create(seq)
	if err != nil {
		return 0, err
	}
	defer func() {
		_ = seg.f.Close()
		seg.f = nil
	}()
	if err := s.writeLines(seg, lines); err != nil {
		return 0, err
	}
	return len(lines), nil
}

// gap reserves a sequence number before everything appended from now on.
func (s *spool) gap() uint64 {
	seq := s.nextSeq
	s.nextSeq++
	s.closeCur()
	return seq
}

func encodeLines(points []store.Point) ([][]byte, error) {
	lines := make([][]byte, len(points))
	for i := range points {
		b, err := json.Marshal(&points[i])
		if err != nil {
			return nil, fmt.Errorf("writer: encode point: %w", err)
		}
		lines[i] = append(b, '\n')
	}
	return lines, nil
}

func (s *spool) rotate() error {
	s.closeCur()
	seg, err := s.create(s.nextSeq)
	if err != nil {
		return err
	}
	s.nextSeq++
	s.cur = seg
	return nil
}

// create makes an empty segment file and records it in order.
func (s *spool) create(seq uint64) (*segment, error) {
	path := filepath.Join(s.dir, segName(seq))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("writer: create spool segment: %w", err)
	}
	// The new name must survive a crash as well as the lines in it.
	if d, err := os.Open(s.dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	seg := &segment{seq: seq, path: path, f: f}
	i, _ := slices.BinarySearchFunc(s.segs, seq, func(g *segment, seq uint64) int {
		switch {
		case g.seq < seq:
			return -1
		case g.seq > seq:
			return 1
		}
		return 0
	})
	s.segs = slices.Insert(s.segs, i, seg)
	return seg, nil
}

// writeLines appends whole lines with one write and an fsync. On failure
// the file is cut back to where it was, so a half-written line never sits
// in front of later ones.
func (s *spool) writeLines(seg *segment, lines [][]byte) error {
	var buf bytes.Buffer
	for _, l := range lines {
		buf.Write(l)
	}
	_, err := seg.f.Write(buf.Bytes())
	if err == nil {
		err = seg.f.Sync()
	}
	if err != nil {
		_ = seg.f.Truncate(seg.size)
		return fmt.Errorf("writer: append to spool: %w", err)
	}
	seg.size += int64(buf.Len())
	seg.lines += len(lines)
	s.bytes += int64(buf.Len())
	s.points += len(lines)
	return nil
}

func (s *spool) closeCur() {
	if s.cur != nil {
		_ = s.cur.f.Close()
		s.cur.f = nil
		s.cur = nil
	}
}

// enforce drops the oldest segments while the spool is over its bound and
// returns how many unreplayed points went with them. (When the head is
// being replayed at that moment, its batch may still reach the store
// although it was counted as dropped.)
func (s *spool) enforce() int {
	dropped := 0
	for s.bytes > s.maxBytes && len(s.segs) > 0 {
		dropped += s.segs[0].lines - s.segs[0].readLines
		s.remove(s.segs[0])
	}
	return dropped
}

func (s *spool) remove(seg *segment) {
	if seg == s.cur {
		s.closeCur()
	}
	if err := os.Remove(seg.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		s.log.Warn("cannot remove spool segment", "segment", filepath.Base(seg.path), "err", err)
	}
	s.bytes -= seg.size
	s.points -= seg.lines - seg.readLines
	s.segs = slices.DeleteFunc(s.segs, func(g *segment) bool { return g == seg })
}

// peek reads up to n points from the head of the spool without consuming
// them. Lines that do not decode to a point are skipped and counted in
// bad; acking the cursor consumes them along with the points.
func (s *spool) peek(n int) (points []store.Point, c cursor, bad int, err error) {
	for len(s.segs) > 0 {
		head := s.segs[0]
		if head.readLines < head.lines {
			break
		}
		s.remove(head) // read to the end
	}
	if len(s.segs) == 0 {
		s.points = 0
		return nil, cursor{}, 0, nil
	}
	head := s.segs[0]
	f, err := os.Open(head.path)
	if err != nil {
		return nil, cursor{}, 0, fmt.Errorf("writer: read spool: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(head.readOff, io.SeekStart); err != nil {
		return nil, cursor{}, 0, fmt.Errorf("writer: read spool: %w", err)
	}
	c = cursor{seq: head.seq, off: head.readOff, lines: head.readLines}
	if s.rd == nil {
		s.rd = bufio.NewReaderSize(nil, 32<<10)
	}
	r := s.rd
	r.Reset(io.LimitReader(f, head.size-head.readOff))
	defer r.Reset(nil)
	for len(points) < n && c.lines < head.lines {
		line, err := r.ReadBytes('\n')
		if err != nil {
			// The file is shorter than recorded (changed under us): give
			// up on the rest of it rather than replay garbage.
			bad += head.lines - c.lines
			c.off, c.lines = head.size, head.lines
			s.log.Warn("spool segment unreadable; skipping its rest",
				"segment", filepath.Base(head.path), "err", err)
			break
		}
		c.off += int64(len(line))
		c.lines++
		var p store.Point
		if json.Unmarshal(line, &p) != nil || p.Series == "" || p.League == "" {
			bad++
			continue
		}
		points = append(points, p)
	}
	return points, c, bad, nil
}

// ack marks everything up to c as replayed. A cursor into a segment that
// was dropped in the meantime is ignored.
func (s *spool) ack(c cursor) {
	if len(s.segs) == 0 || s.segs[0].seq != c.seq {
		return
	}
	head := s.segs[0]
	s.points -= c.lines - head.readLines
	head.readOff, head.readLines = c.off, c.lines
	if head.readLines >= head.lines {
		s.remove(head)
	}
}

// close releases the append segment and remembers how far the head
// segment was replayed.
func (s *spool) close() error {
	s.closeCur()
	path := filepath.Join(s.dir, cursorFile)
	if len(s.segs) == 0 || s.segs[0].readOff == 0 {
		_ = os.Remove(path)
		return nil
	}
	data, _ := json.Marshal(savedCursor{Segment: s.segs[0].seq, Offset: s.segs[0].readOff})
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("writer: save spool cursor: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writer: save spool cursor: %w", err)
	}
	return nil
}

// pending reads every point not yet replayed, oldest first, without
// consuming any. Undecodable lines are skipped, as replay skips them.
func (s *spool) pending() ([]store.Point, error) {
	var out []store.Point
	for _, seg := range s.segs {
		f, err := os.Open(seg.path)
		if err != nil {
			return out, fmt.Errorf("writer: read spool: %w", err)
		}
		start := int64(0)
		if seg == s.segs[0] {
			start = seg.readOff
		}
		r := bufio.NewReader(io.NewSectionReader(f, start, seg.size-start))
		for {
			line, err := r.ReadBytes('\n')
			if err != nil {
				break // a torn last line has no newline and is not a point yet
			}
			var p store.Point
			if json.Unmarshal(line, &p) == nil && p.Series != "" && p.League != "" {
				out = append(out, p)
			}
		}
		f.Close()
	}
	return out, nil
}
