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

func TestValidateAgainstSimulator(t *testing.T) {
	env, err := vcsim.Start(vcsim.Options{Version: "8.0.3"})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	base := "https://" + env.URL.Host
	args := func(fault string, extra ...string) []string {
		return append([]string{"validate", "--url", base, "--version", "8.0.3", "--insecure",
			"--user", vcsim.User, "--password", vcsim.Password,
			"--api-path", "/api/vcenter/vm/vm-9999", "--expected-fault", fault}, extra...)
	}
	out, errOut, code := gssctl(t, args("NotFound")...)
	if code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Errorf("matching fault: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = gssctl(t, args("InvalidArgument")...)
	if code != 1 || !strings.Contains(out, "- fault type: InvalidArgument") || !strings.Contains(out, "+ fault type: NotFound") ||
		!strings.Contains(out, "- HTTP status: 400") || !strings.Contains(out, "+ HTTP status: 404") {
		t.Errorf("mismatch: exit %d\n%s", code, out)
	}
	out, _, code = gssctl(t, args("NotFound", "--json", "--expected-status", "400")...)
	var res validateResult
	if code != 1 || json.Unmarshal([]byte(out), &res) != nil || res.Match || res.ActualStatus != 404 || res.ExpectedStatus != 400 {
		t.Errorf("--expected-status mismatch: exit %d %s", code, out)
	}
	// Without --insecure the self-signed certificate fails: a failure, not a mismatch.
	_, errOut, code = gssctl(t, "validate", "--url", base, "--version", "8.0.3", "--api-path", "/api/vcenter/vm", "--expected-fault", "NotFound")
	if code != 1 || !strings.Contains(errOut, "certificate") {
		t.Errorf("TLS failure: exit %d, %q", code, errOut)
	}
	for _, bad := range [][]string{
		{"validate"},
		{"validate", "--url", "ftp://x", "--version", "8.0.3", "--api-path", "/a", "--expected-fault", "NotFound"},
		{"validate", "--url", base, "--version", "soon", "--api-path", "/a", "--expected-fault", "NotFound"},
		{"validate", "--url", base, "--version", "8.0.3", "--api-path", "/a", "--expected-fault", "Nope"},
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
	if code != 1 || !strings.Contains(errOut, "two statuses") {
		t.Errorf("bad mapping: exit %d %q", code, errOut)
	}
	if _, _, code := gssctl(t, "openapi", "inject"); code != 2 {
		t.Errorf("inject without SPEC: exit %d", code)
	}
}
