package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gssfault/gssfault/httpmap/openapi"
)

// readSpec reads a document ("-": standard input) up to
// openapi.MaxDocumentBytes and returns the permissions a new output file
// gets: the input's, or 0644 for standard input.
func (e *env) readSpec(path string) ([]byte, fs.FileMode, error) {
	r := e.stdin
	perm := fs.FileMode(0o644)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			perm = fi.Mode().Perm()
		}
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, openapi.MaxDocumentBytes+1))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > openapi.MaxDocumentBytes {
		return nil, 0, fmt.Errorf("%s: larger than %d bytes, the most a document may be", path, openapi.MaxDocumentBytes)
	}
	return b, perm, nil
}

// writeAtomic replaces the file at path with data so that a reader sees
// the old file or the new one, never a part: a temporary file in the same
// directory, written, synced, then renamed over path. On failure the
// temporary file is removed and path is untouched. The new file keeps the
// permissions (and, where allowed, the owner) of the file it replaces; a
// new one gets perm. A path that exists and is not a regular file (a
// device such as /dev/stdout, a pipe) is written to directly; a symbolic
// link is followed, so the file it points to is replaced, not the link.
func writeAtomic(path string, data []byte, perm fs.FileMode) (err error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	fi, statErr := os.Stat(path)
	if statErr == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return errors.Join(err, f.Close())
	}
	if statErr == nil {
		perm = fi.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	// The temporary file's name must fit where the target's does (255
	// bytes on most file systems), with room for the prefix and suffix.
	if len(base) > 200 {
		base = base[:200]
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if statErr == nil {
		keepOwner(tmp, fi) // best effort: only root may give a file away
	}
	if err = syncFile(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil { // make the rename durable
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// syncFile is (*os.File).Sync; a variable so that a test can make it fail.
var syncFile = (*os.File).Sync

// progress returns a progress reporter for long work, writing to stderr
// only when it is a terminal (a character device other than /dev/null),
// or nil.
func progress(stderr io.Writer) func(done, total int) {
	f, ok := stderr.(*os.File)
	if !ok || !isTerminal(f) {
		return nil
	}
	last := -1
	return func(done, total int) {
		pct := done * 100 / max(total, 1)
		if pct == last && done != total {
			return
		}
		last = pct
		fmt.Fprintf(f, "\rgssctl: inject: %d/%d operations (%d%%)", done, total, pct)
		if done == total {
			fmt.Fprint(f, "\r\033[K")
		}
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}
