//go:build unix

package main

import (
	"os"
	"syscall"
)

// keepOwner gives f the owner and group of the file fi describes, where
// the system allows it (only root may give a file away).
func keepOwner(f *os.File, fi os.FileInfo) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}
