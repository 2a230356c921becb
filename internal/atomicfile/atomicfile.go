// Package atomicfile replaces small state files (registrations, caches,
// saved selections) so that a crash or a full disk leaves either the old
// file or the new one, never half of one.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// TempPattern is the glob of the temporary files Write leaves behind when
// the process dies between creating and renaming one, for clean-ups.
func TempPattern(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
}

// Write replaces path with data: it writes a temporary file beside it,
// flushes it to disk, renames it over path and flushes the folder, so the
// rename survives a power cut too. The parent folder is created if needed.
func Write(path string, data []byte, perm fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(perm); err != nil {
		_ = f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Not every platform can flush a folder; that is not a failed write.
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) {
		return err
	}
	return nil
}

// processStart is when this process started (package initialisation comes
// before anything could call Write).
var processStart = time.Now()

// RemoveLeftovers deletes the temporary files of Write that a crash left
// behind mid-write, in dir and its sub-folders, and returns their paths.
// Only files last modified before this process started are taken: a
// temporary file written since belongs to a write in progress, which its
// own rename or clean-up will finish. Files it cannot remove or folders it
// cannot read are skipped.
func RemoveLeftovers(dir string) []string {
	var removed []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !isTemp(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(processStart) {
			return nil
		}
		if os.Remove(path) == nil {
			removed = append(removed, path)
		}
		return nil
	})
	return removed
}

// isTemp reports whether name is one of Write's temporary files:
// ".<base>.tmp-<random>".
func isTemp(name string) bool {
	ok, _ := filepath.Match(".*.tmp-*", name)
	return ok
}

// MoveAside renames a file that cannot be read out of the way, keeping it
// for inspection as path.corrupt-<unix seconds>, and returns an error that
// says so and why.
func MoveAside(path string, now time.Time, cause error) error {
	aside := fmt.Sprintf("%s.corrupt-%d", path, now.Unix())
	_ = os.Rename(path, aside)
	return fmt.Errorf("%s is not valid JSON (moved to %s): %w", path, aside, cause)
}
