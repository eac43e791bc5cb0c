package vsphere_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
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
			f := vsphere.Classify(err)
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
	f := vsphere.Classify(fmt.Errorf("outer: %w", provoked["power on a running VM"]))
	if !fault.Is(f, &types.InvalidPowerState{}) {
		t.Error("fault.Is(result, InvalidPowerState) = false")
	}
	tlsErr := vsphere.Classify(fmt.Errorf("connect: %w", provoked["connect with certificate verification"]))
	if !soap.IsCertificateUntrusted(tlsErr) {
		t.Error("soap.IsCertificateUntrusted(result) = false")
	}
	var ua x509.UnknownAuthorityError
	if !errors.As(tlsErr, &ua) {
		t.Error("the x509 error is not reachable")
	}
	if !errors.Is(vsphere.Classify(provoked["call past its deadline"]), context.DeadlineExceeded) {
		t.Error("context.DeadlineExceeded is not reachable")
	}
}

func TestMessagesAndObjects(t *testing.T) {
	f := vsphere.Classify(provoked["task failed: SystemError caused by HostNotReachable"])
	if !strings.Contains(f.Message(), "heartbeat lost") {
		t.Errorf("nested cause message = %q, want the HostNotReachable cause's message", f.Message())
	}
	f = vsphere.Classify(provoked["log in with a wrong password"])
	if f.Message() == "" || strings.HasPrefix(f.Message(), "ServerFaultCode") {
		t.Errorf("SOAP fault message = %q, want the fault string without the SOAP code", f.Message())
	}
	f = vsphere.Classify(provoked["injected NoPermission on power off"])
	if f.Message() != "Permission to perform this operation was denied." {
		t.Errorf("injected message = %q", f.Message())
	}
}

func TestClassifyNil(t *testing.T) {
	if f := vsphere.Classify(nil); f != nil {
		t.Errorf("Classify(nil) = %v", f)
	}
}

func TestClassifyUnknownIsCatchAll(t *testing.T) {
	for _, err := range []error{io.EOF, errors.New("something odd"), fmt.Errorf("x: %w", io.ErrClosedPipe)} {
		f := vsphere.Classify(err)
		if f == nil || f.Code() != codes.MethodFault || !errors.Is(f, err) {
			t.Errorf("Classify(%v) = %v, want the catch-all wrapping it", err, f)
		}
	}
}

func TestClassifyKeepsExistingFault(t *testing.T) {
	orig := faults.New(codes.Busy, "busy")
	if f := vsphere.Classify(fmt.Errorf("x: %w", orig)); f != orig {
		t.Errorf("Classify of a wrapped fault = %v, want the fault itself", f)
	}
}
