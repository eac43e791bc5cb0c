package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func runDemoJSON(t *testing.T, args ...string) demoOutput {
	t.Helper()
	out, errOut, code := gssctl(t, append([]string{"demo", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("demo %v: exit %d: %s", args, code, errOut)
	}
	var d demoOutput
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("demo --json is not JSON: %v", err)
	}
	return d
}

func TestDemo(t *testing.T) {
	d := runDemoJSON(t)
	if d.Version != "8.0 U3" || len(d.Rows) < 20 {
		t.Fatalf("demo: version %q, %d rows", d.Version, len(d.Rows))
	}
	rows := map[string]demoRow{}
	for _, r := range d.Rows {
		rows[r.Scenario] = r
		if r.Code == "" || r.HTTPStatus < 400 || r.Error == "" {
			t.Errorf("row %+v is incomplete", r)
		}
	}
	// A few rows checked end to end: classification and the 8.0.3 statuses.
	for name, want := range map[string]struct {
		code string
		http int
	}{
		"power on a running VM":                               {"GSS-VSP-012", 409},
		"task failed: SystemError caused by HostNotReachable": {"GSS-VSP-023", 503},
		"injected NoPermission on power off":                  {"GSS-VSP-004", 403},
		"connect with certificate verification":               {"GSS-VSP-025", 400},
	} {
		if r := rows[name]; r.Code != want.code || r.HTTPStatus != want.http {
			t.Errorf("%s: %s %d, want %s %d", name, r.Code, r.HTTPStatus, want.code, want.http)
		}
	}
	if r := rows["power on a running VM"]; r.Subcode != "vm.power.state.invalid" {
		t.Errorf("8.0.3 InvalidPowerState subcode = %q", r.Subcode)
	}
	if r := rows["injected NoPermission on power off"]; r.RequestID == "" {
		t.Error("the demo's faults carry no request ID")
	}
}

// The version flag changes the statuses as the per-version table says.
func TestDemoVersions(t *testing.T) {
	d := runDemoJSON(t, "--version", "6.7 U2")
	for _, r := range d.Rows {
		switch r.Scenario {
		case "endpoint answers 503":
			if r.HTTPStatus != 503 || !strings.Contains(r.Reported, "SystemError") {
				t.Errorf("6.7 U2 503: %d reported as %q, want 503 as SystemError", r.HTTPStatus, r.Reported)
			}
		case "power on a running VM":
			if r.Subcode != "" {
				t.Errorf("6.7 U2 has a subcode %q", r.Subcode)
			}
		}
	}
	d = runDemoJSON(t, "--version", "8.0", "--rbacv2")
	for _, r := range d.Rows {
		if r.Scenario == "injected NoPermission on power off" && r.HTTPStatus != 403 {
			t.Errorf("8.0 with RBAC v2 NoPermission = %d, want 403", r.HTTPStatus)
		}
	}
	d = runDemoJSON(t, "--version", "8.0")
	for _, r := range d.Rows {
		if r.Scenario == "injected NoPermission on power off" && r.HTTPStatus != 401 {
			t.Errorf("8.0 NoPermission = %d, want 401", r.HTTPStatus)
		}
	}
	if _, _, code := gssctl(t, "demo", "--version", "banana"); code != 2 {
		t.Errorf("demo --version banana: exit %d, want 2", code)
	}
}

func TestDemoTable(t *testing.T) {
	out, _, code := gssctl(t, "demo")
	if code != 0 || !strings.Contains(out, "GSS-VSP-023") || !strings.Contains(out, "SCENARIO") {
		t.Errorf("demo table: exit %d\n%s", code, out)
	}
}
