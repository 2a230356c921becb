package gamefeed

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzSubscribeLastEventID: the id a client comes back with is whatever
// its Last-Event-ID header says. Any id is either answered with exactly
// the messages after it, in order, up to the newest, or with a reset and
// nothing; never a panic, a gap or a message twice.
func FuzzSubscribeLastEventID(f *testing.F) {
	f.Add("", uint8(3))
	f.Add("x-2", uint8(10))
	f.Add("-", uint8(0))
	f.Add("5", uint8(9))
	f.Add("-18446744073709551615", uint8(20))
	f.Add("--1", uint8(1))
	f.Fuzz(func(t *testing.T, id string, n uint8) {
		feed := New(Options{Replay: 8, Buffer: 4})
		feed.mu.Lock()
		for range int(n) {
			feed.publishLocked(TypeGame, []byte("{}"))
		}
		feed.mu.Unlock()
		// The id as sent, and the same tail after this feed's start, so
		// that ids of this feed are reached too.
		for _, last := range []string{id, feed.start + "-" + strings.TrimPrefix(id, "-")} {
			s, err := feed.Subscribe(last)
			require.NoError(t, err)
			switch {
			case last == "":
				assert.False(t, s.Reset)
				assert.Empty(t, s.Replay)
			case s.Reset:
				assert.Empty(t, s.Replay)
			default:
				start, num, ok := strings.Cut(last, "-")
				require.True(t, ok, "%q accepted", last)
				require.Equal(t, feed.start, start)
				seq, err := strconv.ParseUint(num, 10, 64)
				require.NoError(t, err)
				require.LessOrEqual(t, seq, uint64(n))
				require.Len(t, s.Replay, int(uint64(n)-seq))
				for i, m := range s.Replay {
					assert.Equal(t, feed.start+"-"+strconv.FormatUint(seq+1+uint64(i), 10), m.ID)
				}
			}
			s.Cancel()
		}
	})
}
