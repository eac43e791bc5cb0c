package faults_test

import (
	"errors"
	"fmt"
	"log/slog"
	"os"

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
	// Output:
	// GSS-VSP-024 NetworkUnavailable: connect to vCenter: dial tcp 10.0.0.5:443: connect: connection refused
	// true
}

func ExampleWrapf() {
	err := faults.Wrapf(errors.New("timeout"), codes.Timedout, "wait for %s", "task-12")
	fmt.Println(err)
	// Output: GSS-VSP-037 Timedout: wait for task-12: timeout
}

func ExampleFromEntry() {
	reg, _ := registry.Default().Extend(registry.Entry{
		Code: "GSS-APP-001", FaultType: "OrderRejected", Category: codes.Validation,
		Component: "orders", Trigger: "an order fails validation", Action: "fix the order",
		Impact: codes.Minor, GRPCCode: 3, // InvalidArgument
	})
	e, _ := reg.Lookup("GSS-APP-001")
	fmt.Println(faults.FromEntry(e, "order 7 has no items", nil))
	// Output: GSS-APP-001 OrderRejected: order 7 has no items
}

func ExampleCode() {
	err := fmt.Errorf("power on: %w", faults.New(codes.TaskInProgress, "vm-42 is busy"))
	fmt.Println(errors.Is(err, faults.Code(codes.TaskInProgress)))
	fmt.Println(errors.Is(err, faults.Code(codes.InvalidPowerState)))
	// Output:
	// true
	// false
}

func ExampleHasCode() {
	err := fmt.Errorf("power on: %w", faults.New(codes.TaskInProgress, ""))
	fmt.Println(faults.HasCode(err, codes.TaskInProgress))
	// Output: true
}

func ExampleAs() {
	err := fmt.Errorf("reconcile: %w", faults.New(codes.InvalidPowerState, "vm-42 is powered off"))
	if f, ok := faults.As(err); ok {
		fmt.Println(f.Code(), f.FaultType(), f.Message())
	}
	// Output: GSS-VSP-012 InvalidPowerState vm-42 is powered off
}

func ExampleCodeOf() {
	fmt.Printf("%q\n", faults.CodeOf(nil))
	fmt.Println(faults.CodeOf(fmt.Errorf("x: %w", faults.New(codes.Busy, ""))))
	fmt.Println(faults.CodeOf(errors.New("plain"))) // no fault: the catch-all
	// Output:
	// ""
	// GSS-VSP-022
	// GSS-VSP-999
}

func ExampleIsRetryable() {
	fmt.Println(faults.IsRetryable(faults.New(codes.HostNotConnected, "")))
	fmt.Println(faults.IsRetryable(faults.New(codes.InvalidArgument, "")))
	// Output:
	// true
	// false
}

func ExampleError_GRPCStatus() {
	st := status.Convert(faults.New(codes.NoPermission, "missing VirtualMachine.Interact.PowerOn"))
	fmt.Println(st.Code(), st.Message())
	// Output: PermissionDenied missing VirtualMachine.Interact.PowerOn
}

func ExampleError_LogValue() {
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	log.Warn("power on failed", "err", faults.New(codes.TaskInProgress, "vm-42 busy").WithRequestID("req-1"))
	// Output: level=WARN msg="power on failed" err.code=GSS-VSP-014 err.faultType=TaskInProgress err.message="vm-42 busy" err.retryable=true err.impact=minor err.requestID=req-1 err.retryDelay=5s
}

func ExampleError_WithMetadata() {
	err := faults.New(codes.NoPermission, "cannot power on").
		WithObject("VirtualMachine:vm-42").
		WithMetadata("privilege", "VirtualMachine.Interact.PowerOn")
	v, _ := err.MetadataValue("privilege")
	fmt.Println(err.Object(), v)
	// Output: VirtualMachine:vm-42 VirtualMachine.Interact.PowerOn
}

func ExampleError_Is() {
	a := faults.New(codes.ConcurrentAccess, "first")
	b := faults.New(codes.ConcurrentAccess, "second")
	fmt.Println(errors.Is(a, b)) // same code, different message
	// Output: true
}

func ExampleBuild() {
	e, _ := registry.Default().Lookup(codes.NoPermission)
	f := faults.Build(e, "cannot power on", nil, faults.Details{
		Object:   "VirtualMachine:vm-42",
		Metadata: []faults.Field{{Key: "privilege", Value: "VirtualMachine.Interact.PowerOn"}},
	})
	fmt.Println(f, f.Object())
	// Output: GSS-VSP-004 NoPermission: cannot power on VirtualMachine:vm-42
}

func ExampleReason() {
	fmt.Println(faults.Reason("HostNotReachable"), faults.Reason("SSLVerifyFault"))
	// Output: HOST_NOT_REACHABLE SSL_VERIFY_FAULT
}

func ExampleError_Status() {
	st := faults.New(codes.SystemError, "vpxd: db connection lost").Status(faults.StatusOptions{})
	fmt.Println(st.Code(), st.Message())
	// Output: Internal internal error (GSS-VSP-001 SystemError)
}
