package grpcstatus

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/faults"
)

// Policy says how [Retry] retries. The zero value retries up to 3 attempts
// with backoff from 100 ms, doubling, capped at 5 s, with jitter.
type Policy struct {
	// MaxAttempts is the most calls made, the first included; 0 means 3,
	// 1 means no retry.
	MaxAttempts int
	// InitialBackoff is the wait before the first retry when the fault
	// gives no delay; 0 means 100 ms.
	InitialBackoff time.Duration
	// MaxBackoff caps every wait, RetryInfo's included; 0 means 5 s.
	MaxBackoff time.Duration
	// Multiplier grows the backoff per retry; values below 1 mean 2.
	Multiplier float64
	// Jitter is the fraction of each computed backoff that is random:
	// the wait is backoff*(1-Jitter) + rand*backoff*Jitter. 0 means 0.2;
	// negative means none. RetryInfo delays are not jittered.
	Jitter float64
	// Retryable decides whether a fault is retried; nil means
	// faults.Error.Retryable, which for statuses from other services is
	// AIP-194's default (UNAVAILABLE only).
	Retryable func(*faults.Error) bool
	// Sleep waits d or until ctx is done, returning ctx.Err() then; nil
	// means a real timer. Tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now returns the current time, to check the deadline; nil means
	// time.Now.
	Now func() time.Time
}

func (p Policy) withDefaults() Policy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 3
	}
	if p.InitialBackoff <= 0 {
		p.InitialBackoff = 100 * time.Millisecond
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 5 * time.Second
	}
	if p.Multiplier < 1 {
		p.Multiplier = 2
	}
	switch {
	case p.Jitter == 0:
		p.Jitter = 0.2
	case p.Jitter < 0:
		p.Jitter = 0
	case p.Jitter > 1:
		p.Jitter = 1
	}
	if p.Retryable == nil {
		p.Retryable = (*faults.Error).Retryable
	}
	if p.Sleep == nil {
		p.Sleep = sleep
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	return p
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// RetryError is what [Retry] returns when the last attempt failed: that
// attempt's error (as a fault) and how many attempts were made. It unwraps
// to the fault, so errors.Is and faults.As see through it.
type RetryError struct {
	Attempts int
	Err      *faults.Error
}

// Error returns "after <n> attempts: <last fault>".
func (e *RetryError) Error() string { return fmt.Sprintf("after %d attempts: %v", e.Attempts, e.Err) }

// Unwrap returns the last attempt's fault.
func (e *RetryError) Unwrap() error { return e.Err }

// GRPCStatus is the last fault's status, so a RetryError returned from a
// client interceptor still reads as that status.
func (e *RetryError) GRPCStatus() *status.Status { return e.Err.GRPCStatus() }

// Retry calls fn until it succeeds, its error is not retryable, the policy's
// attempts are spent or the context ends. Errors are read with [FromError],
// so statuses from a call, faults and context errors all work. Between
// attempts it waits the fault's retry delay (RetryInfo, or the entry's)
// when there is one, else the policy's backoff, capped at MaxBackoff. It
// never sleeps past ctx's deadline: when the wait would end after it, it
// stops at once. It returns nil on success, else a [*RetryError] with the
// last fault and the attempt count.
func Retry(ctx context.Context, p Policy, fn func(context.Context) error) error {
	p = p.withDefaults()
	backoff := p.InitialBackoff
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		f := FromError(err)
		if attempt >= p.MaxAttempts || !p.Retryable(f) || ctx.Err() != nil {
			return &RetryError{Attempts: attempt, Err: f}
		}
		wait := f.RetryDelay()
		if wait <= 0 {
			wait = time.Duration(float64(backoff) * (1 - p.Jitter + rand.Float64()*p.Jitter))
			backoff = min(time.Duration(float64(backoff)*p.Multiplier), p.MaxBackoff)
		}
		wait = min(wait, p.MaxBackoff)
		if dl, ok := ctx.Deadline(); ok && p.Now().Add(wait).After(dl) {
			return &RetryError{Attempts: attempt, Err: f}
		}
		if err := p.Sleep(ctx, wait); err != nil {
			return &RetryError{Attempts: attempt, Err: f}
		}
	}
}

// UnaryClientRetryInterceptor retries unary calls with [Retry] and policy
// p. Install it before (outside) UnaryClientInterceptor or alone: it reads
// statuses itself. The error of a call that failed for good is a
// *RetryError.
func UnaryClientRetryInterceptor(p Policy) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		return Retry(ctx, p, func(ctx context.Context) error {
			return invoker(ctx, method, req, reply, cc, opts...)
		})
	}
}
