// Package testenv holds test helpers: hostile errors (a cycle, a panicking
// Unwrap and a cheap link for very deep chains), [Hammer], which runs a
// check from many goroutines at once, and the shared third-party inputs of
// testdata/.
package testenv

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	_ "google.golang.org/genproto/googleapis/rpc/errdetails" // link the detail types the statuses use
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protojson"
)

// NilsThenSelf is a multi-error whose children are many nils and then
// itself; Calls counts how often it was unwrapped.
type NilsThenSelf struct {
	kids  []error
	Calls int
}

// NewNilsThenSelf returns a NilsThenSelf with n nil children.
func NewNilsThenSelf(n int) *NilsThenSelf {
	m := &NilsThenSelf{}
	m.kids = append(make([]error, n), m)
	return m
}

func (m *NilsThenSelf) Error() string { return "nils" }

// Unwrap returns the nils and m, and counts the call.
func (m *NilsThenSelf) Unwrap() []error {
	m.Calls++
	return m.kids
}

// Cycle is an error whose Unwrap leads wherever Next points, itself
// included.
type Cycle struct{ Next error }

func (c *Cycle) Error() string { return "cycle" }

// Unwrap returns Next.
func (c *Cycle) Unwrap() error { return c.Next }

// NewCycle returns a Cycle that unwraps to itself.
func NewCycle() *Cycle {
	c := &Cycle{}
	c.Next = c
	return c
}

// Panicky is an error whose Unwrap panics.
type Panicky struct{}

func (Panicky) Error() string { return "panicky" }

// Unwrap panics.
func (Panicky) Unwrap() error { panic("errtest: Unwrap panics") }

// Link wraps Next without building its message eagerly, so a
// 100,000-deep chain costs linear time to make (fmt.Errorf's is quadratic).
type Link struct{ Next error }

func (l *Link) Error() string { return "link" }

// Unwrap returns Next.
func (l *Link) Unwrap() error { return l.Next }

// Deep wraps err in n Links.
func Deep(err error, n int) error {
	for range n {
		err = &Link{err}
	}
	return err
}

// Hammer calls check(g) for g in [0, n) from n goroutines at once, waits
// for all of them, and reports each non-nil error through t.Error. Each
// check typically loops, returning its first mismatch.
func Hammer(t testing.TB, n int, check func(g int) error) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() { errs[g] = check(g) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// Root returns the module's root directory (where go.mod is), for tests
// that read the shared testdata/ folder.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Statuses returns the third-party statuses of testdata/statuses (see its
// README), by file name without ".json".
func Statuses(t testing.TB) map[string]*spb.Status {
	t.Helper()
	dir := filepath.Join(Root(), "testdata", "statuses")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no statuses in %s: %v", dir, err)
	}
	out := make(map[string]*spb.Status, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var st spb.Status
		if err := protojson.Unmarshal(b, &st); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = &st
	}
	return out
}

// childEnv names the test a child process runs (see InChild).
const childEnv = "GSSFAULT_TEST_CHILD"

// InChild runs the calling test again in a child process of the test
// binary, bounded to timeout and to 512 MiB of heap and 64 MiB of stack, so
// that an attack that hangs, overflows the stack or exhausts memory fails
// the test instead of killing the suite. It returns true in the child,
// which then runs the attack, and false in the parent, after it has checked
// that the child passed in time:
//
//	if !testenv.InChild(t, 20*time.Second) {
//		return
//	}
//	... the attack ...
func InChild(t *testing.T, timeout time.Duration) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		debug.SetMaxStack(64 << 20)
		debug.SetMemoryLimit(512 << 20)
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name(), "GOMEMLIMIT=512MiB")
	out, err := cmd.CombinedOutput()
	switch {
	case ctx.Err() != nil:
		t.Fatalf("the child did not finish within %v:\n%s", timeout, tail(out))
	case err != nil:
		t.Fatalf("the child failed (%v):\n%s", err, tail(out))
	case !strings.Contains(string(out), "--- PASS: "+t.Name()):
		t.Fatalf("the child did not run the test:\n%s", tail(out))
	}
	return false
}

func tail(b []byte) string {
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// HTTPBody returns a file of testdata/http (see its README).
func HTTPBody(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Root(), "testdata", "http", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
