package grpcstatus_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
)

// What a client receives for a fault a server returned, read back.
func ExampleFromError() {
	wire := faults.New(codes.TaskInProgress, "vm-42 is busy").WithRequestID("req-7").GRPCStatus().Err()

	f := grpcstatus.FromError(wire)
	fmt.Println(f.Code(), f.FaultType(), f.Message())
	fmt.Println(f.Retryable(), f.RetryDelay(), f.RequestID())
	fmt.Println(errors.Is(f, faults.Code(codes.TaskInProgress)))
	// Output:
	// GSS-VSP-014 TaskInProgress vm-42 is busy
	// true 5s req-7
	// true
}

// A status from a service that does not use gssfault.
func ExampleFromError_foreign() {
	f := grpcstatus.FromError(status.Error(grpccodes.NotFound, "no such bucket"))
	code, _ := f.MetadataValue("grpcCode")
	fmt.Println(f.Code(), f.FaultType(), code)
	// Output: GSS-VSP-005 NotFound NotFound
}

func ExampleFromStatus() {
	f := grpcstatus.FromStatus(status.New(grpccodes.Unavailable, "draining"))
	fmt.Println(f.FaultType(), f.Retryable())
	// Output: ServiceUnavailable true
}

func ExampleRetry() {
	attempts := 0
	err := grpcstatus.Retry(context.Background(), grpcstatus.Policy{MaxAttempts: 3, InitialBackoff: time.Millisecond},
		func(ctx context.Context) error {
			attempts++
			return faults.New(codes.InvalidPowerState, "vm is off") // not retryable
		})
	var re *grpcstatus.RetryError
	fmt.Println(errors.As(err, &re), re.Attempts, attempts)
	// Output: true 1 1
}

func ExampleDegrade() {
	cached := "last known inventory"
	h := grpcstatus.Degrade(
		grpcstatus.OnRetryable(func(context.Context, *faults.Error) (string, error) { return cached, nil }),
	)
	v, err := grpcstatus.Call(context.Background(), func(context.Context) (string, error) {
		return "", faults.New(codes.HostNotReachable, "esx-01 lost heartbeat")
	}, h)
	fmt.Println(v, err)
	// Output: last known inventory <nil>
}

// The server interceptor turns what a handler returns into a status with
// details: here a plain error, which becomes the catch-all with a generic
// message, and a panic, which becomes Internal.
func ExampleUnaryServerInterceptor() {
	intercept := grpcstatus.UnaryServerInterceptor()
	info := &grpc.UnaryServerInfo{FullMethod: "/vm.v1.VMs/PowerOn"}
	_, err := intercept(context.Background(), nil, info, func(context.Context, any) (any, error) {
		return nil, errors.New("db password=hunter2 rejected")
	})
	fmt.Println(status.Code(err), status.Convert(err).Message())
	_, err = intercept(context.Background(), nil, info, func(context.Context, any) (any, error) { panic("bug") })
	fmt.Println(status.Code(err))
	// Output:
	// Unknown internal error (GSS-VSP-999 MethodFault)
	// Internal
}

// The client interceptor turns the status a call failed with into a fault.
func ExampleUnaryClientInterceptor() {
	intercept := grpcstatus.UnaryClientInterceptor()
	wire := faults.New(codes.HostNotConnected, "esx-01 is disconnected").GRPCStatus().Err()
	err := intercept(context.Background(), "/vm.v1.VMs/PowerOn", nil, nil, nil,
		func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error { return wire })
	f, _ := faults.As(err)
	fmt.Println(f.Code(), f.Retryable(), f.Message())
	// Output: GSS-VSP-019 true esx-01 is disconnected
}

// fakeServerStream is the least a stream handler needs.
type fakeServerStream struct{ grpc.ServerStream }

func (fakeServerStream) Context() context.Context { return context.Background() }

func ExampleStreamServerInterceptor() {
	intercept := grpcstatus.StreamServerInterceptor()
	err := intercept(nil, fakeServerStream{}, &grpc.StreamServerInfo{}, func(any, grpc.ServerStream) error {
		return context.DeadlineExceeded
	})
	fmt.Println(status.Code(err))
	// Output: DeadlineExceeded
}

func ExampleStreamClientInterceptor() {
	intercept := grpcstatus.StreamClientInterceptor()
	_, err := intercept(context.Background(), &grpc.StreamDesc{}, nil, "/vm.v1.VMs/Watch",
		func(context.Context, *grpc.StreamDesc, *grpc.ClientConn, string, ...grpc.CallOption) (grpc.ClientStream, error) {
			return nil, status.Error(grpccodes.Unavailable, "draining")
		})
	f, _ := faults.As(err)
	fmt.Println(f.FaultType(), f.Retryable())
	// Output: ServiceUnavailable true
}
