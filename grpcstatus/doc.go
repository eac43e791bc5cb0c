// Package grpcstatus carries faults over gRPC both ways.
//
// A server returns a [*faults.Error] from a handler as it is: grpc-go calls
// its GRPCStatus method, so the client receives the gRPC code, the message
// and AIP-193 details (ErrorInfo, RetryInfo, Help, ResourceInfo,
// LocalizedMessage). The server interceptors ([UnaryServerInterceptor],
// [StreamServerInterceptor]) add what a bare handler cannot: errors that
// are not faults yet (govmomi errors through a classifier hook, context
// errors, plain errors) become faults, panics become Internal, and the
// status options (redaction, DebugInfo, size budget, domain) apply.
//
// On the client, [FromError] turns any error from a call back into a fault
// equal to the server's: code, message, metadata, retryable, impact, retry
// delay and request ID. The client interceptors do it for every call, so
//
//	errors.Is(err, faults.Code(codes.TaskInProgress))
//
// works on what the stub returns. A status from a service that does not use
// gssfault becomes the catalog entry closest to its gRPC code, with its
// details kept on the cause.
//
// [Retry] and [UnaryClientRetryInterceptor] retry retryable faults with
// RetryInfo's delay or capped, jittered exponential backoff, within the
// context's deadline.
//
// # What the wire keeps
//
// Code, message (unless redacted), GSS code, fault type (as the ErrorInfo
// reason), impact, retryable, retry delay, request ID, object, operation,
// duration (to the string's precision), the fault's own metadata (keys
// made to fit AIP-193) and the localized message survive a round trip. The
// cause does not leave the server (DebugInfo, when enabled, carries its
// text only); the client's fault has the received status error as its
// cause.
package grpcstatus
