// Package examples_test builds every example program once and runs each,
// checking the lines that show what it demonstrates.
package examples_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// want lists, per example, patterns that must match lines of its output in
// this order (other lines may come between), and counts of lines that must
// match a pattern exactly that often.
var want = map[string]struct {
	lines []string
	count map[string]int
}{
	"govmomi-classify": {lines: []string{
		`level=WARN msg="vSphere call failed" scenario="find a VM that does not exist" fault.code=GSS-VSP-005 fault.faultType=NotFound fault.retryable=false .*fault.requestId=<requestId>`,
		`scenario="power on a running VM" fault.code=GSS-VSP-012 fault.faultType=InvalidPowerState .*fault.metadata.existingState=poweredOn`,
		`scenario="create a folder that exists" fault.code=GSS-VSP-008 fault.faultType=DuplicateName .*fault.metadata.name=web`,
		`scenario="log in with a wrong password" fault.code=GSS-VSP-002 fault.faultType=InvalidLogin fault.retryable=false fault.impact=major`,
		`^errors.Is\(err, faults.Code\(codes.InvalidPowerState\)\) = true$`,
		`^code GSS-VSP-012, retryable false, action: \S`,
		`level=INFO msg="attempt failed" attempt=1 fault.code=GSS-VSP-014 fault.faultType=TaskInProgress fault.retryable=true .*fault.retryDelay=5s`,
		`level=INFO msg="attempt failed" attempt=2 fault.code=GSS-VSP-014`,
		`^power off DC0_H0_VM1 succeeded after 3 attempts$`,
		`^power off again: 1 attempt, GSS-VSP-012$`,
	}, count: map[string]int{`msg="attempt failed"`: 2}},

	"grpc-interceptors": {lines: []string{
		`^GetVM\(no-such-vm\)$`,
		`^  server sends GSS-VSP-005 NotFound \(NotFound\)$`,
		`^  client gets GSS-VSP-005 NotFound retryable=false after 1 attempt\(s\): vm 'no-such-vm' not found$`,
		`^  errors.Is NotFound: true; status.Code: NotFound$`,
		`^  client gets GSS-VSP-012 InvalidPowerState retryable=false after 1 attempt\(s\)`,
		`^  errors.Is InvalidPowerState: true$`,
		`^PowerOn\(DC0_H0_VM1\), TaskInProgress twice$`,
		`^  server sends GSS-VSP-014 TaskInProgress \(Aborted\)$`,
		`^  server sends GSS-VSP-014 TaskInProgress \(Aborted\)$`,
		`^  ok: DC0_H0_VM1 is poweredOn$`,
		`^GetVM\(DC0_H0_VM1\), HostCommunication once$`,
		`^  server sends GSS-VSP-020 HostCommunication \(Unavailable\)$`,
		`^  ok: DC0_H0_VM1 is poweredOn$`,
		`^PowerOn\(DC0_H0_VM1\), HostCommunication once$`,
		`^  client gets GSS-VSP-020 HostCommunication retryable=true after 1 attempt\(s\)`,
	}, count: map[string]int{`server sends GSS-VSP-014`: 2, `server sends GSS-VSP-020`: 2, `server sends`: 6}},

	"gateway": {lines: []string{
		`^gateway for vSphere 8\.0 on http://127\.0\.0\.1:\d+$`,
		`^GET /v1/vms/DC0_H0_VM0: 200 \{"name":"DC0_H0_VM0","powerState":"poweredOn"\}$`,
		`^GET /v1/vms/no-such-vm: 404 application/json$`,
		`^\s+"code": 5,$`,
		`^\s+"message": "vm 'no-such-vm' not found",$`,
		`^\s+"@type": "type.googleapis.com/google.rpc.ErrorInfo",$`,
		`^\s+"gssCode": "GSS-VSP-005",$`,
		`^  client: GSS-VSP-005 NotFound; errors.Is NotFound: true$`,
		`^POST /v1/vms/DC0_H0_VM0:powerOn \(already on\): 409; client: GSS-VSP-012 InvalidPowerState retryable=false$`,
		`^POST /v1/vms/DC0_H0_VM1:powerOn \(TaskInProgress\): 409 Retry-After: 5; client: GSS-VSP-014 TaskInProgress retryable=true$`,
		// the design's per-version table: NoPermission is 401 on 8.0 GA.
		`^POST /v1/vms/DC0_H0_VM1:powerOn \(NoPermission\): 401; client: GSS-VSP-004 NoPermission retryable=false$`,
		`^GET /v1/vms/no-such-vm \(Accept: application/problem\+json\): 404 application/problem\+json$`,
		`^  type gss-vsp-005$`,
		`^  title "NotFound", status 404, detail "vm 'no-such-vm' not found"$`,
	}},

	// The statuses are the design's per-version table on 8.0 U3 (httpmap.Rules): NotAuthenticated 401,
	// NoPermission 403, NotFound and ManagedObjectNotFound 404,
	// InvalidPowerState and TaskInProgress 409, HostCommunication 503; the
	// codes are those vm.proto declares per method.
	"openapi": {lines: []string{
		`^vm.openapi.json \(OpenAPI 3\.1\.0\): \d+ bytes in, \d+ out; valid, 2 of 2 operations typed$`,
		`^  GET /v1/vms/\{name\} \(VMService_GetVM\)$`,
		`^    200$`,
		`^    401 +GSS-VSP-003$`,
		`^    403 +GSS-VSP-004$`,
		`^    404 +GSS-VSP-005 GSS-VSP-006$`,
		`^    503 +GSS-VSP-020$`,
		`^    default$`,
		`^  POST /v1/vms/\{name\}:powerOn \(VMService_PowerOn\)$`,
		`^    409 +GSS-VSP-012 GSS-VSP-014$`,
		`^vm.swagger.json \(Swagger 2\.0\): \d+ bytes in, \d+ out; valid, 2 of 2 operations typed$`,
		`^  GET /v1/vms/\{name\} \(VMService_GetVM\)$`,
		`^    404 +GSS-VSP-005 GSS-VSP-006$`,
		`^  POST /v1/vms/\{name\}:powerOn \(VMService_PowerOn\)$`,
		`^    409 +GSS-VSP-012 GSS-VSP-014$`,
	}, count: map[string]int{`^    [45]\d\d `: 18, `^    409 `: 2}},

	"custom-codes": {lines: []string{
		`^registry: 49 entries, 47 built in$`,
		`^gRPC PowerOn, client with the registry:$`,
		`^  GSS-APP-001 ChangeFreeze known=true errors.Is=true grpc=FailedPrecondition retryable=false delay=0s window="2026-12-18T18:00Z/2026-12-19T06:00Z"$`,
		`^  action: Wait for the freeze to end`,
		`^gRPC PowerOn, client without it:$`,
		`^  GSS-APP-001 \w+ known=false errors.Is=true grpc=FailedPrecondition retryable=false delay=0s window="2026-12-18T18:00Z/2026-12-19T06:00Z"$`,
		`^gRPC GetVM, client with the registry:$`,
		`^  GSS-APP-002 RateLimited known=true errors.Is=true grpc=ResourceExhausted retryable=true delay=2s`,
		`^gRPC GetVM, client without it:$`,
		`^  GSS-APP-002 \w+ known=false errors.Is=true grpc=ResourceExhausted`,
		`^HTTP POST /v1/vms/vm-1/power-on 423, client with the registry:$`,
		`^  GSS-APP-001 ChangeFreeze known=true errors.Is=true grpc=FailedPrecondition`,
		`^HTTP POST /v1/vms/vm-1/power-on 423, client without it:$`,
		`^  GSS-APP-001 \w+ known=false errors.Is=true grpc=FailedPrecondition .*window="2026-12-18T18:00Z/2026-12-19T06:00Z"$`,
		`^HTTP GET /v1/vms/vm-1 429 Retry-After 2, client with the registry:$`,
		`^  GSS-APP-002 RateLimited known=true errors.Is=true grpc=ResourceExhausted retryable=true delay=2s`,
		`^HTTP GET /v1/vms/vm-1 429 Retry-After 2, client without it:$`,
		`^  GSS-APP-002 \w+ known=false errors.Is=true grpc=ResourceExhausted`,
	}},

	"degrade": {lines: []string{
		`^healthy read +DC0_H0_VM0 is poweredOn \(from vSphere\)$`,
		`^host connection lost +DC0_H0_VM0 is poweredOn \(from cache\)$`,
		`^a VM that does not exist +no-such-vm is unknown \(from default\)$`,
		`^host connection lost, no cache +error: GSS-VSP-020 HostCommunication: .*\(code GSS-VSP-020\)$`,
		`^permission denied +error: GSS-VSP-004 NoPermission: .*\(code GSS-VSP-004\)$`,
		`^healthy again +DC0_H0_VM0 is poweredOn \(from vSphere\)$`,
	}},
}

// TestExamples builds the examples in one go build and runs each.
func TestExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs programs")
	}
	names := mains(t)
	for _, n := range names {
		if _, ok := want[n]; !ok {
			t.Errorf("example %s has no expected output in examples_test.go", n)
		}
	}
	for n := range want {
		if _, err := os.Stat(filepath.Join(n, "main.go")); err != nil {
			t.Errorf("expected output for %s, which is not an example: %v", n, err)
		}
	}

	bin := t.TempDir()
	args := []string{"build", "-o", bin}
	if race {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, "./...")...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go %s ./...: %v\n%s", strings.Join(args, " "), err, out)
	}

	for _, name := range names {
		w, ok := want[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var stdout, stderr bytes.Buffer
			cmd := exec.CommandContext(ctx, filepath.Join(bin, name))
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", name, err, stdout.String(), stderr.String())
			}
			lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
			if missing := matchInOrder(lines, w.lines); missing != "" {
				t.Errorf("%s: no line matches %q after the earlier patterns; output:\n%s", name, missing, stdout.String())
			}
			for pat, n := range w.count {
				re := regexp.MustCompile(pat)
				got := 0
				for _, l := range lines {
					if re.MatchString(l) {
						got++
					}
				}
				if got != n {
					t.Errorf("%s: %d lines match %q, want %d; output:\n%s", name, got, pat, n, stdout.String())
				}
			}
		})
	}
}

// matchInOrder returns the first pattern that matches no line after the line
// the previous pattern matched, or "" when all match.
func matchInOrder(lines, patterns []string) string {
	i := 0
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		for i < len(lines) && !re.MatchString(lines[i]) {
			i++
		}
		if i == len(lines) {
			return p
		}
		i++
	}
	return ""
}

// mains lists the example directories: those with a main.go.
func mains(t *testing.T) []string {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(e.Name(), "main.go")); e.IsDir() && err == nil {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatal("no examples found")
	}
	return names
}

func TestMatchInOrder(t *testing.T) {
	lines := []string{"a 1", "b 2", "c 3"}
	for _, tc := range []struct {
		patterns []string
		want     string
	}{
		{[]string{"^a", "^c"}, ""},
		{[]string{"^c", "^a"}, "^a"},
		{[]string{"^b", "^b"}, "^b"},
		{[]string{"^d"}, "^d"},
	} {
		if got := matchInOrder(lines, tc.patterns); got != tc.want {
			t.Errorf("matchInOrder(%q) = %q, want %q", tc.patterns, got, tc.want)
		}
	}
}
