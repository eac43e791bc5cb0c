package grpcstatus_test

import (
	"context"
	"errors"
	"fmt"
	"time"

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

func ExampleUnaryServerInterceptor() {
	// grpc.NewServer(grpc.ChainUnaryInterceptor(grpcstatus.UnaryServerInterceptor(
	//	grpcstatus.WithClassifier(vsphere.Classify),
	//	grpcstatus.WithPanicHandler(logPanic),
	// )))
	fmt.Println(grpcstatus.UnaryServerInterceptor() != nil)
	// Output: true
}

func ExampleUnaryClientInterceptor() {
	// grpc.NewClient(target, grpc.WithChainUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	fmt.Println(grpcstatus.UnaryClientInterceptor() != nil)
	// Output: true
}

func ExampleStreamServerInterceptor() {
	fmt.Println(grpcstatus.StreamServerInterceptor() != nil)
	// Output: true
}

func ExampleStreamClientInterceptor() {
	fmt.Println(grpcstatus.StreamClientInterceptor() != nil)
	// Output: true
}
