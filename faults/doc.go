// Package faults provides [Error], the typed fault value of gssfault: a GSS
// code with its catalog entry, a message, the cause it wraps, and the
// request context (operation, managed object, request ID, duration,
// metadata, retry delay).
//
// # Making faults
//
//	err := faults.Wrap(soapErr, codes.HostNotReachable, "power on vm-42")
//
// [New] and [Wrap] look the code up in [registry.Default]; [FromEntry]
// takes an entry of any registry, for a service's own codes. An [Error] is
// immutable: the With methods return changed copies.
//
// # Inspecting faults
//
// Error works with the standard library and grpc-go:
//   - [errors.Is] matches by code, never by message: errors.Is(err,
//     faults.Code(codes.TaskInProgress)), or with any *Error of that code as
//     the target; it also matches the portable sentinels fs.ErrNotExist,
//     fs.ErrExist, fs.ErrPermission and errors.ErrUnsupported for faults
//     whose gRPC code means that;
//   - [errors.Unwrap] and [errors.As] reach the cause, so the original
//     error (a govmomi fault, a context error) stays reachable;
//   - [status.FromError] and a grpc-go server see the status from
//     [Error.GRPCStatus];
//   - [log/slog] logs the fault's fields through [Error.LogValue].
//
// The helpers [As], [CodeOf] and [IsRetryable] look through any wrapping;
// [CodeOf] and [Error.Is] do not allocate.
//
// # Invariants
//
// A constructor given a nil cause where a cause is required returns nil
// (never a typed nil in an error interface); every accessor of a nil *Error
// returns the zero value; no constructor returns a nil *Error for a
// non-nil cause.
package faults
