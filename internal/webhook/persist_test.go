package webhook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEachLine(t *testing.T) {
	long := strings.Repeat("x", maxLine+1)
	cases := []struct {
		name, in string
		want     []string
	}{
		{"plain", "a\nb\n", []string{"a", "b"}},
		{"no final newline", "a\nb", []string{"a", "b"}},
		{"blank lines and CRLF", "\n a \r\n\r\nb\r\n", []string{"a", "b"}},
		{"longest allowed", strings.Repeat("y", maxLine) + "\nb", []string{strings.Repeat("y", maxLine), "b"}},
		{"over-long line in the middle", "a\n" + long + "\nb\n", []string{"a", "b"}},
		{"over-long last line", "a\n" + long, []string{"a"}},
		{"over-long first line", long + "\n" + long + "\nb", []string{"b"}},
		{"empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			require.NoError(t, eachLine(strings.NewReader(c.in), maxLine, func(b []byte) { got = append(got, string(b)) }))
			assert.Equal(t, c.want, got)
		})
	}
}

// An over-long line in the delivered log (damage: the service never writes
// one) is skipped like a torn line: the service starts, and the deliveries
// recorded around it still count.
func TestOverlongDeliveredLineIsSkipped(t *testing.T) {
	o := testOptions(t)
	rc := newReceiver(t, nil)
	s1 := start(t, o)
	register(t, s1.Service, rc.URL(), "NE")
	walk(t, s1, nil, eventstest.MIANEFrames(t)[:4])
	rc.WaitDelivered(t, 2)
	waitIdle(t, s1.Service)
	s1.stop(t)

	path := filepath.Join(o.DataDir, deliveredFile)
	log, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 2, strings.Count(strings.TrimSpace(string(log)), "\n")+1)
	first, rest, _ := strings.Cut(string(log), "\n")
	damaged := first + "\n" + `{"w":"` + strings.Repeat("z", 2<<20) + "\n" + rest
	require.NoError(t, os.WriteFile(path, []byte(damaged), 0o600))

	s2 := start(t, o)
	// The same polls again: both events were delivered, so nothing is sent.
	walk(t, s2, nil, eventstest.MIANEFrames(t)[:4])
	waitIdle(t, s2.Service)
	assert.Equal(t, 2, rc.Count())
	// Compaction at start dropped the damage.
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Less(t, len(b), 1000)
}

// The temporary files a crash left beside the webhook's files are removed
// at start (other components' are the service's start-up's to remove).
func TestLeftoverTempFilesAreRemoved(t *testing.T) {
	o := testOptions(t)
	past := time.Now().Add(-time.Hour)
	paths := []string{
		filepath.Join(o.DataDir, "."+outboxFile+".tmp-1"),
		filepath.Join(o.DataDir, "."+registrationsFile+".tmp-2"),
		filepath.Join(o.DataDir, "."+deliveredFile+".tmp-3"),
	}
	for _, p := range paths {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("{"), 0o600))
		require.NoError(t, os.Chtimes(p, past, past))
	}
	_, err := New(o)
	require.NoError(t, err)
	for _, p := range paths {
		assert.NoFileExists(t, p)
	}
}
