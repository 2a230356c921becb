// Package disktest gives tests a real disk that fills up: a small tmpfs
// mounted for the test, which a filler file makes full (every write then
// fails with ENOSPC, as on a full SD card) and which takes writes again
// when the filler is removed. Mounting needs root (CAP_SYS_ADMIN): where
// it is refused the test is skipped, and under CI it fails (testenv.Need).
package disktest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sports-data/sports-data/internal/testenv"
)

// Disk is a mounted tmpfs of a fixed size.
type Disk struct {
	// Dir is the mount point.
	Dir    string
	filler string
}

// New mounts a tmpfs of sizeKiB for the test and unmounts it at its end.
func New(t testing.TB, sizeKiB int) *Disk {
	t.Helper()
	dir := t.TempDir()
	err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%dk,mode=0755", sizeKiB))
	testenv.Need(t, err == nil, fmt.Sprintf("a full disk is a small tmpfs the test mounts, which needs root (CAP_SYS_ADMIN): %v", err))
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("disktest: unmount %s: %v", dir, err)
		}
	})
	return &Disk{Dir: dir, filler: filepath.Join(dir, ".filler")}
}

// Fill takes every free byte of the disk: writes fail with ENOSPC until
// Free.
func (d *Disk) Fill(t testing.TB) {
	t.Helper()
	f, err := os.OpenFile(d.filler, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatalf("disktest: %v", err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("disktest: filling the disk: %v", err)
			}
			break
		}
	}
	// A last partial page may still be free: take it byte by byte.
	for {
		if _, err := f.Write(chunk[:1]); err != nil {
			return
		}
	}
}

// Free removes what Fill took.
func (d *Disk) Free(t testing.TB) {
	t.Helper()
	if err := os.Remove(d.filler); err != nil {
		t.Fatalf("disktest: %v", err)
	}
}
