// Package connectfault carries gssfault's faults over connect-go
// (connectrpc.com/connect) both ways, with the same AIP-193 details gRPC
// carries (package grpcstatus), in all three protocols connect-go speaks:
// Connect, gRPC and gRPC-Web.
//
// connect-go does not call a returned error's GRPCStatus method: a
// *faults.Error returned from a handler as it is reaches the client as
// CodeUnknown without details. NewInterceptor fixes both sides:
//
//	interceptor := connectfault.NewInterceptor(connectfault.WithPolicy(policy))
//	path, handler := vmv1connect.NewVMServiceHandler(svc, connect.WithInterceptors(interceptor))
//	client := vmv1connect.NewVMServiceClient(httpClient, url, connect.WithInterceptors(interceptor))
//
// On a handler, every error becomes the *connect.Error the service's
// faults.Policy gives (ToConnectError): the code, the message (redacted for
// Internal faults), and the status details as connect error details
// (connect.NewErrorDetail); panics become Internal. On a client, every error
// becomes a *faults.Error (FromError) that keeps the status it was read from,
// so errors.Is(err, faults.Code(codes.TaskInProgress)) works across the call,
// the fault's Retryable and RetryDelay follow the server's RetryInfo (so
// faults.Retry works on the call), and a handler that relays it sends it on
// unchanged. The *connect.Error stays in the fault's chain: connect.CodeOf and
// errors.As to *connect.Error still work.
//
// A gRPC client (grpc-go with grpcstatus) calling a connect-go server that
// uses this interceptor receives the same status as from a grpc-go server,
// and the other way round.
package connectfault

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime/debug"

	"connectrpc.com/connect"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/gssfault/gssfault/faults"
)

// Option configures the interceptor and the conversions.
type Option func(*config)

type config struct {
	policy faults.Policy
}

// WithPolicy sets the service's faults.Policy: the registry codes are read
// against and faults made from, the classifier, redaction, DebugInfo, the
// status size budget and the panic handler. It is the value grpcstatus.WithPolicy
// and httpmap.WithPolicy take.
func WithPolicy(p faults.Policy) Option {
	return func(c *config) { c.policy = p }
}

// WithClassifier sets the policy's classifier: how a handler's error that
// holds no fault and no status becomes a fault (vsphere.FromError for
// govmomi errors). It returns false for errors it does not recognise.
func WithClassifier(classify func(error) (*faults.Error, bool)) Option {
	return func(c *config) { c.policy.Classifier = classify }
}

func newConfig(opts []Option) *config {
	c := new(config)
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// ToConnectError returns err as the *connect.Error a handler sends under the
// policy: nil for nil; else an error that is a *connect.Error with the code,
// message and details of the status the policy gives err's fault
// (faults.Policy.Status), each detail as a connect.ErrorDetail. The fault is,
// in order (never swallowing a more specific answer for a vaguer one):
//   - a *faults.Error in err's tree;
//   - a *connect.Error in err's tree (one the handler made, or received from
//     another call), read as a received status: its code, message and details
//     are sent on as they came, redacted only as the policy says;
//   - what faults.Policy.FaultOf gives: a gRPC status in the tree, the
//     classifier's fault, context errors, the catch-all.
//
// The connect error's Unwrap gives the fault, so that code in the same
// process (other interceptors) still sees it with errors.Is and errors.As;
// only the status goes on the wire. The metadata of a *connect.Error the
// handler made is kept; that of one received from another call is not, as
// connect-go's own handlers do.
func ToConnectError(err error, opts ...Option) error {
	if err == nil {
		return nil
	}
	return newConfig(opts).toConnect(err)
}

func (c *config) toConnect(err error) *connect.Error {
	f := c.faultOf(err)
	st := c.policy.Status(f).Proto()
	code := connect.Code(st.GetCode())
	if st.GetCode() <= 0 || st.GetCode() > int32(connect.CodeUnauthenticated) {
		code = connect.CodeUnknown
	}
	ce := connect.NewError(code, &wireMessage{msg: st.GetMessage(), fault: f})
	for _, d := range st.GetDetails() {
		if d == nil {
			continue
		}
		// NewErrorDetail keeps an Any as it is; it cannot fail for one.
		if ed, err := connect.NewErrorDetail(d); err == nil {
			ce.AddDetail(ed)
		}
	}
	if orig, ok := errors.AsType[*connect.Error](err); ok && orig != nil && !connect.IsWireError(orig) {
		for k, v := range orig.Meta() {
			ce.Meta()[k] = append([]string(nil), v...)
		}
	}
	return ce
}

// faultOf turns a handler's error into a fault: a fault in the tree, a
// connect error as a received status, then the policy.
func (c *config) faultOf(err error) *faults.Error {
	f, _ := c.fromError(err)
	return f
}

// wireMessage is the underlying error of the *connect.Error a handler sends:
// its text is the status message (all that goes on the wire), and it unwraps
// to the fault for code in the same process.
type wireMessage struct {
	msg   string
	fault *faults.Error
}

func (w *wireMessage) Error() string { return w.msg }
func (w *wireMessage) Unwrap() error { return w.fault }

// Status returns the gRPC status a *connect.Error carries: its code, message
// and every detail as an Any, in order, unknown types included. It is the
// status a gRPC client of the same server would receive. A nil ce gives nil.
func Status(ce *connect.Error) *status.Status {
	if ce == nil {
		return nil
	}
	pb := &spb.Status{Code: int32(ce.Code()), Message: ce.Message()}
	if pb.Code <= 0 || pb.Code > int32(grpccodes.Unauthenticated) {
		pb.Code = int32(grpccodes.Unknown)
	}
	for _, d := range ce.Details() {
		pb.Details = append(pb.Details, &anypb.Any{TypeUrl: "type.googleapis.com/" + d.Type(), Value: d.Bytes()})
	}
	return status.FromProto(pb)
}

// FromError turns an error from a connect-go call into a fault, with the
// conventions of grpcstatus.FromError:
//   - nil gives nil and true;
//   - an error that holds a *faults.Error gives that fault and true;
//   - an error that holds a *connect.Error gives the fault its status
//     describes (see Status and faults.Policy.FromStatus) and true; the fault
//     keeps the status, so sending it on sends it unchanged, and wraps err, so
//     connect.CodeOf and errors.As to *connect.Error still work on it;
//   - anything else gives false and the fault faults.Policy.FaultOf gives,
//     wrapping err.
//
// The options set the registry codes are read against (WithPolicy).
func FromError(err error, opts ...Option) (*faults.Error, bool) {
	return newConfig(opts).fromError(err)
}

func (c *config) fromError(err error) (*faults.Error, bool) {
	if err == nil {
		return nil, true
	}
	if f, ok := faults.As(err); ok {
		return f, true
	}
	if ce, ok := errors.AsType[*connect.Error](err); ok && ce != nil {
		if f, ok := c.policy.FromStatus(Status(ce)); ok {
			return f.WithCause(err), true
		}
	}
	f, _ := c.policy.FaultOf(err)
	return f, false
}

// NewInterceptor returns a connect.Interceptor for handlers and clients,
// unary and streaming (see the package documentation). On a handler it sends
// every error as ToConnectError gives it and turns a panic into Internal,
// passing its value and stack to the policy's OnPanic (http.ErrAbortHandler
// is panicked on, as net/http expects). On a client it returns every error of
// a call, of stream creation, Send, Receive, CloseRequest and CloseResponse
// as FromError gives it; io.EOF, the normal end of a stream, is passed on as
// it is.
func NewInterceptor(opts ...Option) connect.Interceptor {
	return &interceptor{c: newConfig(opts)}
}

type interceptor struct{ c *config }

func (i *interceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (resp connect.AnyResponse, err error) {
		if req.Spec().IsClient {
			resp, err = next(ctx, req)
			return resp, i.c.clientErr(err)
		}
		defer i.c.recoverTo(ctx, &err)
		resp, err = next(ctx, req)
		if err != nil {
			return nil, i.c.toConnect(err)
		}
		return resp, nil
	}
}

func (i *interceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		return &clientConn{StreamingClientConn: next(ctx, spec), c: i.c}
	}
}

func (i *interceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) (err error) {
		defer i.c.recoverTo(ctx, &err)
		if err := next(ctx, conn); err != nil {
			return i.c.toConnect(err)
		}
		return nil
	}
}

// clientErr converts a client-side error, passing io.EOF on.
func (c *config) clientErr(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		return err
	}
	f, _ := c.fromError(err)
	return f
}

// recoverTo turns a handler's panic into the policy's Internal fault.
func (c *config) recoverTo(ctx context.Context, err *error) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler { // panicked as is, never wrapped
		panic(v)
	}
	if c.policy.OnPanic != nil {
		c.policy.OnPanic(ctx, v, debug.Stack())
	}
	*err = c.toConnect(c.policy.Panic(v))
}

// clientConn converts the errors of a client stream.
type clientConn struct {
	connect.StreamingClientConn
	c *config
}

func (s *clientConn) Send(msg any) error {
	return s.c.clientErr(s.StreamingClientConn.Send(msg))
}

func (s *clientConn) Receive(msg any) error {
	return s.c.clientErr(s.StreamingClientConn.Receive(msg))
}

func (s *clientConn) CloseRequest() error {
	return s.c.clientErr(s.StreamingClientConn.CloseRequest())
}

func (s *clientConn) CloseResponse() error {
	return s.c.clientErr(s.StreamingClientConn.CloseResponse())
}
