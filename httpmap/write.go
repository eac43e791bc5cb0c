package httpmap

import (
	"math"
	"net/http"
	"strconv"
	"sync"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/rpcwire"
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
//
// The JSON of the google.rpc detail types is written directly (protojson
// semantics, held equal by tests); other detail types go through protojson.
func WriteError(w http.ResponseWriter, r *http.Request, err error, opts ...Option) {
	if err == nil {
		return
	}
	c := defaultConfig()
	if len(opts) > 0 {
		c = newConfig(opts)
	}
	c.write(w, err)
}

// defaultConfig is the configuration without options, made once: it is
// never changed after.
var defaultConfig = sync.OnceValue(func() *config { return newConfig(nil) })

func (c *config) write(w http.ResponseWriter, err error) {
	in, received := statusconv.FaultOf(c.reg, err, c.classify)
	m := MapIn(c.reg, in, c.target)
	f := m.Fault
	if m.Subcode != "" {
		f = f.WithMetadata("subcode", m.Subcode)
	}
	p := c.passThrough(err, received, in, m) // a status from the server, written as it came
	if p == nil {
		p = f.StatusProto(c.status)
	}
	buf := bodyPool.Get().(*[]byte)
	body := c.encode((*buf)[:0], p, m.Status)

	// One backing array for the header values.
	n := 2
	vals := make([]string, 4)
	vals[0], vals[1] = "application/json", "nosniff"
	h := w.Header()
	h["Content-Type"], h["X-Content-Type-Options"] = vals[0:1:1], vals[1:2:2]
	if f.Retryable() {
		secs := int(math.Ceil(f.RetryDelay().Seconds()))
		vals[n] = strconv.Itoa(max(secs, 1))
		h["Retry-After"] = vals[n : n+1 : n+1]
		n++
	}
	if m.Status == http.StatusUnauthorized && c.challenge != "" {
		vals[n] = c.challenge
		h["Www-Authenticate"] = vals[n : n+1 : n+1]
	}
	w.WriteHeader(m.Status)
	_, _ = w.Write(body)
	if cap(body) <= 64<<10 {
		*buf = body
		bodyPool.Put(buf)
	}
}

var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// passThrough returns the status received from a server when it can be
// written as it is: err holds no fault of this process, the target reports
// the same fault without a subcode, no option would change the details,
// and its message needs no redaction. Otherwise nil.
func (c *config) passThrough(err error, received *spb.Status, in *faults.Error, m Mapping) *spb.Status {
	if received == nil || m.Fault != in || m.Subcode != "" || c.status.DebugInfo || c.status.ExposeInternal {
		return nil
	}
	if _, local := faults.As(err); local {
		return nil
	}
	code := grpccodes.Code(received.GetCode())
	if code != in.GRPCCode() {
		return nil
	}
	switch code {
	case grpccodes.Internal, grpccodes.Unknown, grpccodes.DataLoss:
		return nil // rebuilt, so that the message is redacted
	}
	return received
}

// encode appends a status in the configured shape to b.
func (c *config) encode(b []byte, p *spb.Status, httpStatus int) []byte {
	code := grpccodes.Code(p.GetCode())
	if c.google {
		b = append(b, `{"error":{"code":`...)
		b = strconv.AppendInt(b, int64(httpStatus), 10)
		b = append(b, `,"message":`...)
		b = rpcwire.AppendJSONString(b, p.GetMessage())
		b = append(b, `,"status":"`...)
		b = append(b, canonicalName(code)...)
		b = append(b, `","details":[`...)
	} else {
		b = append(b, `{"code":`...)
		b = strconv.AppendInt(b, int64(code), 10)
		b = append(b, `,"message":`...)
		b = rpcwire.AppendJSONString(b, p.GetMessage())
		b = append(b, `,"details":[`...)
	}
	first := true
	for _, a := range p.GetDetails() {
		mark := len(b)
		if !first {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = rpcwire.AppendDetailJSON(b, a.GetTypeUrl(), a.GetValue()); !ok {
			d, err := protojson.Marshal(a)
			if err != nil {
				b = b[:mark] // a detail that cannot be marshalled is left out
				continue
			}
			b = append(b, d...)
		}
		first = false
	}
	b = append(b, ']', '}')
	if c.google {
		b = append(b, '}')
	}
	return b
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
