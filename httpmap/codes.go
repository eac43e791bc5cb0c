package httpmap

import (
	"net/http"

	rpccode "google.golang.org/genproto/googleapis/rpc/code"
	grpccodes "google.golang.org/grpc/codes"
)

// CodeFromHTTP returns the gRPC code for an HTTP status of a service that
// sent no gRPC code of its own. It inverts [HTTPStatus] where that is
// one-to-one and decides the rest:
//   - 400 InvalidArgument; 401 Unauthenticated; 403 PermissionDenied;
//     404 NotFound; 499 Canceled; 501 Unimplemented; 504 DeadlineExceeded;
//   - 409 Aborted: a conflict, retryable at a higher level; whether it is
//     AlreadyExists only the body can say;
//   - 412 FailedPrecondition (HTTP's precondition, which grpc-gateway
//     itself never sends: it answers FailedPrecondition with 400);
//   - 422 InvalidArgument: the request is well-formed but unacceptable
//     (vSphere's namespace-quota 422 is recognised from its body);
//   - 429 ResourceExhausted;
//   - 500 Internal; 502 and 503 Unavailable;
//   - any other 4xx InvalidArgument, any other 5xx Internal, and anything
//     below 400 Unknown.
func CodeFromHTTP(status int) grpccodes.Code {
	switch status {
	case http.StatusBadRequest:
		return grpccodes.InvalidArgument
	case http.StatusUnauthorized:
		return grpccodes.Unauthenticated
	case http.StatusForbidden:
		return grpccodes.PermissionDenied
	case http.StatusNotFound:
		return grpccodes.NotFound
	case http.StatusConflict:
		return grpccodes.Aborted
	case http.StatusPreconditionFailed:
		return grpccodes.FailedPrecondition
	case http.StatusUnprocessableEntity:
		return grpccodes.InvalidArgument
	case http.StatusTooManyRequests:
		return grpccodes.ResourceExhausted
	case 499:
		return grpccodes.Canceled
	case http.StatusInternalServerError:
		return grpccodes.Internal
	case http.StatusNotImplemented:
		return grpccodes.Unimplemented
	case http.StatusBadGateway, http.StatusServiceUnavailable:
		return grpccodes.Unavailable
	case http.StatusGatewayTimeout:
		return grpccodes.DeadlineExceeded
	}
	switch {
	case status >= 400 && status < 500:
		return grpccodes.InvalidArgument
	case status >= 500 && status < 600:
		return grpccodes.Internal
	}
	return grpccodes.Unknown
}

// HTTPStatus returns the HTTP status of a gRPC code, exactly as
// grpc-gateway v2's runtime.HTTPStatusFromCode (itself google/rpc/code.proto's
// mapping): notably FailedPrecondition is 400 (not 412), Canceled is 499 and
// codes outside the 17 defined ones are 500.
func HTTPStatus(c grpccodes.Code) int {
	switch c {
	case grpccodes.OK:
		return http.StatusOK
	case grpccodes.Canceled:
		return 499
	case grpccodes.InvalidArgument, grpccodes.FailedPrecondition, grpccodes.OutOfRange:
		return http.StatusBadRequest
	case grpccodes.DeadlineExceeded:
		return http.StatusGatewayTimeout
	case grpccodes.NotFound:
		return http.StatusNotFound
	case grpccodes.AlreadyExists, grpccodes.Aborted:
		return http.StatusConflict
	case grpccodes.PermissionDenied:
		return http.StatusForbidden
	case grpccodes.Unauthenticated:
		return http.StatusUnauthorized
	case grpccodes.ResourceExhausted:
		return http.StatusTooManyRequests
	case grpccodes.Unimplemented:
		return http.StatusNotImplemented
	case grpccodes.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError // Unknown, Internal, DataLoss and anything else
}

// canonicalName is the google.rpc.Code name of a gRPC code ("NOT_FOUND"),
// as Google's error body and problem details carry it; "UNKNOWN" for a
// code google.rpc.Code does not define.
func canonicalName(c grpccodes.Code) string {
	if n, ok := rpccode.Code_name[int32(c)]; ok {
		return n
	}
	return "UNKNOWN"
}

// codeFromName inverts canonicalName; ok is false for unknown names.
func codeFromName(name string) (grpccodes.Code, bool) {
	c, ok := rpccode.Code_value[name]
	return grpccodes.Code(c), ok
}
