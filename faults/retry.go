package faults

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// RetryPolicy says how [Retry] retries. The zero value makes up to 3
// attempts with backoff from 100 ms, doubling, capped at 5 s, with 20 %
// jitter, honouring every retry delay a fault gives (bounded only by the
// context's deadline), and treats the call as not idempotent.
type RetryPolicy struct {
	// MaxAttempts is the most calls made, the first included; 0 means 3,
	// 1 means no retry.
	MaxAttempts int
	// InitialBackoff is the backoff before the first retry; 0 means
	// 100 ms, and it is at most MaxBackoff. The backoff grows by Multiplier
	// per retry up to MaxBackoff.
	InitialBackoff time.Duration
	// MaxBackoff caps the backoff; 0 means 5 s. It does not cap a delay
	// the fault gives (see MaxDelay).
	MaxBackoff time.Duration
	// Multiplier grows the backoff per retry; a value below 1, NaN or
	// infinite means 2, and values above 10 mean 10.
	Multiplier float64
	// Jitter is the fraction of each backoff that is random: the backoff
	// is b*(1-Jitter) + rand*b*Jitter. 0 or NaN means 0.2; negative means
	// none; above 1 means 1.
	Jitter float64
	// MaxDelay caps the delay a fault asks for (a server's RetryInfo, the
	// entry's delay). 0 means no cap but the context's deadline when it has
	// one, and [DefaultMaxRetryDelay] when it has none, so that no wait is
	// unbounded.
	MaxDelay time.Duration
	// Idempotent says the call can be repeated safely even when a failure
	// leaves its outcome unknown: then every retryable fault is retried.
	// Left false, only faults that mean the call was refused before it
	// acted are retried: gRPC ABORTED, which vSphere's TaskInProgress and
	// ConcurrentAccess are (another task holds the object; nothing was
	// done).
	Idempotent bool
	// Retryable decides, on top of the above, whether a fault is retried;
	// nil means [Error.Retryable].
	Retryable func(*Error) bool
	// Policy turns each attempt's error into a fault ([Policy.FaultOf]);
	// set its Classifier to classify errors that are not faults or
	// statuses yet (vsphere.FromError for govmomi calls).
	Policy Policy
	// Sleep waits d or until ctx is done, returning ctx.Err() then; nil
	// means a real timer. Tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now returns the current time, to check the deadline; nil means
	// time.Now.
	Now func() time.Time
}

// DefaultMaxRetryDelay caps the delay a fault asks for when neither the
// policy nor the context bounds it.
const DefaultMaxRetryDelay = time.Minute

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 3
	}
	if p.InitialBackoff <= 0 {
		p.InitialBackoff = 100 * time.Millisecond
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 5 * time.Second
	}
	p.InitialBackoff = min(p.InitialBackoff, p.MaxBackoff)
	switch m := p.Multiplier; {
	case math.IsNaN(m) || math.IsInf(m, 0) || m < 1:
		p.Multiplier = 2
	case m > 10:
		p.Multiplier = 10
	}
	switch j := p.Jitter; {
	case j == 0 || math.IsNaN(j):
		p.Jitter = 0.2
	case j < 0:
		p.Jitter = 0
	case j > 1:
		p.Jitter = 1
	}
	if p.Retryable == nil {
		p.Retryable = (*Error).Retryable
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

// retries reports whether the policy retries fault f.
func (p RetryPolicy) retries(f *Error) bool {
	if !p.Retryable(f) {
		return false
	}
	return p.Idempotent || f.GRPCCode() == grpccodes.Aborted
}

// Retry calls fn until it succeeds, its fault is not retried (see
// RetryPolicy's Idempotent and Retryable), the attempts are spent or ctx
// ends. Each attempt's error becomes a fault through p.Policy.FaultOf.
//
// Between attempts it waits the longer of the backoff (exponential, capped,
// jittered) and the delay the fault asks for (a server's RetryInfo or the
// entry's delay, capped by MaxDelay when set): a server's delay is a floor,
// never cut short, and a tiny one does not make retries back to back. Every
// wait is finite and positive. It never waits past ctx's deadline: when the
// wait would end after it, it stops at once.
//
// It returns nil on success. Otherwise it returns the last attempt's fault
// as it is when one attempt was made, and a [*RetryError] holding it and
// the number of attempts when more were.
func Retry(ctx context.Context, p RetryPolicy, fn func(context.Context) error) error {
	p = p.withDefaults()
	backoff := p.InitialBackoff
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		f, _ := p.Policy.FaultOf(err)
		stop := func() error {
			if attempt == 1 {
				return f
			}
			return &RetryError{Attempts: attempt, Err: f}
		}
		if attempt >= p.MaxAttempts || !p.retries(f) || ctx.Err() != nil {
			return stop()
		}
		jittered := time.Duration(float64(backoff) * (1 - p.Jitter + rand.Float64()*p.Jitter))
		backoff = time.Duration(math.Min(float64(backoff)*p.Multiplier, float64(p.MaxBackoff)))
		wait := max(jittered, time.Millisecond)
		dl, hasDeadline := ctx.Deadline()
		if d := f.RetryDelay(); d > 0 {
			switch {
			case p.MaxDelay > 0:
				d = min(d, p.MaxDelay)
			case !hasDeadline:
				d = min(d, DefaultMaxRetryDelay)
			}
			wait = max(wait, d)
		}
		if hasDeadline && p.Now().Add(wait).After(dl) {
			return stop()
		}
		if p.Sleep(ctx, wait) != nil {
			return stop()
		}
	}
}

// RetryError is what [Retry] returns when more than one attempt failed: the
// last attempt's fault and how many attempts were made. errors.Is,
// errors.As, [As] and status.FromError see the fault through it, and slog
// logs it as the fault's fields plus "attempts".
type RetryError struct {
	Attempts int
	Err      *Error
}

// Error returns the last fault's text followed by "(after N attempts)".
func (e *RetryError) Error() string {
	return fmt.Sprintf("%v (after %d attempts)", e.Err, e.Attempts)
}

// Unwrap returns the last attempt's fault; nil (the nil error, not a nil
// *Error) when there is none.
func (e *RetryError) Unwrap() error {
	if e == nil || e.Err == nil {
		return nil
	}
	return e.Err
}

// GRPCStatus is the last fault's status.
func (e *RetryError) GRPCStatus() *status.Status { return e.Err.GRPCStatus() }

// LogValue is the last fault's group with "attempts" added.
func (e *RetryError) LogValue() slog.Value {
	v := e.Err.LogValue()
	if v.Kind() != slog.KindGroup {
		return v
	}
	return slog.GroupValue(append(v.Group(), slog.Int("attempts", e.Attempts))...)
}
