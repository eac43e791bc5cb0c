package faults

import (
	"slices"
	"strconv"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/internal/wirepb"
)

// The ErrorInfo metadata keys a fault's status carries besides the fault's
// own metadata. A key of the fault's own that collides with one of these
// is sent as "x-<key>"; of two own keys that become one on the wire (after
// the AIP-193 key syntax or that prefix), the first in key order is sent.
const (
	metaCode      = "gssCode"
	metaImpact    = "impact"
	metaRetryable = "retryable"
	metaRequestID = "requestId"
	metaObject    = "object"
	metaOp        = "op"
	metaDuration  = "duration"
)

// Type URLs of the details a fault's status carries.
const (
	typeErrorInfo        = "type.googleapis.com/google.rpc.ErrorInfo"
	typeRetryInfo        = "type.googleapis.com/google.rpc.RetryInfo"
	typeHelp             = "type.googleapis.com/google.rpc.Help"
	typeLocalizedMessage = "type.googleapis.com/google.rpc.LocalizedMessage"
	typeResourceInfo     = "type.googleapis.com/google.rpc.ResourceInfo"
	typeDebugInfo        = "type.googleapis.com/google.rpc.DebugInfo"
)

// genericMessage is what a client sees instead of the message of an
// Internal, Unknown or DataLoss status.
const genericMessage = "internal error"

// GRPCStatus returns the fault as a gRPC status with the zero [Policy]:
// see [Policy.Status]. grpc-go calls it through status.FromError and when a
// handler returns the fault, wrapped or not, so a server needs no adapter
// for the client to get the details. It returns nil for a nil *Error.
func (e *Error) GRPCStatus() *status.Status { return Policy{}.Status(e) }

// Status returns fault f as the gRPC status a server sends under policy p;
// nil for a nil f.
//
// A fault read from a status (see [Policy.FromStatus]) and not changed
// since gives back that status, every detail in order, unknown types
// included, changed only by redaction at this trust boundary: the message
// of an Internal, Unknown or DataLoss status is replaced by a generic one
// unless p.ExposeInternal, and received DebugInfo details are dropped
// unless p.DebugInfo.
//
// A fault made here gives the fault's gRPC code, its message (generic for
// Internal, Unknown and DataLoss unless p.ExposeInternal; the entry's
// trigger when it has none) and these details, each at most once:
//   - ErrorInfo: reason [Reason](fault type), domain "gssfault.<domain>"
//     ("gssfault.vsp"), metadata gssCode, impact, retryable, and when set
//     requestId, object, op, duration and the fault's own metadata (keys
//     made to fit AIP-193);
//   - RetryInfo with the retry delay, when the fault is retryable and has
//     one;
//   - ResourceInfo for the managed object, when set;
//   - Help with the entry's documentation reference, when it has one;
//   - LocalizedMessage, when the fault has one;
//   - the fault's standard details ([Error.WithDetails]) and the details
//     of a received status it still carries, in order;
//   - DebugInfo with the cause chain, only when p.DebugInfo (and not for a
//     fault read from a status, whose cause is only the transport).
//
// A fault of the service itself (the catch-all, a panic, a context error;
// see [Policy.FaultOf]) gives only its gRPC code and message; a fault read
// from a status without a GSS code and since changed gives its code,
// message and the received details, nothing added.
//
// Strings that are not valid UTF-8 have their bad bytes replaced by
// U+FFFD. The encoded status stays within p.MaxStatusBytes, shedding the
// least important parts first: DebugInfo, received details this package
// does not model, Help, LocalizedMessage, the fault's own metadata, then
// the message is shortened, then standard details, RetryInfo and the
// object go; the code, reason, domain, GSS code and request ID stay. The
// cause never leaves the process unless DebugInfo is on.
func (p Policy) Status(f *Error) *status.Status {
	if f == nil {
		return nil
	}
	if f.rx != nil {
		return p.resend(f)
	}
	return status.FromProto(p.build(f))
}

func (p Policy) budget() int {
	if p.MaxStatusBytes > 0 {
		return p.MaxStatusBytes
	}
	return DefaultMaxStatusBytes
}

// redacted reports whether a status of code has its message replaced at
// the trust boundary: INTERNAL, UNKNOWN, DATA_LOSS, and codes outside
// gRPC's 0-16, which clients read as UNKNOWN. A LocalizedMessage is kept:
// google.rpc defines it as the message that is safe to show the user.
func redacted(code grpccodes.Code) bool {
	return code == grpccodes.Internal || code == grpccodes.Unknown || code == grpccodes.DataLoss || code > grpccodes.Unauthenticated
}

// resend is a received status as it goes back out: unchanged unless
// redaction or the budget say otherwise.
func (p Policy) resend(f *Error) *status.Status {
	st := f.rx.st
	redact := redacted(st.Code()) && !p.ExposeInternal
	dropDebug := f.rx.debug && !p.DebugInfo
	if !redact && !dropDebug && proto.Size(f.rx.pb) <= p.budget() {
		return st
	}
	// status.FromProto copies pb; the details can be shared until then.
	src := f.rx.pb
	pb := &spb.Status{Code: src.GetCode(), Message: src.GetMessage(), Details: slices.Clone(src.GetDetails())}
	if redact {
		pb.Message = genericMessage
	}
	kept := pb.Details[:0]
	for _, a := range pb.Details {
		if !dropDebug || detailType(a) != typeDebugInfo {
			kept = append(kept, a)
		}
	}
	pb.Details = kept
	for proto.Size(pb) > p.budget() {
		switch {
		case len(pb.Details) > 0:
			pb.Details = pb.Details[:len(pb.Details)-1] // the last detail is the least important
		case len(pb.Message) > 64:
			pb.Message = truncateUTF8(pb.Message, len(pb.Message)/2) + "..."
		default:
			return status.FromProto(pb)
		}
	}
	return status.FromProto(pb)
}

// part is one detail of a status being built, with its rank: the higher
// the rank, the earlier it is shed over budget.
type part struct {
	any  *anypb.Any
	rank int
}

// Ranks of what can be shed, least important (shed first) highest.
const (
	rankKept = iota
	rankObject
	rankRetry
	rankStandard
	rankMessage // not a detail: the message is shortened at this rank
	rankMetadata
	rankLocalized
	rankHelp
	rankForeign
	rankDebug
)

func (p Policy) build(f *Error) *spb.Status {
	code := f.code
	if code == grpccodes.OK {
		code = grpccodes.Unknown
	}
	fl := f.fields()
	msg := validUTF8(p.wireMessage(f, fl.Message))
	pb := &spb.Status{Code: int32(code), Message: msg}
	var parts []part
	var md []Field
	full := f.origin == fromCatalog || f.origin == fromPeer && f.ent.known
	if full {
		md = p.metadata(f, fl, true)
		parts = append(parts, part{nil, rankKept}) // ErrorInfo, filled below
		if d := f.RetryDelay(); d > 0 {
			a := f.ent.retry
			if a == nil || d != f.ent.RetryDelay {
				a = toAny(&errdetails.RetryInfo{RetryDelay: durationpb.New(d)})
			}
			parts = append(parts, part{a, rankRetry})
		}
		if fl.Object != "" {
			typ, name, ok := strings.Cut(fl.Object, ":")
			if !ok {
				typ, name = "", fl.Object
			}
			parts = append(parts, part{toAny(&errdetails.ResourceInfo{ResourceType: validUTF8(typ), ResourceName: validUTF8(name)}), rankObject})
		}
		if h := f.ent.helpLink(); h != nil {
			parts = append(parts, part{h, rankHelp})
		}
		if l, ok := f.Localized(); ok {
			parts = append(parts, part{toAny(&errdetails.LocalizedMessage{Locale: validUTF8(l.Locale), Message: validUTF8(l.Message)}), rankLocalized})
		}
	}
	for _, d := range fl.Details {
		rank := rankStandard
		if a, ok := d.(*anypb.Any); ok {
			if detailType(a) == typeDebugInfo && !p.DebugInfo {
				continue // a received DebugInfo stops at this boundary
			}
			if !standardType(detailType(a)) {
				rank = rankForeign
			}
		}
		parts = append(parts, part{toAny(d), rank})
	}
	if p.DebugInfo && f.cause != nil && (f.origin == fromCatalog || f.origin == fromService) {
		parts = append(parts, part{toAny(&errdetails.DebugInfo{StackEntries: causeChain(f.cause), Detail: validUTF8(truncateUTF8(safeText(f), 1024))}), rankDebug})
	}
	changed := true // md since ErrorInfo was last marshalled
	for level := rankDebug; ; level-- {
		if full && changed {
			parts[0].any = errorInfoAny(f.ent.reason, validUTF8(f.ent.domain), md)
			changed = false
		}
		pb.Details = pb.Details[:0]
		for _, pt := range parts {
			if pt.any != nil && pt.rank <= level {
				pb.Details = append(pb.Details, pt.any)
			}
		}
		if level == rankKept || proto.Size(pb) <= p.budget() {
			return pb
		}
		// Over budget: shed what has this level's rank.
		switch level {
		case rankMetadata:
			if full {
				md, changed = p.metadata(f, fl, false), true
			}
		case rankMessage:
			if len(pb.Message) > 256 {
				pb.Message = truncateUTF8(pb.Message, 256) + "..."
			}
		case rankKept + 1:
			// Only what always stays is left: shorten what can be.
			if len(pb.Message) > 64 {
				pb.Message = truncateUTF8(pb.Message, 64) + "..."
			}
			for i := range md {
				md[i].Value = truncateUTF8(md[i].Value, 128)
			}
			changed = true
		}
	}
}

// errorInfoAny is the google.rpc.ErrorInfo detail with the metadata md
// (sorted by key), marshalled in the wire form that protobuf-go encodes
// without reflection (a map field is a repeated key/value message on the
// wire).
func errorInfoAny(reason, domain string, md []Field) *anypb.Any {
	w := &wirepb.ErrorInfo{Reason: reason, Domain: domain, Metadata: make([]*wirepb.MetadataEntry, len(md))}
	entries := make([]wirepb.MetadataEntry, len(md))
	for i, kv := range md {
		entries[i].Key, entries[i].Value = kv.Key, kv.Value
		w.Metadata[i] = &entries[i]
	}
	b, err := proto.Marshal(w)
	if err != nil {
		return nil
	}
	return &anypb.Any{TypeUrl: typeErrorInfo, Value: b}
}

// standardType reports whether a detail type is one of google.rpc's.
func standardType(url string) bool {
	return strings.HasPrefix(url, "type.googleapis.com/google.rpc.")
}

// detailType is the type URL of a detail as its receiver resolves it:
// protobuf-go, grpc-go and protojson take the message name after the last
// '/', so "/google.rpc.DebugInfo" and "example.com/google.rpc.DebugInfo"
// are DebugInfo too. It returns the canonical type.googleapis.com URL of
// that name, the URL itself when it is canonical already.
func detailType(a *anypb.Any) string {
	u := a.GetTypeUrl()
	const prefix = "type.googleapis.com/"
	if strings.HasPrefix(u, prefix) && !strings.Contains(u[len(prefix):], "/") {
		return u
	}
	return prefix + u[strings.LastIndexByte(u, '/')+1:]
}

// wireMessage is the message a client sees.
func (p Policy) wireMessage(f *Error, msg string) string {
	if redacted(f.code) && !p.ExposeInternal {
		if f.origin == fromCatalog {
			return genericMessage + " (" + string(f.ent.Code) + " " + f.ent.FaultType + ")"
		}
		return genericMessage
	}
	if msg != "" {
		return msg
	}
	switch f.origin {
	case fromCatalog, fromPeer:
		return f.ent.Trigger
	}
	if f.cause != nil && p.ExposeInternal {
		return truncateUTF8(safeText(f.cause), 1024)
	}
	return ""
}

// metadata is the full ErrorInfo metadata of f, sorted by key: the core
// entries, then the fault's own (held sorted) merged in; of entries with
// one key the first stays.
func (p Policy) metadata(f *Error, fl Fields, own bool) []Field {
	var core [7]Field // in key order
	nc := 0
	add := func(k, v string) {
		if v != "" {
			core[nc] = Field{Key: k, Value: validUTF8(v)}
			nc++
		}
	}
	x := f.x.get()
	if x.duration > 0 {
		add(metaDuration, x.duration.String())
	}
	add(metaCode, string(f.ent.Code))
	add(metaImpact, f.ent.Impact.String())
	add(metaObject, fl.Object)
	add(metaOp, fl.Op)
	add(metaRequestID, x.requestID)
	add(metaRetryable, strconv.FormatBool(f.retryable))
	if !own || len(fl.Metadata) == 0 {
		return append([]Field(nil), core[:nc]...)
	}
	md := make([]Field, 0, nc+len(fl.Metadata))
	i, prev, sorted := 0, "", true
	for _, kv := range fl.Metadata {
		k := metadataKey(kv.Key)
		if isCoreKey(k) {
			k = metadataKey("x-" + k)
		}
		// A key made valid by metadataKey may fall out of order.
		sorted = sorted && prev <= k
		prev = k
		for i < nc && core[i].Key <= k {
			md = append(md, core[i])
			i++
		}
		md = append(md, Field{Key: k, Value: validUTF8(kv.Value)})
	}
	md = append(md, core[i:nc]...)
	if !sorted {
		slices.SortStableFunc(md, func(a, b Field) int { return strings.Compare(a.Key, b.Key) })
	}
	return slices.CompactFunc(md, func(a, b Field) bool { return a.Key == b.Key })
}

// isCoreKey reports whether k is a key of the metadata every fault's
// ErrorInfo carries.
func isCoreKey(k string) bool {
	switch k {
	case metaCode, metaImpact, metaRetryable, metaRequestID, metaObject, metaOp, metaDuration:
		return true
	}
	return false
}

// causeChain lists the texts of err's chain, outermost first: at most 16
// entries of at most 256 bytes each, within the walk bound.
func causeChain(err error) []string {
	var out []string
	errwalk.Walk(err, func(e error) bool {
		out = append(out, validUTF8(truncateUTF8(safeText(e), 256)))
		return len(out) >= 16
	})
	return out
}

// Details returns the details the fault carries besides those its fields
// hold (its own ErrorInfo, RetryInfo, Help, LocalizedMessage, ResourceInfo
// and DebugInfo): the standard details set with [Error.WithDetails] or
// derived by an adapter (a vSphere InvalidArgument's BadRequest), and every
// other detail of a received status, in order. A detail of a type this
// program does not link is returned as the *anypb.Any it came in. The
// slice is new; the messages must not be changed.
func (e *Error) Details() []proto.Message {
	if e == nil {
		return nil
	}
	var raw []proto.Message
	if e.rx != nil {
		for _, a := range e.rx.pb.GetDetails() {
			if !modelled(a, e.origin) {
				raw = append(raw, a)
			}
		}
	}
	raw = append(raw, e.fields().Details...)
	out := make([]proto.Message, 0, len(raw))
	for _, m := range raw {
		if a, ok := m.(*anypb.Any); ok {
			if d, err := a.UnmarshalNew(); err == nil {
				m = d
			}
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// modelled reports whether detail a of a received status is held by a
// fault's fields, so that it is made again from them.
func modelled(a *anypb.Any, o origin) bool {
	switch detailType(a) {
	case typeRetryInfo, typeLocalizedMessage, typeResourceInfo, typeDebugInfo:
		return true
	case typeErrorInfo, typeHelp:
		return o == fromPeer
	}
	return false
}

// carried is what a changed copy of a fault read from a status keeps of its
// details: every detail its fields do not hold, in order; all of them when
// the status is not remade (no GSS code, or one this program's registry
// does not know: known false).
func carried(pb *spb.Status, o origin, known bool) []proto.Message {
	var out []proto.Message
	for _, a := range pb.GetDetails() {
		if o == fromForeign || !known || !modelled(a, o) {
			out = append(out, a)
		}
	}
	return out
}
