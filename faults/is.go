package faults

import (
	"errors"
	"io/fs"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
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

// As returns the first [*Error] in err's tree, as [errors.As] finds it.
// ok is false, with a nil fault, when there is none.
func As(err error) (*Error, bool) {
	if err == nil {
		return nil, false
	}
	f, ok := errors.AsType[*Error](err)
	if !ok || f == nil {
		return nil, false
	}
	return f, true
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

// HasCode reports whether any fault in err's tree has code c. It is
// errors.Is(err, Code(c)) without the conversion.
func HasCode(err error, c codes.Code) bool {
	return errors.Is(err, codeTarget(c))
}
