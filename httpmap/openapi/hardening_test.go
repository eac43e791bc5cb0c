package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/httpmap/openapi"
)

// aliasBomb is a flow-style YAML document (it starts with '{', as JSON
// does) whose last alias stands for 10^levels scalars: 9 levels are about
// 550 bytes and a billion nodes once expanded.
func aliasBomb(levels int) []byte {
	var b strings.Builder
	b.WriteString(`{openapi: 3.0.3, info: {title: t, version: "1"}, x-a: &a [x, x, x, x, x, x, x, x, x, x]`)
	prev := "a"
	for i := 1; i < levels; i++ {
		name := fmt.Sprintf("l%d", i)
		fmt.Fprintf(&b, ", x-%s: &%s [*%s", name, name, prev)
		b.WriteString(strings.Repeat(",*"+prev, 9))
		b.WriteString("]")
		prev = name
	}
	fmt.Fprintf(&b, ", paths: {/p: {get: {responses: {'200': {description: ok, x-all: *%s}}}}}}", prev)
	return []byte(b.String())
}

// inChild runs the calling test again in a child process bounded in
// memory (GOMEMLIMIT, and a peak RSS of maxMiB checked afterwards) and
// time (60 s), so that an attack that gets through cannot take the test
// suite down with it. It returns true in the child, which then runs the
// test's body, and false in the parent, which has checked the child.
func inChild(t *testing.T, maxMiB int64) bool {
	t.Helper()
	if os.Getenv("GSSFAULT_CHILD") == t.Name() {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), "GSSFAULT_CHILD="+t.Name(), "GOMEMLIMIT=256MiB")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the child did not finish in 60 s:\n%s", out)
	}
	if err != nil {
		t.Fatalf("the child failed: %v\n%s", err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > maxMiB<<10 { // KiB
		t.Errorf("the child peaked at %d MiB, over %d", ru.Maxrss>>10, maxMiB)
	}
	if !bytes.Contains(out, []byte("--- PASS: "+t.Name())) {
		t.Errorf("the child did not pass:\n%s", out)
	}
	return false
}

// TestAliasBombIsBounded (review C2): a ~550-byte alias bomb in a
// flow-style document, in a bounded child process: Inject writes it back
// as YAML with its aliases, unexpanded; Check, which must expand aliases
// for its validator, refuses it at MaxNodes before expanding anything.
func TestAliasBombIsBounded(t *testing.T) {
	if !inChild(t, 512) {
		return
	}
	in := aliasBomb(9)
	if len(in) > 600 {
		t.Fatalf("the bomb is %d bytes", len(in))
	}
	out, err := openapi.Inject(in, openapi.Options{})
	switch {
	case err != nil:
		t.Errorf("Inject: %v", err)
	case len(out) > 64<<10:
		t.Errorf("Inject wrote %d bytes for a %d-byte input", len(out), len(in))
	case json.Valid(out):
		t.Error("flow-style YAML came back as JSON")
	}
	if _, err := openapi.Check(in); err == nil || !strings.Contains(err.Error(), "more than 2000000 nodes") {
		t.Errorf("Check: %v, want the MaxNodes error", err)
	}
}

// TestResponsesBehindAliasesAndMergeKeysKept (review M6): responses an
// alias or a merge key brings in are extended, never replaced or
// overridden; the shared mappings stay as they were for their other
// users; merge keys stay "<<".
func TestResponsesBehindAliasesAndMergeKeysKept(t *testing.T) {
	in := []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
x-common: &common
  "200": {description: The VMs.}
x-defaults: &defaults
  responses:
    "201": {description: Created.}
paths:
  /vms:
    get:
      responses: *common
    post:
      <<: *defaults
      summary: Create a VM
  /hosts:
    get:
      x-ignore-errors: true
      responses: *common
  /datastores:
    get:
      responses: &shared
        "200": {description: Datastores.}
  /networks:
    get:
      x-ignore-errors: true
      responses: *shared
`)
	out := inject(t, in, openapi.Options{})
	load3(t, out)
	contains(t, in, out)
	if bytes.Contains(out, []byte("!!merge")) {
		t.Errorf("a merge key was written as !!merge:\n%s", out)
	}
	var v struct {
		Common   map[string]any `yaml:"x-common"`
		Defaults struct {
			Responses map[string]any `yaml:"responses"`
		} `yaml:"x-defaults"`
		Paths map[string]map[string]struct {
			Responses map[string]any `yaml:"responses"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(out, &v); err != nil { // yaml.v3 resolves aliases and merge keys
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, method string
		want         []string
	}{
		{"/vms", "get", []string{"200", "401", "403", "500", "503", "504"}},
		{"/vms", "post", []string{"201", "400", "401", "403", "409", "500", "503", "504"}},
		{"/hosts", "get", []string{"200"}},
		{"/datastores", "get", []string{"200", "401", "403", "500", "503", "504"}},
		{"/networks", "get", []string{"200"}},
	} {
		if got := keys(v.Paths[tc.path][tc.method].Responses); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s %s responses = %v, want %v", tc.method, tc.path, got, tc.want)
		}
	}
	if len(v.Common) != 1 || len(v.Defaults.Responses) != 1 {
		t.Errorf("the shared mappings changed: x-common %v, x-defaults.responses %v", keys(v.Common), keys(v.Defaults.Responses))
	}
	if again := inject(t, out, openapi.Options{}); !bytes.Equal(again, out) {
		t.Errorf("a second run changed the document:\n%s", again)
	}
}

// TestMultiDocumentYAMLRefused: a second document could not be kept, so
// the stream is refused; a trailing "---" (an empty document) is not.
func TestMultiDocumentYAMLRefused(t *testing.T) {
	one := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
	_, err := openapi.Inject([]byte(one+"---\n"+one), openapi.Options{})
	if err == nil || !strings.Contains(err.Error(), "more than one document") {
		t.Errorf("two documents: %v", err)
	}
	if _, err := openapi.Inject([]byte(one+"---\n"), openapi.Options{}); err != nil {
		t.Errorf("a trailing ---: %v", err)
	}
}

// TestBounds: size, depth and node count are refused with an error that
// names the bound (in a bounded child process: the old writer took 630 MB
// for the 18 KB document nested 9,000 deep).
func TestBounds(t *testing.T) {
	if !inChild(t, 768) {
		return
	}
	deepJSON := `{"openapi": "3.0.3", "x-deep": ` + strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + `}`
	deepYAML := "openapi: 3.0.3\nx-deep: " + strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + "\n"
	manyJSON := `{"openapi": "3.0.3", "x-many": [0` + strings.Repeat(",0", openapi.MaxNodes) + `]}`
	manyYAML := "openapi: 3.0.3\nx-many: [0" + strings.Repeat(",0", openapi.MaxNodes/2) + "]\n"
	big := make([]byte, openapi.MaxDocumentBytes+1)
	for _, tc := range []struct {
		name string
		doc  []byte
		want string
	}{
		{"JSON nested 9,000 deep (18 KB)", []byte(deepJSON), "deeper than 100"},
		{"YAML nested 9,000 deep", []byte(deepYAML), "deeper than 100"},
		{"JSON with too many nodes", []byte(manyJSON), "more than 2000000 nodes"},
		{"YAML with too many nodes", []byte(manyYAML), "more than 2000000 nodes"},
		{"over MaxDocumentBytes", big, "larger than 67108864 bytes"},
	} {
		// Inject and Check read documents the same way.
		if _, err := openapi.Inject(tc.doc, openapi.Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Inject, %s: %v, want an error naming %q", tc.name, err, tc.want)
		}
	}
}

// TestJSONOutputLinearInDepth (review m1): the old writer indented every
// line by its depth, so a document nested deep gave output quadratic in
// its size; indentation now stops growing at 32 levels.
func TestJSONOutputLinearInDepth(t *testing.T) {
	deep := strings.Repeat("[", 95) + "0" + strings.Repeat("]", 95)
	in := []byte(`{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {},
  "x-deep": [` + strings.Repeat(deep+",", 99) + deep + `]
}
`)
	out := inject(t, in, openapi.Options{})
	base := inject(t, []byte("{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {}\n}\n"), openapi.Options{})
	// 100 x 96 lines of at most 2 + 64 indentation bytes + 2.
	if grown, limit := len(out)-len(base), 100*96*68; grown > limit {
		t.Errorf("the nested part takes %d bytes of output for %d of input (limit %d)", grown, len(in), limit)
	}
}

// TestFormsAndNumbersKept (review m3).
func TestFormsAndNumbersKept(t *testing.T) {
	numbers := `{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {},
  "x-numbers": [123456789012345678901234567890, 1e400, 1.0, -0.5E-3, 0]
}
`
	out := inject(t, []byte(numbers), openapi.Options{})
	if !json.Valid(out) || !bytes.Contains(out, []byte(`"x-numbers": [123456789012345678901234567890, 1e400, 1.0, -0.5E-3, 0]`)) {
		t.Errorf("numbers changed:\n%s", out)
	}
	// JSON with a byte order mark comes back as JSON (without the mark,
	// which JSON parsers refuse).
	out = inject(t, append([]byte("\uFEFF"), numbers...), openapi.Options{})
	if !json.Valid(out) {
		t.Errorf("JSON with a BOM did not come back as JSON:\n%.200s", out)
	}
	// Flow-style YAML that is not JSON comes back as YAML, comments kept.
	flow := "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {/a: {get: {responses: {'200': {description: ok}}}}}} # flow\n"
	out = inject(t, []byte(flow), openapi.Options{})
	if json.Valid(out) || !bytes.Contains(out, []byte("# flow")) {
		t.Errorf("flow-style YAML came back as:\n%.300s", out)
	}
	load3(t, out)
}
