package grpcstatus

import (
	"context"

	"google.golang.org/grpc"

	"github.com/gssfault/gssfault/faults"
)

// UnaryClientRetryInterceptor retries unary calls with [faults.Retry] and
// policy p. idempotent says which methods (full names,
// "/pkg.Service/Method") can be repeated safely when a failure leaves the
// outcome unknown: for those every retryable fault is retried; for the
// others (and for every method when idempotent is nil) only faults that
// mean the call was refused before it acted (ABORTED, as vSphere's
// TaskInProgress). idempotent decides per method, so p.Idempotent is
// ignored. A server's RetryInfo is a floor on the wait.
//
// The error of a call that failed for good is the last attempt's
// [*faults.Error], or a [*faults.RetryError] holding it when more than one
// attempt was made. Install it before (outside) UnaryClientInterceptor or
// alone: it converts errors itself, with p.Policy (set its Registry for a
// service's own codes).
func UnaryClientRetryInterceptor(p faults.RetryPolicy, idempotent func(fullMethod string) bool) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		mp := p
		mp.Idempotent = idempotent != nil && idempotent(method)
		return faults.Retry(ctx, mp, func(ctx context.Context) error {
			return invoker(ctx, method, req, reply, cc, opts...)
		})
	}
}
