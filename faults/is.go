package faults

import (
	"errors"
	"io/fs"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/internal/errwalk"
)

// MaxWalk is the most errors that [As], [CodeOf], [IsRetryable] and every
// other walk of an error tree in gssfault visit. Within it they find what
// errors.Is and errors.As find, at any depth and in any child of a
// multi-error; an Unwrap cycle or a larger tree is walked up to the bound.
const MaxWalk = 4096

// codeTarget is the value [Code] returns.
type codeTarget codes.Code

func (t codeTarget) Error() string { return "fault code " + string(t) }

// Code returns an error value that stands for every fault of code c, for
// use as the target of [errors.Is], the one way to test an error for a
// code:
//
//	if errors.Is(err, faults.Code(codes.TaskInProgress)) { ... }
//
// The value only matches faults; it is not meant to be returned as an
// error itself.
func Code(c codes.Code) error { return codeTarget(c) }

// Is reports whether target is a fault of the same code: an [*Error] with
// the same code, or the value of [Code] for it. It also reports true for
// the portable sentinels that match the fault's gRPC code: [fs.ErrNotExist]
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
		return t != nil && t.ent.Code == e.ent.Code
	case codeTarget:
		return codes.Code(t) == e.ent.Code
	}
	switch e.code {
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

// As returns the first [*Error] in err's tree, the one [errors.As] finds
// (including through errors' own As methods); ok is false, with a nil
// fault, when there is none. A nil *Error in the tree is passed over.
//
// The walk is bounded by [MaxWalk] and a panic in a foreign error's Unwrap
// or As method ends it (reported as "no fault"). It does not allocate.
func As(err error) (f *Error, ok bool) {
	errwalk.Walk(err, func(e error) bool {
		f = faultAt(e)
		return f != nil
	})
	return f, f != nil
}

// faultAt is the non-nil *Error that node e is, or that its own As method
// gives, as errors.As sees it; nil when none.
func faultAt(e error) *Error {
	switch x := e.(type) {
	case *Error:
		return x // nil for a nil *Error, which is passed over
	case interface{ As(any) bool }:
		var t *Error
		if x.As(&t) {
			return t
		}
	}
	return nil
}

// CodeOf returns the code of the first fault in err's tree (see [As]). It
// returns "" for nil, and the default registry's catch-all code
// (GSS-VSP-999) for an error that holds no fault: every error has a code.
// To give govmomi errors their proper codes use vsphere.Classify first.
// CodeOf does not allocate.
func CodeOf(err error) codes.Code {
	if err == nil {
		return ""
	}
	if f, ok := As(err); ok {
		return f.ent.Code
	}
	return builtinFallback().Code
}

// IsRetryable reports whether err holds a fault that is retryable (see
// [Error.Retryable]). It is false for nil and for errors that hold no
// fault.
func IsRetryable(err error) bool {
	f, ok := As(err)
	return ok && f.Retryable()
}
