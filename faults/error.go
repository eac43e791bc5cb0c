package faults

import (
	"slices"
	"strings"
	"time"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/internal/statusview"
	"github.com/gssfault/gssfault/registry"
)

func init() {
	statusview.Received = func(err error, st *status.Status) (*spb.Status, []proto.Message) {
		f, ok := err.(*Error)
		if !ok || f == nil || f.rx == nil || f.rx.st != st {
			return nil, nil
		}
		return f.rx.pb, f.rx.dec
	}
}

// Error is a fault: a GSS code with its catalog entry, a message, an
// optional cause, request context and details. Values are immutable; the
// With methods return changed copies. Make one with [New], [Wrap],
// [FromEntry], [FromStatus] or an adapter (vsphere.Classify,
// grpcstatus.FromError, httpmap.ParseResponse); the zero value is not
// useful.
//
// A fault points at its catalog entry; it does not copy it.
type Error struct {
	ent       *entry
	msg       string
	cause     error
	code      grpccodes.Code // the gRPC code on the wire
	retryable bool
	origin    origin
	rx        *received // the status the fault was read from; nil if none
	x         *extra    // request context and details; nil when none
	src       Describer // derives fields from the cause; nil when none
}

// origin says where a fault came from, which decides what its status
// carries.
type origin uint8

const (
	// fromCatalog: made here from a catalog entry; its status carries the
	// AIP-193 details.
	fromCatalog origin = iota
	// fromService: an error of the service itself (no fault, no status,
	// nothing vSphere recognised): its status carries only a code and a
	// message, nothing vSphere-specific.
	fromService
	// fromForeign: read from a status that carries no GSS code; its status
	// is that status, details as they came.
	fromForeign
	// fromPeer: read from a status with a GSS code.
	fromPeer
)

// received is what a fault read from a status knows of it without
// decoding it again.
type received struct {
	st    *status.Status // as received
	debug bool           // it has a DebugInfo detail
	// pb is st's proto as copied once (st.Proto()), and dec its details as
	// decoded (dec[i] for pb.Details[i], nil when not decoded): read only,
	// so that httpmap writes them without another copy and decode
	// (internal/statusview).
	pb  *spb.Status
	dec []proto.Message
}

// extra holds what a fault carries besides entry, message and cause.
type extra struct {
	op, object, requestID string
	duration, retryDelay  time.Duration
	localized             LocalizedMessage
	meta                  []Field         // sorted by key, unique keys
	details               []proto.Message // standard details and received ones
}

// Field is one metadata key and value of an [Error].
type Field struct {
	Key, Value string
}

// LocalizedMessage is a message in a given locale (a BCP-47 tag such as
// "en-US"), as vSphere's localizable faults and AIP-193's LocalizedMessage
// carry.
type LocalizedMessage struct {
	Locale  string
	Message string
}

// A Describer gives the fields of a fault that an adapter derives from the
// fault's cause when they are read, rather than when the fault is made
// (see [Error.Derive]). Describe is called with the fault's cause each time a
// field is read, so it must be safe for concurrent use and always give the
// same answer for the same cause.
type Describer interface {
	Describe(cause error) Fields
}

// Fields are the fields a [Describer] gives: the message, the operation,
// the managed object ("Type:value"), metadata and standard details (such
// as *errdetails.BadRequest).
type Fields struct {
	Message  string
	Op       string
	Object   string
	Metadata []Field
	Details  []proto.Message
}

// fields returns the fault's fields: the explicit ones over the derived.
func (e *Error) fields() Fields {
	var f Fields
	if e.src != nil && e.cause != nil {
		f = describe(e.src, e.cause)
	}
	if e.msg != "" {
		f.Message = e.msg
	}
	if x := e.x; x != nil {
		if x.op != "" {
			f.Op = x.op
		}
		if x.object != "" {
			f.Object = x.object
		}
		if len(x.meta) > 0 {
			f.Metadata = mergeMeta(f.Metadata, x.meta)
		}
		switch {
		case len(f.Details) == 0:
			f.Details = x.details // read only, as every caller treats it
		case len(x.details) > 0:
			f.Details = append(f.Details[:len(f.Details):len(f.Details)], x.details...)
		}
	}
	return f
}

// describe calls a Describer, which is foreign code: a panic gives no
// fields.
func describe(d Describer, cause error) (f Fields) {
	defer func() {
		if recover() != nil {
			f = Fields{}
		}
	}()
	f = d.Describe(cause)
	f.Metadata = normalizeMeta(append([]Field(nil), f.Metadata...))
	return f
}

// Error returns "<code> <fault type>: <op>: <message>: <cause>", leaving out
// parts that are empty and facts already stated:
//   - the message when the cause's text contains it, the cause's text when
//     the message contains it;
//   - for a cause that is a fault of the same code, its code and fault
//     type;
//   - for a fault read from a status or an HTTP answer, the transport
//     error it was read from (it stays the cause for errors.Is and
//     errors.As), unless the answer had no message: then "HTTP 502".
//
// The object, request ID and metadata are not part of the text; they are in
// [Error.LogValue] and on the wire. Error never panics, even on a cause
// whose Error method does, and takes time linear in the chain of faults.
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	part := func(s string) {
		if s != "" {
			b.WriteString(": ")
			b.WriteString(s)
		}
	}
	prefix := func(f *Error) {
		b.WriteString(string(f.ent.Code))
		if f.ent.FaultType != "" {
			b.WriteByte(' ')
			b.WriteString(f.ent.FaultType)
		}
	}
	prefix(e)
	cur := e
	for depth := 0; ; depth++ {
		if depth >= errwalk.MaxNodes {
			part("...")
			break
		}
		f := cur.fields()
		part(f.Op)
		if cur.origin == fromPeer || cur.origin == fromForeign {
			part(f.Message)
			if _, isStatus := cur.cause.(interface{ GRPCStatus() *status.Status }); f.Message == "" && cur.cause != nil && !isStatus {
				part(safeText(cur.cause)) // the answer said nothing else: name the transport
			}
			break
		}
		next, isFault := cur.cause.(*Error)
		if isFault && next != nil && next.ent != nil {
			msg := f.Message
			if next.ent.Code == cur.ent.Code {
				if msg != "" && hasSegment(next.Message(), msg) {
					msg = ""
				}
				part(msg)
			} else {
				part(msg)
				b.WriteString(": ")
				prefix(next)
			}
			cur = next
			continue
		}
		msg, text := f.Message, ""
		if cur.cause != nil {
			text = safeText(cur.cause)
		}
		switch {
		case text != "" && msg != "" && hasSegment(text, msg):
			msg = ""
		case text != "" && hasSegment(msg, text):
			text = ""
		}
		part(msg)
		part(text)
		break
	}
	return b.String()
}

// hasSegment reports whether s is seg or has it as a run of its
// ": "-separated parts: "dial tcp: connect: connection refused" has
// "connection refused" and "dial tcp: connect", not "connect" alone.
func hasSegment(s, seg string) bool {
	if s == seg {
		return true
	}
	return strings.HasPrefix(s, seg+": ") || strings.HasSuffix(s, ": "+seg) || strings.Contains(s, ": "+seg+": ")
}

// safeText is err's text; a foreign Error method that panics (a typed nil,
// a nil pointer inside a value) gives a placeholder.
func safeText(err error) (s string) {
	defer func() {
		if recover() != nil {
			s = "(error text unavailable: its Error method panicked)"
		}
	}()
	return err.Error()
}

// Unwrap returns the cause, or nil.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.cause
}

// Code returns the GSS code, or "" for a nil *Error.
func (e *Error) Code() codes.Code {
	if e == nil {
		return ""
	}
	return e.ent.Code
}

// Entry returns a copy of the catalog entry of the fault. For a code no
// registry knows (see [Error.Known]) it is the catch-all entry with the
// fault's code.
func (e *Error) Entry() registry.Entry {
	if e == nil {
		return registry.Entry{}
	}
	return e.ent.Entry
}

// Known reports whether the fault's code was found in a registry. A fault
// of a code the registry does not hold (made with [New], or received from
// a service with codes of its own) keeps that code and takes the rest of
// its entry from the catch-all.
func (e *Error) Known() bool { return e != nil && e.ent.known }

// FromCatalog reports whether the fault is its entry's own: made here from
// a catalog entry, or read from a status that carried its GSS code. It is
// false for a fault that only stands in for an entry on the Go side, so
// that errors.Is and Retryable work on it: an error of the service itself
// (the catch-all, a panic, a context error; see [Policy.FaultOf]) or a
// status from a service that does not use gssfault. Nothing of the catalog
// goes on the wire for those, and over HTTP their status is the one of
// their gRPC code.
func (e *Error) FromCatalog() bool {
	return e != nil && (e.origin == fromCatalog || e.origin == fromPeer)
}

// Received reports whether the fault was read from what another service
// sent: a gRPC status ([FromStatus], [Policy.FaultOf] on a call's error) or
// an HTTP error body in the shape of a status (httpmap.ParseBody and
// httpmap.ParseResponse: gssfault's, grpc-gateway's, Google's or RFC
// 9457's), with or without a GSS code. Such a fault goes back out as it
// came; checks of what this service returns (grpcstatus.WithDeclaredCodes)
// leave it alone. A vSphere REST (vAPI) error body is vSphere's own answer:
// it classifies as the vSphere fault it names, as vsphere.Classify's faults
// do, and is not received in this sense.
func (e *Error) Received() bool {
	return e != nil && (e.origin == fromPeer || e.origin == fromForeign)
}

// FaultType returns the vSphere fault type (or the catalog's name for the
// condition), such as "HostNotReachable".
func (e *Error) FaultType() string {
	if e == nil {
		return ""
	}
	return e.ent.FaultType
}

// Category returns the entry's category.
func (e *Error) Category() codes.Category {
	if e == nil {
		return 0
	}
	return e.ent.Category
}

// Message returns the fault's own message, without code, cause or
// context; "" if it has none.
func (e *Error) Message() string {
	if e == nil {
		return ""
	}
	if e.msg != "" || e.src == nil {
		return e.msg
	}
	return e.fields().Message
}

// Retryable reports whether repeating the call can succeed. For a fault
// made here it is the entry's. For a fault read from a status it is the
// entry's when the status's gRPC code is the entry's, else AIP-194's
// default for the received code (only UNAVAILABLE is retried): the code a
// peer sent decides over a GSS code in its metadata.
func (e *Error) Retryable() bool { return e != nil && e.retryable }

// Impact returns the entry's impact level.
func (e *Error) Impact() codes.ImpactLevel {
	if e == nil {
		return 0
	}
	return e.ent.Impact
}

// Action returns the entry's suggested action.
func (e *Error) Action() string {
	if e == nil {
		return ""
	}
	return e.ent.Action
}

// GRPCCode returns the fault's gRPC code: the entry's, or for a fault read
// from a status the code that status carried; [grpccodes.OK] for nil.
func (e *Error) GRPCCode() grpccodes.Code {
	if e == nil {
		return grpccodes.OK
	}
	return e.code
}

// Op returns the operation that failed ("PowerOnVM_Task"), or "".
func (e *Error) Op() string {
	if e == nil {
		return ""
	}
	if e.x != nil && e.x.op != "" || e.src == nil {
		return e.x.get().op
	}
	return e.fields().Op
}

// Object returns the managed object the fault concerns, written
// "Type:value" ("VirtualMachine:vm-42"), or "".
func (e *Error) Object() string {
	if e == nil {
		return ""
	}
	if e.x != nil && e.x.object != "" || e.src == nil {
		return e.x.get().object
	}
	return e.fields().Object
}

// RequestID returns the request ID of the call that failed, or "".
func (e *Error) RequestID() string {
	if e == nil {
		return ""
	}
	return e.x.get().requestID
}

// Duration returns how long the failed call took, or 0 if not recorded.
func (e *Error) Duration() time.Duration {
	if e == nil {
		return 0
	}
	return e.x.get().duration
}

// RetryDelay returns how long to wait before retrying: the delay set with
// [Error.WithRetryDelay] or received in a RetryInfo, else the entry's
// default delay. It is 0 for a fault that is not retryable.
func (e *Error) RetryDelay() time.Duration {
	if !e.Retryable() {
		return 0
	}
	if d := e.x.get().retryDelay; d > 0 {
		return d
	}
	if e.origin == fromForeign || e.code != e.ent.GRPCCode {
		return 0 // the entry's delay is for its own code
	}
	return e.ent.RetryDelay
}

// Localized returns the localized message, if one was set or received.
func (e *Error) Localized() (LocalizedMessage, bool) {
	if e == nil {
		return LocalizedMessage{}, false
	}
	l := e.x.get().localized
	return l, l.Message != ""
}

// Metadata returns a copy of the fault's metadata, sorted by key; nil if it
// has none.
func (e *Error) Metadata() []Field {
	if e == nil {
		return nil
	}
	if e.src == nil {
		if e.x == nil || len(e.x.meta) == 0 {
			return nil
		}
		return append([]Field(nil), e.x.meta...)
	}
	return slices.Clone(e.fields().Metadata) // the caller's to change
}

// MetadataValue returns the value of one metadata key.
func (e *Error) MetadataValue(key string) (string, bool) {
	if e == nil {
		return "", false
	}
	meta := e.x.get().meta
	if e.src != nil {
		meta = e.fields().Metadata
	}
	return lookupMeta(meta, key)
}

var noExtra extra

func (x *extra) empty() bool {
	return x.op == "" && x.object == "" && x.requestID == "" && x.duration == 0 && x.retryDelay == 0 &&
		x.localized == (LocalizedMessage{}) && len(x.meta) == 0 && len(x.details) == 0
}

// get returns x, or an empty extra for nil.
func (x *extra) get() *extra {
	if x == nil {
		return &noExtra
	}
	return x
}
