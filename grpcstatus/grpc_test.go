package grpcstatus_test

import (
	"context"
	"errors"
	"fmt"
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
	"github.com/gssfault/gssfault/registry"
)

func isInternal(c grpccodes.Code) bool {
	return c == grpccodes.Internal || c == grpccodes.Unknown || c == grpccodes.DataLoss
}

// assertSame checks that got carries everything the wire keeps of want.
func assertSame(t *testing.T, what string, want, got *faults.Error) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: no fault", what)
	}
	if got.Code() != want.Code() || got.FaultType() != want.FaultType() || got.Retryable() != want.Retryable() ||
		got.Impact() != want.Impact() || got.GRPCCode() != want.GRPCCode() {
		t.Errorf("%s: got %s %s retryable=%v impact=%v grpc=%v, want %s %s %v %v %v", what,
			got.Code(), got.FaultType(), got.Retryable(), got.Impact(), got.GRPCCode(),
			want.Code(), want.FaultType(), want.Retryable(), want.Impact(), want.GRPCCode())
	}
	wantMsg := want.Message()
	if isInternal(want.GRPCCode()) {
		wantMsg = "internal error (" + string(want.Code()) + " " + want.FaultType() + ")"
	}
	if got.Message() != wantMsg {
		t.Errorf("%s: message %q, want %q", what, got.Message(), wantMsg)
	}
	if got.RequestID() != want.RequestID() || got.Op() != want.Op() || got.Object() != want.Object() ||
		got.Duration() != want.Duration() || got.RetryDelay() != want.RetryDelay() {
		t.Errorf("%s: context %q %q %q %v %v, want %q %q %q %v %v", what,
			got.RequestID(), got.Op(), got.Object(), got.Duration(), got.RetryDelay(),
			want.RequestID(), want.Op(), want.Object(), want.Duration(), want.RetryDelay())
	}
	if diff := cmp.Diff(want.Metadata(), got.Metadata()); diff != "" {
		t.Errorf("%s: metadata (-want +got):\n%s", what, diff)
	}
	wl, _ := want.Localized()
	gl, _ := got.Localized()
	if wl != gl {
		t.Errorf("%s: localized %v, want %v", what, gl, wl)
	}
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
		assertSame(t, string(e.Code), richFault(e), f)
		if !errors.Is(err, faults.Code(e.Code)) {
			t.Errorf("%s: errors.Is(err, faults.Code) = false on the client", e.Code)
		}
		if status.Code(err) != e.GRPCCode {
			t.Errorf("%s: status.Code = %v, want %v", e.Code, status.Code(err), e.GRPCCode)
		}
		if strings.Contains(err.Error(), "secret server-side cause") {
			t.Errorf("%s: the server-side cause reached the client", e.Code)
		}
	}
}

// A plain grpc-go server with no interceptor sends the rich status too;
// FromError on a plain client reads it back.
func TestPlainServerAndFromError(t *testing.T) {
	client := startServer(t, &faultServer{}, nil)
	for _, e := range registry.Default().All() {
		_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(e.Code)})
		st, _ := status.FromError(err)
		var info *errdetails.ErrorInfo
		kinds := map[string]int{}
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
		if info == nil || info.Reason != faults.Reason(e.FaultType) || info.Domain != faults.DefaultDomain(e.Code.Domain()) || info.Metadata["gssCode"] != string(e.Code) {
			t.Fatalf("%s: ErrorInfo = %v", e.Code, info)
		}
		if e.Retryable != (kinds["RetryInfo"] == 1) || (e.DocRef != "") != (kinds["Help"] == 1) || kinds["ResourceInfo"] != 1 || kinds["LocalizedMessage"] != 1 {
			t.Errorf("%s: details %v", e.Code, kinds)
		}
		if kinds["DebugInfo"] != 0 {
			t.Errorf("%s: DebugInfo sent without opting in", e.Code)
		}
		assertSame(t, string(e.Code)+" FromError", richFault(e), grpcstatus.FromError(err))
	}
}

func TestRedactionAndDebugInfo(t *testing.T) {
	plain := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())})
	_, err := plain.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "plain"})
	if status.Code(err) != grpccodes.Unknown || strings.Contains(err.Error(), "/etc/secret") {
		t.Errorf("plain error: %v, want a generic Unknown", err)
	}
	open := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(
		grpcstatus.WithExposeInternal(true), grpcstatus.WithDebugInfo(true)))})
	_, err = open.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(codes.SystemError)})
	st, _ := status.FromError(err)
	if !strings.Contains(st.Message(), "server says") {
		t.Errorf("opted-in message = %q", st.Message())
	}
	var dbg *errdetails.DebugInfo
	for _, d := range st.Details() {
		if x, ok := d.(*errdetails.DebugInfo); ok {
			dbg = x
		}
	}
	if dbg == nil || !strings.Contains(strings.Join(dbg.StackEntries, "|"), "secret server-side cause") {
		t.Errorf("DebugInfo = %v, want the cause chain", dbg)
	}
}

func TestContextErrorsAndPanics(t *testing.T) {
	var panics []any
	var mu sync.Mutex
	client := startServer(t, &faultServer{}, []grpc.ServerOption{
		grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(grpcstatus.WithPanicHandler(func(_ context.Context, v any, stack []byte) {
			mu.Lock()
			panics = append(panics, v)
			mu.Unlock()
		}))),
		grpc.StreamInterceptor(grpcstatus.StreamServerInterceptor()),
	}, grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	for svc, want := range map[string]codes.Code{"canceled": codes.RequestCanceled, "deadline": codes.Timedout} {
		_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc})
		if faults.CodeOf(err) != want {
			t.Errorf("%s: %v, want %s", svc, err, want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := client.Check(ctx, &healthpb.HealthCheckRequest{Service: "wait"})
	if faults.CodeOf(err) != codes.Timedout || status.Code(err) != grpccodes.DeadlineExceeded {
		t.Errorf("client deadline: %v (%v)", err, status.Code(err))
	}
	ctx, cancel = context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err = client.Check(ctx, &healthpb.HealthCheckRequest{Service: "wait"})
	if faults.CodeOf(err) != codes.RequestCanceled {
		t.Errorf("client cancel: %v", err)
	}
	_, err = client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "panic"})
	if status.Code(err) != grpccodes.Internal || strings.Contains(err.Error(), "secret panic") {
		t.Errorf("panic: %v", err)
	}
	if len(panics) != 1 || panics[0] != "secret panic value" {
		t.Errorf("panic handler got %v", panics)
	}
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
		first, err := stream.Recv()
		if err != nil || first.Status != healthpb.HealthCheckResponse_SERVING {
			t.Fatalf("first message: %v %v", first, err)
		}
		_, err = stream.Recv()
		f, ok := err.(*faults.Error)
		if !ok {
			t.Fatalf("%s: stream error %T %v", code, err, err)
		}
		e, _ := registry.Default().Lookup(code)
		assertSame(t, "stream "+string(code), richFault(e), f)
	}
}

func TestForeignStatus(t *testing.T) {
	client := startServer(t, &faultServer{}, nil, grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "foreign"})
	f, ok := err.(*faults.Error)
	if !ok {
		t.Fatalf("foreign status gave %T", err)
	}
	if f.FaultType() != "InvalidState" || f.GRPCCode() != grpccodes.FailedPrecondition || f.Message() != "bucket not empty" || f.Retryable() {
		t.Errorf("foreign status = %v retryable=%v", f, f.Retryable())
	}
	for k, v := range map[string]string{"grpcCode": "FailedPrecondition", "reason": "BUCKET_NOT_EMPTY", "domain": "storage.example.test", "bucket": "b1"} {
		if got, _ := f.MetadataValue(k); got != v {
			t.Errorf("foreign metadata %s = %q, want %q", k, got, v)
		}
	}
	// The unknown detail is kept on the cause.
	st, _ := status.FromError(errors.Unwrap(f))
	found := false
	for _, a := range st.Proto().GetDetails() {
		if a.GetTypeUrl() == "type.googleapis.com/example.test.Unknown" {
			found = true
		}
	}
	if !found {
		t.Error("the unknown detail was dropped")
	}
	_, err = client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "foreign-unavailable"})
	if !faults.IsRetryable(err) {
		t.Error("a foreign UNAVAILABLE is not retryable")
	}
	_, err = client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "foreign-aborted"})
	if faults.IsRetryable(err) {
		t.Error("a foreign ABORTED is retryable; AIP-194 retries only UNAVAILABLE by default")
	}
}

func TestStatusBudget(t *testing.T) {
	client := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())},
		grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "huge"})
	f, ok := err.(*faults.Error)
	if !ok || f.Code() != codes.NotFound || f.GRPCCode() != grpccodes.NotFound {
		t.Fatalf("huge fault arrived as %T %v", err, err)
	}
	received, _ := status.FromError(errors.Unwrap(f))
	if n := proto.Size(received.Proto()); n > faults.DefaultMaxStatusBytes {
		t.Errorf("received status is %d bytes, over the %d budget", n, faults.DefaultMaxStatusBytes)
	}
	// With a smaller budget the code and ErrorInfo still arrive.
	small := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(grpcstatus.WithMaxStatusBytes(300)))},
		grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	_, err = small.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(codes.HostNotReachable)})
	if faults.CodeOf(err) != codes.HostNotReachable || !faults.IsRetryable(err) {
		t.Errorf("300-byte budget: %v", err)
	}
}

func TestClassifierAndObserver(t *testing.T) {
	var seen []codes.Code
	var mu sync.Mutex
	observe := func(_ context.Context, f *faults.Error) {
		mu.Lock()
		seen = append(seen, f.Code())
		mu.Unlock()
	}
	client := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(
		grpcstatus.WithClassifier(func(err error) *faults.Error {
			if errors.Is(err, errClassifyMe) {
				return faults.Wrap(err, codes.HostNotConnected, "classified")
			}
			return nil
		}), grpcstatus.WithObserver(observe)))},
		grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor(grpcstatus.WithObserver(observe))))
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "classify-me"})
	if faults.CodeOf(err) != codes.HostNotConnected {
		t.Errorf("classifier hook: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0] != codes.HostNotConnected || seen[1] != codes.HostNotConnected {
		t.Errorf("observer saw %v, want the fault on both sides", seen)
	}
}

// A fault wrapped by the handler, returned from a plain server with no
// interceptor, still gives the client the fault's code and details:
// grpc-go finds GRPCStatus through the wrapping. (Its message is then the
// wrapper's text, grpc-go's rule; the server interceptor sends the fault's.)
func TestPlainServerWrappedFault(t *testing.T) {
	plain := startServer(t, &faultServer{}, nil)
	withInterceptor := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())})
	e, _ := registry.Default().Lookup(codes.TaskInProgress)
	want := richFault(e)
	for name, client := range map[string]healthpb.HealthClient{"plain": plain, "interceptor": withInterceptor} {
		_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: string(e.Code) + "/wrapped"})
		f := grpcstatus.FromError(err)
		if f.Code() != e.Code || f.RetryDelay() != want.RetryDelay() || f.RequestID() != want.RequestID() || status.Code(err) != e.GRPCCode {
			t.Errorf("%s: wrapped fault arrived as %v (%v)", name, f, status.Code(err))
		}
		if name == "interceptor" && f.Message() != want.Message() {
			t.Errorf("interceptor: message %q, want the fault's %q", f.Message(), want.Message())
		}
	}
}

// A status error that the client wraps keeps the message the peer sent;
// status.FromError would put the wrapper's whole text there.
func TestFromErrorWrappedKeepsPeerMessage(t *testing.T) {
	wire := faults.New(codes.TaskInProgress, "vm-42 is busy").GRPCStatus().Err()
	wrapped := fmt.Errorf("a: %w", fmt.Errorf("b: %w", wire))
	if f := grpcstatus.FromError(wrapped); f.Message() != "vm-42 is busy" || !errors.Is(f, wire) {
		t.Errorf("FromError(wrapped) message = %q", f.Message())
	}
	// A server handler that wraps a status it chose: the client gets the
	// status's message, not the wrapper's text.
	client := startServer(t, &faultServer{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())})
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "status-wrapped"})
	if st, _ := status.FromError(err); st.Message() != "no such bucket" || st.Code() != grpccodes.NotFound {
		t.Errorf("wrapped handler status arrived as %v %q", st.Code(), st.Message())
	}
}
