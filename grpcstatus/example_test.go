package grpcstatus_test

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/vsphere"
)

func ExampleFromError() {
	// What a client gets from a server that returned a fault.
	wire := faults.New(codes.TaskInProgress, "vm-42 is busy").WithRequestID("req-7").GRPCStatus().Err()
	f, ok := grpcstatus.FromError(fmt.Errorf("power on: %w", wire))
	fmt.Println(ok, f)
	fmt.Println(f.Retryable(), f.RetryDelay(), f.RequestID())
	fmt.Println(errors.Is(f, faults.Code(codes.TaskInProgress)))
	// Output:
	// true GSS-VSP-014 TaskInProgress: vm-42 is busy
	// true 5s req-7
	// true
}

func ExampleFromError_foreign() {
	// A status from a service that does not use gssfault.
	f, ok := grpcstatus.FromError(status.Error(grpccodes.Unavailable, "try later"))
	fmt.Println(ok, f.Code(), f.FaultType(), f.Retryable(), f.FromCatalog())
	// An error that is not a status at all.
	g, ok := grpcstatus.FromError(errors.New("disk full"))
	fmt.Println(ok, g.Code())
	// Output:
	// true GSS-VSP-021 ServiceUnavailable true false
	// false GSS-VSP-999
}

func ExampleUnaryServerInterceptor() {
	policy := faults.Policy{Classifier: vsphere.FromError} // the same value goes to httpmap.WithPolicy
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(grpcstatus.UnaryServerInterceptor(grpcstatus.WithPolicy(policy))))
	defer srv.Stop()

	// What the interceptor does with a handler's errors:
	interceptor := grpcstatus.UnaryServerInterceptor(grpcstatus.WithPolicy(policy))
	for _, err := range []error{
		faults.New(codes.NotFound, "vm-42 not found"),
		status.Error(grpccodes.PermissionDenied, "not yours"),
		context.DeadlineExceeded,
		errors.New("db down"),
	} {
		_, out := interceptor(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/vm.v1.VMs/Get"},
			func(context.Context, any) (any, error) { return nil, err })
		st, _ := status.FromError(out)
		fmt.Printf("%v %q %d details\n", st.Code(), st.Message(), len(st.Details()))
	}
	// Output:
	// NotFound "vm-42 not found" 2 details
	// PermissionDenied "not yours" 0 details
	// DeadlineExceeded "context deadline exceeded" 0 details
	// Unknown "internal error" 0 details
}

func ExampleUnaryClientInterceptor() {
	interceptor := grpcstatus.UnaryClientInterceptor()
	invoker := func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error {
		return faults.New(codes.HostNotReachable, "esx-1 lost its heartbeat").GRPCStatus().Err()
	}
	err := interceptor(context.Background(), "/vm.v1.VMs/PowerOn", nil, nil, nil, invoker)
	f, ok := err.(*faults.Error)
	fmt.Println(ok, f.Code(), status.Code(err))
	// Output: true GSS-VSP-023 Unavailable
}

type fakeServerStream struct{ grpc.ServerStream }

func (fakeServerStream) Context() context.Context { return context.Background() }

func ExampleStreamServerInterceptor() {
	interceptor := grpcstatus.StreamServerInterceptor()
	err := interceptor(nil, fakeServerStream{}, &grpc.StreamServerInfo{FullMethod: "/vm.v1.VMs/Watch"},
		func(any, grpc.ServerStream) error { return faults.New(codes.TaskInProgress, "busy") })
	fmt.Println(status.Code(err))
	// Output: Aborted
}

func ExampleStreamClientInterceptor() {
	interceptor := grpcstatus.StreamClientInterceptor()
	_, err := interceptor(context.Background(), &grpc.StreamDesc{}, nil, "/vm.v1.VMs/Watch",
		func(context.Context, *grpc.StreamDesc, *grpc.ClientConn, string, ...grpc.CallOption) (grpc.ClientStream, error) {
			return nil, status.Error(grpccodes.Unauthenticated, "session expired")
		})
	fmt.Println(faults.CodeOf(err))
	// Output: GSS-VSP-003
}

func ExampleUnaryClientRetryInterceptor() {
	idempotent := func(method string) bool { return method == "/vm.v1.VMs/Get" }
	conn, err := grpc.NewClient("passthrough:///vcenter-proxy:443",
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(
			grpcstatus.UnaryClientRetryInterceptor(faults.RetryPolicy{MaxAttempts: 4}, idempotent),
			grpcstatus.UnaryClientInterceptor(),
		))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	fmt.Println(conn.Target())
	// Output: passthrough:///vcenter-proxy:443
}

func ExampleWithDeclaredCodes() {
	declared := func(method string) ([]codes.Code, bool) {
		return []codes.Code{codes.NotFound}, method == "/vm.v1.VMs/Get"
	}
	interceptor := grpcstatus.UnaryServerInterceptor(grpcstatus.WithDeclaredCodes(declared))
	_, err := interceptor(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/vm.v1.VMs/Get"},
		func(context.Context, any) (any, error) { return nil, faults.New(codes.NoPermission, "") })
	fmt.Println(status.Convert(err).Message())
	// Output: gssfault: /vm.v1.VMs/Get returned GSS-VSP-004 NoPermission, a code its declaration does not list
}
