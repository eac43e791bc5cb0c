// Command grpc-interceptors runs a gRPC server and client on loopback with
// gssfault's interceptors: the server's handlers return govmomi's errors as
// they are and one faults.Policy (with vsphere.FromError as its classifier)
// turns them into statuses with AIP-193 details; the client gets them back as
// *faults.Error, so errors.Is(err, faults.Code(...)) works across the wire,
// and its retry interceptor repeats what is safe to repeat: every retryable
// fault for the method declared idempotent (GetVM), only "refused before it
// acted" (TaskInProgress) for the others.
//
//	go run ./examples/grpc-interceptors
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/examples/internal/vmpb"
	"github.com/gssfault/gssfault/examples/internal/vmserver"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/vsphere"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "grpc-interceptors:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	env, err := vcsim.Start(vcsim.Options{Version: "8.0.3"})
	if err != nil {
		return err
	}
	defer env.Close()
	defer vcsim.Quiet(env)()
	backend, err := vmserver.New(ctx, env)
	if err != nil {
		return err
	}

	// One policy for the service's trust boundary: govmomi errors become
	// faults through vsphere.FromError; Internal messages are redacted.
	policy := faults.Policy{Classifier: vsphere.FromError}

	// The server: handlers return errors as they are; the interceptors do
	// the rest. The observer sees every fault the server sends, and
	// WithDeclaredCodes holds each method to the codes vm.proto declares
	// for it (gssfault.v1.faults, generated as VMServiceDeclaredCodes): a
	// handler returning another code would send INTERNAL naming it.
	observe := grpcstatus.WithObserver(func(_ context.Context, f *faults.Error) {
		fmt.Fprintf(out, "  server sends %s %s (%s)\n", f.Code(), f.FaultType(), f.GRPCCode())
	})
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(grpcstatus.UnaryServerInterceptor(grpcstatus.WithPolicy(policy), observe,
			grpcstatus.WithDeclaredCodes(vmpb.VMServiceDeclaredCodes))),
		grpc.ChainStreamInterceptor(grpcstatus.StreamServerInterceptor(grpcstatus.WithPolicy(policy))),
	)
	vmpb.RegisterVMServiceServer(srv, backend)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = srv.Serve(lis) }() // ends with GracefulStop
	defer srv.GracefulStop()

	// The client: the retry interceptor outermost, then the one that makes
	// every error a *faults.Error.
	idempotent := func(fullMethod string) bool { return fullMethod == vmpb.VMService_GetVM_FullMethodName }
	retry := faults.RetryPolicy{
		MaxAttempts: 4,
		// Faults ask for seconds between attempts (TaskInProgress 5 s); a
		// real client waits that long. Capped so the example runs quickly.
		MaxDelay: 20 * time.Millisecond,
	}
	conn, err := grpc.NewClient(lis.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(
			grpcstatus.UnaryClientRetryInterceptor(retry, idempotent),
			grpcstatus.UnaryClientInterceptor(grpcstatus.WithPolicy(policy)),
		),
	)
	if err != nil {
		return err
	}
	defer conn.Close()
	client := vmpb.NewVMServiceClient(conn)

	// 1. A VM that does not exist: NotFound, with its catalog entry.
	fmt.Fprintln(out, "GetVM(no-such-vm)")
	_, err = client.GetVM(ctx, &vmpb.GetVMRequest{Name: "no-such-vm"})
	report(out, err)
	fmt.Fprintf(out, "  errors.Is NotFound: %t; status.Code: %s\n",
		errors.Is(err, faults.Code(codes.NotFound)), status.Code(err))

	// 2. Power on a running VM: a task error, not retried. (On vcsim the
	// message says the operation "needs it poweredOn": the simulator fills
	// requestedState with the state asked for.)
	fmt.Fprintln(out, "PowerOn(DC0_H0_VM0), already on")
	_, err = client.PowerOn(ctx, &vmpb.PowerOnRequest{Name: "DC0_H0_VM0"})
	report(out, err)
	fmt.Fprintf(out, "  errors.Is InvalidPowerState: %t\n", errors.Is(err, faults.Code(codes.InvalidPowerState)))

	// 3. TaskInProgress twice, then success: vSphere refused the call before
	// acting, so even the non-idempotent PowerOn is repeated.
	if err := backend.PowerOff(ctx, "DC0_H0_VM1"); err != nil {
		return err
	}
	inject(env, "PowerOnVM_Task", "VirtualMachine", &types.TaskInProgress{}, 2)
	fmt.Fprintln(out, "PowerOn(DC0_H0_VM1), TaskInProgress twice")
	vm, err := client.PowerOn(ctx, &vmpb.PowerOnRequest{Name: "DC0_H0_VM1"})
	if err != nil {
		return fmt.Errorf("PowerOn(DC0_H0_VM1) after retries: %w", err)
	}
	fmt.Fprintf(out, "  ok: %s is %s\n", vm.GetName(), vm.GetPowerState())

	// 4. A lost host connection (retryable, outcome unknown): repeated for
	// the idempotent GetVM, not for PowerOn.
	inject(env, "RetrievePropertiesEx", "PropertyCollector", &types.HostCommunication{}, 1)
	fmt.Fprintln(out, "GetVM(DC0_H0_VM1), HostCommunication once")
	vm, err = client.GetVM(ctx, &vmpb.GetVMRequest{Name: "DC0_H0_VM1"})
	if err != nil {
		return fmt.Errorf("GetVM(DC0_H0_VM1) after a retry: %w", err)
	}
	fmt.Fprintf(out, "  ok: %s is %s\n", vm.GetName(), vm.GetPowerState())

	if err := backend.PowerOff(ctx, "DC0_H0_VM1"); err != nil {
		return err
	}
	inject(env, "PowerOnVM_Task", "VirtualMachine", &types.HostCommunication{}, 1)
	fmt.Fprintln(out, "PowerOn(DC0_H0_VM1), HostCommunication once")
	_, err = client.PowerOn(ctx, &vmpb.PowerOnRequest{Name: "DC0_H0_VM1"})
	report(out, err)
	return nil
}

// report prints what the client knows about a failed call.
func report(out io.Writer, err error) {
	f, ok := faults.As(err)
	if !ok {
		fmt.Fprintf(out, "  client: not a fault: %v\n", err)
		return
	}
	attempts := 1
	if re, ok := errors.AsType[*faults.RetryError](err); ok {
		attempts = re.Attempts
	}
	fmt.Fprintf(out, "  client gets %s %s retryable=%t after %d attempt(s): %s\n",
		f.Code(), f.FaultType(), f.Retryable(), attempts, f.Message())
}

// inject makes the simulator fail method on objects of type objType with
// fault, n times.
func inject(env *vcsim.Env, method, objType string, fault types.BaseMethodFault, n int) {
	env.Model.Service.AddFaultRule(&simulator.FaultInjectionRule{
		MethodName: method, ObjectType: objType, ObjectName: "*",
		Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: fault, MaxCount: n, Enabled: true,
	})
}
