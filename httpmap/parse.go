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
	"github.com/gssfault/gssfault/internal/vapierr"
	"github.com/gssfault/gssfault/registry"
)

// MaxBodyBytes is the most of a response body [ParseResponse] reads.
const MaxBodyBytes = 1 << 20

// Bounds on the details of a body: how many are read, and how deeply one
// may nest (a google.protobuf.Any inside another is never decoded: each
// level would be parsed again).
const (
	maxDetails     = 64
	maxDetailDepth = 32
	maxExcerpt     = 512
)

// ResponseError is the cause of a fault read from an HTTP error answer: the
// status, a bounded excerpt of the body and, when reading the body failed,
// why, so that nothing of the answer is lost to errors.As and errors.Is.
// The excerpt is not part of the error's text, and never leaves the
// process with the fault.
type ResponseError struct {
	StatusCode int
	Body       string // at most 512 bytes of the body, cut at a UTF-8 boundary
	Truncated  bool   // the body was longer than what was read
	Err        error  // the error reading the body ended with, or nil
}

// Error returns "HTTP <status>", and the read error when there was one.
func (e *ResponseError) Error() string {
	s := "HTTP " + strconv.Itoa(e.StatusCode)
	if e.Err != nil {
		s += " (reading the body: " + e.Err.Error() + ")"
	}
	return s
}

// Unwrap returns the read error, or nil.
func (e *ResponseError) Unwrap() error { return e.Err }

// ParseResponse reads an HTTP error answer into a fault; see [ParseBody]
// for the shapes it understands. It reads at most [MaxBodyBytes] of the
// body and closes it. It returns nil, nil for a 1xx-3xx answer and an error
// only for a nil response. A body that fails to read (a connection reset,
// a client timeout, a Content-Length longer than the body) still gives a
// fault from what arrived, whose cause, a [*ResponseError], holds the read
// error: errors.Is(f, io.ErrUnexpectedEOF) reports it.
//
// Options: [WithPolicy] sets the registry codes are read against.
func ParseResponse(resp *http.Response, opts ...Option) (*faults.Error, error) {
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
	var readErr error
	truncated := false
	if resp.Body != nil {
		body, readErr = io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
		resp.Body.Close()
		if len(body) > MaxBodyBytes {
			body, truncated = body[:MaxBodyBytes], true
		}
	}
	cause := &ResponseError{StatusCode: resp.StatusCode, Body: excerpt(body), Truncated: truncated || readErr != nil, Err: readErr}
	return newConfig(opts).parse(resp.StatusCode, body, cause), nil
}

// ParseBody reads an HTTP error answer's status and body into a fault; nil
// and false for a status below 400. It understands:
//   - grpc-gateway's and this library's {"code": <gRPC code>, "message",
//     "details": [...]}, and Google's {"error": {"code", "message",
//     "status", "details"}}: the fault of the google.rpc.Status they carry,
//     as from a gRPC status ([faults.Policy.FromStatus]), which it keeps;
//   - RFC 9457 problem details (type, title, status, detail and this
//     library's grpcCode and details members), read the same way;
//   - vSphere REST's /api {"error_type": "NOT_FOUND", "messages": [...]}
//     and /rest {"type": "com.vmware.vapi.std.errors.not_found", "value":
//     {...}}: the catalog entry of the vAPI error type (metadata
//     vapiErrorType) with the first default message;
//   - anything else (not JSON, truncated, another service's shape): the
//     status's gRPC code ([CodeFromHTTP]) as a status without details.
//
// The fault's cause is a [*ResponseError]. Details are bounded: at most 64
// are read, each nested at most 32 deep, and a google.protobuf.Any inside
// another is skipped; a detail whose type this program does not link is
// skipped, never an error.
func ParseBody(statusCode int, body []byte, opts ...Option) (*faults.Error, bool) {
	if statusCode < 400 {
		return nil, false
	}
	b := body
	if len(b) > MaxBodyBytes {
		b = b[:MaxBodyBytes]
	}
	cause := &ResponseError{StatusCode: statusCode, Body: excerpt(b), Truncated: len(body) > MaxBodyBytes}
	return newConfig(opts).parse(statusCode, b, cause), true
}

// bodyShape covers every shape ParseBody reads; which fields are set says
// which shape it is.
type bodyShape struct {
	Code    json.RawMessage   `json:"code"`
	Message string            `json:"message"`
	Details []json.RawMessage `json:"details"`
	Error   *struct {
		Code    json.RawMessage   `json:"code"`
		Message string            `json:"message"`
		Status  string            `json:"status"`
		Details []json.RawMessage `json:"details"`
	} `json:"error"`
	Type     *string         `json:"type"`
	Title    *string         `json:"title"`
	Status   json.RawMessage `json:"status"`
	Detail   string          `json:"detail"`
	GRPCCode string          `json:"grpcCode"`
}

func (c *config) parse(statusCode int, body []byte, cause *ResponseError) *faults.Error {
	var s bodyShape
	if json.Unmarshal(body, &s) == nil {
		switch {
		case s.Error != nil: // Google's
			code, ok := codeFromName(s.Error.Status)
			if !ok {
				code = CodeFromHTTP(statusCode)
			}
			return c.fromJSON(code, s.Error.Message, s.Error.Details, cause)
		case isNumber(s.Code): // grpc-gateway's and ours
			n, err := strconv.ParseInt(string(s.Code), 10, 32)
			code := grpccodes.Code(n)
			if err != nil || n <= 0 || n > int64(grpccodes.Unauthenticated) {
				code = CodeFromHTTP(statusCode)
			}
			return c.fromJSON(code, s.Message, s.Details, cause)
		case s.Title != nil || s.Type != nil && !strings.HasPrefix(*s.Type, "com.vmware.") && isNumber(s.Status):
			code, ok := codeFromName(s.GRPCCode)
			if !ok {
				code = CodeFromHTTP(statusCode)
			}
			return c.fromJSON(code, s.Detail, s.Details, cause)
		}
	}
	if et, msg, ok := vapierr.ParseBody(body); ok { // vSphere REST
		reg := c.policy.Registry
		if reg == nil {
			reg = registry.Default()
		}
		if e, ok := reg.ByFaultType(vapierr.Resolve(et, statusCode)); ok {
			f := faults.FromEntry(e, msg, cause)
			if et != "" {
				f = f.WithMetadata(faults.Field{Key: "vapiErrorType", Value: et})
			}
			return f
		}
	}
	return c.fromJSON(CodeFromHTTP(statusCode), "", nil, cause)
}

func isNumber(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && (raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9')
}

// fromJSON reads a status written as JSON: the details that decode, as
// received, within the bounds.
func (c *config) fromJSON(code grpccodes.Code, msg string, details []json.RawMessage, cause *ResponseError) *faults.Error {
	pb := &spb.Status{Code: int32(code), Message: strings.ToValidUTF8(msg, "\uFFFD")}
	for i, raw := range details {
		if i >= maxDetails {
			break
		}
		if a, ok := decodeDetail(raw); ok {
			pb.Details = append(pb.Details, a)
		}
	}
	f, _ := c.policy.FromStatus(status.FromProto(pb))
	return f.WithCause(cause)
}

// unmarshalAny reads details leniently: fields of a newer version of a
// detail type are dropped, not an error.
var unmarshalAny = protojson.UnmarshalOptions{DiscardUnknown: true}

// decodeDetail reads one detail, as protojson writes a google.protobuf.Any;
// false for one that is too deep, nests an Any or is of a type this
// program does not link.
func decodeDetail(raw json.RawMessage) (*anypb.Any, bool) {
	if depth(raw) > maxDetailDepth {
		return nil, false
	}
	var t struct {
		Type string `json:"@type"`
	}
	if json.Unmarshal(raw, &t) != nil || t.Type == "" || t.Type == "type.googleapis.com/google.protobuf.Any" {
		return nil, false
	}
	a := new(anypb.Any)
	if unmarshalAny.Unmarshal(raw, a) != nil {
		return nil, false
	}
	return a, true
}

// depth returns how deeply the JSON value in b nests objects and arrays.
func depth(b []byte) int {
	d, most, inString, escaped := 0, 0, false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			d++
			most = max(most, d)
		case c == '}' || c == ']':
			d--
		}
	}
	return most
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
