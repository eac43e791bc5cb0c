package httpmap

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/statusconv"
	"github.com/gssfault/gssfault/internal/vapierr"
	"github.com/gssfault/gssfault/registry"
)

// MaxBodyBytes is the most of a response body [ParseResponse] reads.
const MaxBodyBytes = 1 << 20

// maxExcerpt bounds the body excerpt a fault keeps.
const maxExcerpt = 512

// ResponseError is the cause of a fault read from an HTTP error answer:
// the status and a bounded excerpt of the body, so nothing of the answer
// is lost to errors.As.
type ResponseError struct {
	StatusCode int
	Body       string // at most 512 bytes of the body, cut at a UTF-8 boundary
	Truncated  bool   // the body was longer than what was read
}

// Error returns "HTTP <status>: <body excerpt>".
func (e *ResponseError) Error() string {
	if e.Body == "" {
		return "HTTP " + strconv.Itoa(e.StatusCode)
	}
	return "HTTP " + strconv.Itoa(e.StatusCode) + ": " + e.Body
}

// ParseResponse reads an HTTP error answer into a fault, with the default
// registry; see [ParseBody]. It reads at most [MaxBodyBytes] of the body
// and closes it. It returns nil, nil for a 1xx-3xx answer, and an error
// only for a nil response.
func ParseResponse(resp *http.Response) (*faults.Error, error) {
	return ParseResponseIn(registry.Default(), resp)
}

// ParseResponseIn is [ParseResponse] with a registry.
func ParseResponseIn(reg *registry.Registry, resp *http.Response) (*faults.Error, error) {
	if resp == nil {
		return nil, errors.New("httpmap: ParseResponse: nil response")
	}
	if resp.StatusCode < 400 {
		if resp.Body != nil {
			resp.Body.Close()
		}
		return nil, nil
	}
	var body []byte
	truncated := false
	if resp.Body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
		resp.Body.Close()
		if len(body) > MaxBodyBytes {
			body, truncated = body[:MaxBodyBytes], true
		}
		if err != nil {
			truncated = true // what was read is still parsed
		}
	}
	f := parseBody(reg, resp.StatusCode, body, truncated)
	return f, nil
}

// ParseBody reads an HTTP error answer's status and body into a fault;
// nil for a status below 400. It understands, in order:
//   - this library's and grpc-gateway's {"code": <gRPC code>, "message",
//     "details": [...]}: the fault the details describe, read as from a
//     gRPC status (the GSS code in ErrorInfo decides the entry);
//   - Google's {"error": {"code", "message", "status", "details"}};
//   - vSphere REST's /api {"error_type": "NOT_FOUND", "messages": [...]}
//     and /rest {"type": "com.vmware.vapi.std.errors.not_found", "value":
//     {...}}: the entry of the vAPI error type (metadata vapiErrorType);
//   - anything else, non-JSON or truncated included: the entry for the
//     status's gRPC code ([CodeFromHTTP]), with a body excerpt in metadata
//     "body".
//
// The fault's cause is a [*ResponseError]; metadata "httpStatus" holds the
// status. Unknown detail types are skipped, never an error.
func ParseBody(statusCode int, body []byte) *faults.Error {
	if statusCode < 400 {
		return nil
	}
	return parseBody(registry.Default(), statusCode, body, false)
}

func parseBody(reg *registry.Registry, statusCode int, body []byte, truncated bool) *faults.Error {
	cause := &ResponseError{StatusCode: statusCode, Body: excerpt(body), Truncated: truncated}
	withHTTP := func(f *faults.Error) *faults.Error {
		return f.WithMetadata("httpStatus", strconv.Itoa(statusCode))
	}
	var shape struct {
		Code    *json.Number      `json:"code"`
		Message string            `json:"message"`
		Details []json.RawMessage `json:"details"`
		Status  string            `json:"status"`
		Error   *struct {
			Code    *json.Number      `json:"code"`
			Message string            `json:"message"`
			Status  string            `json:"status"`
			Details []json.RawMessage `json:"details"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if truncated || dec.Decode(&shape) != nil {
		return withHTTP(byStatus(reg, statusCode, cause).WithMetadata("body", cause.Body))
	}
	switch {
	case shape.Error != nil: // Google's shape
		code, ok := codeFromName(shape.Error.Status)
		if !ok {
			code = CodeFromHTTP(statusCode)
		}
		return withHTTP(fromStatusJSON(reg, code, shape.Error.Message, shape.Error.Details, cause))
	case shape.Code != nil: // grpc-gateway's and ours
		n, err := shape.Code.Int64()
		code := grpccodes.Code(n)
		if err != nil || n <= 0 || n > int64(grpccodes.Unauthenticated) {
			code = CodeFromHTTP(statusCode)
		}
		return withHTTP(fromStatusJSON(reg, code, shape.Message, shape.Details, cause))
	}
	if et, msg, ok := vapierr.ParseBody(body); ok { // vSphere REST
		e, ok := reg.ByFaultType(vapierr.Resolve(et, statusCode))
		if !ok {
			return withHTTP(byStatus(reg, statusCode, cause))
		}
		f := faults.FromEntry(e, msg, cause)
		if et != "" {
			f = f.WithMetadata("vapiErrorType", et)
		}
		return withHTTP(f)
	}
	return withHTTP(byStatus(reg, statusCode, cause).WithMetadata("body", cause.Body))
}

// fromStatusJSON decodes the JSON details into a status and reads it.
func fromStatusJSON(reg *registry.Registry, code grpccodes.Code, msg string, details []json.RawMessage, cause error) *faults.Error {
	p := &spb.Status{Code: int32(code), Message: msg}
	for _, d := range details {
		a := &anypb.Any{}
		if err := protojson.Unmarshal(d, a); err != nil {
			continue // an unknown or malformed detail is skipped
		}
		p.Details = append(p.Details, a)
	}
	return statusconv.FromStatus(reg, status.FromProto(p), cause)
}

func byStatus(reg *registry.Registry, statusCode int, cause error) *faults.Error {
	return statusconv.ByCode(reg, CodeFromHTTP(statusCode), "", cause)
}

// excerpt is at most maxExcerpt bytes of b as valid UTF-8 (invalid bytes
// replaced, then cut at a rune boundary).
func excerpt(b []byte) string {
	if len(b) > maxExcerpt {
		b = b[:maxExcerpt]
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if len(s) > maxExcerpt {
		n := maxExcerpt
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n]
	}
	return s
}
