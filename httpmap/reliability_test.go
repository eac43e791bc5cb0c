package httpmap_test

import (
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/vsphere/release"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/registry"
)

// By default no planted secret (URL credentials, file path, stack,
// unrelated moref) reaches an HTTP client, in the body or the headers.
func TestNoSecretReachesHTTPClient(t *testing.T) {
	uerr := &url.Error{Op: "Post", URL: "https://admin:s3cr3t-pass@vc.example.test/sdk", Err: errors.New("reset")}
	leaky := fmt.Errorf("at /opt/vmware/lib/secret.go:42 touching VirtualMachine:vm-unrelated-999: %w\n%s", uerr, debug.Stack())
	for _, err := range []error{
		leaky,
		uerr,
		faults.Wrap(leaky, codes.SystemError, "failed: "+leaky.Error()),
		faults.Wrap(leaky, codes.HostNotReachable, "host-7 is not reachable"),
		fmt.Errorf("handler: %w", faults.Wrap(leaky, codes.NotFound, "no such vm")),
	} {
		resp := record(err)
		body, _ := io.ReadAll(resp.Body)
		seen := string(body) + fmt.Sprint(resp.Header)
		for _, s := range []string{"s3cr3t-pass", "/opt/vmware/lib/secret.go", "goroutine ", "vm-unrelated-999"} {
			if strings.Contains(seen, s) {
				t.Errorf("%d answer to %.40q… holds %q:\n%s", resp.StatusCode, err.Error(), s, seen)
			}
		}
	}
}

// WriteError, ParseResponse and Map run concurrently on shared options
// and the default registry.
func TestConcurrentHTTP(t *testing.T) {
	all := registry.Default().All()
	opt := httpmap.WithTarget(httpmap.Target{Version: release.V70U3})
	testenv.Hammer(t, 8, func(g int) error {
		for n := range 50 {
			e := all[(g*5+n)%len(all)]
			rec := httptest.NewRecorder()
			httpmap.WriteError(rec, httptest.NewRequest("GET", "/", nil), faults.New(e.Code, "m").WithRequestID(fmt.Sprint(g, n)), opt)
			got, _ := httpmap.ParseResponse(rec.Result())
			want := httpmap.Map(faults.New(e.Code, "m"), httpmap.Target{Version: release.V70U3})
			if got == nil || rec.Code != want.Status || got.RequestID() != fmt.Sprint(g, n) {
				return fmt.Errorf("%s: %d %v, want %d", e.Code, rec.Code, got, want.Status)
			}
		}
		return nil
	})
}

// WriteError and a fault's GRPCStatus terminate on adversarial chains: a
// cycle, a panicking Unwrap, a 100,000-deep chain, a wide join and typed
// nils, answering with the catch-all.
func TestWriteErrorOnAdversarialChains(t *testing.T) {
	wide := make([]error, 10000)
	for i := range wide {
		wide[i] = errors.New("leaf")
	}
	var nilFault *faults.Error
	for name, err := range map[string]error{
		"cycle":      testenv.NewCycle(),
		"panicking":  &testenv.Link{Next: testenv.Panicky{}},
		"100k deep":  testenv.Deep(errors.New("bottom"), 100000),
		"wide join":  errors.Join(wide...),
		"typed nil":  &testenv.Link{Next: nilFault},
		"nil in one": errors.Join(nil, nilFault),
	} {
		resp := record(err)
		if resp.StatusCode != 500 {
			t.Errorf("%s: HTTP %d, want the catch-all's 500", name, resp.StatusCode)
		}
		if s := (faults.Policy{DebugInfo: true}).Status(faults.Wrap(err, codes.Busy, "x").(*faults.Error)); s.Code().String() != "Unavailable" {
			t.Errorf("%s: GRPCStatus with DebugInfo = %v", name, s.Code())
		}
	}
}
