package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/httpmap/openapi"
)

// specCopy copies a test document of httpmap/openapi into a temporary
// directory with the given permissions.
func specCopy(t *testing.T, name string, perm fs.FileMode) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "httpmap", "openapi", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), filepath.Base(name))
	if err := os.WriteFile(p, b, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, perm); err != nil { // whatever the umask
		t.Fatal(err)
	}
	return p
}

func mode(t *testing.T, p string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestOpenAPIInjectThenCheck: inject over the input keeps its permissions
// (review m4), check then passes, and inject prints nothing on stderr when
// stderr is not a terminal.
func TestOpenAPIInjectThenCheck(t *testing.T) {
	spec := specCopy(t, "inventory.yaml", 0o600)
	out, errOut, code := gssctl(t, "openapi", "check", spec)
	if code != 1 || !strings.Contains(out, "8 operations, 1 typed, 6 untyped, 1 ignored") || !strings.Contains(out, "untyped: GET /hosts (listHosts)") {
		t.Errorf("check before inject: exit %d\n%s%s", code, out, errOut)
	}
	_, errOut, code = gssctl(t, "openapi", "inject", spec, "-o", spec)
	if code != 0 || errOut != "" {
		t.Fatalf("inject: exit %d, stderr %q", code, errOut)
	}
	if m := mode(t, spec); m != 0o600 {
		t.Errorf("the file written over the input has mode %o, want 600", m)
	}
	out, _, code = gssctl(t, "openapi", "check", spec, "--json")
	var r openapi.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("check --json: %v\n%s", err, out)
	}
	if code != 0 || !r.OK() || r.Typed != 7 || r.Format != "OpenAPI 3.0.3" {
		t.Errorf("check after inject: exit %d, %+v", code, r)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(spec), ".*tmp*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestOpenAPIInjectNewFileGetsInputPermissions(t *testing.T) {
	spec := specCopy(t, "grpc-gateway/helloworld.swagger.json", 0o640)
	dst := filepath.Join(filepath.Dir(spec), "typed.json")
	if _, errOut, code := gssctl(t, "openapi", "inject", spec, "-o", dst); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if m := mode(t, dst); m != 0o640 {
		t.Errorf("new output file has mode %o, want the input's 640", m)
	}
	b, _ := os.ReadFile(dst)
	if !json.Valid(b) || !bytes.Contains(b, []byte(`"#/definitions/GssfaultError"`)) {
		t.Errorf("output is not typed Swagger JSON:\n%.300s", b)
	}
}

func TestOpenAPICheckExitStatus(t *testing.T) {
	dir := t.TempDir()
	invalid := filepath.Join(dir, "invalid.yaml")
	os.WriteFile(invalid, []byte("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'404': {schema: {type: object}}}\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"openapi", "check", invalid}, 1, "invalid: at '/paths/~1a/get/responses/404': missing property 'description'"},
		{[]string{"openapi", "check", filepath.Join(dir, "missing.yaml")}, 2, "no such file"},
		{[]string{"openapi", "check"}, 2, "check takes one SPEC file"},
		{[]string{"openapi", "check", "--bogus", invalid}, 2, "bogus"},
	} {
		out, errOut, code := gssctl(t, tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s%s", tc.args, code, tc.code, tc.want, out, errOut)
		}
	}
}

// TestOpenAPICheckEscapesTheDocument: a path or message of the document
// reaches the terminal escaped, never as a raw control sequence.
func TestOpenAPICheckEscapesTheDocument(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "esc.json")
	os.WriteFile(spec, []byte(`{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a\u001b[31mRED": {"get": {"responses": {"200": {"description": "ok"}}}}}}`), 0o644)
	out, errOut, code := gssctl(t, "openapi", "check", spec)
	if code != 1 || !strings.Contains(out, "untyped: ") || strings.ContainsRune(out+errOut, 0x1b) {
		t.Errorf("exit %d, want 1 and no raw ESC:\n%q", code, out+errOut)
	}
}

// TestOpenAPIInjectFlags: feature switches are off unless given (newcomer
// review 7), --domain and --codes narrow, bad values are usage errors.
func TestOpenAPIInjectFlags(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.yaml")
	os.WriteFile(spec, []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /quota:
    post:
      operationId: Quota_Set
      x-gss-codes: [GSS-VSP-026]
      responses: {"200": {description: ok}}
  /clusters/{id}:
    get:
      operationId: Cluster_Get
      responses: {"200": {description: ok}}
`), 0o644)
	codesFile := filepath.Join(dir, "codes.json")
	os.WriteFile(codesFile, []byte(`{"gssfault": "v1", "methods": [{"method": "/c.v1.Cluster/Get", "operationId": "Cluster_Get", "codes": ["GSS-TKG-105", "GSS-VSP-006"]}]}`), 0o644)
	for _, tc := range []struct {
		args      []string
		code      int
		want, not []string
	}{
		{nil, 0, []string{`"429":`}, []string{`"422":`}},
		{[]string{"--namespace-quotas"}, 0, []string{`"422":`}, []string{`"429":`}},
		{[]string{"--codes", codesFile}, 0, []string{"x-gss-codes: [GSS-TKG-105]", "x-gss-codes: [GSS-VSP-006]"}, []string{"GSS-VSP-002"}},
		{[]string{"--codes", codesFile, "--domain", "vsp"}, 0, []string{"x-gss-codes: [GSS-VSP-006]"}, []string{"x-gss-codes: [GSS-TKG-105]"}},
		{[]string{"--domain", "XYZ"}, 2, []string{"no code of the catalog is in domain \"XYZ\""}, nil},
		{[]string{"--version", "nine"}, 2, []string{"--version"}, nil},
		{[]string{"--problem"}, 0, []string{"application/problem+json", "GssfaultProblem"}, nil},
	} {
		out, errOut, code := gssctl(t, append([]string{"openapi", "inject", spec}, tc.args...)...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, code, tc.code, errOut)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(out+errOut, w) {
				t.Errorf("%v: output lacks %q", tc.args, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(out, w) {
				t.Errorf("%v: output has %q", tc.args, w)
			}
		}
	}
	swagger := specCopy(t, "grpc-gateway/helloworld.swagger.json", 0o644)
	if _, errOut, code := gssctl(t, "openapi", "inject", swagger, "--problem"); code != 2 || !strings.Contains(errOut, "OpenAPI 3") {
		t.Errorf("--problem on Swagger 2.0: exit %d, %s", code, errOut)
	}
}

// TestOpenAPIInjectInputCaps (review m2): a document larger than the cap
// and a mapping file larger than its cap are errors, never cut.
func TestOpenAPIInjectInputCaps(t *testing.T) {
	if _, errOut, code := gssctl(t, "openapi", "inject", "/dev/zero"); code != 2 || !strings.Contains(errOut, "larger than 67108864 bytes") {
		t.Errorf("inject /dev/zero: exit %d, %s", code, errOut)
	}
	dir := t.TempDir()
	mapping := filepath.Join(dir, "mapping.yaml")
	os.WriteFile(mapping, []byte("# "+strings.Repeat("x", openapi.MaxMappingBytes)+"\nresponses:\n  - status: 404\n    codes: [GSS-VSP-005]\n"), 0o644)
	spec := specCopy(t, "inventory.yaml", 0o644)
	if _, errOut, code := gssctl(t, "openapi", "inject", spec, "--mapping", mapping); code != 2 || !strings.Contains(errOut, "larger than") {
		t.Errorf("a mapping over the cap: exit %d, %s", code, errOut)
	}
}

// TestWriteAtomicFailureKeepsOriginal (review M7): when the write fails,
// the file is untouched and no temporary file is left.
func TestWriteAtomicFailureKeepsOriginal(t *testing.T) {
	spec := specCopy(t, "inventory.yaml", 0o600)
	before, _ := os.ReadFile(spec)
	syncFile = func(*os.File) error { return errors.New("no space left on device") }
	defer func() { syncFile = (*os.File).Sync }()
	_, errOut, code := gssctl(t, "openapi", "inject", spec, "-o", spec)
	if code != 2 || !strings.Contains(errOut, "no space left on device") {
		t.Errorf("exit %d, %s", code, errOut)
	}
	if after, _ := os.ReadFile(spec); !bytes.Equal(after, before) || mode(t, spec) != 0o600 {
		t.Error("the input changed")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(spec), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriteAtomicTargets(t *testing.T) {
	spec := specCopy(t, "inventory.yaml", 0o644)
	dir := filepath.Dir(spec)
	for _, target := range []string{dir, filepath.Join(dir, "missing", "out.yaml")} {
		if _, _, code := gssctl(t, "openapi", "inject", spec, "-o", target); code != 2 {
			t.Errorf("-o %s: exit %d, want 2", target, code)
		}
	}
	// A name of 250 bytes, near the usual limit of 255 (red team: the
	// temporary name was too long for it).
	long := filepath.Join(dir, strings.Repeat("n", 245)+".yaml")
	if _, errOut, code := gssctl(t, "openapi", "inject", spec, "-o", long); code != 0 {
		t.Errorf("-o a 250-byte name: exit %d, %s", code, errOut)
	}
	// A symbolic link is followed: the file it points to is replaced.
	real := filepath.Join(dir, "real.yaml")
	os.WriteFile(real, nil, 0o600)
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	if _, errOut, code := gssctl(t, "openapi", "inject", spec, "-o", link); code != 0 {
		t.Fatalf("-o link: exit %d, %s", code, errOut)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
	if b, _ := os.ReadFile(real); !bytes.Contains(b, []byte("GssfaultError")) || mode(t, real) != 0o600 {
		t.Error("the linked file was not written with its own permissions")
	}
}

// TestProgressOnlyOnATerminal: files, pipes and /dev/null are not
// terminals, so no progress is written to them.
func TestProgressOnlyOnATerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, out := range []*os.File{f, null, w} {
		if progress(out) != nil {
			t.Errorf("progress on %s, which is not a terminal", out.Name())
		}
	}
	if progress(&bytes.Buffer{}) != nil {
		t.Error("progress on a buffer")
	}
}
