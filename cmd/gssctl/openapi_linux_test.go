//go:build linux

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestMain lets a test run gssctl itself in a child process (to give it
// resource limits): with GSSCTL_MAIN set, the test binary is gssctl.
func TestMain(m *testing.M) {
	if os.Getenv("GSSCTL_MAIN") == "" {
		os.Exit(m.Run())
	}
	if s := os.Getenv("GSSCTL_FSIZE"); s != "" {
		n, _ := strconv.ParseUint(s, 10, 64)
		signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			panic(err)
		}
	}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// TestInjectOverInputOnAFullDisk (review M7): gssctl writes a spec over
// itself in a process whose files may not grow past 64 KiB, as on a full
// disk. The write fails with exit status 2; the spec is unchanged and no
// temporary file is left. (os.WriteFile truncated the spec and left 64 KiB
// of it.)
func TestInjectOverInputOnAFullDisk(t *testing.T) {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n")
	for i := 0; i < 300; i++ {
		b.WriteString("  /p" + strconv.Itoa(i) + ":\n    get:\n      responses: {'200': {description: ok}}\n")
	}
	spec := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(spec, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "openapi", "inject", spec, "-o", spec)
	cmd.Env = append(os.Environ(), "GSSCTL_MAIN=1", "GSSCTL_FSIZE=65536")
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 {
		t.Fatalf("exit %v (%v), want 2 (could not run):\n%s", cmd.ProcessState, err, out)
	}
	if !bytes.Contains(out, []byte("file too large")) {
		t.Errorf("stderr does not say why: %s", out)
	}
	if after, _ := os.ReadFile(spec); after == nil || string(after) != b.String() {
		t.Errorf("the spec changed: %d bytes, was %d", len(after), b.Len())
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(spec), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestProgressOnATerminal runs the progress reporter on the slave side of
// a pseudo-terminal and reads what it wrote from the master side.
func TestProgressOnATerminal(t *testing.T) {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	var unlock int32
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Skipf("unlockpt: %v", e)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Skipf("ptsname: %v", e)
	}
	slave, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open the pseudo-terminal: %v", err)
	}
	defer slave.Close()
	p := progress(slave)
	if p == nil {
		t.Fatal("no progress on a terminal")
	}
	p(1, 2)
	buf := make([]byte, 256)
	k, err := master.Read(buf)
	if err != nil || !strings.Contains(string(buf[:k]), "gssctl: inject: 1/2 operations (50%)") {
		t.Errorf("the terminal got %q (%v)", buf[:k], err)
	}
}
