package grpcstatus

import (
	"context"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
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
//	h := grpcstatus.Degrade(
//		grpcstatus.OnRetryable(serveCached),
//		grpcstatus.OnCode(codes.NotFound, emptyDefault),
//	)
//	vm, err := grpcstatus.Call(ctx, getVM, h)
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

// When returns a handler that calls fn for errors whose fault (read with
// [FromError]) matches, and passes other errors on.
func When[T any](match func(*faults.Error) bool, fn func(ctx context.Context, f *faults.Error) (T, error)) FaultHandler[T] {
	return func(ctx context.Context, err error, last T) (T, error) {
		f := FromError(err)
		if f == nil || !match(f) {
			return last, err
		}
		return fn(ctx, f)
	}
}

// OnCode is [When] for one GSS code.
func OnCode[T any](c codes.Code, fn func(ctx context.Context, f *faults.Error) (T, error)) FaultHandler[T] {
	return When(func(f *faults.Error) bool { return f.Code() == c }, fn)
}

// OnRetryable is [When] for retryable faults, the ones a cached value can
// stand in for while the cause clears.
func OnRetryable[T any](fn func(ctx context.Context, f *faults.Error) (T, error)) FaultHandler[T] {
	return When((*faults.Error).Retryable, fn)
}
