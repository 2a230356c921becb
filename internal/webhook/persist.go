package webhook

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/sports-data/sports-data/internal/atomicfile"
)

// The persistence stage: what the files in DATA_DIR hold and how each is
// written (see the package documentation for the files).

// Files in DATA_DIR. The registrations are rewritten whole
// (temp file, fsync, rename, fsync of the directory), so a crash leaves
// either the old or the new version. The outbox journal and the delivered
// log are appended to (with an fsync when an event was queued, and for
// each delivery); a crash can at most tear their last line, which loading
// skips (that one delivery may then be repeated, as if the crash had come
// a moment earlier). They are compacted by the same atomic rewrite.
const (
	registrationsFile = "webhooks.json"
	outboxFile        = "webhook-outbox.log"
	deliveredFile     = "webhook-delivered.log"
	// legacyOutboxFile is the outbox of earlier versions, carried over.
	legacyOutboxFile = "webhook-outbox.json"
)

// record is a registration as stored.
type record struct {
	ID           string    `json:"id"`
	URL          string    `json:"url"`
	Events       []string  `json:"events"`
	Secret       string    `json:"secret"`
	Team         string    `json:"team,omitempty"`
	League       string    `json:"league,omitempty"`
	DelaySeconds int       `json:"delay_seconds"`
	CreatedAt    time.Time `json:"created_at"`
	Stats        Stats     `json:"stats"`
}

type registrationsDoc struct {
	Version  int      `json:"version"`
	Webhooks []record `json:"webhooks"`
}

// item is one delivery waiting in a webhook's queue. Body is kept as a
// string so that the bytes signed are exactly the bytes reloaded.
type item struct {
	EventID   string    `json:"event_id"`
	Event     string    `json:"event"`
	Body      string    `json:"body"`
	NotBefore time.Time `json:"not_before"`
	Observed  time.Time `json:"observed_at"`
	// Due is when the delivery became due on the wall clock (NotBefore is
	// on the service's clock, which a demo runs fast); the retry window
	// runs from it. Zero in outboxes of earlier versions: NotBefore then.
	Due time.Time `json:"due,omitzero"`
}

type deliveredLine struct {
	Webhook string `json:"w"`
	Event   string `json:"e"`
	At      int64  `json:"t"` // unix seconds
}

// writeAtomic replaces path with data so that readers and crashes see either
// the old or the new content.
func writeAtomic(path string, data []byte) error {
	// The files hold the webhooks' secrets: owner only.
	return atomicfile.Write(path, data, 0o600)
}

// removeTemps deletes the temp files of this package's files a crash left
// behind mid-write, whatever their age: no Service on this folder has
// written yet.
func removeTemps(dir string) {
	for _, base := range []string{registrationsFile, outboxFile, deliveredFile, legacyOutboxFile} {
		matches, _ := filepath.Glob(atomicfile.TempPattern(filepath.Join(dir, base)))
		for _, m := range matches {
			_ = os.Remove(m)
		}
	}
}

func loadRegistrations(path string) ([]record, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var doc registrationsDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s is not valid: %w", path, err)
	}
	for i, r := range doc.Webhooks {
		if r.ID == "" || r.URL == "" || r.Secret == "" {
			return nil, fmt.Errorf("%s: webhook %d lacks id, url or secret", path, i)
		}
	}
	return doc.Webhooks, nil
}

// loadDelivered reads the delivered log into webhook → event id → unix
// seconds, skipping lines older than since and lines that do not parse (a
// torn last line). It also returns the number of lines read.
func loadDelivered(path string, since time.Time) (map[string]map[string]int64, int, error) {
	out := map[string]map[string]int64{}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	lines := 0
	err = eachLine(f, maxLine, func(line []byte) {
		lines++
		var l deliveredLine
		if json.Unmarshal(line, &l) != nil || l.Webhook == "" || l.Event == "" {
			return
		}
		if l.At < since.Unix() {
			return
		}
		m := out[l.Webhook]
		if m == nil {
			m = map[string]int64{}
			out[l.Webhook] = m
		}
		m[l.Event] = l.At
	})
	return out, lines, err
}

// maxLine bounds a line of the files read line by line. The service never
// writes one this long; a longer one is damage and skipped like a torn line.
const maxLine = 1 << 20

// eachLine calls fn with every non-blank line of r (without its newline),
// skipping lines longer than max instead of failing on them.
func eachLine(r io.Reader, max int, fn func([]byte)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			n := len(line) + len(chunk)
			if err == nil {
				n-- // the newline
			}
			if n > max {
				tooLong, line = true, line[:0]
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if t := bytes.TrimSpace(line); !tooLong && len(t) > 0 {
			fn(t)
		}
		line, tooLong = line[:0], false
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func appendDelivered(path string, l deliveredLine) error {
	b, _ := json.Marshal(l)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	// A torn line from an earlier crash has no newline; starting each line
	// with one keeps this line whole and readable after it.
	if _, err := f.Write(append(append([]byte("\n"), b...), '\n')); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func encodeDelivered(m map[string]map[string]int64) ([]byte, int) {
	var buf bytes.Buffer
	n := 0
	for w, ids := range m {
		for e, at := range ids {
			b, _ := json.Marshal(deliveredLine{Webhook: w, Event: e, At: at})
			buf.Write(b)
			buf.WriteByte('\n')
			n++
		}
	}
	return buf.Bytes(), n
}

// persistNow writes the registrations and their counters now, logging a
// failure.
func (s *Service) persistNow() {
	s.regsFailing.Report(s.saveRegistrations())
}

// flush writes what changed; force writes everything and compacts. Changed
// registrations are written at once; counters, which change with every
// attempt, at most every statsInterval (real time: it paces disk writes).
// It also expires old delivered ids now and then.
func (s *Service) flush(force bool) {
	wall := time.Now()
	s.mu.Lock()
	regs := s.regsDirty || force || (s.statsDirty && wall.Sub(s.lastStatsSave) >= statsInterval)
	pending := 0
	for _, h := range s.hooks {
		pending += len(h.queue)
	}
	prune := s.now().Sub(s.lastPrune) > pruneInterval
	if prune {
		s.lastPrune = s.now()
		cutoff := s.now().Add(-deliveredRetention).Unix()
		for _, h := range s.hooks {
			for id, at := range h.delivered {
				if at < cutoff {
					delete(h.delivered, id)
				}
			}
		}
	}
	live := 0
	for _, h := range s.hooks {
		live += len(h.delivered)
	}
	s.mu.Unlock()

	if regs {
		s.regsFailing.Report(s.saveRegistrations())
	}
	s.outboxMu.Lock()
	compact := force || s.journal.broken || s.journal.lines > 2*pending+1024
	s.outboxMu.Unlock()
	if compact {
		s.outboxFailing.Report(s.compactOutbox())
	}
	s.deliveredMu.Lock()
	grown := s.deliveredLines > 2*live+1024
	s.deliveredMu.Unlock()
	if grown || force {
		s.deliveredFailing.Report(s.compactDelivered())
	}
}

func (s *Service) saveRegistrations() error {
	s.regsMu.Lock()
	defer s.regsMu.Unlock()
	s.mu.Lock()
	doc := registrationsDoc{Version: 1, Webhooks: make([]record, 0, len(s.hooks))}
	for _, h := range s.hooks {
		doc.Webhooks = append(doc.Webhooks, h.rec)
	}
	regsWere, statsWere := s.regsDirty, s.statsDirty
	s.regsDirty, s.statsDirty, s.lastStatsSave = false, false, time.Now()
	s.mu.Unlock()
	sort.Slice(doc.Webhooks, func(i, j int) bool {
		a, b := doc.Webhooks[i], doc.Webhooks[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	b, err := json.MarshalIndent(doc, "", "  ")
	if err == nil {
		err = writeAtomic(s.regPath, b)
	}
	if err != nil {
		s.mu.Lock()
		s.regsDirty = s.regsDirty || regsWere
		s.statsDirty = s.statsDirty || statsWere
		s.mu.Unlock()
	}
	return err
}

func (s *Service) appendDelivered(webhookID, eventID string, at time.Time) error {
	s.deliveredMu.Lock()
	defer s.deliveredMu.Unlock()
	if err := appendDelivered(s.deliveredPath, deliveredLine{Webhook: webhookID, Event: eventID, At: at.Unix()}); err != nil {
		return err
	}
	s.deliveredLines++
	return nil
}

// compactDelivered rewrites the log with the ids still remembered.
func (s *Service) compactDelivered() error {
	s.deliveredMu.Lock()
	defer s.deliveredMu.Unlock()
	s.mu.Lock()
	m := make(map[string]map[string]int64, len(s.hooks))
	for id, h := range s.hooks {
		m[id] = h.delivered
	}
	b, n := encodeDelivered(m)
	s.mu.Unlock()
	if err := writeAtomic(s.deliveredPath, b); err != nil {
		return err
	}
	s.deliveredLines = n
	return nil
}

// compactOutbox rewrites the outbox journal with what is pending.
func (s *Service) compactOutbox() error {
	s.outboxMu.Lock()
	defer s.outboxMu.Unlock()
	s.mu.Lock()
	queues := make(map[string][]item, len(s.hooks))
	for id, h := range s.hooks {
		if len(h.queue) > 0 {
			queues[id] = append([]item(nil), h.queue...)
		}
	}
	s.mu.Unlock()
	return s.journal.rewrite(queues)
}

// journalLocked appends to the outbox journal; the caller holds outboxMu.
// A failure is logged, and the next flush rewrites the journal from the
// queues in memory.
func (s *Service) journalLocked(recs []journalRec, sync bool) {
	if len(recs) > 0 {
		s.outboxFailing.Report(s.journal.append(recs, sync))
	}
}
