package grpcstatus_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
)

// faultServer is a health service whose Check answers with the fault the
// request's service field names: a GSS code gives a rich fault; a few
// words give other failures.
type faultServer struct {
	healthpb.UnimplementedHealthServer
	calls map[string]int // per service name, for retry tests
	fails map[string]int // how many times to fail before succeeding
}

// richFault is the fault the server returns for a code, with every field
// the wire can carry set.
func richFault(e registry.Entry) *faults.Error {
	f := faults.FromEntry(e, "server says "+string(e.Code)+" \"quoted\" ünïcode", errors.New("secret server-side cause")).
		WithRequestID("req-"+string(e.Code)).
		WithOp("PowerOnVM_Task").
		WithObject("VirtualMachine:vm-42").
		WithDuration(1500*time.Millisecond).
		WithLocalized("de-DE", "Fehler "+string(e.Code)).
		WithMetadata(faults.Field{Key: "privilege", Value: "VirtualMachine.Interact.PowerOn"}).
		WithMetadata(faults.Field{Key: "hostName", Value: "esx-01"})
	if e.Retryable {
		f = f.WithRetryDelay(3 * time.Second)
	}
	return f
}

func (s *faultServer) Check(ctx context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	name := req.GetService()
	if s.calls != nil {
		s.calls[name]++
		if s.calls[name] > s.fails[name] {
			return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
		}
	}
	code, how, _ := strings.Cut(name, "/")
	if e, ok := registry.Default().Lookup(codes.Code(code)); ok {
		if how == "wrapped" {
			return nil, fmt.Errorf("handler with secret context: %w", richFault(e))
		}
		return nil, richFault(e)
	}
	switch name {
	case "ok":
		return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
	case "panic":
		panic("secret panic value")
	case "canceled":
		return nil, context.Canceled
	case "deadline":
		return nil, context.DeadlineExceeded
	case "wait":
		<-ctx.Done()
		return nil, ctx.Err()
	case "plain":
		return nil, errors.New("plain error with /etc/secret/path")
	case "classify-me":
		return nil, errClassifyMe
	case "foreign":
		st := status.New(grpccodes.FailedPrecondition, "bucket not empty")
		info := &errdetails.ErrorInfo{Reason: "BUCKET_NOT_EMPTY", Domain: "storage.example.test", Metadata: map[string]string{"bucket": "b1"}}
		unknown := &anypb.Any{TypeUrl: "type.googleapis.com/example.test.Unknown", Value: []byte{0x08, 0x01}}
		p := st.Proto()
		a, _ := anypb.New(info)
		p.Details = append(p.Details, a, unknown)
		return nil, status.FromProto(p).Err()
	case "status-wrapped":
		return nil, fmt.Errorf("secret wrapper text: %w", status.Error(grpccodes.NotFound, "no such bucket"))
	case "foreign-unavailable":
		return nil, status.Error(grpccodes.Unavailable, "try later")
	case "foreign-aborted":
		return nil, status.Error(grpccodes.Aborted, "conflict")
	case "huge":
		f := faults.New(codes.NotFound, strings.Repeat("m", 1<<20))
		fields := make([]faults.Field, 10000)
		for i := range fields {
			fields[i] = faults.Field{Key: "key" + strings.Repeat("k", i%50) + string(rune('a'+i%26)) + itoaTest(i), Value: strings.Repeat("v", 100)}
		}
		return nil, f.WithMetadata(fields...).WithObject("VirtualMachine:" + strings.Repeat("x", 5000))
	case "downstream-internal":
		// A downstream's Internal status, wrapped, with a secret and 200 KB
		// of details (red team M4).
		var ds []protoadapt.MessageV1
		for range 200 {
			ds = append(ds, wrapperspb.String(strings.Repeat("d", 1000)))
		}
		st, _ := status.New(grpccodes.Internal, "dial postgres://app:s3cr3t-pass@db/inv: at /opt/app/db.go:12").WithDetails(ds...)
		return nil, fmt.Errorf("calling inventory: %w", st.Err())
	case "own-status":
		return nil, status.Error(grpccodes.NotFound, "vm-42 not found")
	}
	return nil, status.Errorf(grpccodes.InvalidArgument, "unknown test service %q", name)
}

var errClassifyMe = errors.New("classify me")

// Watch sends one SERVING message, then fails with the fault named.
func (s *faultServer) Watch(req *healthpb.HealthCheckRequest, ss healthpb.Health_WatchServer) error {
	if err := ss.Send(&healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}); err != nil {
		return err
	}
	if req.GetService() == "panic" {
		panic("stream panic")
	}
	_, err := s.Check(ss.Context(), req)
	return err
}

func itoaTest(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoaTest(i/10) + digits[i%10:i%10+1]
}

// startServer runs the fault server on bufconn with the given server
// options and returns a client connection with the client options.
func startServer(t *testing.T, srv *faultServer, sopts []grpc.ServerOption, copts ...grpc.DialOption) healthpb.HealthClient {
	t.Helper()
	return startServerWith(t, srv, sopts, copts...)
}

// startServerWith serves srv on bufconn and returns a client of it.
func startServerWith(t *testing.T, srv healthpb.HealthServer, sopts []grpc.ServerOption, copts ...grpc.DialOption) healthpb.HealthClient {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	s := grpc.NewServer(sopts...)
	healthpb.RegisterHealthServer(s, srv)
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	opts := append([]grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}, copts...)
	cc, err := grpc.NewClient("passthrough:///bufnet", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return healthpb.NewHealthClient(cc)
}
