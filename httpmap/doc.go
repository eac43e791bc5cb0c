// Package httpmap carries faults over HTTP both ways.
//
// # Statuses
//
// [HTTPStatus] is grpc-gateway v2's gRPC-code-to-HTTP table and
// [CodeFromHTTP] its documented reverse. [Map] and [StatusFor] give a
// fault's HTTP status on a vSphere [Target]: a fault of the built-in
// catalog answers its catalog status ([EntryStatus]), and, on a Target
// that names a release, the per-version table ([Rules]): NoPermission is
// 401 on 8.0 GA unless RBAC v2 is on, QuotaExceeded is 422 from 8.0.2 with
// namespace quotas, ServiceUnavailable does not exist before 6.7 U3 (503
// with SystemError), and so on. A status from a service that does not use
// gssfault, or an error of the service itself, answers the status of its
// gRPC code. Releases are in package vsphere/release.
//
// # Writing and reading errors
//
//	httpmap.WriteError(w, r, err, httpmap.WithPolicy(policy), httpmap.WithTarget(target))
//
// writes err under the service's [faults.Policy] (the one its gRPC
// interceptors take): the status and a JSON body in one of three
// [Shape]s, grpc-gateway's (the default), Google's, or RFC 9457 problem
// details (when the request's Accept prefers application/problem+json, or
// [WithShape] says so), each carrying the AIP-193 details; Retry-After and
// WWW-Authenticate where they apply; generic messages for Internal
// faults. A status received from another service is written as it came,
// redacted only at this boundary. [Render] gives the same answer without a
// ResponseWriter; [Middleware] and [Handler] do it for net/http handlers
// and recover panics (aborting an answer already started, as net/http
// does). [ParseResponse] reads any of these bodies, and vSphere REST's,
// back into a fault, bounded in bytes, nesting and details; package
// gateway plugs the writer into grpc-gateway v2.
//
// # What the wire keeps
//
// The body carries the gRPC status the fault has (see package grpcstatus):
// code, message unless redacted, GSS code, impact, retryable, retry delay,
// request ID, object, operation, duration, the fault's own metadata,
// standard details and any detail of a received status whose type the
// program links. The HTTP status and a bounded excerpt of the body are in
// the parsed fault's cause, a [*ResponseError]; the body never becomes
// metadata. Where a release reports another fault type (see [Rules]), the
// answer carries that one.
//
// Subpackages: gateway (a grpc-gateway v2 error handler) and openapi
// (error schemas and typed responses for OpenAPI documents).
package httpmap
