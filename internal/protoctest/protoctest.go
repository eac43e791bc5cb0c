// Package protoctest runs protoc, the protobuf compiler, and protoc plugins
// in tests.
//
// A test binary makes one [Toolchain] (a package variable, closed in
// TestMain). [Toolchain.Protoc] skips a test, naming scripts/install-deps.sh,
// when protoc is not on PATH; [Toolchain.Plugin] builds a plugin with go build
// the first time a test asks for it and hands the same executable to every
// later test of the binary, so each plugin is built once per test binary
// and not at all when no test that needs it runs. When the tests run with
// -race the plugins are built with -race as well: they then reuse the
// packages (protobuf, above all) that the tests' build compiled, instead of
// compiling them again without the race detector.
package protoctest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// InstallScript installs protoc; a test that needs protoc and does not find
// it is skipped with a message naming this script.
const InstallScript = "scripts/install-deps.sh"

// modulePath is the gssfault module's path, as go.mod declares it.
const modulePath = "github.com/gssfault/gssfault"

// Timeouts bound what the tests run: a go build of a plugin (cold, with
// module downloads) and one protoc run.
const (
	BuildTimeout  = 5 * time.Minute
	ProtocTimeout = time.Minute
)

// Plugin says how to get a protoc plugin's executable: build the main
// package Pkg in the module directory ModDir (relative to the gssfault
// module's root), or run Exec as it is.
type Plugin struct {
	Name   string   // the plugin's name, protoc-gen-<x>; protoc's flags are --<x>_out and --<x>_opt
	ModDir string   // the directory, relative to the module root, to run go build in: "" for the root, "tools" for the tools module
	Pkg    string   // the main package to build
	Exec   string   // an existing executable to use instead of building, such as the test binary itself
	Env    []string // added to protoc's environment when this plugin is used
}

// Toolchain finds protoc and builds plugins for one test binary. The zero
// value is not usable; make one with [New]. Its methods are safe for
// concurrent use.
type Toolchain struct {
	plugins map[string]*built

	once   sync.Once
	dir    string // holds the built plugins
	dirErr error
}

type built struct {
	Plugin
	once sync.Once
	path string
	err  error
}

// New returns a toolchain that provides the given plugins.
func New(plugins ...Plugin) *Toolchain {
	tc := &Toolchain{plugins: map[string]*built{}}
	for _, p := range plugins {
		tc.plugins[p.Name] = &built{Plugin: p}
	}
	return tc
}

// Close removes the plugins the toolchain built. Call it from TestMain after
// m.Run.
func (tc *Toolchain) Close() {
	if tc.dir != "" {
		os.RemoveAll(tc.dir)
	}
}

// Protoc returns the path of protoc, or skips t when protoc is not on PATH.
func (tc *Toolchain) Protoc(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("protoc")
	if err != nil {
		t.Skipf("protoc is not installed (run %s): %v", InstallScript, err)
	}
	return path
}

// Plugin returns the executable of the plugin name, building it on first
// use; it fails t when the build fails and skips t when protoc is absent (a
// plugin is of no use without it).
func (tc *Toolchain) Plugin(t testing.TB, name string) string {
	t.Helper()
	tc.Protoc(t)
	p, ok := tc.plugins[name]
	if !ok {
		t.Fatalf("protoctest: no plugin %q in the toolchain", name)
	}
	p.once.Do(func() { p.path, p.err = tc.build(p.Plugin) })
	if p.err != nil {
		t.Fatalf("building %s: %v", name, p.err)
	}
	return p.path
}

func (tc *Toolchain) build(p Plugin) (string, error) {
	if p.Exec != "" {
		return p.Exec, nil
	}
	tc.once.Do(func() { tc.dir, tc.dirErr = os.MkdirTemp("", "protoctest-") })
	if tc.dirErr != nil {
		return "", tc.dirErr
	}
	root, err := Root()
	if err != nil {
		return "", err
	}
	out := filepath.Join(tc.dir, p.Name)
	ctx, cancel := context.WithTimeout(context.Background(), BuildTimeout)
	defer cancel()
	args := []string{"build", "-o", out}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.CommandContext(ctx, "go", append(args, p.Pkg)...)
	cmd.Dir = filepath.Join(root, p.ModDir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s in %s: %v\n%s", p.Pkg, cmd.Dir, err, msg)
	}
	return out, nil
}

// Run runs protoc with args in dir, giving it every plugin named in uses
// (as --plugin=<name>=<path>), and returns protoc's stderr. The error is
// protoc's exit status; a test that expects success should print stderr
// with it. Run skips t when protoc is absent.
func (tc *Toolchain) Run(t testing.TB, dir string, uses []string, args ...string) (stderr string, err error) {
	t.Helper()
	protoc := tc.Protoc(t)
	var full []string
	env := os.Environ()
	for _, name := range uses {
		full = append(full, "--plugin="+name+"="+tc.Plugin(t, name))
		env = append(env, tc.plugins[name].Env...)
	}
	if raceEnabled {
		// A -race binary sleeps a second before it exits, on every
		// protoc run, unless told not to.
		env = append(env, NoExitSleep())
	}
	full = append(full, args...)
	ctx, cancel := context.WithTimeout(context.Background(), ProtocTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, protoc, full...)
	cmd.Dir = dir
	cmd.Env = env
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	err = cmd.Run()
	return errBuf.String(), err
}

// MustRun is [Toolchain.Run] that fails t when protoc fails.
func (tc *Toolchain) MustRun(t testing.TB, dir string, uses []string, args ...string) {
	t.Helper()
	if stderr, err := tc.Run(t, dir, uses, args...); err != nil {
		t.Fatalf("protoc %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
}

// protocVersion is the header line of protoc-gen-go's output that names
// protoc's version.
var protocVersion = regexp.MustCompile(`(?m)^// \tprotoc +v[^\n]*$`)

// SameGenerated reports whether two generated Go files are equal but for
// the protoc version protoc-gen-go records in the header, which differs
// between machines without changing the code.
func SameGenerated(a, b []byte) bool {
	norm := func(x []byte) []byte { return protocVersion.ReplaceAll(x, []byte("// \tprotoc (version)")) }
	return bytes.Equal(norm(a), norm(b))
}

// NoExitSleep returns the GORACE environment setting, with
// atexit_sleep_ms=0 added, for running a binary built with -race, which
// otherwise sleeps a second before it exits.
func NoExitSleep() string {
	return "GORACE=" + strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0")
}

// Root returns the root directory of the gssfault module: the nearest
// directory at or above the working directory whose go.mod declares it.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && moduleLine(data) == "module "+modulePath {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("protoctest: no go.mod of " + modulePath + " above the working directory")
		}
		dir = parent
	}
}

// moduleLine returns go.mod's module directive, trimmed.
func moduleLine(gomod []byte) string {
	for line := range strings.Lines(string(gomod)) {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "module ") {
			return line
		}
	}
	return ""
}
