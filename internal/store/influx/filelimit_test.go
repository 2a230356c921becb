package influx

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitByFilesCoversTheRangeInPiecesOfFewFiles(t *testing.T) {
	base := time.Date(2024, 10, 8, 0, 0, 0, 0, time.UTC)
	var files []span
	for i := range 25 { // a file per 10-minute window, out of order
		at := base.Add(time.Duration((i*7)%25) * 10 * time.Minute)
		files = append(files, span{at, at.Add(10*time.Minute - time.Nanosecond)})
	}
	files = append(files, span{base.AddDate(-1, 0, 0), base.AddDate(-1, 0, 0)}) // outside the range
	whole := span{base.Add(-time.Hour), base.Add(24 * time.Hour)}

	pieces := splitByFiles(files, whole, 4)
	require.NotEmpty(t, pieces)
	assert.Equal(t, whole.from, pieces[0].from)
	assert.Equal(t, whole.to, pieces[len(pieces)-1].to)
	for i, p := range pieces {
		if i > 0 {
			assert.Equal(t, pieces[i-1].to, p.from, "pieces follow each other without a gap")
		}
		n := 0
		for _, f := range files {
			if !f.to.Before(p.from) && f.from.Before(p.to) {
				n++
			}
		}
		assert.LessOrEqual(t, n, 4+1, "piece %d reads %d files", i, n)
	}
	assert.Len(t, pieces, 7, "25 files in pieces of 4")
	assert.Equal(t, []span{whole}, splitByFiles(nil, whole, 4), "no files: one piece")
}

func TestFileLimitMessage(t *testing.T) {
	err := asFileLimit("rpc error: code = Internal desc = Error while planning query: External error: Query would exceed file limit of 432 parquet files. Please specify a smaller time range for your query.")
	var fl *fileLimitError
	require.ErrorAs(t, err, &fl)
	assert.Equal(t, 432, fl.limit)
	assert.Nil(t, asFileLimit("table 'nfl_scores' not found"))
}
