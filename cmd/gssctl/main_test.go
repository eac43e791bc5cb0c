package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/registry"
)

// gssctl runs one invocation in-process, with empty standard input, and
// returns stdout, stderr and the exit status.
func gssctl(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return gssctlIn(t, "", args...)
}

// gssctlIn is gssctl with stdin as standard input.
func gssctlIn(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestDescribe(t *testing.T) {
	out, _, code := gssctl(t, "error", "describe", "GSS-VSP-023")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	e, _ := registry.Default().Lookup("GSS-VSP-023")
	lines := strings.Split(out, "\n")
	// code, retryable, impact and action come first
	if !strings.Contains(lines[0], "GSS-VSP-023") || !strings.Contains(lines[0], "HostNotReachable") ||
		!strings.Contains(lines[1], "Retryable:") || !strings.Contains(lines[1], "yes (after 30s)") ||
		!strings.Contains(lines[2], "Impact:") || !strings.HasSuffix(lines[2], " critical") || !strings.Contains(lines[3], e.Action) {
		t.Errorf("describe does not lead with code, retryable, impact and action:\n%s", out)
	}
	for _, want := range append([]string{e.Trigger, e.DocRef, "Unavailable", "503", e.Rationale}, e.DebugCommands...) {
		if !strings.Contains(out, want) {
			t.Errorf("describe output lacks %q", want)
		}
	}
	// A fault type works as well, and codes too, in any case.
	for _, arg := range []string{"hostnotreachable", "gss-vsp-023", "Gss-Vsp-023", " GSS-VSP-023 "} {
		out2, _, code := gssctl(t, "error", "describe", arg)
		if code != 0 || out2 != out {
			t.Errorf("describe %q: exit %d, output differs", arg, code)
		}
	}
}

// The releases an entry applies to and its HTTP status by release, as
// the design's per-version table (httpmap.Rules) gives them.
func TestDescribeReleases(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		want []string
	}{
		{"NoPermission", []string{"Releases:         every known release", "6.7 U2 to 7.0 U3: 403", "8.0: 401; 403 with RBAC v2", "8.0 U1 to 8.0 U3: 403"}},
		{"QuotaExceeded", []string{"Releases:         8.0 U2 to 8.0 U3 with namespace quotas", "as InsufficientResourcesFault; 422 with namespace quotas"}},
		{"CertificateVerificationFailed", []string{"7.0 U1 to 8.0 U3 with certificate verification", "6.7 U2 to 6.7 U3: 500 as SystemError", "400 with certificate verification"}},
		{"ServiceUnavailable", []string{"Releases:         6.7 U3 to 8.0 U3", "6.7 U2: 503 as SystemError", "6.7 U3 to 8.0 U3: 503"}},
		{"InvalidArgument", []string{"6.7 U2 to 6.7 U3: 400; 409 when parameterConflict", "7.0 U1 to 8.0 U3: 400"}},
		{"InvalidPowerState", []string{"8.0 to 8.0 U3: 409 (subcode vm.power.state.invalid)"}},
	} {
		out, _, code := gssctl(t, "error", "describe", tc.arg)
		if code != 0 {
			t.Fatalf("describe %s: exit %d", tc.arg, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("describe %s lacks %q:\n%s", tc.arg, w, out)
			}
		}
	}
	out, _, _ := gssctl(t, "error", "describe", "noPermission", "--json")
	var d struct {
		AppliesTo string       `json:"appliesTo"`
		Releases  []releaseRow `json:"releases"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || len(d.Releases) != 8 {
		t.Fatalf("describe --json releases: %v, %d rows", err, len(d.Releases))
	}
	for _, r := range d.Releases {
		want, wantRBAC := 403, 403
		if r.Release == "8.0" {
			want = 401
		}
		if r.HTTPStatus != want || !r.Applies || len(r.Variants) != 1 || r.Variants[0].Feature != "RBACv2" || r.Variants[0].HTTPStatus != wantRBAC {
			t.Errorf("release %s: %+v", r.Release, r)
		}
	}
}

func TestDescribeJSON(t *testing.T) {
	out, _, code := gssctl(t, "error", "describe", "GSS-VSP-014", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := map[string]any{"code": "GSS-VSP-014", "faultType": "TaskInProgress", "retryable": true,
		"retryDelay": "5s", "impact": "minor", "grpcCode": "Aborted", "httpStatus": float64(409), "category": "state"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("describe --json %s = %v, want %v", k, got[k], v)
		}
	}
}

func TestDescribeUnknownSuggests(t *testing.T) {
	for _, tc := range []struct{ arg, want string }{
		{"GSS-VSP-098", "GSS-VSP-008"},
		{"gss-vsp-23", "GSS-VSP-023"},
		{"HostNotReachabel", "GSS-VSP-023"},
	} {
		_, errOut, code := gssctl(t, "error", "describe", tc.arg)
		if code != 1 {
			t.Errorf("describe %s: exit %d, want 1", tc.arg, code)
		}
		if !strings.Contains(errOut, "closest") || !strings.Contains(errOut, tc.want) {
			t.Errorf("describe %s: stderr %q does not suggest %s", tc.arg, errOut, tc.want)
		}
	}
}

func TestSearch(t *testing.T) {
	out, _, code := gssctl(t, "error", "search", "timout", "--limit", "1")
	if code != 0 || !strings.Contains(out, "Timedout") || strings.Count(strings.TrimSpace(out), "\n") != 1 {
		t.Errorf("search timout --limit 1: exit %d\n%s", code, out)
	}
	out, _, code = gssctl(t, "error", "search", "--json", "host", "disconnect")
	var res []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) == 0 || res[0]["faultType"] != "HostNotConnected" {
		t.Errorf("search --json host disconnect: exit %d\n%s", code, out)
	}
	_, errOut, code := gssctl(t, "error", "search", "zzqqxx")
	if code != 1 || !strings.Contains(errOut, "no entry matches") {
		t.Errorf("search with no match: exit %d, stderr %q", code, errOut)
	}
}

func TestList(t *testing.T) {
	out, _, code := gssctl(t, "error", "list", "--json")
	var all []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &all) != nil || len(all) != 47 {
		t.Fatalf("list --json: exit %d, %d entries", code, len(all))
	}
	out, _, _ = gssctl(t, "error", "list", "--domain", "tkg", "--json")
	var tkg []map[string]any
	if json.Unmarshal([]byte(out), &tkg) != nil || len(tkg) != 2 {
		t.Errorf("list --domain tkg: %d entries, want 2", len(tkg))
	}
	out, _, _ = gssctl(t, "error", "list", "--retryable", "--category", "STATE", "--json")
	var rs []map[string]any
	if err := json.Unmarshal([]byte(out), &rs); err != nil || len(rs) == 0 {
		t.Fatalf("list --retryable --category state: %v %s", err, out)
	}
	for _, e := range rs {
		if e["retryable"] != true || e["category"] != "state" {
			t.Errorf("filtered list holds %v", e)
		}
	}
	out, _, _ = gssctl(t, "error", "list")
	if !strings.HasPrefix(out, "CODE") || strings.Count(out, "\n") != 48 {
		t.Errorf("list table has %d lines, want header + 47", strings.Count(out, "\n"))
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope"},
		{"error"},
		{"error", "describe"},
		{"error", "describe", "a", "b"},
		{"error", "describe", "--bogus", "GSS-VSP-001"},
		{"error", "search"},
		{"error", "search", "x", "--limit", "-1"},
		{"error", "list", "--category", "weather"},
		{"error", "list", "extra"},
	} {
		_, errOut, code := gssctl(t, args...)
		if code != 2 {
			t.Errorf("gssctl %q: exit %d, want 2 (stderr %q)", args, code, errOut)
		}
		if !strings.Contains(errOut, "Usage:") {
			t.Errorf("gssctl %q: stderr lacks usage", args)
		}
	}
}

func TestHelpOnEveryLevel(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"help"}, {"error", "--help"}, {"error", "describe", "--help"},
		{"error", "search", "-h"}, {"error", "list", "--help"},
	} {
		out, _, code := gssctl(t, args...)
		if code != 0 || !strings.HasPrefix(out, "Usage: gssctl") {
			t.Errorf("gssctl %q: exit %d, output %q", args, code, out)
		}
	}
}

// appCatalog is a service's own catalog of one entry.
const appCatalog = `entries:
  - code: GSS-APP-001
    fault_type: OrderRejected
    category: validation
    component: orders
    trigger: an order fails validation
    action: fix the order
    impact: minor
    grpc_code: InvalidArgument
`

// writeAppCatalog writes appCatalog to a file and returns its path.
func writeAppCatalog(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cat.yaml")
	if err := os.WriteFile(path, []byte(appCatalog), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCustomCatalog(t *testing.T) {
	path := writeAppCatalog(t)
	out, _, code := gssctl(t, "--catalog", path, "error", "describe", "GSS-APP-001")
	if code != 0 || !strings.Contains(out, "OrderRejected") {
		t.Errorf("describe with --catalog: exit %d\n%s", code, out)
	}
	_, errOut, code := gssctl(t, "--catalog", filepath.Join(t.TempDir(), "missing.yaml"), "error", "list")
	if code != 2 || !strings.Contains(errOut, "missing.yaml") {
		t.Errorf("missing catalog: exit %d, stderr %q", code, errOut)
	}
}

// docs/gssctl.md is generated from the help text; it must be current.
func TestDocsAreCurrent(t *testing.T) {
	out, _, code := gssctl(t, "docs")
	if code != 0 {
		t.Fatalf("docs: exit %d", code)
	}
	want, err := os.ReadFile("../../docs/gssctl.md")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Error("docs/gssctl.md is stale: run make generate")
	}
	for _, c := range []string{"## gssctl error describe", "## gssctl openapi inject", "## gssctl validate", "## gssctl demo"} {
		if !strings.Contains(out, c) {
			t.Errorf("docs lack %q", c)
		}
	}
}

// TestMatchWithCustomCatalog: error match classifies with the catalog
// --catalog names, not the built-in one: a vcsim SOAP fault, a fault type
// named in text and a gRPC status text.
func TestMatchWithCustomCatalog(t *testing.T) {
	cat := `entries:
  - code: GSS-APP-002
    fault_type: InvalidLogin
    category: authentication
    component: login
    trigger: a login is refused
    action: CUSTOM ACTION
    impact: major
    grpc_code: Unauthenticated
  - code: GSS-APP-999
    fault_type: MethodFault
    category: internal
    component: any
    trigger: anything else
    action: look at the logs
    impact: major
    grpc_code: Unknown
fallback: GSS-APP-999
`
	path := filepath.Join(t.TempDir(), "cat.yaml")
	if err := os.WriteFile(path, []byte(cat), 0o600); err != nil {
		t.Fatal(err)
	}
	soapBody, err := os.ReadFile("../../vsphere/testdata/soap/vcsim-invalidlogin.xml")
	if err != nil {
		t.Fatal(err)
	}
	in := string(soapBody) + "\nlogin failed: InvalidLogin\nrpc error: code = NotFound desc = vm-42\n"
	out, errOut, code := gssctlIn(t, in, "--catalog", path, "error", "match", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "GSS-APP-002"); n < 2 || strings.Contains(out, "GSS-VSP-") {
		t.Errorf("want the SOAP fault and the name as GSS-APP-002 and no built-in code:\n%s", out)
	}
	if !strings.Contains(out, "GSS-APP-999") {
		t.Errorf("want the NotFound status as the catalog's catch-all GSS-APP-999:\n%s", out)
	}
}

// TestDoubleDashEndsFlags: after "--" an argument that starts with '-' is
// a file name, as the flag package and POSIX utilities treat it.
func TestDoubleDashEndsFlags(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "-x.log"), []byte("login failed: InvalidLogin\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	out, errOut, code := gssctl(t, "error", "match", "--json", "--", "-x.log")
	if code != 0 || !strings.Contains(out, "GSS-VSP-002") {
		t.Errorf("match -- -x.log: exit %d\n%s%s", code, out, errOut)
	}
}
