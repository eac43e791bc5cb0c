// Package grpchttp holds the gRPC code to HTTP status table that both the
// registry (for default HTTP statuses) and httpmap use, so there is one copy.
package grpchttp

import (
	"net/http"

	"google.golang.org/grpc/codes"
)

// Status returns the HTTP status for a gRPC code, exactly as grpc-gateway
// v2's runtime.HTTPStatusFromCode (itself google/rpc/code.proto's mapping):
// note FailedPrecondition is 400, not 412, and Canceled is 499. Codes
// outside the 17 defined ones give 500.
func Status(c codes.Code) int {
	switch c {
	case codes.OK:
		return http.StatusOK
	case codes.Canceled:
		return 499
	case codes.Unknown:
		return http.StatusInternalServerError
	case codes.InvalidArgument:
		return http.StatusBadRequest
	case codes.DeadlineExceeded:
		return http.StatusGatewayTimeout
	case codes.NotFound:
		return http.StatusNotFound
	case codes.AlreadyExists:
		return http.StatusConflict
	case codes.PermissionDenied:
		return http.StatusForbidden
	case codes.Unauthenticated:
		return http.StatusUnauthorized
	case codes.ResourceExhausted:
		return http.StatusTooManyRequests
	case codes.FailedPrecondition:
		return http.StatusBadRequest
	case codes.Aborted:
		return http.StatusConflict
	case codes.OutOfRange:
		return http.StatusBadRequest
	case codes.Unimplemented:
		return http.StatusNotImplemented
	case codes.Internal:
		return http.StatusInternalServerError
	case codes.Unavailable:
		return http.StatusServiceUnavailable
	case codes.DataLoss:
		return http.StatusInternalServerError
	}
	return http.StatusInternalServerError
}
