package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gssfault/gssfault/internal/vcsim"
)

// TestValidateAgainstSimulator checks validate end to end against vcsim's
// vAPI REST endpoints: a real ALREADY_EXISTS body, a status mismatch, and
// vcsim's plain-text 404 (no vSphere error body: not "ok").
func TestValidateAgainstSimulator(t *testing.T) {
	env, err := vcsim.Start(vcsim.Options{Version: "8.0.3"})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	defer vcsim.Quiet(env)()
	t.Setenv(passwordEnv, vcsim.Password)
	base := "https://" + env.URL.Host
	args := func(path, fault string, extra ...string) []string {
		return append([]string{"validate", "--url", base, "--version", "8.0.3", "--insecure",
			"--user", vcsim.User, "--api-path", path, "--expected-fault", fault}, extra...)
	}
	create := []string{"--method", "POST", "--body",
		`{"create_spec":{"name":"gssctl-validate","description":"","cardinality":"SINGLE","associable_types":[]}}`}
	const categories = "/rest/com/vmware/cis/tagging/category"
	// The first create succeeds: nothing to compare.
	out, _, code := gssctl(t, args(categories, "AlreadyExists", create...)...)
	if code != 1 || !strings.Contains(out, "the request succeeded") {
		t.Errorf("first create: exit %d\n%s", code, out)
	}
	// The second answers 400 {"type":"com.vmware.vapi.std.errors.already_exists",...}.
	out, errOut, code := gssctl(t, args(categories, "AlreadyExists", append(create, "--expected-status", "400")...)...)
	if code != 0 || !strings.HasPrefix(out, "ok:") || !strings.Contains(out, "400 AlreadyExists") {
		t.Errorf("matching fault: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "warning: --insecure") {
		t.Errorf("--insecure did not warn: %q", errOut)
	}
	out, _, code = gssctl(t, args(categories, "InvalidArgument", create...)...)
	if code != 1 || !strings.Contains(out, "- fault type: InvalidArgument") || !strings.Contains(out, "+ fault type: AlreadyExists") ||
		!strings.Contains(out, "- HTTP status: 400") || !strings.Contains(out, "+ HTTP status: 400") {
		t.Errorf("fault mismatch: exit %d\n%s", code, out)
	}
	out, _, code = gssctl(t, args(categories, "AlreadyExists", append(create, "--json")...)...)
	var res validateResult
	if code != 1 || json.Unmarshal([]byte(out), &res) != nil || res.Match || res.ActualStatus != 400 || res.ExpectedStatus != 409 {
		t.Errorf("status mismatch (the table's 409): exit %d %s", code, out)
	}
	// vcsim answers a missing category with Go's text/plain "404 page not
	// found": a 404, but not a vSphere error answer.
	out, _, code = gssctl(t, args(categories+"/id:no-such", "NotFound")...)
	if code != 1 || !strings.Contains(out, "not a vSphere error answer (HTTP 404, text/plain)") {
		t.Errorf("plain-text 404: exit %d\n%s", code, out)
	}
	// Without --insecure the self-signed certificate fails: the check
	// could not be made.
	_, errOut, code = gssctl(t, "validate", "--url", base, "--version", "8.0.3", "--api-path", "/api/vcenter/vm", "--expected-fault", "NotFound")
	if code != 2 || !strings.Contains(errOut, "certificate") {
		t.Errorf("TLS failure: exit %d, %q", code, errOut)
	}
	for _, bad := range [][]string{
		{"validate"},
		{"validate", "--url", "ftp://x", "--version", "8.0.3", "--api-path", "/a", "--expected-fault", "NotFound"},
		{"validate", "--url", base, "--version", "soon", "--api-path", "/a", "--expected-fault", "NotFound"},
		{"validate", "--url", base, "--version", "8.0.3", "--api-path", "/a", "--expected-fault", "Nope"},
		{"validate", "--url", base, "--version", "8.0.3", "--api-path", "a", "--expected-fault", "NotFound"},
		{"validate", "--url", base, "--version", "8.0.3", "--api-path", "/a", "--expected-fault", "NotFound", "--timeout", "0s"},
	} {
		if _, _, code := gssctl(t, bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

func TestOpenAPICommands(t *testing.T) {
	out, _, code := gssctl(t, "openapi", "schema")
	if code != 0 || !strings.Contains(out, "Error:") || !strings.Contains(out, "ErrorInfo:") {
		t.Errorf("openapi schema: exit %d\n%.200s", code, out)
	}
	dir := t.TempDir()
	dst := filepath.Join(dir, "out.yaml")
	_, errOut, code := gssctl(t, "openapi", "inject", "../../httpmap/openapi/testdata/inventory.yaml", "-o", dst, "--version", "7.0 U3")
	if code != 0 {
		t.Fatalf("openapi inject: exit %d %s", code, errOut)
	}
	data, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil || doc.Validate(t.Context()) != nil {
		t.Fatalf("injected spec does not validate: %v", err)
	}
	if doc.Paths.Find("/hosts").Get.Responses.Status(503) == nil {
		t.Error("no 503 response injected")
	}
	mapping := filepath.Join(dir, "m.yaml")
	_ = os.WriteFile(mapping, []byte("responses:\n  - status: 404\n    codes: [GSS-VSP-005]\n  - status: 400\n    codes: [GSS-VSP-005]\n"), 0o600)
	_, errOut, code = gssctl(t, "openapi", "inject", "../../httpmap/openapi/testdata/inventory.yaml", "--mapping", mapping)
	if code != 2 || !strings.Contains(errOut, "two statuses") {
		t.Errorf("bad mapping: exit %d %q", code, errOut)
	}
	if _, _, code := gssctl(t, "openapi", "inject"); code != 2 {
		t.Errorf("inject without SPEC: exit %d", code)
	}
}
