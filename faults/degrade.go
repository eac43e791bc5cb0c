package faults

import (
	"context"

	"github.com/gssfault/gssfault/codes"
)

// FaultHandler handles the error of a failed call that should produce a T:
// it returns a value and nil to recover (a cached value, a default), or an
// error to pass the failure on, usually err itself. last is the value the
// previous handler returned, or the zero T.
type FaultHandler[T any] func(ctx context.Context, err error, last T) (T, error)

// Degrade returns a handler that runs handlers in order until one
// recovers; each gets the error the previous one passed on. If none
// recovers, it returns the last error. Nil handlers are skipped.
//
//	h := faults.Degrade(
//		faults.OnRetryable(serveCached),
//		faults.OnCode(codes.NotFound, emptyDefault),
//	)
//	vm, err := faults.Call(ctx, getVM, h)
func Degrade[T any](handlers ...FaultHandler[T]) FaultHandler[T] {
	return func(ctx context.Context, err error, last T) (T, error) {
		for _, h := range handlers {
			if h == nil {
				continue
			}
			v, herr := h(ctx, err, last)
			if herr == nil {
				return v, nil
			}
			err, last = herr, v
		}
		return last, err
	}
}

// Call calls fn and, when it fails, h with its error. A nil h passes the
// error on.
func Call[T any](ctx context.Context, fn func(context.Context) (T, error), h FaultHandler[T]) (T, error) {
	v, err := fn(ctx)
	if err == nil || h == nil {
		return v, err
	}
	return h(ctx, err, v)
}

// When returns a handler that calls fn for errors that hold a fault (see
// [As]) that match accepts, and passes other errors on. Classify errors
// into faults first (vsphere.Classify, grpcstatus.FromError) when fn's
// calls return foreign errors.
func When[T any](match func(*Error) bool, fn func(ctx context.Context, f *Error) (T, error)) FaultHandler[T] {
	return func(ctx context.Context, err error, last T) (T, error) {
		f, ok := As(err)
		if !ok || !match(f) {
			return last, err
		}
		return fn(ctx, f)
	}
}

// OnCode is [When] for one GSS code.
func OnCode[T any](c codes.Code, fn func(ctx context.Context, f *Error) (T, error)) FaultHandler[T] {
	return When(func(f *Error) bool { return f.Code() == c }, fn)
}

// OnRetryable is [When] for retryable faults, the ones a cached value can
// stand in for while the cause clears.
func OnRetryable[T any](fn func(ctx context.Context, f *Error) (T, error)) FaultHandler[T] {
	return When((*Error).Retryable, fn)
}
