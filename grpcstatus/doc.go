// Package grpcstatus carries faults over gRPC both ways.
//
// A server returns a [*faults.Error] from a handler as it is: grpc-go calls
// its GRPCStatus method, so the client receives the gRPC code, the message
// and AIP-193 details (ErrorInfo, RetryInfo, Help, ResourceInfo,
// LocalizedMessage and any standard details the fault carries). The server
// interceptors ([UnaryServerInterceptor], [StreamServerInterceptor]) apply
// the service's [faults.Policy] ([WithPolicy]): errors that are not faults
// yet become faults (a status received from another service as it came, a
// classifier hook such as vsphere.FromError, context errors, the
// catch-all), panics become Internal, and every status is redacted at this
// trust boundary and kept within the size budget. [WithDeclaredCodes]
// checks handlers against the codes their methods declare.
//
// On the client, [FromError] turns any error from a call into a fault that
// keeps the status it was read from: errors.Is(err,
// faults.Code(codes.TaskInProgress)) works on what the stub returns, and a
// relay that returns the fault sends the status on unchanged. The client
// interceptors do it for every call. A status from a service that does not
// use gssfault stands in for the catalog entry of its gRPC code on the Go
// side and stays what it was on the wire.
//
// [UnaryClientRetryInterceptor] retries with [faults.Retry]: a server's
// RetryInfo is a floor on the wait, within the deadline; only methods the
// caller declares idempotent are retried when the outcome of a failure is
// unknown.
//
// # What the wire keeps
//
// Code, message (unless redacted), GSS code, fault type (as the ErrorInfo
// reason), impact, retryable, retry delay, request ID, object, operation,
// duration (to the string's precision), the fault's own metadata (keys
// made to fit AIP-193), the localized message and standard details survive
// a round trip. The cause does not leave the server (DebugInfo, when the
// policy enables it, carries its text only).
package grpcstatus
