package disktest

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestFillAndFree(t *testing.T) {
	d := New(t, 256)
	path := filepath.Join(d.Dir, "data")
	if err := os.WriteFile(path, []byte("before"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.Fill(t)
	if err := os.WriteFile(filepath.Join(d.Dir, "more"), make([]byte, 8192), 0o600); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("a write to the full disk: %v, want ENOSPC", err)
	}
	d.Free(t)
	if err := os.WriteFile(filepath.Join(d.Dir, "more"), make([]byte, 8192), 0o600); err != nil {
		t.Fatalf("a write after Free: %v", err)
	}
}
