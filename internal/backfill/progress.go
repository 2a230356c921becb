package backfill

import (
	"fmt"
	"io"
	"strings"
)

// progress reports how far a backfill is: on a terminal one line redrawn in
// place, otherwise one plain line per team.
type progress struct {
	w        io.Writer
	terminal bool
	label    string // "nfl 2024"
	total    int
	drawn    bool
}

const barWidth = 30

func (p *progress) draw(done, games int) {
	if !p.terminal {
		if done > 0 {
			fmt.Fprintf(p.w, "%s: %d/%d teams, %d games\n", p.label, done, p.total, games)
		}
		return
	}
	filled := 0
	if p.total > 0 {
		filled = done * barWidth / p.total
	}
	bar := strings.Repeat("#", filled) + strings.Repeat("-", barWidth-filled)
	// Trailing spaces wipe what a longer earlier line left behind.
	fmt.Fprintf(p.w, "\r%s [%s] %d/%d teams, %d games   ", p.label, bar, done, p.total, games)
	p.drawn = true
}

// finish ends the redrawn line so that what follows starts on its own.
func (p *progress) finish() {
	if p.terminal && p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
