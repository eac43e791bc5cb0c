// Package httpmap carries faults over HTTP both ways.
//
// # Statuses
//
// [HTTPStatus] is grpc-gateway v2's gRPC-code-to-HTTP table and
// [CodeFromHTTP] its documented reverse. On top of them, [Map] and
// [StatusFor] give a fault's HTTP status on a vSphere [Target] (version plus
// feature switches), following the per-version table ([Rules]): NoPermission
// is 401 on 8.0 GA unless RBAC v2 is on, QuotaExceeded is 422 from 8.0.2
// with namespace quotas, ServiceUnavailable does not exist before 6.7 U3
// (503 with SystemError), and so on. [ParseVersion] reads every way vSphere
// writes a version.
//
// # Writing and reading errors
//
//	httpmap.WriteError(w, r, err, httpmap.WithTarget(target))
//
// writes the fault's status and a JSON body in grpc-gateway's shape (or
// Google's, [WithGoogleShape]) with the AIP-193 details, Retry-After and
// WWW-Authenticate headers, and generic messages for Internal faults.
// [Middleware] and [Handler] do it for net/http handlers and recover
// panics. [ParseResponse] reads such an answer, grpc-gateway's, Google's or
// vSphere REST's back into a fault, reading at most [MaxBodyBytes].
//
// # What the wire keeps
//
// The body carries what the gRPC status carries (see package grpcstatus):
// code, message unless redacted, GSS code, impact, retryable, retry delay,
// request ID, object, operation, duration and the fault's own metadata.
// ParseResponse adds metadata httpStatus. Where the target reports another
// fault type (ReportAs), the parsed fault is that one.
//
// Subpackages: gateway (a grpc-gateway v2 error handler) and openapi
// (error schemas and typed responses for OpenAPI 3 documents).
package httpmap
