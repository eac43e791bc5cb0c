package connectfault_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/types"
	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gssfault/gssfault/adapters/connectfault"
	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/vsphere"
)

const (
	service          = "gssfault.test.v1.Faults"
	unaryProc        = "/" + service + "/Unary"
	relayProc        = "/" + service + "/Relay"
	serverStreamProc = "/" + service + "/ServerStream"
	clientStreamProc = "/" + service + "/ClientStream"
)

type msg = wrapperspb.StringValue

// busy is the fault the handlers return for "busy": a catalog fault with
// request context and a retry delay of its own, so that every detail type
// gssfault sends is on the wire.
func busy() *faults.Error {
	return faults.New(codes.TaskInProgress, "vm-42 is busy").
		WithObject("VirtualMachine:vm-42").WithRequestID("req-7").WithOp("PowerOnVM_Task").
		WithRetryDelay(1500*time.Millisecond).
		WithMetadata(faults.Field{Key: "task", Value: "task-12"}).
		WithLocalized("de-DE", "vm-42 ist beschäftigt")
}

// backend answers each request value with a behaviour.
type backend struct {
	flaky    atomic.Int32 // "flaky" fails while this is positive
	upstream *connect.Client[msg, msg]
	mu       sync.Mutex
	panics   []any
}

func (b *backend) fail(ctx context.Context, what string) error {
	switch what {
	case "ok":
		return nil
	case "busy":
		return busy()
	case "wrapped":
		return fmt.Errorf("reconcile: %w", busy())
	case "govmomi":
		// A failed task with a nested fault, as govmomi returns it, wrapped.
		return fmt.Errorf("power on vm-42: %w", task.Error{LocalizedMethodFault: &types.LocalizedMethodFault{
			Fault: &types.InvalidPowerState{
				RequestedState: types.VirtualMachinePowerStatePoweredOn,
				ExistingState:  types.VirtualMachinePowerStatePoweredOn,
			},
			LocalizedMessage: "The attempted operation cannot be performed in the current state (Powered on).",
		}})
	case "connect":
		ce := connect.NewError(connect.CodeNotFound, errors.New("order 7 not found"))
		ce.Meta().Set("X-Order", "7")
		return ce
	case "plain":
		return errors.New("dial db: password=hunter2")
	case "panic":
		panic("boom")
	case "flaky":
		if b.flaky.Add(-1) >= 0 {
			return busy()
		}
		return nil
	case "canceled":
		return context.Canceled
	}
	if strings.HasPrefix(what, "relay:") {
		_, err := b.upstream.CallUnary(ctx, connect.NewRequest(wrapperspb.String(strings.TrimPrefix(what, "relay:"))))
		return err // as it came: the interceptor relays it
	}
	return fmt.Errorf("unknown behaviour %q", what)
}

func (b *backend) unary(ctx context.Context, req *connect.Request[msg]) (*connect.Response[msg], error) {
	if err := b.fail(ctx, req.Msg.GetValue()); err != nil {
		return nil, err
	}
	return connect.NewResponse(wrapperspb.String("done")), nil
}

func (b *backend) serverStream(ctx context.Context, req *connect.Request[msg], st *connect.ServerStream[msg]) error {
	for _, v := range []string{"1", "2"} {
		if err := st.Send(wrapperspb.String(v)); err != nil {
			return err
		}
	}
	return b.fail(ctx, req.Msg.GetValue())
}

func (b *backend) clientStream(ctx context.Context, st *connect.ClientStream[msg]) (*connect.Response[msg], error) {
	last := ""
	for st.Receive() {
		last = st.Msg().GetValue()
	}
	if err := st.Err(); err != nil {
		return nil, err
	}
	if err := b.fail(ctx, last); err != nil {
		return nil, err
	}
	return connect.NewResponse(wrapperspb.String("done")), nil
}

// serve starts an HTTP/1.1 and h2c server on loopback with b's handlers
// behind the interceptor, and returns its base URL.
func serve(t *testing.T, b *backend, opts ...connectfault.Option) string {
	t.Helper()
	ic := connect.WithInterceptors(connectfault.NewInterceptor(opts...))
	mux := http.NewServeMux()
	mux.Handle(unaryProc, connect.NewUnaryHandler(unaryProc, b.unary, ic))
	mux.Handle(relayProc, connect.NewUnaryHandler(relayProc, b.unary, ic))
	mux.Handle(serverStreamProc, connect.NewServerStreamHandler(serverStreamProc, b.serverStream, ic))
	mux.Handle(clientStreamProc, connect.NewClientStreamHandler(clientStreamProc, b.clientStream, ic))
	return listen(t, mux)
}

func listen(t *testing.T, h http.Handler) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	srv.Protocols = new(http.Protocols)
	srv.Protocols.SetHTTP1(true)
	srv.Protocols.SetUnencryptedHTTP2(true)
	go func() { _ = srv.Serve(lis) }() // ends with Close
	t.Cleanup(func() { srv.Close() })
	return "http://" + lis.Addr().String()
}

// h2c is an HTTP client that speaks HTTP/2 without TLS (prior knowledge).
func h2c(t *testing.T) *http.Client {
	tr := &http.Transport{Protocols: new(http.Protocols)}
	tr.Protocols.SetUnencryptedHTTP2(true)
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

var protocols = []struct {
	name string
	opts []connect.ClientOption
}{
	{"connect", nil},
	{"grpc", []connect.ClientOption{connect.WithGRPC()}},
	{"grpc-web", []connect.ClientOption{connect.WithGRPCWeb()}},
}

func client(t *testing.T, base, proc string, opts ...connect.ClientOption) *connect.Client[msg, msg] {
	return connect.NewClient[msg, msg](h2c(t), base+proc, opts...)
}

// wantStatus is the status a gRPC server with grpcstatus sends for f: the
// connect handler must send the same.
func wantStatus(f *faults.Error) *status.Status { return faults.Policy{}.Status(f) }

func diffStatus(t *testing.T, what string, got, want *status.Status) {
	t.Helper()
	if d := cmp.Diff(want.Proto(), got.Proto(), protocmp.Transform()); d != "" {
		t.Errorf("%s: status differs from the one grpcstatus sends (-want +got):\n%s", what, d)
	}
}

// TestUnaryAcrossProtocols: a fault returned by a connect handler reaches a
// connect client in each protocol with its code, message and every detail,
// and errors.Is, connect.CodeOf, Retryable and RetryDelay work on what the
// client gets.
func TestUnaryAcrossProtocols(t *testing.T) {
	base := serve(t, &backend{}, connectfault.WithClassifier(vsphere.FromError))
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			opts := append([]connect.ClientOption{connect.WithInterceptors(connectfault.NewInterceptor())}, p.opts...)
			c := client(t, base, unaryProc, opts...)
			ctx := context.Background()

			for _, what := range []string{"busy", "wrapped"} {
				_, err := c.CallUnary(ctx, connect.NewRequest(wrapperspb.String(what)))
				f, ok := faults.As(err)
				if !ok {
					t.Fatalf("%s: CallUnary = %v (%T), want a *faults.Error", what, err, err)
				}
				if !errors.Is(err, faults.Code(codes.TaskInProgress)) {
					t.Errorf("%s: errors.Is(err, TaskInProgress) = false for %v", what, err)
				}
				if got := connect.CodeOf(err); got != connect.CodeAborted {
					t.Errorf("%s: connect.CodeOf = %v, want aborted", what, got)
				}
				if !f.Retryable() || f.RetryDelay() != 1500*time.Millisecond {
					t.Errorf("%s: Retryable, RetryDelay = %t, %v; want true, 1.5s (the server's RetryInfo)", what, f.Retryable(), f.RetryDelay())
				}
				if f.RequestID() != "req-7" || f.Object() != "VirtualMachine:vm-42" || f.Message() != "vm-42 is busy" {
					t.Errorf("%s: request ID, object, message = %q, %q, %q", what, f.RequestID(), f.Object(), f.Message())
				}
				if v, _ := f.MetadataValue("task"); v != "task-12" {
					t.Errorf("%s: metadata task = %q, want task-12", what, v)
				}
				if l, _ := f.Localized(); l.Locale != "de-DE" {
					t.Errorf("%s: localized = %+v", what, l)
				}
				diffStatus(t, what, f.GRPCStatus(), wantStatus(busy()))
			}

			// A govmomi error is classified on the server by the policy's hook.
			_, err := c.CallUnary(ctx, connect.NewRequest(wrapperspb.String("govmomi")))
			if !errors.Is(err, faults.Code(codes.InvalidPowerState)) || connect.CodeOf(err) != connect.CodeFailedPrecondition {
				t.Errorf("govmomi: err = %v (connect code %v), want InvalidPowerState, failed_precondition", err, connect.CodeOf(err))
			}
		})
	}
}

// TestHandlerErrors: errors that are not faults keep what the handler chose
// or are redacted, as grpcstatus does.
func TestHandlerErrors(t *testing.T) {
	b := &backend{}
	base := serve(t, b, connectfault.WithPolicy(faults.Policy{OnPanic: func(_ context.Context, v any, _ []byte) {
		b.mu.Lock()
		b.panics = append(b.panics, v)
		b.mu.Unlock()
	}}))
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := client(t, base, unaryProc, append([]connect.ClientOption{connect.WithInterceptors(connectfault.NewInterceptor())}, p.opts...)...)
			ctx := context.Background()
			for _, tc := range []struct {
				what    string
				code    connect.Code
				gss     codes.Code
				message string
			}{
				// The handler's own connect error goes out as it made it.
				{"connect", connect.CodeNotFound, codes.NotFound, "order 7 not found"},
				// A plain error is the catch-all, its text kept in the server.
				{"plain", connect.CodeUnknown, codes.MethodFault, ""},
				{"panic", connect.CodeInternal, codes.MethodFault, ""},
				{"canceled", connect.CodeCanceled, codes.RequestCanceled, ""},
			} {
				_, err := c.CallUnary(ctx, connect.NewRequest(wrapperspb.String(tc.what)))
				if got := connect.CodeOf(err); got != tc.code {
					t.Errorf("%s: code %v, want %v (%v)", tc.what, got, tc.code, err)
				}
				if got := faults.CodeOf(err); got != tc.gss {
					t.Errorf("%s: GSS code %s, want %s", tc.what, got, tc.gss)
				}
				if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "boom") {
					t.Errorf("%s: server internals reached the client: %v", tc.what, err)
				}
				if tc.message != "" {
					if f, _ := faults.As(err); f.Message() != tc.message {
						t.Errorf("%s: message %q, want %q", tc.what, f.Message(), tc.message)
					}
				}
				if tc.what == "connect" && p.name == "connect" {
					var ce *connect.Error
					if !errors.As(err, &ce) || ce.Meta().Get("X-Order") != "7" {
						t.Errorf("connect: the handler's error metadata was lost: %v", err)
					}
				}
			}
		})
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.panics) != len(protocols) || b.panics[0] != "boom" {
		t.Errorf("OnPanic saw %v, want boom once per protocol", b.panics)
	}
}

// TestRelay: a handler that returns the error of its own call to another
// connect service sends that status on unchanged, details included.
func TestRelay(t *testing.T) {
	upstream := serve(t, &backend{})
	ic := connect.WithInterceptors(connectfault.NewInterceptor())
	b := &backend{upstream: client(t, upstream, unaryProc, ic, connect.WithGRPC())}
	base := serve(t, b)
	for _, p := range protocols {
		c := client(t, base, relayProc, append([]connect.ClientOption{ic}, p.opts...)...)
		_, err := c.CallUnary(context.Background(), connect.NewRequest(wrapperspb.String("relay:busy")))
		f, ok := faults.As(err)
		if !ok {
			t.Fatalf("%s: relay: %v, want a fault", p.name, err)
		}
		diffStatus(t, p.name+" relay", f.GRPCStatus(), wantStatus(busy()))
	}
}

// TestRetryOverConnect: faults.Retry repeats a connect call while the server
// answers a retryable fault, waiting at least the delay of its RetryInfo.
func TestRetryOverConnect(t *testing.T) {
	b := &backend{}
	b.flaky.Store(2)
	base := serve(t, b)
	c := client(t, base, unaryProc, connect.WithInterceptors(connectfault.NewInterceptor()))
	var waits []time.Duration
	calls := 0
	err := faults.Retry(context.Background(), faults.RetryPolicy{
		MaxAttempts: 4,
		Sleep: func(_ context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		},
	}, func(ctx context.Context) error {
		calls++
		_, err := c.CallUnary(ctx, connect.NewRequest(wrapperspb.String("flaky")))
		return err
	})
	if err != nil || calls != 3 {
		t.Fatalf("Retry = %v after %d calls, want success after 3", err, calls)
	}
	for i, w := range waits {
		if w < 1500*time.Millisecond {
			t.Errorf("wait %d = %v, shorter than the server's RetryInfo (1.5s)", i, w)
		}
	}
}

// TestStreams: the errors of server and client streams become faults on the
// client, and the normal end of a stream stays io.EOF.
func TestStreams(t *testing.T) {
	base := serve(t, &backend{})
	ic := connect.WithInterceptors(connectfault.NewInterceptor())
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			ctx := context.Background()
			for _, tc := range []struct {
				what string
				want codes.Code
			}{{"busy", codes.TaskInProgress}, {"ok", ""}} {
				c := client(t, base, serverStreamProc, append([]connect.ClientOption{ic}, p.opts...)...)
				st, err := c.CallServerStream(ctx, connect.NewRequest(wrapperspb.String(tc.what)))
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for st.Receive() {
					n++
				}
				err = st.Err()
				if n != 2 || faults.CodeOf(err) != tc.want {
					t.Errorf("server stream %s: %d messages, err %v; want 2, %q", tc.what, n, err, tc.want)
				}
				if tc.want != "" && !errors.Is(err, faults.Code(tc.want)) {
					t.Errorf("server stream %s: errors.Is = false for %v", tc.what, err)
				}
				st.Close()
			}

			c := client(t, base, clientStreamProc, append([]connect.ClientOption{ic}, p.opts...)...)
			cs := c.CallClientStream(ctx)
			for _, v := range []string{"x", "busy"} {
				if err := cs.Send(wrapperspb.String(v)); err != nil && !errors.Is(err, io.EOF) {
					t.Fatal(err)
				}
			}
			_, err := cs.CloseAndReceive()
			if !errors.Is(err, faults.Code(codes.TaskInProgress)) {
				t.Errorf("client stream: CloseAndReceive = %v, want TaskInProgress", err)
			}
		})
	}
}

// TestGRPCGoClient: a grpc-go client calling the connect server receives
// the status a grpc-go server with grpcstatus would send, and
// grpcstatus.FromError reads it.
func TestGRPCGoClient(t *testing.T) {
	base := serve(t, &backend{}, connectfault.WithClassifier(vsphere.FromError))
	conn, err := grpc.NewClient(strings.TrimPrefix(base, "http://"),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()

	err = conn.Invoke(ctx, unaryProc, wrapperspb.String("busy"), new(msg))
	st, _ := status.FromError(err)
	diffStatus(t, "grpc-go client", st, wantStatus(busy()))
	f, ok := grpcstatus.FromError(err)
	if !ok || f.Code() != codes.TaskInProgress || !f.Retryable() || f.RetryDelay() != 1500*time.Millisecond {
		t.Errorf("grpcstatus.FromError = %v, %t; want TaskInProgress, retryable after 1.5s", f, ok)
	}

	err = conn.Invoke(ctx, unaryProc, wrapperspb.String("govmomi"), new(msg))
	if f, ok := grpcstatus.FromError(err); !ok || f.Code() != codes.InvalidPowerState || status.Code(err) != grpccodes.FailedPrecondition {
		t.Errorf("govmomi via grpc-go: %v, %t", f, ok)
	}

	// A server stream ends with the fault as its status.
	desc := &grpc.StreamDesc{StreamName: "ServerStream", ServerStreams: true}
	cs, err := conn.NewStream(ctx, desc, serverStreamProc)
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.SendMsg(wrapperspb.String("busy")); err != nil {
		t.Fatal(err)
	}
	if err := cs.CloseSend(); err != nil {
		t.Fatal(err)
	}
	for err = cs.RecvMsg(new(msg)); err == nil; err = cs.RecvMsg(new(msg)) {
	}
	if f, _ := grpcstatus.FromError(err); f.Code() != codes.TaskInProgress {
		t.Errorf("grpc-go server stream ended with %v, want TaskInProgress", err)
	}
}

// TestConnectClientOfGRPCServer: a connect client with the interceptor,
// speaking gRPC to a grpc-go server with grpcstatus's interceptor, gets the
// same fault.
func TestConnectClientOfGRPCServer(t *testing.T) {
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(grpcstatus.UnaryServerInterceptor()))
	srv.RegisterService(&grpc.ServiceDesc{
		ServiceName: service,
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "Unary", Handler: func(_ any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			in := new(msg)
			if err := dec(in); err != nil {
				return nil, err
			}
			h := func(context.Context, any) (any, error) { return nil, busy() }
			return icpt(ctx, in, &grpc.UnaryServerInfo{FullMethod: unaryProc}, h)
		}}},
	}, struct{}{})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }() // ends with Stop
	defer srv.Stop()

	c := client(t, "http://"+lis.Addr().String(), unaryProc, connect.WithGRPC(),
		connect.WithInterceptors(connectfault.NewInterceptor()))
	_, err = c.CallUnary(context.Background(), connect.NewRequest(wrapperspb.String("x")))
	f, ok := faults.As(err)
	if !ok || !errors.Is(err, faults.Code(codes.TaskInProgress)) {
		t.Fatalf("connect client of a grpc-go server: %v", err)
	}
	diffStatus(t, "connect client of grpc-go", f.GRPCStatus(), wantStatus(busy()))
}

func TestConversions(t *testing.T) {
	if err := connectfault.ToConnectError(nil); err != nil {
		t.Errorf("ToConnectError(nil) = %v, want nil", err)
	}
	if f, ok := connectfault.FromError(nil); f != nil || !ok {
		t.Errorf("FromError(nil) = %v, %t; want nil, true", f, ok)
	}
	if connectfault.Status(nil) != nil {
		t.Error("Status(nil) != nil")
	}

	// Both ways without a network: the details survive.
	err := connectfault.ToConnectError(fmt.Errorf("x: %w", busy()))
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("ToConnectError = %T, want a *connect.Error", err)
	}
	if ce.Code() != connect.CodeAborted || ce.Message() != "vm-42 is busy" {
		t.Errorf("ToConnectError = %v", ce)
	}
	if !errors.Is(err, faults.Code(codes.TaskInProgress)) {
		t.Error("the connect error does not unwrap to the fault in process")
	}
	diffStatus(t, "Status(ToConnectError)", connectfault.Status(ce), wantStatus(busy()))
	f, ok := connectfault.FromError(ce)
	if !ok || f.Code() != codes.TaskInProgress || f.RequestID() != "req-7" {
		t.Errorf("FromError(ToConnectError(busy)) = %v, %t", f, ok)
	}

	// A foreign error that is no connect error: false and the catch-all.
	f, ok = connectfault.FromError(errors.New("boom"))
	if ok || f.Code() != codes.MethodFault || !errors.Is(f, f.Unwrap()) {
		t.Errorf("FromError(plain) = %v, %t; want the catch-all, false", f, ok)
	}

	// A client-side connect error (nothing from a server) becomes the entry
	// of its code; Unavailable is retryable.
	f, ok = connectfault.FromError(connect.NewError(connect.CodeUnavailable, errors.New("connection refused")))
	if !ok || f.GRPCCode() != grpccodes.Unavailable || !f.Retryable() {
		t.Errorf("FromError(unavailable) = %v, %t", f, ok)
	}
}
