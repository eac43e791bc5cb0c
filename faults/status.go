package faults

import (
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/gssfault/gssfault/codes"
)

// ErrorInfo metadata keys that [Error.GRPCStatus] writes and grpcstatus
// reads back. The fault's own metadata goes in under its own keys;
// a key of its that collides with one of these is sent as "x-<key>".
const (
	MetaCode      = "gssCode"
	MetaImpact    = "impact"
	MetaRetryable = "retryable"
	MetaRequestID = "requestId"
	MetaObject    = "object"
	MetaOp        = "op"
	MetaDuration  = "duration"
)

// DefaultMaxStatusBytes is the default budget of an encoded status: the
// grpc-status-details-bin trailer carries the whole status, and peers and
// proxies commonly cap header lists at 8 KiB, past which the client gets a
// bare Internal.
const DefaultMaxStatusBytes = 7 * 1024

// StatusOptions decide how a fault becomes a gRPC status; the zero value is
// the default [Error.GRPCStatus] uses.
type StatusOptions struct {
	// Domain returns the ErrorInfo domain for a GSS domain; nil means
	// [DefaultDomain].
	Domain func(codes.Domain) string
	// ExposeInternal sends the fault's own message for Internal, Unknown
	// and DataLoss faults. By default the client gets a generic message
	// naming only the code and fault type, since such messages tend to
	// carry server internals.
	ExposeInternal bool
	// DebugInfo adds a DebugInfo detail with the cause chain (one entry per
	// wrapped error). Off by default: it exposes server internals.
	DebugInfo bool
	// MaxBytes is the budget of the encoded status; 0 means
	// [DefaultMaxStatusBytes]. Over budget, the optional details go first
	// (DebugInfo, LocalizedMessage, Help, ResourceInfo), then the fault's
	// own metadata, then the message is shortened; the code, ErrorInfo's
	// reason, domain and GSS code always stay.
	MaxBytes int
}

// DefaultDomain is the ErrorInfo domain of a GSS domain: "gssfault.vsp",
// "gssfault.nsx", "gssfault.tkg" (the lower-case domain under "gssfault."):
// stable, and together with the reason the error's identity. Services that
// want their own name set StatusOptions.Domain (grpcstatus.WithDomain).
func DefaultDomain(d codes.Domain) string {
	if d == "" {
		return "gssfault"
	}
	return "gssfault." + strings.ToLower(string(d))
}

// Reason returns the AIP-193 ErrorInfo reason for a fault type: upper snake
// case ("HostNotReachable" is "HOST_NOT_REACHABLE", "SSLVerifyFault" is
// "SSL_VERIFY_FAULT"), only A-Z, 0-9 and _, at most 63 characters. An
// empty or unusable fault type gives "UNKNOWN".
func Reason(faultType string) string {
	var b strings.Builder
	prevLower := false
	for i := 0; i < len(faultType); i++ {
		c := faultType[i]
		switch {
		case 'a' <= c && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
			prevLower = true
			continue
		case '0' <= c && c <= '9':
			if b.Len() == 0 {
				continue
			}
			b.WriteByte(c)
			prevLower = true
			continue
		case 'A' <= c && c <= 'Z':
			nextLower := i+1 < len(faultType) && 'a' <= faultType[i+1] && faultType[i+1] <= 'z'
			upperRun := i > 0 && 'A' <= faultType[i-1] && faultType[i-1] <= 'Z'
			if b.Len() > 0 && (prevLower || upperRun && nextLower) {
				b.WriteByte('_')
			}
			b.WriteByte(c)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
		}
		prevLower = false
	}
	r := strings.TrimRight(b.String(), "_")
	if len(r) > 63 {
		r = strings.TrimRight(r[:63], "_")
	}
	if len(r) < 2 {
		return "UNKNOWN"
	}
	return r
}

// GRPCStatus returns the fault as a gRPC status with the default
// [StatusOptions]: see [Error.Status]. grpc-go calls it through
// [status.FromError] and when a handler returns the fault, wrapped or not,
// so a server needs no adapter for the client to get the details. It
// returns nil for a nil *Error.
func (e *Error) GRPCStatus() *status.Status { return e.Status(StatusOptions{}) }

// Status returns the fault as a gRPC status: the entry's gRPC code, the
// message (generic for Internal, Unknown and DataLoss unless
// o.ExposeInternal), and these details, each at most once:
//   - ErrorInfo: reason [Reason](fault type), domain o.Domain(GSS domain),
//     metadata gssCode, impact, retryable, and when set requestId, object,
//     op, duration and the fault's own metadata (keys made to fit AIP-193);
//   - RetryInfo with the retry delay, when the fault is retryable;
//   - Help with the entry's documentation reference, when it has one;
//   - LocalizedMessage, when the fault has one;
//   - ResourceInfo for the managed object, when set;
//   - DebugInfo with the cause chain, only when o.DebugInfo.
//
// The encoded status stays within o.MaxBytes as StatusOptions describes.
// The status's message, not the cause's text, is what a client sees: the
// cause never leaves the process unless DebugInfo is on.
func (e *Error) Status(o StatusOptions) *status.Status {
	if e == nil {
		return nil
	}
	code := e.entry.GRPCCode
	if code == grpccodes.OK {
		code = grpccodes.Unknown
	}
	msg := e.wireMessage(o.ExposeInternal)
	info := &errdetails.ErrorInfo{
		Reason:   Reason(e.entry.FaultType),
		Domain:   e.domain(o),
		Metadata: e.wireMetadata(),
	}
	var optional []proto.Message // in the order they are dropped, last first
	if e.Retryable() {
		optional = append(optional, &errdetails.RetryInfo{RetryDelay: durationpb.New(e.RetryDelay())})
	}
	if e.object != "" {
		typ, name, ok := strings.Cut(e.object, ":")
		if !ok {
			typ, name = "", e.object
		}
		optional = append(optional, &errdetails.ResourceInfo{ResourceType: typ, ResourceName: name})
	}
	if e.entry.DocRef != "" {
		optional = append(optional, &errdetails.Help{Links: []*errdetails.Help_Link{{
			Description: e.entry.FaultType + " reference", Url: e.entry.DocRef,
		}}})
	}
	if e.localized.Message != "" {
		optional = append(optional, &errdetails.LocalizedMessage{Locale: e.localized.Locale, Message: e.localized.Message})
	}
	if o.DebugInfo {
		optional = append(optional, &errdetails.DebugInfo{StackEntries: causeChain(e.cause), Detail: e.Error()})
	}
	budget := o.MaxBytes
	if budget <= 0 {
		budget = DefaultMaxStatusBytes
	}
	if estimate(msg, info, e, o.DebugInfo) < budget-512 {
		return build(code, msg, info, optional) // clearly within budget: skip the measuring
	}
	for {
		st := build(code, msg, info, optional)
		if proto.Size(st.Proto()) <= budget {
			return st
		}
		switch {
		case len(optional) > 1 || len(optional) == 1 && !isRetryInfo(optional[0]):
			optional = optional[:len(optional)-1]
		case len(info.Metadata) > coreMetadataKeys:
			info.Metadata = e.wireMetadataCore()
		case len(msg) > 256:
			msg = truncateUTF8(msg, len(msg)/2) + "..."
		default:
			// Only the required parts are left; shorten their values.
			for k, v := range info.Metadata {
				if len(v) > 128 {
					info.Metadata[k] = truncateUTF8(v, 128)
				}
			}
			if len(msg) > 64 {
				msg = truncateUTF8(msg, 64) + "..."
			}
			if len(optional) == 1 {
				optional = nil
			}
			return build(code, msg, info, optional)
		}
	}
}

// estimate is an upper bound of the encoded size of a status built from
// these parts, cheap enough to skip measuring small statuses.
func estimate(msg string, info *errdetails.ErrorInfo, e *Error, debug bool) int {
	n := 256 + 2*len(msg) + len(info.Reason) + len(info.Domain) // framing of the status and each detail
	for k, v := range info.Metadata {
		n += len(k) + len(v) + 8
	}
	return n + len(e.entry.DocRef) + len(e.entry.FaultType) + 2*len(e.object) + 2*len(e.localized.Message) + len(e.localized.Locale) +
		8192*boolInt(debug) // DebugInfo, when asked for, is always measured
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isRetryInfo(m proto.Message) bool { _, ok := m.(*errdetails.RetryInfo); return ok }

func build(code grpccodes.Code, msg string, info *errdetails.ErrorInfo, optional []proto.Message) *status.Status {
	details := make([]protoadapt.MessageV1, 0, 1+len(optional))
	details = append(details, protoadapt.MessageV1Of(info))
	for _, m := range optional {
		details = append(details, protoadapt.MessageV1Of(m))
	}
	st, err := status.New(code, msg).WithDetails(details...)
	if err != nil { // only for a nil or unmarshalable detail, which these are not
		return status.New(code, msg)
	}
	return st
}

func (e *Error) domain(o StatusOptions) string {
	d := e.entry.Code.Domain()
	if o.Domain != nil {
		if s := o.Domain(d); s != "" {
			return s
		}
	}
	return DefaultDomain(d)
}

// wireMessage is the message a client sees.
func (e *Error) wireMessage(exposeInternal bool) string {
	switch e.entry.GRPCCode {
	case grpccodes.Internal, grpccodes.Unknown, grpccodes.DataLoss:
		if !exposeInternal {
			return fmt.Sprintf("internal error (%s %s)", e.entry.Code, e.entry.FaultType)
		}
	}
	if e.msg != "" {
		return e.msg
	}
	return e.entry.Trigger
}

// coreMetadataKeys is how many keys wireMetadataCore writes.
const coreMetadataKeys = 3

// wireMetadataCore is the ErrorInfo metadata that is never dropped.
func (e *Error) wireMetadataCore() map[string]string {
	return map[string]string{
		MetaCode:      string(e.entry.Code),
		MetaImpact:    e.entry.Impact.String(),
		MetaRetryable: strconv.FormatBool(e.entry.Retryable),
	}
}

// wireMetadata is the full ErrorInfo metadata.
func (e *Error) wireMetadata() map[string]string {
	m := e.wireMetadataCore()
	set := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	set(MetaRequestID, e.requestID)
	set(MetaObject, e.object)
	set(MetaOp, e.op)
	if e.duration > 0 {
		m[MetaDuration] = e.duration.String()
	}
	for _, f := range e.meta {
		k := MetadataKey(f.Key)
		if _, taken := m[k]; taken {
			k = MetadataKey("x-" + k)
		}
		if _, taken := m[k]; !taken {
			m[k] = f.Value
		}
	}
	return m
}

// MetadataKey makes key fit AIP-193's metadata key syntax
// [a-z][a-zA-Z0-9-_]+, at most 64 characters: characters outside the set
// become '_', a key that does not start with a lower-case letter gets an
// "x" in front, and long keys are cut.
func MetadataKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key) && b.Len() < 64; i++ {
		c := key[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			c = '_'
		}
		if b.Len() == 0 && !('a' <= c && c <= 'z') {
			b.WriteByte('x')
		}
		b.WriteByte(c)
	}
	s := b.String()
	if len(s) > 64 {
		s = s[:64]
	}
	if len(s) < 2 {
		s = (s + "xx")[:2]
	}
	return s
}

// causeChain lists the texts of err's Unwrap chain, outermost first, at
// most 16 entries of at most 256 bytes each.
func causeChain(err error) []string {
	var out []string
	for err != nil && len(out) < 16 {
		out = append(out, truncateUTF8(err.Error(), 256))
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			break
		}
		err = u.Unwrap()
	}
	return out
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
