// Package vapierr maps vSphere Automation (vAPI) error types and bare HTTP
// statuses of vSphere REST endpoints to the catalog's fault types. Both
// vsphere (errors from govmomi's vapi/rest client) and httpmap (vSphere
// REST bodies read off the wire) use it, so there is one table.
package vapierr

import (
	"encoding/json"
	"net/http"
	"strings"
)

const stdErrorsPrefix = "com.vmware.vapi.std.errors."

// Normalize turns the spellings of a vAPI error type into the /api form:
// "NOT_FOUND", "not_found" and "com.vmware.vapi.std.errors.not_found" all
// give "NOT_FOUND". It returns "" for a string that is not of that shape.
func Normalize(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), stdErrorsPrefix)
	if s == "" || len(s) > 64 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_') {
			return ""
		}
	}
	return strings.ToUpper(s)
}

// FaultType returns the catalog fault type for a normalized vAPI error type,
// and "" for one it does not know. status is the HTTP status of the answer
// (0 if unknown); it only decides UNABLE_TO_ALLOCATE_RESOURCE, which is a
// namespace quota (422 from vSphere 8.0.2) or plain lack of capacity.
func FaultType(errorType string, status int) string {
	switch errorType {
	case "NOT_FOUND":
		return "NotFound"
	case "OPERATION_NOT_FOUND":
		return "MethodNotFound"
	case "ALREADY_EXISTS":
		return "AlreadyExists"
	case "ALREADY_IN_DESIRED_STATE", "NOT_ALLOWED_IN_CURRENT_STATE":
		return "InvalidState"
	case "CANCELED":
		return "RequestCanceled"
	case "CONCURRENT_CHANGE":
		return "ConcurrentAccess"
	case "FEATURE_IN_USE", "RESOURCE_IN_USE":
		return "ResourceInUse"
	case "INTERNAL_SERVER_ERROR", "ERROR":
		return "SystemError"
	case "INVALID_ARGUMENT", "INVALID_ELEMENT_CONFIGURATION", "INVALID_ELEMENT_TYPE":
		return "InvalidArgument"
	case "INVALID_REQUEST", "UNEXPECTED_INPUT":
		return "InvalidRequest"
	case "RESOURCE_BUSY":
		return "Busy"
	case "RESOURCE_INACCESSIBLE":
		return "FileFault"
	case "SERVICE_UNAVAILABLE":
		return "ServiceUnavailable"
	case "TIMED_OUT":
		return "Timedout"
	case "UNABLE_TO_ALLOCATE_RESOURCE":
		if status == http.StatusUnprocessableEntity {
			return "QuotaExceeded"
		}
		return "InsufficientResourcesFault"
	case "UNAUTHENTICATED":
		return "NotAuthenticated"
	case "UNAUTHORIZED":
		return "NoPermission"
	case "UNSUPPORTED":
		return "NotSupported"
	case "UNVERIFIED_PEER":
		return "CertificateVerificationFailed"
	}
	return ""
}

// Resolve is the fault type of an answer: [FaultType] of its error type,
// else [StatusFaultType] of its status.
func Resolve(errorType string, status int) string {
	if ft := FaultType(errorType, status); ft != "" {
		return ft
	}
	return StatusFaultType(status)
}

// StatusFaultType returns the catalog fault type for a vSphere REST answer
// that carries only an HTTP status (govmomi's vapi client drops the body of
// every status but 400), following vAPI's own status for each error type:
// 401 UNAUTHENTICATED, 403 UNAUTHORIZED, 404 NOT_FOUND, 409
// CONCURRENT_CHANGE, 422 namespace quota, 429 busy, 500 INTERNAL_SERVER_ERROR,
// 501 UNSUPPORTED, 502 and 503 SERVICE_UNAVAILABLE, 504 TIMED_OUT; any other
// 4xx is INVALID_REQUEST and any other 5xx INTERNAL_SERVER_ERROR. It returns
// "" for a status below 400.
func StatusFaultType(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "NotAuthenticated"
	case http.StatusForbidden:
		return "NoPermission"
	case http.StatusNotFound:
		return "NotFound"
	case http.StatusConflict:
		return "ConcurrentAccess"
	case http.StatusUnprocessableEntity:
		return "QuotaExceeded"
	case http.StatusTooManyRequests:
		return "Busy"
	case http.StatusNotImplemented:
		return "NotSupported"
	case http.StatusBadGateway, http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case http.StatusGatewayTimeout:
		return "Timedout"
	}
	switch {
	case status >= 500 && status <= 599:
		return "SystemError"
	case status >= 400 && status <= 499:
		return "InvalidRequest"
	}
	return ""
}

// body covers both vSphere REST error shapes: /api's {"error_type": ...,
// "messages": [...]} and /rest's {"type":
// "com.vmware.vapi.std.errors.<name>", "value": {...}}.
type body struct {
	ErrorType string    `json:"error_type"`
	Messages  []message `json:"messages"`
	Type      string    `json:"type"`
	Value     *struct {
		ErrorType string    `json:"error_type"`
		Messages  []message `json:"messages"`
	} `json:"value"`
}

type message struct {
	DefaultMessage string `json:"default_message"`
}

// ParseBody reads a vSphere REST error body: the normalized error type
// ("" when the body names none) and its first default message. ok is false
// when b is not JSON of either shape.
func ParseBody(b []byte) (errorType, msg string, ok bool) {
	var v body
	if json.Unmarshal(b, &v) != nil || v.ErrorType == "" && v.Type == "" && v.Value == nil {
		return "", "", false
	}
	errorType, msgs := v.ErrorType, v.Messages
	if errorType == "" {
		errorType = v.Type
	}
	if v.Value != nil {
		if errorType == "" {
			errorType = v.Value.ErrorType
		}
		if len(msgs) == 0 {
			msgs = v.Value.Messages
		}
	}
	for _, m := range msgs {
		if m.DefaultMessage != "" {
			msg = m.DefaultMessage
			break
		}
	}
	return Normalize(errorType), msg, true
}
