//go:build !race

package openapi

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// GitHub's REST API description (1,223 operations, 13 MB of JSON), from
// the npm package @octokit/openapi. It is too large to keep in the
// repository, so githubSpec fetches it once with npm into the user cache
// directory and skips, saying why, when it cannot. Not built with -race
// (make test): the race detector makes a 13 MB document take minutes.
const (
	octokitPackage = "@octokit/openapi@23.0.2"
	octokitFile    = "package/generated/api.github.com.json"
)

func githubSpec(tb testing.TB) []byte {
	tb.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		tb.Skipf("no cache directory for GitHub's description: %v", err)
	}
	path := filepath.Join(cache, "gssfault", "octokit-openapi-23.0.2", "api.github.com.json")
	if b, err := os.ReadFile(path); err == nil {
		return b
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		tb.Skipf("GitHub's description is not in %s and npm is not available to fetch %s", path, octokitPackage)
	}
	dir := tb.TempDir()
	cmd := exec.Command(npm, "pack", octokitPackage, "--pack-destination", dir)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Skipf("npm pack %s failed (offline?): %v\n%s", octokitPackage, err, out)
	}
	tgz, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
	if len(tgz) != 1 {
		tb.Fatalf("npm pack left %v", tgz)
	}
	f, err := os.Open(tgz[0])
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			tb.Fatalf("%s has no %s: %v", octokitPackage, octokitFile, err)
		}
		if h.Name != octokitFile {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, MaxDocumentBytes))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			tb.Fatal(err)
		}
		return b
	}
}

// TestInjectGitHub: GitHub's description is written back byte for byte
// when nothing is added, and after Inject every one of its 1,223
// operations is typed, with no validator finding that the input did not
// already have (kin-openapi reports one of GitHub's own examples).
func TestInjectGitHub(t *testing.T) {
	if testing.Short() {
		t.Skip("13 MB document")
	}
	spec := githubSpec(t)
	d, err := readDocument(spec)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := d.bytes(); err != nil || !bytes.Equal(b, spec) {
		t.Errorf("GitHub's description is not written back unchanged (err %v)", err)
	}
	out, err := Inject(spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) {
		t.Fatal("the output is not JSON")
	}
	before, err := Check(spec)
	if err != nil {
		t.Fatal(err)
	}
	after, err := Check(out)
	if err != nil {
		t.Fatal(err)
	}
	if after.Operations != 1223 || after.Typed != after.Operations || !slices.Equal(after.Errors, before.Errors) {
		t.Errorf("after Inject: %d operations, %d typed, errors %q (before: %q)", after.Operations, after.Typed, after.Errors, before.Errors)
	}
}

// BenchmarkInjectGitHub is Inject on a 1,200-operation document (review
// m1: 13 s and 1.9 GB for 2,000 operations before).
func BenchmarkInjectGitHub(b *testing.B) {
	spec := githubSpec(b)
	b.SetBytes(int64(len(spec)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Inject(spec, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
