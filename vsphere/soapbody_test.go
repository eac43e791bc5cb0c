package vsphere_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/vsphere"
)

var updateSOAP = flag.Bool("update-soap", false, "rewrite testdata/soap/vcsim-*.xml from the simulator's answers")

// recorder keeps the bodies of the SOAP answers that carry a fault (HTTP
// 500), as they came over the wire.
type recorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	bodies [][]byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusInternalServerError {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.bodies = append(r.bodies, b)
	r.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

func (r *recorder) last(t *testing.T) []byte {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bodies) == 0 {
		t.Fatal("no SOAP fault answer was recorded")
	}
	return r.bodies[len(r.bodies)-1]
}

func record(c *soap.Client) *recorder {
	r := &recorder{next: c.Client.Transport}
	c.Client.Transport = r
	return r
}

// soapCase is one fault the simulator sends over the wire.
type soapCase struct {
	name    string
	file    string // testdata/soap/<file>
	provoke func(ctx context.Context, c *vim25.Client) error
}

func soapCases() []soapCase {
	inject := func(fault types.BaseMethodFault, msg string) func(ctx context.Context, c *vim25.Client) error {
		return func(ctx context.Context, c *vim25.Client) error {
			svc := testEnv.Model.Service
			svc.AddFaultRule(&simulator.FaultInjectionRule{
				MethodName: "PowerOffVM_Task", ObjectType: "VirtualMachine", ObjectName: "DC0_H0_VM1",
				Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: fault, Message: msg, Enabled: true,
			})
			defer svc.ClearFaultRules()
			vm := object.NewVirtualMachine(c, vmRef(ctx, c, "DC0_H0_VM1"))
			_, err := vm.PowerOff(ctx)
			return err
		}
	}
	return []soapCase{
		{"wrong password", "vcsim-invalidlogin.xml", func(ctx context.Context, c *vim25.Client) error {
			return session.NewManager(c).Login(ctx, url.UserPassword(vcsim.User, "wrong"))
		}},
		{"power on a deleted VM reference", "vcsim-managedobjectnotfound.xml", func(ctx context.Context, c *vim25.Client) error {
			vm := object.NewVirtualMachine(c, types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-9999"})
			_, err := vm.PowerOn(ctx)
			return err
		}},
		{"injected NoPermission", "vcsim-nopermission.xml", inject(&types.NoPermission{
			SecurityError: types.SecurityError{RuntimeFault: types.RuntimeFault{MethodFault: types.MethodFault{
				FaultMessage: []types.LocalizableMessage{{Key: "vpxd.noPermission", Message: "Permission denied"}}}}},
			Object: &types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-1"}, PrivilegeId: "VirtualMachine.Interact.PowerOff",
		}, "Permission to perform this operation was denied.")},
		{"injected TaskInProgress", "vcsim-taskinprogress.xml", inject(&types.TaskInProgress{
			Task: types.ManagedObjectReference{Type: "Task", Value: "task-77"},
		}, "The operation is not allowed in the current state.")},
		{"injected PasswordExpired", "vcsim-passwordexpired.xml", inject(&types.PasswordExpired{}, "The password has expired.")},
		{"injected SystemError with a HostNotReachable cause", "vcsim-systemerror-cause.xml", inject(&types.SystemError{
			RuntimeFault: types.RuntimeFault{MethodFault: types.MethodFault{FaultCause: &types.LocalizedMethodFault{
				Fault: &types.HostNotReachable{}, LocalizedMessage: "Host is not reachable"}}},
			Reason: "host unreachable",
		}, "A general system error occurred: host unreachable")},
	}
}

func vmRef(ctx context.Context, c *vim25.Client, name string) types.ManagedObjectReference {
	vm, err := testSession.Finder.VirtualMachine(ctx, name)
	if err != nil {
		panic(err)
	}
	return vm.Reference()
}

// TestParseSOAPFaultVcsim provokes faults on the simulator, keeps the
// bodies it sent, and checks that each body, parsed, classifies as the
// error govmomi returned for the live call. The bodies are the fixtures in
// testdata/soap (refreshed with -update-soap).
func TestParseSOAPFaultVcsim(t *testing.T) {
	ctx := context.Background()
	for _, tc := range soapCases() {
		t.Run(tc.name, func(t *testing.T) {
			sc := testEnv.SOAPClient()
			rec := record(sc)
			c, err := vim25.NewClient(ctx, sc)
			if err != nil {
				t.Fatal(err)
			}
			if tc.file != "vcsim-invalidlogin.xml" {
				if err := session.NewManager(c).Login(ctx, url.UserPassword(vcsim.User, vcsim.Password)); err != nil {
					t.Fatal(err)
				}
			}
			live := tc.provoke(ctx, c)
			if live == nil {
				t.Fatal("the call succeeded")
			}
			body := rec.last(t)
			path := filepath.Join("testdata", "soap", tc.file)
			if *updateSOAP {
				if err := os.WriteFile(path, body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			sf, err := vsphere.ParseSOAPFault(body)
			if err != nil {
				t.Fatalf("ParseSOAPFault(live body) = %v\n%s", err, body)
			}
			parsed := soap.WrapSoapFault(sf)
			if parsed.Error() != live.Error() {
				t.Errorf("parsed error %q, govmomi returned %q", parsed, live)
			}
			sameFault(t, classified(t, parsed), classified(t, live))

			// The checked-in copy reads the same.
			fixture, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			sf2, err := vsphere.ParseSOAPFault(fixture)
			if err != nil {
				t.Fatalf("ParseSOAPFault(%s) = %v", path, err)
			}
			sameFault(t, classified(t, soap.WrapSoapFault(sf2)), classified(t, live))
		})
	}
}

// classified is the fault vsphere.FromError gives err, which must be one
// it recognises.
func classified(t *testing.T, err error) *faults.Error {
	t.Helper()
	f, ok := vsphere.FromError(err)
	if !ok {
		t.Fatalf("FromError(%v) declined it", err)
	}
	return f
}

func sameFault(t *testing.T, got, want *faults.Error) {
	t.Helper()
	if got.Code() != want.Code() || got.FaultType() != want.FaultType() || got.Message() != want.Message() ||
		fmt.Sprint(got.Metadata()) != fmt.Sprint(want.Metadata()) || got.Object() != want.Object() {
		t.Errorf("classified as %s %s %q %v %q, want %s %s %q %v %q", got.Code(), got.FaultType(), got.Message(), got.Metadata(), got.Object(),
			want.Code(), want.FaultType(), want.Message(), want.Metadata(), want.Object())
	}
}

// TestParseSOAPFaultGovmomiFixture reads the InvalidLogin envelope of
// govmomi's own vim25/methods/fault_test.go, as a whole envelope and as
// the Fault element cut out of it (no namespace declarations left).
func TestParseSOAPFaultGovmomiFixture(t *testing.T) {
	env, err := os.ReadFile("testdata/soap/govmomi-invalidlogin.xml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(env)
	frag := s[strings.Index(s, "<soapenv:Fault>") : strings.Index(s, "</soapenv:Fault>")+len("</soapenv:Fault>")]
	for name, body := range map[string]string{"envelope": s, "fragment": frag} {
		f, err := vsphere.ParseSOAPFault([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := f.Detail.Fault.(types.InvalidLogin); !ok {
			t.Errorf("%s: detail %#v, want types.InvalidLogin (as govmomi's TestFaultDetail)", name, f.Detail.Fault)
		}
		c := classified(t, soap.WrapSoapFault(f))
		if c.FaultType() != "InvalidLogin" || c.Message() != "Cannot complete login due to an incorrect user name or password." {
			t.Errorf("%s: classified %s %q", name, c.FaultType(), c.Message())
		}
	}
}

func TestParseSOAPFaultRejects(t *testing.T) {
	deep := strings.Repeat("<a>", vsphere.MaxSOAPFaultDepth+1) + strings.Repeat("</a>", vsphere.MaxSOAPFaultDepth+1)
	deepFault := "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><detail>" + deep + "</detail></soapenv:Fault>"
	for name, tc := range map[string]struct{ body, want string }{
		"empty":          {"", "no SOAP Fault"},
		"not XML":        {"{\"error_type\":\"NOT_FOUND\"}", "no SOAP Fault"},
		"other root":     {"<html><body>404</body></html>", "where a SOAP Fault would be"},
		"empty body":     {`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body></soapenv:Body></soapenv:Envelope>`, "no SOAP Fault"},
		"a response":     {`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><LoginResponse/></soapenv:Body></soapenv:Envelope>`, "where a SOAP Fault would be"},
		"SOAP 1.2":       {`<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault/></env:Body></env:Envelope>`, "not SOAP 1.1"},
		"unclosed":       {"<soapenv:Fault><faultcode>x", "SOAP fault"},
		"too deep":       {deepFault, "deeper than"},
		"too large":      {"<soapenv:Fault>" + strings.Repeat(" ", vsphere.MaxSOAPFaultBytes) + "</soapenv:Fault>", "over the limit"},
		"mismatched end": {"<soapenv:Fault></soapenv:Envelope>", "SOAP fault"},
	} {
		f, err := vsphere.ParseSOAPFault([]byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: ParseSOAPFault = %v, %v; want an error with %q", name, f, err, tc.want)
		}
	}
}

// FuzzParseSOAPFault: any body either fails with an error or gives a fault
// that classifies; never a panic.
func FuzzParseSOAPFault(f *testing.F) {
	for _, p := range []string{"govmomi-invalidlogin.xml", "vcsim-systemerror-cause.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "soap", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<Fault><detail><x xsi:type="ArrayOfString"/></detail></Fault>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		sf, err := vsphere.ParseSOAPFault(body)
		if err != nil {
			return
		}
		if _, ok := vsphere.FromError(soap.WrapSoapFault(sf)); !ok {
			t.Fatal("FromError declined a parsed SOAP fault")
		}
	})
}
