package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/sports-data/sports-data/internal/atomicfile"
)

// The outbox holds every pending delivery, so that none is lost to a stop
// or a crash. It is a journal, written in proportion to events: one line
// when a delivery is queued (with the exact body), a short line when one
// ends and one when a webhook's queue is dropped. Retries and polls without
// events write nothing. It is rewritten whole (compacted) at start, at stop
// and when it has grown past twice what is pending.

// journalRec is one line of the outbox journal.
type journalRec struct {
	Op      string `json:"op"` // opAdd, opDone or opDrop
	Webhook string `json:"w"`
	Event   string `json:"e,omitempty"` // opDone: the event id
	Item    *item  `json:"i,omitempty"` // opAdd
}

const (
	opAdd  = "add"  // a delivery was queued
	opDone = "done" // a delivery ended: delivered, failed, expired
	opDrop = "drop" // the webhook's queue was dropped (deleted, disabled)
)

// journal is the outbox file and its append handle. Its owner serialises
// calls (Service.outboxMu).
type journal struct {
	path  string
	f     *os.File // nil until the first append after a rewrite
	lines int      // lines in the file
	// broken is set when an append failed: the file no longer matches the
	// queues, and the next flush rewrites it.
	broken bool
}

func (j *journal) append(recs []journalRec, sync bool) error {
	if len(recs) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if j.f == nil {
		f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			j.broken = true
			return err
		}
		j.f = f
		// A line torn by a crash has no newline; this keeps the next
		// line whole and readable after it.
		buf.WriteByte('\n')
	}
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if _, err := j.f.Write(buf.Bytes()); err != nil {
		j.broken = true
		return err
	}
	j.lines += len(recs)
	if sync {
		if err := j.f.Sync(); err != nil {
			j.broken = true
			return err
		}
	}
	return nil
}

// rewrite replaces the file with the queues as they are.
func (j *journal) rewrite(queues map[string][]item) error {
	var buf bytes.Buffer
	n := 0
	for _, id := range slices.Sorted(maps.Keys(queues)) {
		for i := range queues[id] {
			b, err := json.Marshal(journalRec{Op: opAdd, Webhook: id, Item: &queues[id][i]})
			if err != nil {
				return err
			}
			buf.Write(b)
			buf.WriteByte('\n')
			n++
		}
	}
	if err := writeAtomic(j.path, buf.Bytes()); err != nil {
		return err
	}
	// The handle points at the file just replaced.
	j.close()
	j.lines, j.broken = n, false
	return nil
}

func (j *journal) close() {
	if j.f != nil {
		_ = j.f.Close()
		j.f = nil
	}
}

// loadJournal replays the outbox journal into the pending deliveries of
// each webhook, in order. Lines that do not parse (a torn last line,
// damage) are skipped; an id queued twice for a webhook counts once.
func loadJournal(path string) (map[string][]item, bool, error) {
	queues := map[string][]item{}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return queues, false, nil
	}
	if err != nil {
		return queues, true, err
	}
	defer f.Close()
	queued := map[string]map[string]bool{}
	err = eachLine(f, maxLine, func(line []byte) {
		var r journalRec
		if json.Unmarshal(line, &r) != nil || r.Webhook == "" {
			return
		}
		w := r.Webhook
		switch r.Op {
		case opAdd:
			if r.Item == nil || r.Item.EventID == "" || queued[w][r.Item.EventID] {
				return
			}
			if queued[w] == nil {
				queued[w] = map[string]bool{}
			}
			queued[w][r.Item.EventID] = true
			queues[w] = append(queues[w], *r.Item)
		case opDone:
			if i := slices.IndexFunc(queues[w], func(it item) bool { return it.EventID == r.Event }); i >= 0 {
				queues[w] = slices.Delete(queues[w], i, i+1)
				delete(queued[w], r.Event)
			}
		case opDrop:
			delete(queues, w)
			delete(queued, w)
		}
	})
	return queues, true, err
}

// legacyOutbox is the single-file outbox of earlier versions
// (webhook-outbox.json: queues and games, rewritten whole). It is read
// once, its queues carried over into the journal (its games are event
// detection's, package events), and removed.
type legacyOutbox struct {
	Version int               `json:"version"`
	Queues  map[string][]item `json:"queues"`
}

func loadLegacyOutbox(path string, now time.Time) (legacyOutbox, bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return legacyOutbox{}, false, nil
	}
	if err != nil {
		return legacyOutbox{}, true, err
	}
	var doc legacyOutbox
	if err := json.Unmarshal(b, &doc); err != nil {
		return legacyOutbox{}, false, atomicfile.MoveAside(path, now, err)
	}
	return doc, true, nil
}
