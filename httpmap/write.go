package httpmap

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strconv"

	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/statusconv"
	"github.com/gssfault/gssfault/registry"
)

// Option configures [WriteError], [Middleware] and [Handler].
type Option func(*config)

type config struct {
	target    Target
	google    bool
	status    faults.StatusOptions
	reg       *registry.Registry
	classify  func(error) *faults.Error
	challenge string
	onPanic   func(r *http.Request, value any)
}

func newConfig(opts []Option) *config {
	c := &config{reg: registry.Default(), challenge: "Bearer"}
	c.status.MaxBytes = maxBodyStatus
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// maxBodyStatus is the status budget of an HTTP body, which has no header
// limit to respect but should stay reasonable.
const maxBodyStatus = 64 << 10

// WithTarget sets the vSphere target whose statuses the answers use
// (default: the zero Target, the newest behaviour).
func WithTarget(t Target) Option { return func(c *config) { c.target = t } }

// WithGoogleShape writes Google's {"error": {"code": <HTTP status>,
// "message", "status": "NOT_FOUND", "details"}} instead of the default
// grpc-gateway shape {"code": <gRPC code>, "message", "details"}.
func WithGoogleShape() Option { return func(c *config) { c.google = true } }

// WithExposeInternal writes the fault's own message for Internal, Unknown
// and DataLoss faults, which by default get a generic one, as over gRPC.
func WithExposeInternal(on bool) Option { return func(c *config) { c.status.ExposeInternal = on } }

// WithDebugInfo adds a DebugInfo detail with the cause chain. Off by
// default.
func WithDebugInfo(on bool) Option { return func(c *config) { c.status.DebugInfo = on } }

// WithRegistry sets the registry for codes and fallbacks (default
// registry.Default()).
func WithRegistry(r *registry.Registry) Option {
	return func(c *config) {
		if r != nil {
			c.reg = r
		}
	}
}

// WithClassifier turns errors that hold no fault into faults before the
// defaults (gRPC statuses, context errors, the catch-all); pass
// vsphere.Classify for govmomi errors.
func WithClassifier(classify func(error) *faults.Error) Option {
	return func(c *config) { c.classify = classify }
}

// WithAuthChallenge sets the WWW-Authenticate challenge sent with 401
// answers (default "Bearer").
func WithAuthChallenge(challenge string) Option { return func(c *config) { c.challenge = challenge } }

// WithPanicHandler is called by [Middleware] and [Handler] with a
// recovered panic's value, for logging; the client only gets a 500.
func WithPanicHandler(h func(r *http.Request, value any)) Option {
	return func(c *config) { c.onPanic = h }
}

// fault turns any error into the fault to write.
func (c *config) fault(err error) *faults.Error {
	f, _ := statusconv.FaultOf(c.reg, err, c.classify)
	return f
}

// WriteError writes err as an HTTP error answer; nothing for a nil err.
//
// The status is the target's ([Map]); the body is JSON in the grpc-gateway
// shape {"code": <gRPC code>, "message": ..., "details": [{"@type":
// "type.googleapis.com/google.rpc.ErrorInfo", ...}, ...]} with the details
// of the fault's gRPC status (the subcode, when the target has one, in
// ErrorInfo metadata "subcode"), or Google's shape with [WithGoogleShape].
// Headers: Content-Type application/json; Retry-After (whole seconds, at
// least 1) for retryable faults; WWW-Authenticate on 401. Messages of
// Internal, Unknown and DataLoss faults are generic unless
// [WithExposeInternal]. A detail that cannot be marshalled is left out;
// it never turns the answer into a 500.
//
// err may be a fault, an error holding one, a gRPC status error, a
// context error, or anything else (the catch-all).
func WriteError(w http.ResponseWriter, r *http.Request, err error, opts ...Option) {
	if err == nil {
		return
	}
	newConfig(opts).write(w, err)
}

func (c *config) write(w http.ResponseWriter, err error) {
	in := c.fault(err)
	m := MapIn(c.reg, in, c.target)
	f := m.Fault
	if m.Subcode != "" {
		f = f.WithMetadata("subcode", m.Subcode)
	}
	var body []byte
	if st := c.passThrough(err, in, m); st != nil {
		body = c.encode(st, m.Status) // a status from the server, written as it came
	} else {
		body = c.encode(f.Status(c.status), m.Status)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	if f.Retryable() {
		secs := int(math.Ceil(f.RetryDelay().Seconds()))
		h.Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}
	if m.Status == http.StatusUnauthorized && c.challenge != "" {
		h.Set("WWW-Authenticate", c.challenge)
	}
	w.WriteHeader(m.Status)
	_, _ = w.Write(body)
}

// passThrough returns the status err carries when it can be written as it
// is: err holds no fault of this process (it is a status from a call), the
// target reports the same fault without a subcode, no option would change
// the details, and its message needs no redaction. Otherwise nil.
func (c *config) passThrough(err error, in *faults.Error, m Mapping) *status.Status {
	if m.Fault != in || m.Subcode != "" || c.status.DebugInfo || c.status.ExposeInternal {
		return nil
	}
	if _, local := faults.As(err); local {
		return nil
	}
	st, ok := statusconv.StatusOf(err)
	if !ok || st.Code() != in.GRPCCode() {
		return nil
	}
	switch st.Code() {
	case grpccodes.Internal, grpccodes.Unknown, grpccodes.DataLoss:
		return nil // rebuilt, so that the message is redacted
	}
	return st
}

// encode writes a status in the configured shape. It writes the envelope
// itself: json.Marshal would re-validate and compact every detail's
// protojson output, which costs as much again.
func (c *config) encode(st *status.Status, httpStatus int) []byte {
	msg, _ := json.Marshal(st.Message()) // a string always marshals
	var b bytes.Buffer
	b.Grow(512)
	if c.google {
		b.WriteString(`{"error":{"code":`)
		b.WriteString(strconv.Itoa(httpStatus))
		b.WriteString(`,"message":`)
		b.Write(msg)
		b.WriteString(`,"status":"`)
		b.WriteString(canonicalName(st.Code()))
		b.WriteString(`","details":[`)
	} else {
		b.WriteString(`{"code":`)
		b.WriteString(strconv.Itoa(int(st.Code())))
		b.WriteString(`,"message":`)
		b.Write(msg)
		b.WriteString(`,"details":[`)
	}
	first := true
	for _, a := range st.Proto().GetDetails() {
		d, err := protojson.Marshal(a)
		if err != nil {
			continue // a detail that cannot be marshalled is left out
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.Write(d)
	}
	b.WriteString("]}")
	if c.google {
		b.WriteByte('}')
	}
	return b.Bytes()
}

// canonicalName is the google.rpc.Code name of a gRPC code, "NOT_FOUND".
func canonicalName(c grpccodes.Code) string {
	switch c {
	case grpccodes.OK:
		return "OK"
	case grpccodes.Canceled:
		return "CANCELLED"
	case grpccodes.Unknown:
		return "UNKNOWN"
	case grpccodes.InvalidArgument:
		return "INVALID_ARGUMENT"
	case grpccodes.DeadlineExceeded:
		return "DEADLINE_EXCEEDED"
	case grpccodes.NotFound:
		return "NOT_FOUND"
	case grpccodes.AlreadyExists:
		return "ALREADY_EXISTS"
	case grpccodes.PermissionDenied:
		return "PERMISSION_DENIED"
	case grpccodes.ResourceExhausted:
		return "RESOURCE_EXHAUSTED"
	case grpccodes.FailedPrecondition:
		return "FAILED_PRECONDITION"
	case grpccodes.Aborted:
		return "ABORTED"
	case grpccodes.OutOfRange:
		return "OUT_OF_RANGE"
	case grpccodes.Unimplemented:
		return "UNIMPLEMENTED"
	case grpccodes.Internal:
		return "INTERNAL"
	case grpccodes.Unavailable:
		return "UNAVAILABLE"
	case grpccodes.DataLoss:
		return "DATA_LOSS"
	case grpccodes.Unauthenticated:
		return "UNAUTHENTICATED"
	}
	return "UNKNOWN"
}

// codeFromName inverts canonicalName; ok is false for unknown names.
func codeFromName(name string) (grpccodes.Code, bool) {
	for c := grpccodes.OK; c <= grpccodes.Unauthenticated; c++ {
		if canonicalName(c) == name {
			return c, true
		}
	}
	return 0, false
}
