package vsphere_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/vsphere"
)

// provoked holds the error of every scenario, provoked once on one
// simulator for the whole package; testEnv and testSession are that
// simulator and a logged-in session on it.
var (
	provoked    = map[string]error{}
	testEnv     *vcsim.Env
	testSession *vcsim.Session
)

func TestMain(m *testing.M) {
	env, err := vcsim.Start(vcsim.Options{Version: "8.0.3"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	restore := vcsim.Quiet(env)
	ctx := context.Background()
	s, err := env.NewSession(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, sc := range vcsim.Scenarios() {
		provoked[sc.Name] = sc.Provoke(ctx, s)
	}
	restore()
	testEnv, testSession = env, s
	code := m.Run()
	env.Close()
	os.Exit(code)
}

// want is what classification must give for each scenario.
var want = map[string]struct {
	code codes.Code
	meta map[string]string // metadata that must be present
	vim  bool              // the cause holds a vim method fault
}{
	"log in with a wrong password":                        {codes.InvalidLogin, nil, true},
	"call without a session":                              {codes.NotAuthenticated, nil, true},
	"find a VM that does not exist":                       {codes.NotFound, nil, false},
	"power on a deleted VM reference":                     {codes.ManagedObjectNotFound, nil, true},
	"power on a running VM":                               {codes.InvalidPowerState, map[string]string{"existingState": "poweredOn"}, true},
	"create a folder that exists":                         {codes.DuplicateName, map[string]string{"name": "vm"}, true},
	"stat a missing datastore file":                       {codes.FileNotFound, nil, false},
	"delete a missing datastore file":                     {codes.FileNotFound, nil, true},
	"destroy a datastore with VMs on it":                  {codes.ResourceInUse, map[string]string{"resourceType": "Datastore"}, true},
	"query a disconnected host":                           {codes.HostNotConnected, nil, true},
	"task failed: SystemError caused by HostNotReachable": {codes.HostNotReachable, map[string]string{"faultChain": "SystemError>HostNotReachable"}, true},
	"injected NoPermission on power off":                  {codes.NoPermission, map[string]string{"privilege": "VirtualMachine.Interact.PowerOff"}, true},
	"injected TaskInProgress on power off":                {codes.TaskInProgress, map[string]string{"task": "Task:task-77"}, true},
	"injected PasswordExpired on power off":               {codes.InvalidLogin, map[string]string{"vimFaultType": "PasswordExpired"}, true},
	"injected InvalidGuestLogin on power off":             {codes.GuestOperationsFault, map[string]string{"vimFaultType": "InvalidGuestLogin"}, true},
	"injected CustomizationFault on power off":            {codes.VimFault, map[string]string{"vimFaultType": "CustomizationFault"}, true},
	"vAPI: get a VM that does not exist":                  {codes.NotFound, map[string]string{"httpStatus": "404"}, false},
	"vAPI: create a tag category twice":                   {codes.AlreadyExists, map[string]string{"httpStatus": "400", "vapiErrorType": "ALREADY_EXISTS"}, false},
	"connect with certificate verification":               {codes.CertificateVerificationFailed, nil, false},
	"connect to a closed port":                            {codes.NetworkUnavailable, nil, false},
	"endpoint answers 503":                                {codes.ServiceUnavailable, map[string]string{"httpStatus": "503"}, false},
	"call past its deadline":                              {codes.Timedout, nil, false},
}

// wrappings are the ways callers hide an error.
var wrappings = map[string]func(error) error{
	"bare":   func(err error) error { return err },
	"3x %w":  func(err error) error { return fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", err))) },
	"join 2": func(err error) error { return errors.Join(io.EOF, err) },
	"join in %w": func(err error) error {
		return fmt.Errorf("reconcile: %w", errors.Join(errors.New("other"), fmt.Errorf("x: %w", err)))
	},
}

func TestEveryScenarioIsCovered(t *testing.T) {
	for _, sc := range vcsim.Scenarios() {
		if _, ok := want[sc.Name]; !ok {
			t.Errorf("scenario %q has no expectation", sc.Name)
		}
	}
}

func TestClassifyProvokedFaults(t *testing.T) {
	for name, w := range want {
		orig, ok := provoked[name]
		if !ok {
			t.Errorf("scenario %q did not run", name)
			continue
		}
		if orig == nil || vcsim.IsNoFault(orig) {
			t.Errorf("%s: the simulator did not fail: %v", name, orig)
			continue
		}
		for wname, wrap := range wrappings {
			err := wrap(orig)
			f := classify(err)
			if f == nil {
				t.Fatalf("%s/%s: Classify returned nil", name, wname)
			}
			if f.Code() != w.code {
				t.Errorf("%s/%s: Classify(%v) = %s %s, want %s", name, wname, orig, f.Code(), f.FaultType(), w.code)
				continue
			}
			// The original error stays reachable.
			if !errors.Is(f, orig) {
				t.Errorf("%s/%s: the original error is not reachable from the fault", name, wname)
			}
			if errors.Unwrap(f) != err {
				t.Errorf("%s/%s: the fault's cause is not the classified error", name, wname)
			}
			for k, v := range w.meta {
				if got, _ := f.MetadataValue(k); got != v {
					t.Errorf("%s/%s: metadata %s = %q, want %q (all: %v)", name, wname, k, got, v, f.Metadata())
				}
			}
			if w.vim {
				// govmomi's own checks still work on the result.
				var hf types.HasFault
				if !errors.As(f, &hf) {
					t.Errorf("%s/%s: errors.As(fault, *types.HasFault) fails", name, wname)
				}
				if _, ok := vsphere.Fault(f); !ok {
					t.Errorf("%s/%s: vsphere.Fault finds no method fault", name, wname)
				}
			}
		}
	}
}

func TestGovmomiHelpersStillWork(t *testing.T) {
	f := classify(fmt.Errorf("outer: %w", provoked["power on a running VM"]))
	if !fault.Is(f, &types.InvalidPowerState{}) {
		t.Error("fault.Is(result, InvalidPowerState) = false")
	}
	tlsErr := classify(fmt.Errorf("connect: %w", provoked["connect with certificate verification"]))
	if !soap.IsCertificateUntrusted(tlsErr) {
		t.Error("soap.IsCertificateUntrusted(result) = false")
	}
	var ua x509.UnknownAuthorityError
	if !errors.As(tlsErr, &ua) {
		t.Error("the x509 error is not reachable")
	}
	if !errors.Is(classify(provoked["call past its deadline"]), context.DeadlineExceeded) {
		t.Error("context.DeadlineExceeded is not reachable")
	}
}

func TestMessagesAndObjects(t *testing.T) {
	f := classify(provoked["task failed: SystemError caused by HostNotReachable"])
	if !strings.Contains(f.Message(), "heartbeat lost") {
		t.Errorf("nested cause message = %q, want the HostNotReachable cause's message", f.Message())
	}
	f = classify(provoked["log in with a wrong password"])
	if f.Message() == "" || strings.HasPrefix(f.Message(), "ServerFaultCode") {
		t.Errorf("SOAP fault message = %q, want the fault string without the SOAP code", f.Message())
	}
	f = classify(provoked["injected NoPermission on power off"])
	if f.Message() != "Permission to perform this operation was denied." {
		t.Errorf("injected message = %q", f.Message())
	}
}

func TestClassifyNil(t *testing.T) {
	if f := classify(nil); f != nil {
		t.Errorf("Classify(nil) = %v", f)
	}
}

func TestClassifyUnknownIsCatchAll(t *testing.T) {
	for _, err := range []error{io.EOF, errors.New("something odd"), fmt.Errorf("x: %w", io.ErrClosedPipe)} {
		f := classify(err)
		if f == nil || f.Code() != codes.MethodFault || !errors.Is(f, err) {
			t.Errorf("Classify(%v) = %v, want the catch-all wrapping it", err, f)
		}
	}
}

func TestClassifyKeepsExistingFault(t *testing.T) {
	orig := faults.New(codes.Busy, "busy")
	if f := classify(fmt.Errorf("x: %w", orig)); f != orig {
		t.Errorf("Classify of a wrapped fault = %v, want the fault itself", f)
	}
}

// TestGovmomiInternals provokes, through vcsim and govmomi's real clients,
// the errors whose form govmomi does not export (its HTTP status errors and
// the vAPI 400 error, read in govmomi_internals.go), so that a govmomi
// upgrade that changes them fails here, loudly, not in production.
func TestGovmomiInternals(t *testing.T) {
	for name, want := range map[string]map[string]string{
		"vAPI: get a VM that does not exist": {"httpStatus": "404"},
		"vAPI: create a tag category twice":  {"httpStatus": "400", "vapiErrorType": "ALREADY_EXISTS"},
		"endpoint answers 503":               {"httpStatus": "503"},
	} {
		f := classify(provoked[name])
		for k, v := range want {
			if got, _ := f.MetadataValue(k); got != v {
				t.Errorf("%s: %s = %q, want %q: govmomi changed how it reports this error (%T %q); update govmomi_internals.go",
					name, k, got, v, provoked[name], provoked[name])
			}
		}
	}
}

// TestFromErrorDeclinesWhatIsNotVSphere: the classifier hook says "not
// mine" for errors that did not come from vSphere, so that a policy's
// context errors and catch-all apply (issue 15: a service's own errors are
// not presented as vSphere faults).
func TestFromErrorDeclinesWhatIsNotVSphere(t *testing.T) {
	for name, err := range map[string]error{
		"context canceled": fmt.Errorf("handler: %w", context.Canceled),
		"deadline":         context.DeadlineExceeded,
		"plain":            errors.New("database is down"),
		"bare net error":   &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
		"a gRPC status":    status.Error(grpccodes.NotFound, "vm-42"),
		// Any HTTP client's fmt.Errorf("%s: %s", resp.Status, body).
		"another API's 400":     fmt.Errorf("%s: %s", "400 Bad Request", "payment API says no"),
		"a JSON 400":            fmt.Errorf("%s: %s", "400 Bad Request", `{"error": "card declined"}`),
		"a 400 of another type": &textError{"400 Bad Request: {\"error_type\": \"INVALID_ARGUMENT\"}"},
	} {
		if f, ok := vsphere.FromError(err); ok || f != nil {
			t.Errorf("%s: FromError = %v, %v; want nil, false", name, f, ok)
		}
	}
	// Under a request to vSphere the same failures are vSphere's.
	under := &url.Error{Op: "Post", URL: "https://vc.example.test/sdk", Err: context.DeadlineExceeded}
	if f, ok := vsphere.FromError(under); !ok || f.Code() != codes.Timedout {
		t.Errorf("a deadline under a request to vSphere = %v, %v", f, ok)
	}
}

// TestMessagesNeverCarryURLSecrets: a URL's credentials and query (a
// session token) never reach a fault's message, whichever way the request
// failed (red team M2).
func TestMessagesNeverCarryURLSecrets(t *testing.T) {
	const u = "https://admin:s3cr3t-pass@vc.example.test/sdk?vmware-api-session-id=TOKEN-123"
	for name, err := range map[string]error{
		"deadline": &url.Error{Op: "Post", URL: u, Err: context.DeadlineExceeded},
		"refused":  &url.Error{Op: "Post", URL: u, Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}},
		"redirect": &url.Error{Op: "Get", URL: u, Err: fmt.Errorf("stopped after 10 redirects to %s", u)},
	} {
		f := classify(fmt.Errorf("power on: %w", err))
		st := faults.Policy{ExposeInternal: true}.Status(f)
		for what, text := range map[string]string{"message": f.Message(), "status": st.Message(), "LogValue": f.LogValue().String()} {
			if strings.Contains(text, "s3cr3t") || strings.Contains(text, "TOKEN") {
				t.Errorf("%s: the %s carries a secret: %q", name, what, text)
			}
		}
		if !strings.Contains(f.Message(), "vc.example.test/sdk") {
			t.Errorf("%s: message %q no longer names the endpoint", name, f.Message())
		}
	}
}

// soapFaultServer answers every SOAP call with a SOAP fault without a
// typed detail, as vCenter does for a malformed request.
func soapFaultServer(t *testing.T, code, msg string) *soap.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
<soapenv:Body><soapenv:Fault><faultcode>%s</faultcode><faultstring>%s</faultstring></soapenv:Fault></soapenv:Body>
</soapenv:Envelope>`, code, msg)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL + "/sdk")
	return soap.NewClient(u, true)
}

// TestSOAPFaultsWithoutDetail: a ClientFaultCode fault that names no fault
// type is a malformed request (InvalidRequest), a ServerFaultCode one the
// catch-all; both keep the faultstring (issue 16). The faults come from
// govmomi's real SOAP client reading a real SOAP answer.
func TestSOAPFaultsWithoutDetail(t *testing.T) {
	for code, want := range map[string]codes.Code{"ClientFaultCode": codes.InvalidRequest, "ServerFaultCode": "GSS-VSP-999"} {
		const msg = "Required parameter selectionSet is missing"
		c := soapFaultServer(t, code, msg)
		_, err := methods.RetrieveServiceContent(context.Background(), c, &types.RetrieveServiceContent{This: vim25.ServiceInstance})
		if err == nil {
			t.Fatalf("%s: the call succeeded", code)
		}
		f := classify(fmt.Errorf("connect: %w", err))
		if f.Code() != want || f.Message() != msg {
			t.Errorf("%s: %v (message %q), want %s with the faultstring", code, f, f.Message(), want)
		}
		if v, _ := f.MetadataValue("soapFaultCode"); v != code {
			t.Errorf("%s: soapFaultCode = %q", code, v)
		}
	}
}

// mixedSiblings returns n siblings of four types, two plain and two that
// wrap, then err when it is not nil.
func mixedSiblings(n int, err error) []error {
	var out []error
	for i := range n {
		switch i % 4 {
		case 0, 1:
			out = append(out, fmt.Errorf("sibling %d", i))
		case 2:
			out = append(out, fmt.Errorf("sibling %d: %w", i, io.EOF))
		default:
			out = append(out, &url.Error{Op: "Get", URL: "https://vc.example/sdk", Err: io.ErrUnexpectedEOF})
		}
	}
	if err != nil {
		out = append(out, err)
	}
	return out
}

// TestClassifyWalkBound: the walk visits at most faults.MaxWalk nodes, plain
// siblings skipped by type included: a fault after 5,000 plain siblings is
// not reached, one after 4,000 is.
func TestClassifyWalkBound(t *testing.T) {
	soapErr := provoked["injected TaskInProgress on power off"]
	if f := classify(joined(4001, 4000, soapErr)); f.Code() != codes.TaskInProgress {
		t.Errorf("4,001st child: %v", f)
	}
	if f, ok := vsphere.FromError(joined(5001, 5000, soapErr)); ok && f.Code() == codes.TaskInProgress {
		t.Errorf("5,001st child found past the bound of %d nodes", faults.MaxWalk)
	}
}

// TestClassifyAgreesWithStandardLibrary: the vSphere fault is found as the
// second, the 65th and the last child of a 100-wide join and 1,000 deep
// (issue 14).
func TestClassifyAgreesWithStandardLibrary(t *testing.T) {
	soapErr := provoked["injected TaskInProgress on power off"]
	for name, err := range map[string]error{
		"2nd of 100":  joined(100, 1, soapErr),
		"65th of 100": joined(100, 64, soapErr),
		"80th of 100": joined(100, 79, soapErr),
		"last of 100": joined(100, 99, soapErr),
		"depth 1000":  testenv.Deep(soapErr, 1000),
		// Siblings of several types, plain and wrapping, before the fault:
		// the walk skips a plain sibling by its type only.
		"last of 300, mixed siblings": errors.Join(mixedSiblings(299, soapErr)...),
		"nested joins":                errors.Join(errors.Join(mixedSiblings(50, nil)...), errors.Join(mixedSiblings(70, soapErr)...)),
	} {
		var hf types.HasFault
		if !errors.As(err, &hf) {
			t.Fatalf("%s: errors.As does not find it", name)
		}
		if f := classify(err); f.Code() != codes.TaskInProgress {
			t.Errorf("%s: Classify = %v", name, f)
		}
	}
}

// textError is an error type of the caller's with a fixed text.
type textError struct{ s string }

func (e *textError) Error() string { return e.s }

// TestFaultInTheTreeWinsOverAGenericVimFault: an error holding a generic
// vim fault (a SystemError from vcsim) and, later in the walk, a fault the
// service made classifies as the service's fault; a specific vim fault met
// first still wins.
func TestFaultInTheTreeWinsOverAGenericVimFault(t *testing.T) {
	generic := inject(t, &types.SystemError{Reason: "disk full"})
	own := faults.New(codes.TaskInProgress, "vm-42 is busy")
	if f := classify(errors.Join(generic, own)); f != own {
		t.Errorf("generic SystemError, then a fault: %v, want the fault", f)
	}
	specific := provoked["log in with a wrong password"]
	if f := classify(errors.Join(specific, own)); f.Code() != codes.InvalidLogin {
		t.Errorf("InvalidLogin, then a fault: %v, want InvalidLogin", f)
	}
}
