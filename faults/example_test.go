package faults_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
)

func ExampleNew() {
	err := faults.New(codes.HostNotReachable, "host esx-01 lost its heartbeat")
	fmt.Println(err)
	fmt.Println(err.Retryable(), err.Impact(), err.RetryDelay())
	fmt.Println(err.Action())
	// Output:
	// GSS-VSP-023 HostNotReachable: host esx-01 lost its heartbeat
	// true critical 30s
	// Check host network reachability, the firewall policy between vCenter and the host, and the hostd service on the host.
}

func ExampleNewf() {
	fmt.Println(faults.Newf(codes.NotFound, "network %q", "VM Network 2"))
	// Output: GSS-VSP-005 NotFound: network "VM Network 2"
}

func ExampleWrap() {
	cause := errors.New("dial tcp 10.0.0.5:443: connect: connection refused")
	err := faults.Wrap(cause, codes.NetworkUnavailable, "connect to vCenter")
	fmt.Println(err)
	fmt.Println(errors.Is(err, cause))
	fmt.Println(faults.Wrap(nil, codes.NetworkUnavailable, "connect") == nil) // no typed nil
	// Output:
	// GSS-VSP-024 NetworkUnavailable: connect to vCenter: dial tcp 10.0.0.5:443: connect: connection refused
	// true
	// true
}

func ExampleWrapf() {
	err := faults.Wrapf(errors.New("timeout"), codes.Timedout, "wait for %s", "task-12")
	fmt.Println(err)
	// Output: GSS-VSP-037 Timedout: wait for task-12: timeout
}

func ExampleFromEntry() {
	reg, _ := registry.Default().Extend(registry.Entry{
		Code: "GSS-APP-001", FaultType: "OrderRejected", Category: codes.CategoryValidation,
		Component: "orders", Trigger: "an order fails validation", Action: "fix the order",
		Impact: codes.Minor, GRPCCode: grpccodes.InvalidArgument,
	})
	e, _ := reg.Lookup("GSS-APP-001")
	f := faults.FromEntry(e, "order 7 has no items", nil)
	fmt.Println(f, f.Known())
	// Output: GSS-APP-001 OrderRejected: order 7 has no items true
}

func ExampleCode() {
	err := fmt.Errorf("power on: %w", faults.New(codes.TaskInProgress, "vm-42 is busy"))
	fmt.Println(errors.Is(err, faults.Code(codes.TaskInProgress)))
	fmt.Println(errors.Is(err, faults.Code(codes.InvalidPowerState)))
	// Output:
	// true
	// false
}

func ExampleAs() {
	err := fmt.Errorf("reconcile: %w", faults.New(codes.InvalidPowerState, "vm-42 is powered off"))
	if f, ok := faults.As(err); ok {
		fmt.Println(f.Code(), f.FaultType(), f.Message())
	}
	// Output: GSS-VSP-012 InvalidPowerState vm-42 is powered off
}

func ExampleCodeOf() {
	fmt.Println(faults.CodeOf(fmt.Errorf("x: %w", faults.New(codes.NotFound, ""))))
	fmt.Println(faults.CodeOf(errors.New("plain")))
	fmt.Printf("%q\n", faults.CodeOf(nil))
	// Output:
	// GSS-VSP-005
	// GSS-VSP-999
	// ""
}

func ExampleIsRetryable() {
	fmt.Println(faults.IsRetryable(faults.New(codes.TaskInProgress, "")))
	fmt.Println(faults.IsRetryable(faults.New(codes.InvalidLogin, "")))
	// Output:
	// true
	// false
}

func ExampleError_WithDetails() {
	f := faults.New(codes.InvalidArgument, "spec.numCPUs must be positive").WithDetails(
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "spec.numCPUs", Description: "must be positive"},
		}})
	for _, d := range f.GRPCStatus().Details() {
		fmt.Printf("%T\n", d)
	}
	// Output:
	// *errdetails.ErrorInfo
	// *errdetails.Help
	// *errdetails.BadRequest
}

func ExampleError_LogValue() {
	f := faults.New(codes.TaskInProgress, "vm-42 is busy").WithRequestID("req-7")
	h := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}})
	slog.New(h).Warn("power on", "err", fmt.Errorf("reconcile: %w", f), "fault", f)
	// Output:
	// level=WARN msg="power on" err="reconcile: GSS-VSP-014 TaskInProgress: vm-42 is busy" fault.code=GSS-VSP-014 fault.faultType=TaskInProgress fault.retryable=true fault.impact=minor fault.message="vm-42 is busy" fault.requestId=req-7 fault.retryDelay=5s
}

func ExampleFromStatus() {
	// A status from a service that does not use gssfault: classified by its
	// gRPC code on the Go side, sent on unchanged.
	st, _ := status.New(grpccodes.NotFound, "book 5678 not found").WithDetails(
		&errdetails.ResourceInfo{ResourceType: "book", ResourceName: "projects/1234/books/5678"})
	f, _ := faults.FromStatus(st)
	fmt.Println(f)
	fmt.Println(errors.Is(f, faults.Code(codes.NotFound)), f.FromCatalog(), f.Object())
	fmt.Println(f.GRPCStatus() == st)
	// Output:
	// GSS-VSP-005 NotFound: book 5678 not found
	// true false book:projects/1234/books/5678
	// true
}

func ExamplePolicy_FaultOf() {
	p := faults.Policy{Classifier: func(err error) (*faults.Error, bool) {
		if err.Error() == "vm locked" {
			return faults.Wrap(err, codes.TaskInProgress, "").(*faults.Error), true
		}
		return nil, false // not mine
	}}
	for _, err := range []error{
		errors.New("vm locked"),
		fmt.Errorf("call: %w", status.Error(grpccodes.PermissionDenied, "no")),
		context.Canceled,
		errors.New("something else"),
	} {
		f, _ := p.FaultOf(err)
		fmt.Println(f.Code(), f.GRPCCode())
	}
	// Output:
	// GSS-VSP-014 Aborted
	// GSS-VSP-004 PermissionDenied
	// GSS-VSP-038 Canceled
	// GSS-VSP-999 Unknown
}

func ExamplePolicy_Status() {
	f := faults.Wrap(errors.New("dial postgres://app:pw@db: refused"), codes.SystemError, "store the VM")
	fmt.Println(faults.Policy{}.Status(f.(*faults.Error)).Message())
	fmt.Println(faults.Policy{ExposeInternal: true}.Status(f.(*faults.Error)).Message())
	// Output:
	// internal error (GSS-VSP-001 SystemError)
	// store the VM
}

func ExampleRetry() {
	calls := 0
	err := faults.Retry(context.Background(), faults.RetryPolicy{MaxAttempts: 3, InitialBackoff: 1},
		func(context.Context) error {
			calls++
			if calls < 3 {
				// TaskInProgress: vSphere refused the call; safe to retry.
				return faults.New(codes.TaskInProgress, "vm-42 is busy").WithRetryDelay(1)
			}
			return nil
		})
	fmt.Println(err, calls)
	// Output: <nil> 3
}

func ExampleDegrade() {
	cached := func(_ context.Context, f *faults.Error) (string, error) { return "cached vm-42", nil }
	empty := func(_ context.Context, f *faults.Error) (string, error) { return "", nil }
	h := faults.Degrade(faults.OnRetryable(cached), faults.OnCode(codes.NotFound, empty))
	get := func(err error) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { return "", err }
	}
	for _, err := range []error{faults.New(codes.HostNotConnected, ""), faults.New(codes.NotFound, ""), faults.New(codes.NoPermission, "")} {
		v, err := faults.Call(context.Background(), get(err), h)
		fmt.Printf("%q %v\n", v, err)
	}
	// Output:
	// "cached vm-42" <nil>
	// "" <nil>
	// "" GSS-VSP-004 NoPermission
}
