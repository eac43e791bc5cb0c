// Package faults provides [Error], the typed fault of gssfault: a GSS code
// with its catalog entry, a message, the cause it wraps, request context
// (operation, managed object, request ID, duration, metadata, retry delay)
// and standard details; and both directions between faults and gRPC
// statuses.
//
// # Making faults
//
//	err := faults.Wrap(soapErr, codes.HostNotReachable, "power on vm-42")
//
// [New] and [Wrap] look the code up in registry.Default; [FromEntry] takes
// an entry of any registry, for a service's own codes. An [Error] is
// immutable: the With methods return changed copies. [Wrap] returns error,
// so that it returns a true nil for a nil cause.
//
// # Testing errors
//
// One way to test for a code, through any wrapping and any child of
// errors.Join:
//
//	if errors.Is(err, faults.Code(codes.TaskInProgress)) { ... }
//
// [As] gives the fault itself, [CodeOf] its code and [IsRetryable] whether
// to retry. They find what errors.As and errors.Is find, within a walk of
// at most [MaxWalk] errors; CodeOf and Error.Is do not allocate.
//
// # Statuses
//
// [Error.GRPCStatus] is grpc-go's hook: a handler returns a fault as it is
// and the client gets its AIP-193 details. [FromStatus] reads a received
// status into a fault that keeps it, so that sending it on sends it
// unchanged. [Policy] is a service's trust boundary, shared by the gRPC
// interceptors and the HTTP writers: how errors become faults
// ([Policy.FaultOf]: a fault, a received status, a classifier hook,
// context errors, the catch-all), redaction, DebugInfo and the size budget
// ([Policy.Status]).
//
// # Retrying and degrading
//
// [Retry] retries a call on retryable faults with a server's delay as a
// floor; [Degrade] chains fallbacks (a cached value on a retryable fault, a
// default on NotFound).
//
// # Invariants
//
// No function returns a typed nil as an error: those that can return nil
// return error or (*Error, bool). Every accessor of a nil *Error returns
// the zero value. No walk of an error tree visits more than [MaxWalk]
// errors, and none panics on a foreign error whose methods do.
package faults
