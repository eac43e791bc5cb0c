package vsphere

import (
	"context"

	"github.com/gssfault/gssfault/faults"
)

// Retry calls fn, a govmomi call or a few of them, until it succeeds or
// its fault is not to be retried, with [faults.Retry] and policy p: the
// fault's delay (the entry's, such as TaskInProgress's 5 s) as a floor on
// capped, jittered exponential backoff, within ctx's deadline. Errors are
// classified with [FromError] unless p.Policy has a classifier of its own.
//
// A call is repeated only as far as the caller says it is safe: with
// p.Idempotent false (the default) only faults that mean vSphere refused
// the call before acting on it are retried (TaskInProgress and
// ConcurrentAccess: another task holds the object); set p.Idempotent for
// calls that can be repeated whatever happened (reads, and changes that
// converge, such as setting a value), and every retryable fault
// (host communication, busy or unavailable services, ...) is retried.
//
// It returns nil on success, else the classified fault of the last attempt
// (a *faults.RetryError holding it when there was more than one).
func Retry(ctx context.Context, p faults.RetryPolicy, fn func(context.Context) error) error {
	if p.Policy.Classifier == nil {
		p.Policy.Classifier = FromError
	}
	return faults.Retry(ctx, p, fn)
}
