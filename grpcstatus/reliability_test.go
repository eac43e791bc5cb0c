package grpcstatus_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime/debug"
	"strings"
	"testing"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/prototext"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/internal/errtest"
	"github.com/gssfault/gssfault/registry"
)

// Secrets a server-side error chain commonly holds. None may reach a
// client by default.
var planted = []string{"s3cr3t-pass", "/opt/vmware/lib/secret.go", "goroutine ", "vm-unrelated-999"}

// leakyError is a server error that holds every planted secret: a
// *url.Error with credentials, a file path, a stack and an unrelated moref.
func leakyError() error {
	uerr := &url.Error{Op: "Post", URL: "https://admin:s3cr3t-pass@vc.example.test/sdk", Err: errors.New("connection reset")}
	return fmt.Errorf("at /opt/vmware/lib/secret.go:42 touching VirtualMachine:vm-unrelated-999: %w\n%s", uerr, debug.Stack())
}

type leakServer struct {
	healthpb.UnimplementedHealthServer
}

func (leakServer) Check(_ context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	switch req.GetService() {
	case "plain":
		return nil, leakyError()
	case "internal":
		return nil, faults.Wrap(leakyError(), codes.SystemError, "failed: "+leakyError().Error())
	default: // a fault whose message is clean, its cause not
		return nil, faults.Wrap(leakyError(), codes.HostNotReachable, "host-7 is not reachable").WithObject("HostSystem:host-7")
	}
}

// By default no planted secret reaches a client: not in the message, the
// details, or the trailers.
func TestNoSecretReachesGRPCClient(t *testing.T) {
	lis := startLeakServer(t, grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor()))
	for _, svc := range []string{"plain", "internal", "fault"} {
		var trailer metadata.MD
		_, err := lis.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc}, grpc.Trailer(&trailer))
		st, _ := status.FromError(err)
		seen := st.Message() + prototext.Format(st.Proto()) + fmt.Sprint(trailer)
		for _, s := range planted {
			if strings.Contains(seen, s) {
				t.Errorf("%s: the client received %q:\n%s", svc, s, seen)
			}
		}
	}
	// Opting in to debug info sends the cause chain, as documented.
	dbg := startLeakServer(t, grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(grpcstatus.WithDebugInfo(true))))
	_, err := dbg.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "fault"})
	st, _ := status.FromError(err)
	if !strings.Contains(prototext.Format(st.Proto()), "vm-unrelated-999") {
		t.Error("WithDebugInfo(true) did not send the cause chain")
	}
}

func startLeakServer(t *testing.T, opts ...grpc.ServerOption) healthpb.HealthClient {
	t.Helper()
	return startServerWith(t, leakServer{}, opts)
}

// Conversions and the interceptors are used from every request goroutine
// at once; under -race they must neither race nor mix up faults.
func TestConcurrentConversions(t *testing.T) {
	client := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())},
		grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	all := registry.Default().All()
	errtest.Hammer(t, 16, func(g int) error {
		for n := range 40 {
			e := all[(g*7+n)%len(all)]
			_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(e.Code)})
			if f := grpcstatus.FromError(err); f.Code() != e.Code {
				return fmt.Errorf("%s came back as %s", e.Code, f.Code())
			}
			local := faults.New(e.Code, "m").WithRequestID(fmt.Sprint(g, n))
			if back := grpcstatus.FromError(local.GRPCStatus().Err()); back.RequestID() != local.RequestID() {
				return fmt.Errorf("request ID %q came back as %q", local.RequestID(), back.RequestID())
			}
		}
		return nil
	})
}

// Client-side conversion allocates only what it returns beyond grpc-go's
// own copy of the status (Status.Proto): the fault, and one string per
// detail it reads strings from. Metadata is gathered in pooled scratch
// space, not in slices that faults.Build would copy.
func TestFromErrorAllocs(t *testing.T) {
	f := faults.New(codes.TaskInProgress, "vm-42 has a task in progress").
		WithRequestID("req-1").WithObject("VirtualMachine:vm-42").WithLocalized("de-DE", "Aufgabe läuft").
		WithMetadata("hostName", "esx-01")
	err := fmt.Errorf("wrapped: %w", f.GRPCStatus().Err())
	st, _ := status.FromError(err)
	withStrings := 0
	for _, d := range st.Proto().GetDetails() {
		switch d.GetTypeUrl() {
		case "type.googleapis.com/google.rpc.ErrorInfo", "type.googleapis.com/google.rpc.LocalizedMessage",
			"type.googleapis.com/google.rpc.ResourceInfo":
			withStrings++
		}
	}
	if withStrings != 3 {
		t.Fatalf("the status carries %d string-bearing details, want ErrorInfo, LocalizedMessage and ResourceInfo", withStrings)
	}
	if got := grpcstatus.FromError(err); got.RequestID() != "req-1" || got.Object() != "VirtualMachine:vm-42" {
		t.Fatalf("conversion lost the context: %v", got)
	}
	clone := testing.AllocsPerRun(100, func() { _ = st.Proto() })
	n := testing.AllocsPerRun(100, func() { _ = grpcstatus.FromError(err) })
	if limit := clone + 1 + float64(withStrings); n > limit {
		t.Errorf("FromError allocates %v times; grpc-go's copy is %v, so at most %v", n, clone, limit)
	}
}
