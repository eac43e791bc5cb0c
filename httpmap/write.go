package httpmap

import (
	"bytes"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/statusview"
)

// Shape is the shape of an error body.
type Shape uint8

// The body shapes [WriteError] writes and [ParseResponse] reads.
const (
	// GatewayShape is grpc-gateway's body, a google.rpc.Status in JSON:
	// {"code": <gRPC code>, "message": ..., "details": [...]},
	// Content-Type application/json. It is the default.
	GatewayShape Shape = iota + 1
	// GoogleShape is Google's HTTP APIs' body: {"error": {"code": <HTTP
	// status>, "message": ..., "status": "NOT_FOUND", "details": [...]}},
	// Content-Type application/json.
	GoogleShape
	// ProblemShape is RFC 9457 problem details, Content-Type
	// application/problem+json: type, title, status, detail and instance,
	// with the extension members code (the GSS code), grpcCode ("NOT_FOUND"),
	// retryable, retryDelay ("30s") and details (the AIP-193 details, as in
	// the other shapes). type is the fault's entry in gssfault's published
	// catalog for a code of the built-in catalog, and "about:blank" (RFC
	// 9457's default, meaning "see the status") for anything else.
	ProblemShape
)

// ProblemTypeBase is where a problem's type points for a code of the
// built-in catalog: the code's entry in the catalog page of gssfault's
// repository (lower case, "#gss-vsp-023").
const ProblemTypeBase = "https://github.com/gssfault/gssfault/blob/main/docs/catalog.md#"

// MaxBodyStatusBytes is the size budget of the status an HTTP body carries
// when the policy sets none: an HTTP body has no header limit to respect.
const MaxBodyStatusBytes = 64 << 10

// Option configures [WriteError], [Render], [Middleware], [Handler] and
// [ParseResponse].
type Option func(*config)

type config struct {
	policy    faults.Policy
	target    Target
	shape     Shape // 0: negotiated from Accept
	challenge string
	status    int // forced HTTP status, 0 for none
}

func newConfig(opts []Option) *config {
	c := &config{challenge: "Bearer"}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.policy.MaxStatusBytes == 0 {
		c.policy.MaxStatusBytes = MaxBodyStatusBytes
	}
	return c
}

// WithPolicy sets the status policy: the registry, the classifier,
// redaction, DebugInfo, the size budget and the panic handler (see
// [faults.Policy]); grpcstatus.WithPolicy takes the same value. An HTTP
// body's budget is [MaxBodyStatusBytes] when the policy sets none.
func WithPolicy(p faults.Policy) Option { return func(c *config) { c.policy = p } }

// WithTarget sets the vSphere target whose statuses the answers use
// (default: the zero Target, each entry's catalog status).
func WithTarget(t Target) Option { return func(c *config) { c.target = t } }

// WithShape sets the body shape. Without it, a request whose Accept header
// prefers application/problem+json to application/json gets
// [ProblemShape], and any other [GatewayShape].
func WithShape(s Shape) Option { return func(c *config) { c.shape = s } }

// WithAuthChallenge sets the WWW-Authenticate challenge sent with 401
// answers (default "Bearer").
func WithAuthChallenge(challenge string) Option {
	return func(c *config) { c.challenge = challenge }
}

// WithHTTPStatus forces the HTTP status of the answer, as grpc-gateway's
// runtime.HTTPStatusError asks (the gateway package passes it); 0 means
// the status the mapping gives.
func WithHTTPStatus(code int) Option { return func(c *config) { c.status = code } }

// Answer is an HTTP error answer, as [WriteError] writes it.
type Answer struct {
	// Status is the HTTP status.
	Status int
	// Header holds Content-Type, X-Content-Type-Options and, when they
	// apply, Retry-After and WWW-Authenticate.
	Header http.Header
	// Body is the JSON body.
	Body []byte
	// Fault is the fault answered, as the target reports it (see [Map]).
	Fault *faults.Error
	// GRPC is the gRPC status the body carries.
	GRPC *status.Status
	// Shape is the body's shape.
	Shape Shape

	path string // the request's path, a problem's instance
	// pb is the proto Body was written from, read only.
	pb *spb.Status
}

// Encode returns pb written as the answer's body is, in its shape and with
// its HTTP status and fault: the gateway handler writes with it a status
// that its mux's forward-response rewriter may have changed. A status
// equal to the one the answer was made from (grpc-gateway passes a copy)
// gets the answer's Body itself, which the caller must not change.
func (a Answer) Encode(pb *spb.Status) []byte {
	if a.Body != nil && (pb == a.pb || sameStatus(pb, a.pb)) {
		return a.Body
	}
	return a.encode(pb, nil)
}

// encode writes pb in the answer's shape; dec holds pb's details already
// decoded (nil, or nil entries: not decoded).
func (a Answer) encode(pb *spb.Status, dec []proto.Message) []byte {
	switch a.Shape {
	case GoogleShape:
		return googleBody(pb, dec, a.Status)
	case ProblemShape:
		return problemBody(pb, dec, a.Status, a.Fault, a.path)
	}
	return statusJSON(pb, dec)
}

// sameStatus reports whether x and y hold the same code, message and
// details, byte for byte.
func sameStatus(x, y *spb.Status) bool {
	if x.GetCode() != y.GetCode() || x.GetMessage() != y.GetMessage() || len(x.GetDetails()) != len(y.GetDetails()) {
		return false
	}
	for i, d := range x.GetDetails() {
		e := y.GetDetails()[i]
		if d.GetTypeUrl() != e.GetTypeUrl() || !bytes.Equal(d.GetValue(), e.GetValue()) {
			return false
		}
	}
	return true
}

// Render returns the answer [WriteError] writes for err; a zero Answer for
// a nil err. r, which may be nil, is only read for its Accept header and
// its path (a problem's instance).
func Render(r *http.Request, err error, opts ...Option) Answer {
	if err == nil {
		return Answer{}
	}
	return newConfig(opts).render(r, err, nil)
}

// WriteError writes err as an HTTP error answer; nothing for a nil err.
//
// err becomes a fault under the policy ([faults.Policy.FaultOf]: a fault,
// a gRPC status received from another service, what the classifier
// recognises, a context error, else the catch-all). The HTTP status is the
// one [Map] gives on the target (or [WithHTTPStatus]'s); the body is in the
// [Shape] chosen, and carries the status the policy gives the fault
// ([faults.Policy.Status]): a received status as it came (redacted at this
// boundary), a fault made here with its AIP-193 details (the target's
// subcode, when it has one, in ErrorInfo metadata "subcode").
//
// Headers: Content-Type; X-Content-Type-Options: nosniff; Retry-After
// (whole seconds, at least 1) for retryable faults; WWW-Authenticate on
// 401. A detail whose type this program does not link cannot be written as
// JSON and is left out; it never turns the answer into a 500.
func WriteError(w http.ResponseWriter, r *http.Request, err error, opts ...Option) {
	if err == nil {
		return
	}
	newConfig(opts).write(w, r, err)
}

func (c *config) write(w http.ResponseWriter, r *http.Request, err error) {
	a := c.render(r, err, w.Header())
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}

// render makes the answer to err, setting its header fields in h (a new
// header when h is nil).
func (c *config) render(r *http.Request, err error, h http.Header) Answer {
	f, _ := c.policy.FaultOf(err)
	m := mapFault(f, c.target)
	if m.Subcode != "" {
		m.Fault = m.Fault.WithMetadata(faults.Field{Key: "subcode", Value: m.Subcode})
	}
	code := m.Status
	if c.status != 0 {
		code = c.status
	}
	st := c.policy.Status(m.Fault)
	shape := c.shape
	if shape == 0 {
		shape = negotiate(r)
	}
	if h == nil {
		h = make(http.Header, 4)
	}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	if shape == ProblemShape {
		h["Content-Type"] = []string{"application/problem+json"}
	} else {
		h["Content-Type"] = []string{"application/json"}
	}
	if m.Fault.Retryable() {
		secs := int(math.Ceil(m.Fault.RetryDelay().Seconds()))
		h["Retry-After"] = []string{strconv.Itoa(max(secs, 1))}
	}
	if code == http.StatusUnauthorized && c.challenge != "" {
		h["Www-Authenticate"] = []string{c.challenge}
	}
	a := Answer{Status: code, Header: h, Fault: m.Fault, GRPC: st, Shape: shape}
	if r != nil && r.URL != nil {
		a.path = r.URL.Path
	}
	// A received status sent on unchanged is written from the copy and the
	// decoded details the fault already holds.
	pb, dec := statusview.Received(m.Fault, st)
	if pb == nil {
		pb = st.Proto()
	}
	a.pb = pb
	a.Body = a.encode(pb, dec)
	return a
}

// negotiate picks the shape a request's Accept header prefers: problem
// details when application/problem+json has a higher quality than
// application/json (and than */* when application/json is absent).
func negotiate(r *http.Request) Shape {
	if r == nil {
		return GatewayShape
	}
	accept := r.Header.Values("Accept")
	if len(accept) == 0 {
		return GatewayShape
	}
	problem, json := -1.0, -1.0
	for _, line := range accept {
		for _, item := range strings.Split(line, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(item))
			if err != nil {
				continue
			}
			q := 1.0
			if s, ok := params["q"]; ok {
				if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 0 && v <= 1 {
					q = v
				}
			}
			switch mt {
			case "application/problem+json":
				problem = max(problem, q)
			case "application/json", "application/*", "*/*":
				if mt == "application/json" || json < 0 {
					json = max(json, q)
				}
			}
		}
	}
	if problem > 0 && problem > json {
		return ProblemShape
	}
	return GatewayShape
}

// bodyCap is the room a body starts with: a fault's status with ErrorInfo,
// RetryInfo and Help is about 600 bytes of JSON.
const bodyCap = 1024

// statusJSON returns pb in grpc-gateway's JSON shape, {"code": <gRPC
// code>, "message": ..., "details": [...]}, as protojson writes a
// google.rpc.Status; a detail that cannot be written is left out. dec, if
// not nil, holds pb's details already decoded (see appendDetails).
func statusJSON(pb *spb.Status, dec []proto.Message) []byte {
	b := make([]byte, 0, bodyCap)
	b = append(b, `{"code":`...)
	b = strconv.AppendInt(b, int64(pb.GetCode()), 10)
	b = append(b, `,"message":`...)
	b = appendString(b, pb.GetMessage())
	b = append(b, `,"details":`...)
	b = appendDetails(b, pb, dec)
	return append(b, '}')
}

func googleBody(pb *spb.Status, dec []proto.Message, httpStatus int) []byte {
	b := make([]byte, 0, bodyCap)
	b = append(b, `{"error":{"code":`...)
	b = strconv.AppendInt(b, int64(httpStatus), 10)
	b = append(b, `,"message":`...)
	b = appendString(b, pb.GetMessage())
	b = append(b, `,"status":`...)
	b = appendString(b, canonicalName(grpccodes.Code(pb.GetCode())))
	b = append(b, `,"details":`...)
	b = appendDetails(b, pb, dec)
	return append(b, '}', '}')
}

func problemBody(pb *spb.Status, dec []proto.Message, httpStatus int, f *faults.Error, path string) []byte {
	typ, title := "about:blank", http.StatusText(httpStatus)
	if f.FromCatalog() && f.Known() {
		title = f.FaultType()
		if builtin(f) {
			typ = ProblemTypeBase + strings.ToLower(string(f.Code()))
		}
	}
	if title == "" {
		title = "Error " + strconv.Itoa(httpStatus)
	}
	b := make([]byte, 0, bodyCap)
	b = append(b, `{"type":`...)
	b = appendString(b, typ)
	b = append(b, `,"title":`...)
	b = appendString(b, title)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(httpStatus), 10)
	if msg := pb.GetMessage(); msg != "" {
		b = append(b, `,"detail":`...)
		b = appendString(b, msg)
	}
	if path != "" {
		b = append(b, `,"instance":`...)
		b = appendString(b, path)
	}
	if f.FromCatalog() {
		b = append(b, `,"code":`...)
		b = appendString(b, string(f.Code()))
	}
	b = append(b, `,"grpcCode":`...)
	b = appendString(b, canonicalName(grpccodes.Code(pb.GetCode())))
	b = append(b, `,"retryable":`...)
	b = strconv.AppendBool(b, f.Retryable())
	if d := f.RetryDelay(); d > 0 {
		b = append(b, `,"retryDelay":`...)
		b = appendString(b, durationJSON(d))
	}
	b = append(b, `,"details":`...)
	b = appendDetails(b, pb, dec)
	return append(b, '}')
}
