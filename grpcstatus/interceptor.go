package grpcstatus

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"slices"

	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/errwalk"
)

// serverError converts a handler's error for the wire.
func (c *config) serverError(ctx context.Context, method string, err error) error {
	if err == nil {
		return nil
	}
	f, _ := c.policy.FaultOf(err)
	if c.observe != nil {
		c.observe(ctx, f)
	}
	if c.undeclared(method, f) {
		return status.Error(grpccodes.Internal, fmt.Sprintf("gssfault: %s returned %s %s, a code its declaration does not list",
			method, f.Code(), f.FaultType()))
	}
	return c.policy.Status(f).Err()
}

// undeclared reports whether f is a fault the service made whose code
// method's declaration (the first declared function that knows method)
// does not list; see [WithDeclaredCodes].
func (c *config) undeclared(method string, f *faults.Error) bool {
	if len(c.declared) == 0 || !f.FromCatalog() || f.Received() {
		return false
	}
	for _, d := range c.declared {
		if allowed, ok := d(method); ok {
			return !slices.Contains(allowed, f.Code())
		}
	}
	return false
}

// recovered turns a panic into an Internal fault; the value and stack go to
// the policy's panic handler only.
func (c *config) recovered(ctx context.Context, v any) error {
	if c.policy.OnPanic != nil {
		c.policy.OnPanic(ctx, v, debug.Stack())
	}
	f := c.policy.Panic(v)
	if c.observe != nil {
		c.observe(ctx, f)
	}
	return c.policy.Status(f).Err()
}

// UnaryServerInterceptor converts every error a unary handler returns into
// the status the policy gives ([faults.Policy.FaultOf], then
// [faults.Policy.Status]): a [*faults.Error] with its AIP-193 details; a
// status the handler got from another service as it came, redacted at this
// boundary and within the size budget; an error the classifier recognises;
// context errors as CANCELLED and DEADLINE_EXCEEDED; anything else as
// UNKNOWN with a generic message. A panic becomes INTERNAL with a generic
// message; its value and stack go only to the policy's OnPanic.
func UnaryServerInterceptor(opts ...Option) grpc.UnaryServerInterceptor {
	c := newConfig(opts)
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if v := recover(); v != nil {
				resp, err = nil, c.recovered(ctx, v)
			}
		}()
		resp, err = handler(ctx, req)
		return resp, c.serverError(ctx, info.FullMethod, err)
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
		return c.serverError(ss.Context(), info.FullMethod, handler(srv, ss))
	}
}

// clientError converts a call's error into a fault.
func (c *config) clientError(ctx context.Context, err error) error {
	if err == nil || errwalk.Is(err, io.EOF) {
		if _, ok := faults.As(err); !ok {
			return err // nil, or the normal end of a stream
		}
	}
	f, _ := fromError(c.policy, err)
	if c.observe != nil {
		c.observe(ctx, f)
	}
	return f
}

// UnaryClientInterceptor makes every failed unary call return a
// [*faults.Error] (see [FromError]) instead of a bare status error;
// status.FromError and status.Code still work on it, and sending it on
// sends the status as it came.
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
