package grpcstatus

import (
	"context"
	"io"
	"runtime/debug"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/internal/statusconv"
)

// serverFault turns a handler's error into the fault to send, or reports
// that the error is a status error to pass on as it is.
func (c *config) serverFault(err error) (*faults.Error, bool) {
	f, received := statusconv.FaultOf(c.reg, err, c.classify)
	if received != nil {
		return nil, false // a status the handler chose: sent as it is
	}
	return f, true
}

// serverError converts a handler's error for the wire.
func (c *config) serverError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	f, ok := c.serverFault(err)
	if !ok {
		// The status itself, not err: grpc-go would send a wrapped status
		// with the wrapper's whole text as its message.
		st, _ := statusconv.StatusOf(err)
		return st.Err()
	}
	if c.observe != nil {
		c.observe(ctx, f)
	}
	return c.toStatusError(f)
}

// recovered turns a panic into an Internal fault; the value and stack go to
// the panic handler only.
func (c *config) recovered(ctx context.Context, v any) error {
	if c.onPanic != nil {
		c.onPanic(ctx, v, debug.Stack())
	}
	f := statusconv.Panic(c.reg, v)
	if c.observe != nil {
		c.observe(ctx, f)
	}
	return c.toStatusError(f)
}

// UnaryServerInterceptor converts every error a unary handler returns into
// a status with details: a *faults.Error (wrapped or not) as it is; other
// errors through the WithClassifier hook, else context.Canceled to
// Canceled and context.DeadlineExceeded to DeadlineExceeded, else the
// catch-all (Unknown, with a generic message). A status error the handler
// made itself passes through. A panic becomes Internal with a generic
// message; its value and stack go only to WithPanicHandler.
func UnaryServerInterceptor(opts ...Option) grpc.UnaryServerInterceptor {
	c := newConfig(opts)
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if v := recover(); v != nil {
				resp, err = nil, c.recovered(ctx, v)
			}
		}()
		resp, err = handler(ctx, req)
		return resp, c.serverError(ctx, err)
	}
}

// StreamServerInterceptor is [UnaryServerInterceptor] for streaming
// handlers.
func StreamServerInterceptor(opts ...Option) grpc.StreamServerInterceptor {
	c := newConfig(opts)
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		defer func() {
			if v := recover(); v != nil {
				err = c.recovered(ss.Context(), v)
			}
		}()
		return c.serverError(ss.Context(), handler(srv, ss))
	}
}

// clientError converts a call's error into a fault.
func (c *config) clientError(ctx context.Context, err error) error {
	if err == nil || errwalk.Is(err, io.EOF) && !isStatus(err) {
		return err
	}
	f := (&Converter{cfg: c}).FromError(err)
	if c.observe != nil {
		c.observe(ctx, f)
	}
	return f
}

func isStatus(err error) bool {
	_, ok := statusconv.StatusOf(err)
	return ok
}

// UnaryClientInterceptor makes every failed unary call return a
// *faults.Error (see [Converter.FromError]) instead of a bare status error;
// status.FromError and status.Code still work on it, since a fault has a
// GRPCStatus method.
func UnaryClientInterceptor(opts ...Option) grpc.UnaryClientInterceptor {
	c := newConfig(opts)
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, callOpts ...grpc.CallOption) error {
		return c.clientError(ctx, invoker(ctx, method, req, reply, cc, callOpts...))
	}
}

// StreamClientInterceptor is [UnaryClientInterceptor] for streams: the
// errors of stream creation, SendMsg, RecvMsg, Header and CloseSend become
// faults. io.EOF, the normal end of a stream, is passed on as it is.
func StreamClientInterceptor(opts ...Option) grpc.StreamClientInterceptor {
	c := newConfig(opts)
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, callOpts ...grpc.CallOption) (grpc.ClientStream, error) {
		cs, err := streamer(ctx, desc, cc, method, callOpts...)
		if err != nil {
			return nil, c.clientError(ctx, err)
		}
		return &clientStream{ClientStream: cs, c: c, ctx: ctx}, nil
	}
}

type clientStream struct {
	grpc.ClientStream
	c   *config
	ctx context.Context
}

func (s *clientStream) SendMsg(m any) error { return s.c.clientError(s.ctx, s.ClientStream.SendMsg(m)) }
func (s *clientStream) RecvMsg(m any) error { return s.c.clientError(s.ctx, s.ClientStream.RecvMsg(m)) }
func (s *clientStream) CloseSend() error    { return s.c.clientError(s.ctx, s.ClientStream.CloseSend()) }
func (s *clientStream) Header() (md metadata.MD, err error) {
	md, err = s.ClientStream.Header()
	return md, s.c.clientError(s.ctx, err)
}
