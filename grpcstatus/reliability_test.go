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
		return nil, faults.Wrap(leakyError(), codes.HostNotReachable, "host-7 is not reachable").(*faults.Error).WithObject("HostSystem:host-7")
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
	dbg := startLeakServer(t, grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(grpcstatus.WithPolicy(faults.Policy{DebugInfo: true}))))
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
