package faults

import (
	"errors"
	"io/fs"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/registry"
)

// codeTarget is the value [Code] returns.
type codeTarget codes.Code

func (t codeTarget) Error() string { return "fault code " + string(t) }

// Code returns an error value that stands for every fault of code c, for
// use as the target of [errors.Is]:
//
//	if errors.Is(err, faults.Code(codes.TaskInProgress)) { ... }
//
// The value only matches faults; it is not meant to be returned as an
// error itself.
func Code(c codes.Code) error { return codeTarget(c) }

// Is reports whether target is a fault of the same code: an [*Error] with
// the same code, or the value of [Code] for it. It also reports true for
// the portable sentinels that match the entry's gRPC code: [fs.ErrNotExist]
// for NotFound, [fs.ErrExist] for AlreadyExists, [fs.ErrPermission] for
// PermissionDenied and Unauthenticated, and [errors.ErrUnsupported] for
// Unimplemented.
//
// Is never compares messages and never unwraps: [errors.Is] does the
// walking. It does not allocate.
func (e *Error) Is(target error) bool {
	if e == nil {
		return false
	}
	switch t := target.(type) {
	case *Error:
		return t != nil && t.entry.Code == e.entry.Code
	case codeTarget:
		return codes.Code(t) == e.entry.Code
	}
	switch e.entry.GRPCCode {
	case grpccodes.NotFound:
		return target == fs.ErrNotExist
	case grpccodes.AlreadyExists:
		return target == fs.ErrExist
	case grpccodes.PermissionDenied, grpccodes.Unauthenticated:
		return target == fs.ErrPermission
	case grpccodes.Unimplemented:
		return target == errors.ErrUnsupported
	}
	return false
}

// As returns the first [*Error] in err's tree, in the order [errors.As]
// looks (including errors' own As methods). ok is false, with a nil fault,
// when there is none.
//
// Unlike errors.As, the walk is bounded (at most errwalk.MaxNodes errors, so
// an Unwrap cycle terminates) and a panic in a foreign error's Unwrap or As
// method is recovered and reported as "no fault". It does not allocate.
func As(err error) (f *Error, ok bool) {
	if err == nil {
		return nil, false
	}
	errwalk.Walk(err, func(e error) bool {
		switch x := e.(type) {
		case *Error:
			f = x
		case interface{ As(any) bool }:
			var t *Error
			if x.As(&t) {
				f = t
			}
		}
		return f != nil
	})
	return f, f != nil
}

// CodeOf returns the code of the first fault in err's tree. It returns ""
// for nil, and the default registry's fallback code (GSS-VSP-999) for an
// error that holds no fault: every error has a code. To classify govmomi
// errors into their proper codes use vsphere.Classify first. CodeOf does
// not allocate.
func CodeOf(err error) codes.Code {
	if err == nil {
		return ""
	}
	if f, ok := As(err); ok {
		return f.entry.Code
	}
	fb, _ := registry.Default().Fallback()
	return fb.Code
}

// IsRetryable reports whether err holds a fault whose entry is retryable.
// It is false for nil and for errors that hold no fault.
func IsRetryable(err error) bool {
	f, ok := As(err)
	return ok && f.Retryable()
}

// HasCode reports whether any fault in err's tree has code c: it is
// errors.Is(err, Code(c)) with the bounded, panic-safe walk of [As]. It does
// not allocate.
func HasCode(err error, c codes.Code) bool {
	if err == nil {
		return false
	}
	return errwalk.Walk(err, func(e error) bool {
		f, ok := e.(*Error)
		return ok && f != nil && f.entry.Code == c
	})
}
