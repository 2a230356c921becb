package outage

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sports-data/sports-data/internal/logbuf"
)

// TestAnOutageIsTwoLines: a thousand failures in a row are one error line
// when they begin and one line when an attempt works again; the repeats
// are at debug level only; a second outage is reported again.
func TestAnOutageIsTwoLines(t *testing.T) {
	var buf logbuf.Buffer
	r := New(slog.New(slog.NewTextHandler(&buf, nil)), "writing the spool", "points stay in memory")
	full := errors.New("write spool/seg-1.jsonl: no space left on device")
	r.Report(nil)
	assert.Empty(t, buf.String(), "nothing to say while it works")
	for range 1000 {
		r.Report(full)
	}
	assert.True(t, r.Failing())
	r.Report(nil)
	assert.False(t, r.Failing())
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if assert.Len(t, lines, 2, buf.String()) {
		assert.Contains(t, lines[0], "level=ERROR")
		assert.Contains(t, lines[0], `msg="writing the spool failed; points stay in memory; the log says when it works again"`)
		assert.Contains(t, lines[0], "no space left on device")
		assert.Contains(t, lines[1], "level=INFO")
		assert.Contains(t, lines[1], `msg="writing the spool works again" failures=1000`)
	}
	r.Report(full)
	assert.Equal(t, 3, strings.Count(buf.String(), "\n"), "a new outage is a new line")
}
