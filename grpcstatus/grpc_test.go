package grpcstatus_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere"
)

func isInternal(c grpccodes.Code) bool {
	return c == grpccodes.Internal || c == grpccodes.Unknown || c == grpccodes.DataLoss
}

// view is what the wire keeps of a fault, for comparison.
type view struct {
	Code                        codes.Code
	FaultType                   string
	Retryable                   bool
	Impact                      codes.ImpactLevel
	GRPC                        grpccodes.Code
	Message, RequestID, Op, Obj string
	Duration, RetryDelay        time.Duration
	Metadata                    []faults.Field
	Localized                   faults.LocalizedMessage
	Known, FromCatalog          bool
}

func viewOf(f *faults.Error) view {
	l, _ := f.Localized()
	return view{f.Code(), f.FaultType(), f.Retryable(), f.Impact(), f.GRPCCode(), f.Message(), f.RequestID(), f.Op(), f.Object(),
		f.Duration(), f.RetryDelay(), f.Metadata(), l, f.Known(), f.FromCatalog()}
}

// Every catalog entry, sent by a server with the interceptors, arrives at
// a client with the interceptors as an equal fault.
func TestEveryEntryRoundTripsWithInterceptors(t *testing.T) {
	client := startServer(t, &faultServer{},
		[]grpc.ServerOption{grpc.ChainUnaryInterceptor(grpcstatus.UnaryServerInterceptor())},
		grpc.WithChainUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	for _, e := range registry.Default().All() {
		_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(e.Code)})
		f, ok := err.(*faults.Error)
		if !ok {
			t.Fatalf("%s: client got %T, want *faults.Error", e.Code, err)
		}
		want := viewOf(richFault(e))
		if isInternal(e.GRPCCode) {
			want.Message = "internal error (" + string(e.Code) + " " + e.FaultType + ")"
		}
		if diff := cmp.Diff(want, viewOf(f)); diff != "" {
			t.Errorf("%s (-sent +received):\n%s", e.Code, diff)
		}
		if !errors.Is(err, faults.Code(e.Code)) || status.Code(err) != e.GRPCCode {
			t.Errorf("%s: errors.Is or status.Code fail on the client", e.Code)
		}
		if strings.Contains(err.Error(), "secret server-side cause") || strings.Contains(err.Error(), "rpc error") {
			t.Errorf("%s: Error() = %q", e.Code, err.Error())
		}
	}
}

// A plain grpc-go server with no interceptor sends the same details, each
// once; FromError on a plain client reads them back.
func TestPlainServerAndFromError(t *testing.T) {
	client := startServer(t, &faultServer{}, nil)
	for _, e := range registry.Default().All() {
		_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(e.Code)})
		st, _ := status.FromError(err)
		kinds := map[string]int{}
		var info *errdetails.ErrorInfo
		for _, d := range st.Details() {
			kinds[string(proto.MessageName(d.(proto.Message)).Name())]++
			if x, ok := d.(*errdetails.ErrorInfo); ok {
				info = x
			}
		}
		for k, n := range kinds {
			if n > 1 {
				t.Errorf("%s: detail %s sent %d times", e.Code, k, n)
			}
		}
		if info == nil || info.Reason != faults.Reason(e.FaultType) || info.Metadata["gssCode"] != string(e.Code) ||
			info.Domain != "gssfault."+strings.ToLower(string(e.Code.Domain())) {
			t.Fatalf("%s: ErrorInfo = %v", e.Code, info)
		}
		if kinds["DebugInfo"] != 0 {
			t.Errorf("%s: DebugInfo sent without opting in", e.Code)
		}
		f, ok := grpcstatus.FromError(err)
		if !ok || f.Code() != e.Code || f.RequestID() != "req-"+string(e.Code) {
			t.Errorf("%s: FromError = %v, %v", e.Code, f, ok)
		}
	}
}

// TestFromErrorConventions: FromError follows status.FromError's contract.
func TestFromErrorConventions(t *testing.T) {
	if f, ok := grpcstatus.FromError(nil); f != nil || !ok {
		t.Errorf("FromError(nil) = %v, %v; want nil, true", f, ok)
	}
	for name, tc := range map[string]struct {
		err  error
		ok   bool
		code codes.Code
	}{
		"a fault":          {fmt.Errorf("w: %w", faults.New(codes.NotFound, "x")), true, codes.NotFound},
		"a wrapped status": {fmt.Errorf("w: %w", status.Error(grpccodes.Unavailable, "x")), true, codes.ServiceUnavailable},
		"context":          {context.Canceled, false, codes.RequestCanceled},
		"plain":            {errors.New("x"), false, "GSS-VSP-999"},
	} {
		f, ok := grpcstatus.FromError(tc.err)
		if ok != tc.ok || f == nil || f.Code() != tc.code || !errors.Is(f, tc.err) && name != "a fault" {
			t.Errorf("%s: FromError = %v, %v; want %s, %v", name, f, ok, tc.code, tc.ok)
		}
	}
}

func TestRedactionAndDebugInfo(t *testing.T) {
	plain := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())})
	_, err := plain.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "plain"})
	if st, _ := status.FromError(err); st.Code() != grpccodes.Unknown || st.Message() != "internal error" || len(st.Details()) != 0 {
		t.Errorf("plain error: %v %q %v, want a bare, generic Unknown", st.Code(), st.Message(), st.Details())
	}
	open := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(
		grpcstatus.WithPolicy(faults.Policy{ExposeInternal: true, DebugInfo: true})))})
	_, err = open.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "plain"})
	st, _ := status.FromError(err)
	if !strings.Contains(st.Message(), "/etc/secret/path") {
		t.Errorf("ExposeInternal: message %q", st.Message())
	}
	hasDebug := slices.ContainsFunc(st.Details(), func(d any) bool { _, ok := d.(*errdetails.DebugInfo); return ok })
	if !hasDebug {
		t.Error("DebugInfo opted in but not sent")
	}
}

// TestDownstreamStatusesAreRedactedAndBudgeted: a status the handler got
// from another service and returns wrapped goes out redacted and within
// the budget, as faults made here do (red team M4).
func TestDownstreamStatusesAreRedactedAndBudgeted(t *testing.T) {
	client := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())})
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "downstream-internal"})
	st, _ := status.FromError(err)
	if st.Code() != grpccodes.Internal || strings.Contains(st.Message(), "s3cr3t") || st.Message() != "internal error" {
		t.Errorf("downstream Internal arrived as %v %q", st.Code(), st.Message())
	}
	if n := proto.Size(st.Proto()); n > faults.DefaultMaxStatusBytes {
		t.Errorf("downstream status arrived at %d bytes", n)
	}
}

// TestClassifierKeepsStatuses: with the README's server setup
// (vsphere.FromError as the classifier) a status the handler returns
// passes through, and govmomi errors are classified (red team M5).
func TestClassifierKeepsStatuses(t *testing.T) {
	client := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(
		grpcstatus.WithClassifier(vsphere.FromError)))}, grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "own-status"})
	if st, _ := status.FromError(err); st.Code() != grpccodes.NotFound || st.Message() != "vm-42 not found" {
		t.Errorf("the handler's own status arrived as %v %q", st.Code(), st.Message())
	}
	e, _ := registry.Default().Lookup(codes.TaskInProgress)
	_, err = client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(e.Code)})
	if f, _ := grpcstatus.FromError(err); f.RequestID() != "req-"+string(e.Code) {
		t.Errorf("a fault lost its request ID through the classifier: %v", f)
	}
}

func TestContextErrorsAndPanics(t *testing.T) {
	var panics []any
	var mu sync.Mutex
	client := startServer(t, &faultServer{},
		[]grpc.ServerOption{
			grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(grpcstatus.WithPolicy(faults.Policy{
				OnPanic: func(_ context.Context, v any, stack []byte) { mu.Lock(); panics = append(panics, v); mu.Unlock() }}))),
			grpc.StreamInterceptor(grpcstatus.StreamServerInterceptor()),
		},
		grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	for svc, want := range map[string]grpccodes.Code{"canceled": grpccodes.Canceled, "deadline": grpccodes.DeadlineExceeded} {
		_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc})
		if status.Code(err) != want {
			t.Errorf("%s: %v", svc, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := client.Check(ctx, &healthpb.HealthCheckRequest{Service: "wait"})
	if faults.CodeOf(err) != codes.Timedout || status.Code(err) != grpccodes.DeadlineExceeded {
		t.Errorf("client deadline: %v (%v)", err, status.Code(err))
	}
	_, err = client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "panic"})
	if st, _ := status.FromError(err); st.Code() != grpccodes.Internal || strings.Contains(st.Message(), "secret panic") || len(st.Details()) != 0 {
		t.Errorf("panic: %v", err)
	}
	mu.Lock()
	if len(panics) != 1 || panics[0] != "secret panic value" {
		t.Errorf("panic handler got %v", panics)
	}
	mu.Unlock()
	stream, err := client.Watch(context.Background(), &healthpb.HealthCheckRequest{Service: "panic"})
	if err != nil {
		t.Fatal(err)
	}
	var msg healthpb.HealthCheckResponse
	for err == nil {
		err = stream.RecvMsg(&msg)
	}
	if status.Code(err) != grpccodes.Internal {
		t.Errorf("stream panic: %v", err)
	}
}

func TestStreams(t *testing.T) {
	client := startServer(t, &faultServer{},
		[]grpc.ServerOption{grpc.StreamInterceptor(grpcstatus.StreamServerInterceptor())},
		grpc.WithStreamInterceptor(grpcstatus.StreamClientInterceptor()))
	for _, code := range []codes.Code{codes.TaskInProgress, codes.NoPermission, codes.HostNotReachable} {
		stream, err := client.Watch(context.Background(), &healthpb.HealthCheckRequest{Service: string(code)})
		if err != nil {
			t.Fatal(err)
		}
		if first, err := stream.Recv(); err != nil || first.Status != healthpb.HealthCheckResponse_SERVING {
			t.Fatalf("first message: %v %v", first, err)
		}
		_, err = stream.Recv()
		f, ok := err.(*faults.Error)
		if !ok || f.Code() != code || f.RequestID() != "req-"+string(code) {
			t.Errorf("%s: stream error %T %v", code, err, err)
		}
	}
}

// TestForeignStatusPassesThrough: a status from a service that does not
// use gssfault, with an ErrorInfo of its own and a detail of an unknown
// type, arrives at the client as it was sent, through a server that
// relays it and both interceptors; on the Go side it works with errors.Is
// and Retryable by its gRPC code.
func TestForeignStatusPassesThrough(t *testing.T) {
	origin := startServer(t, &faultServer{}, nil)
	relay := &relayServer{next: origin}
	client := startServerWith(t, relay, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())},
		grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	_, direct := origin.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "foreign"})
	sent, _ := status.FromError(direct)
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "foreign"})
	f, ok := err.(*faults.Error)
	if !ok {
		t.Fatalf("client got %T", err)
	}
	if !proto.Equal(f.GRPCStatus().Proto(), sent.Proto()) {
		t.Errorf("relayed status changed:\n got %v\nwant %v", f.GRPCStatus().Proto(), sent.Proto())
	}
	if f.FaultType() != "InvalidState" || f.GRPCCode() != grpccodes.FailedPrecondition || f.Retryable() || f.FromCatalog() {
		t.Errorf("Go side: %v retryable=%v catalog=%v", f, f.Retryable(), f.FromCatalog())
	}
	for k, v := range map[string]string{"reason": "BUCKET_NOT_EMPTY", "domain": "storage.example.test", "bucket": "b1"} {
		if got, _ := f.MetadataValue(k); got != v {
			t.Errorf("metadata %s = %q, want %q", k, got, v)
		}
	}
}

// relayServer calls another health server with the client interceptor and
// returns what it gets, as a proxy does.
type relayServer struct {
	healthpb.UnimplementedHealthServer
	next healthpb.HealthClient
}

func (r *relayServer) Check(ctx context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	resp, err := r.next.Check(ctx, req)
	if err != nil {
		f, _ := grpcstatus.FromError(err)
		return nil, fmt.Errorf("relay: %w", f)
	}
	return resp, nil
}

// TestCustomCodeCrossesUnchanged: a service's own code reaches a client
// that does not know it as that code, Known false (issue 15), and one that
// does with its entry.
func TestCustomCodeCrossesUnchanged(t *testing.T) {
	reg, err := registry.Default().Extend(registry.Entry{Code: "GSS-APP-001", FaultType: "OrderRejected", Category: codes.CategoryValidation,
		Component: "orders", Trigger: "bad order", Action: "fix the order", Impact: codes.Minor, GRPCCode: grpccodes.InvalidArgument})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := reg.Lookup("GSS-APP-001")
	srv := &customServer{fault: faults.FromEntry(e, "order 7 has no items", nil)}
	for name, tc := range map[string]struct {
		opts  []grpcstatus.Option
		known bool
	}{"without the registry": {nil, false}, "with it": {[]grpcstatus.Option{grpcstatus.WithPolicy(faults.Policy{Registry: reg})}, true}} {
		client := startServerWith(t, srv, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(grpcstatus.WithPolicy(faults.Policy{Registry: reg})))},
			grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor(tc.opts...)))
		_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{})
		f, _ := grpcstatus.FromError(err)
		if f.Code() != "GSS-APP-001" || f.Known() != tc.known || f.GRPCCode() != grpccodes.InvalidArgument || !errors.Is(err, faults.Code("GSS-APP-001")) {
			t.Errorf("%s: %v known=%v", name, f, f.Known())
		}
	}
}

type customServer struct {
	healthpb.UnimplementedHealthServer
	fault *faults.Error
}

func (s *customServer) Check(context.Context, *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	return nil, s.fault
}

// TestDeclaredCodes: with the opt-in check, a handler that returns a code
// its method does not declare is caught; with one option per service, the
// function that knows the method decides.
func TestDeclaredCodes(t *testing.T) {
	otherService := func(method string) ([]codes.Code, bool) {
		return nil, method == "/other.v1.Other/Get"
	}
	declared := func(method string) ([]codes.Code, bool) {
		if method == "/grpc.health.v1.Health/Check" {
			return []codes.Code{codes.NotFound, codes.TaskInProgress}, true
		}
		return nil, false
	}
	var observed []codes.Code
	client := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(
		grpcstatus.WithDeclaredCodes(otherService), grpcstatus.WithDeclaredCodes(nil),
		grpcstatus.WithDeclaredCodes(declared), grpcstatus.WithObserver(func(_ context.Context, f *faults.Error) { observed = append(observed, f.Code()) })))})
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(codes.TaskInProgress)})
	if status.Code(err) != grpccodes.Aborted {
		t.Errorf("a declared code: %v", err)
	}
	_, err = client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(codes.NoPermission)})
	st, _ := status.FromError(err)
	if st.Code() != grpccodes.Internal || !strings.Contains(st.Message(), "GSS-VSP-004") || !strings.Contains(st.Message(), "/grpc.health.v1.Health/Check") {
		t.Errorf("an undeclared code: %v %q", st.Code(), st.Message())
	}
	if len(observed) != 2 || observed[1] != codes.NoPermission {
		t.Errorf("observer saw %v", observed)
	}
}

func TestStatusBudgetOverTheWire(t *testing.T) {
	client := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())},
		grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "huge"})
	f, ok := err.(*faults.Error)
	if !ok || f.Code() != codes.NotFound {
		t.Fatalf("huge fault arrived as %T %v", err, err)
	}
	if n := proto.Size(f.GRPCStatus().Proto()); n > faults.DefaultMaxStatusBytes {
		t.Errorf("received status is %d bytes, over the budget", n)
	}
	small := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(
		grpcstatus.WithPolicy(faults.Policy{MaxStatusBytes: 300})))}, grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	_, err = small.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(codes.HostNotReachable)})
	if faults.CodeOf(err) != codes.HostNotReachable || !faults.IsRetryable(err) {
		t.Errorf("300-byte budget: %v", err)
	}
}

func TestConcurrentConversions(t *testing.T) {
	client := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())},
		grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	all := registry.Default().All()
	testenv.Hammer(t, 16, func(g int) error {
		for n := range 40 {
			e := all[(g*7+n)%len(all)]
			_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(e.Code)})
			if f, _ := grpcstatus.FromError(err); f.Code() != e.Code || f.RequestID() != "req-"+string(e.Code) {
				return fmt.Errorf("%s came back as %v", e.Code, f)
			}
		}
		return nil
	})
}
