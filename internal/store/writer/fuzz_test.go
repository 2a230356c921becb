package writer

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/sports-data/sports-data/internal/store"
)

// FuzzSpoolSegment feeds arbitrary bytes to the spool as a segment left
// by an earlier run (a crash, a full disk, a stray edit): opening and
// replaying it must neither panic nor loop, and must account for every
// line as a point or a skipped line.
func FuzzSpoolSegment(f *testing.F) {
	lines, err := encodeLines(pts(0, 3, "live"))
	if err != nil {
		f.Fatal(err)
	}
	whole := bytes.Join(lines, nil)
	f.Add(whole)
	f.Add(whole[:len(whole)-40])                  // torn last line
	f.Add(append([]byte("\x00\x00\n"), whole...)) // zeros a crash left
	f.Add([]byte("{}\nnull\n[]\n\"x\"\n"))
	f.Add([]byte("\n\n\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, segName(1)), data, 0o644); err != nil {
			t.Fatal(err)
		}
		sp, err := openSpool(dir, 64<<20, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		lines := sp.points
		if want := bytes.Count(data, []byte{'\n'}); lines != want {
			t.Fatalf("spool counts %d lines, the data has %d complete ones", lines, want)
		}
		got, bad := 0, 0
		for i := 0; sp.points > 0; i++ {
			if i > lines {
				t.Fatal("replay does not advance")
			}
			points, c, b, err := sp.peek(7)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range points {
				if p.Series == "" || p.League == "" {
					t.Fatalf("replayed a point without series or league: %+v", p)
				}
			}
			got += len(points)
			bad += b
			sp.ack(c)
		}
		if got+bad != lines {
			t.Fatalf("%d points + %d skipped lines != %d lines", got, bad, lines)
		}
		if err := sp.close(); err != nil {
			t.Fatal(err)
		}
		if segs, _ := filepath.Glob(filepath.Join(dir, "seg-*")); len(segs) != 0 {
			t.Fatalf("replayed segments left behind: %v", segs)
		}
	})
}

// The line format is the store.Point JSON: a round trip keeps every field.
func TestSpoolLineRoundTrip(t *testing.T) {
	dir := t.TempDir()
	sp, err := openSpool(dir, 1<<20, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	in := pts(0, 2, "live")
	in[1].Series, in[1].Venue, in[1].HomeTeamID, in[1].ObservedAt = store.SeriesGames, "NRG Stadium", "34", base
	if _, err := sp.append(in); err != nil {
		t.Fatal(err)
	}
	out, c, bad, err := sp.peek(10)
	if err != nil || bad != 0 || len(out) != 2 {
		t.Fatalf("peek: %v, %d bad, %d points", err, bad, len(out))
	}
	for i := range in {
		if !in[i].Time.Equal(out[i].Time) || !in[i].ObservedAt.Equal(out[i].ObservedAt) {
			t.Fatalf("point %d times changed", i)
		}
		out[i].Time, out[i].ObservedAt = in[i].Time, in[i].ObservedAt
		if in[i] != out[i] {
			t.Fatalf("point %d changed:\n%+v\n%+v", i, in[i], out[i])
		}
	}
	sp.ack(c)
	if sp.points != 0 {
		t.Fatalf("%d points left", sp.points)
	}
}
