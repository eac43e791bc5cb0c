// Package testenv holds helpers for tests that need a real component from
// the machine: a headless browser for the HTML pages gssctl writes.
package testenv

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// ChromiumEnv is the environment variable that names the browser binary;
// without it, chromium and chromium-browser are looked up on PATH.
const ChromiumEnv = "GSSFAULT_CHROMIUM"

// InstallScript installs the browser the tests use.
const InstallScript = "scripts/install-deps.sh"

// Chromium returns the path of a Chromium binary, or skips t with a
// message naming the install script.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(ChromiumEnv); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skipf("no chromium on PATH: run %s (or set %s) to check the HTML pages in a real browser", InstallScript, ChromiumEnv)
	return ""
}

// chromiumFlags keep a headless run self-contained: no sandbox (tests may
// run as root in a container), no GPU, no background connections (they are
// refused on build machines and slow the start), a throw-away profile.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
	"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
	"--disable-default-apps", "--mute-audio",
}

// DumpDOM loads url in headless Chromium, once, and returns the DOM as it
// is after the page's scripts ran (--dump-dom). It fails t if Chromium
// fails or takes more than a minute.
func DumpDOM(t testing.TB, url string) string {
	t.Helper()
	bin := Chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := append(append([]string(nil), chromiumFlags...), "--user-data-dir="+t.TempDir(), "--dump-dom", url)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium --dump-dom %s: %v\n%s", url, err, lastLines(errOut.String(), 20))
	}
	if !strings.Contains(out.String(), "<html") {
		t.Fatalf("chromium --dump-dom %s printed no document\n%s", url, lastLines(errOut.String(), 20))
	}
	return out.String()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
