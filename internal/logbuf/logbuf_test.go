package logbuf

import (
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBufferCollectsLinesFromManyWriters(t *testing.T) {
	b := &Buffer{}
	log := b.Logger(slog.LevelInfo)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); log.Warn("poll failed", "n", i) }()
	}
	wg.Wait()
	log.Debug("not shown")
	log.Info("back")
	assert.Len(t, b.Lines("level=WARN"), 8)
	assert.Equal(t, []string{b.Lines("msg=back")[0]}, b.Lines("level=INFO"))
	assert.Empty(t, b.Lines("not shown"))
}
