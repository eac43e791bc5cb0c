package faults

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/internal/cowmap"
	"github.com/gssfault/gssfault/internal/rpcwire"
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
// Strings that are not valid UTF-8 (which protobuf cannot carry) have
// their bad bytes replaced by U+FFFD. The encoded status stays within
// o.MaxBytes as StatusOptions describes. The status's message, not the
// cause's text, is what a client sees: the cause never leaves the process
// unless DebugInfo is on.
//
// The details are encoded directly, not through proto reflection; a test
// holds them byte-equal to what proto.Marshal writes.
func (e *Error) Status(o StatusOptions) *status.Status {
	if e == nil {
		return nil
	}
	s := scratchPool.Get().(*scratch)
	st := status.FromProto(e.statusProto(o, s)) // FromProto copies: s is free again
	s.release()
	return st
}

// StatusProto returns the status [Error.Status] describes as a
// google.rpc.Status message the caller owns, for embedding in other
// messages or writing in another encoding; nil for a nil *Error.
func (e *Error) StatusProto(o StatusOptions) *spb.Status {
	if e == nil {
		return nil
	}
	s := scratchPool.Get().(*scratch)
	defer s.release()
	p := e.statusProto(o, s)
	// One copy of the encoded details, one array of Anys.
	buf := slices.Clone(s.buf)
	anys := make([]anypb.Any, len(p.Details))
	out := &spb.Status{Code: p.Code, Message: p.Message, Details: make([]*anypb.Any, len(p.Details))}
	lo := 0 // the values lie in s.buf one after the other, in order
	for i, a := range p.Details {
		hi := lo + len(a.Value)
		anys[i].TypeUrl, anys[i].Value = a.TypeUrl, buf[lo:hi:hi]
		out.Details[i] = &anys[i]
		lo = hi
	}
	return out
}

// scratch holds the parts of one status while it is built; pooled, since
// status.FromProto copies what it is given.
type scratch struct {
	buf  []byte
	md   []rpcwire.KV
	seen map[string]bool
	opt  [5]detailPart
	pb   spb.Status
	anys [6]anypb.Any
	ptrs [6]*anypb.Any
}

var scratchPool = sync.Pool{New: func() any { return &scratch{buf: make([]byte, 0, 1024), md: make([]rpcwire.KV, 0, 16)} }}

func (s *scratch) release() {
	if cap(s.buf) > 64<<10 || cap(s.md) > 1024 {
		return // do not keep what an outsized status grew
	}
	s.buf, s.md = s.buf[:0], s.md[:0]
	clear(s.md[:cap(s.md)])
	clear(s.seen)
	s.opt = [5]detailPart{}
	for i := range s.anys {
		s.anys[i].TypeUrl, s.anys[i].Value = "", nil
		s.ptrs[i] = nil
	}
	s.pb.Message, s.pb.Details = "", nil
	scratchPool.Put(s)
}

// detailPart is one optional detail: its type URL and what encodes it.
type detailPart struct {
	url    string
	encode func(e *Error, b []byte) []byte
}

// coreMetadataKeys is how many ErrorInfo metadata keys are never dropped.
const coreMetadataKeys = 3

// statusProto builds the status in s.
func (e *Error) statusProto(o StatusOptions, s *scratch) *spb.Status {
	code := e.entry.GRPCCode
	if code == grpccodes.OK {
		code = grpccodes.Unknown
	}
	msg := rpcwire.ValidUTF8(e.wireMessage(o.ExposeInternal))
	reason, domain := cachedReason(e.entry.FaultType), e.domain(o)
	full := e.wireMetadata(s)
	md := full
	opt := s.opt[:0]
	if e.Retryable() {
		opt = append(opt, detailPart{rpcwire.RetryInfoURL, encodeRetryInfo})
	}
	if e.object != "" {
		opt = append(opt, detailPart{rpcwire.ResourceInfoURL, encodeResourceInfo})
	}
	if e.entry.DocRef != "" {
		opt = append(opt, detailPart{rpcwire.HelpURL, encodeHelp})
	}
	if e.localized.Message != "" {
		opt = append(opt, detailPart{rpcwire.LocalizedMessageURL, encodeLocalized})
	}
	if o.DebugInfo {
		opt = append(opt, detailPart{rpcwire.DebugInfoURL, encodeDebugInfo})
	}
	budget := o.MaxBytes
	if budget <= 0 {
		budget = DefaultMaxStatusBytes
	}
	for final := false; ; {
		// Encode every detail into one buffer; the Anys point into it.
		b := rpcwire.AppendErrorInfo(s.buf[:0], reason, domain, md)
		ends := [6]int{len(b)}
		for i, d := range opt {
			b = d.encode(e, b)
			ends[i+1] = len(b)
		}
		s.buf = b
		size := rpcwire.SizeAny(rpcwire.ErrorInfoURL, ends[0])
		for i, d := range opt {
			size += rpcwire.SizeAny(d.url, ends[i+1]-ends[i])
		}
		if final || rpcwire.SizeStatus(int32(code), msg, size) <= budget {
			s.pb.Code, s.pb.Message = int32(code), msg
			s.anys[0].TypeUrl, s.anys[0].Value = rpcwire.ErrorInfoURL, b[:ends[0]:ends[0]]
			s.ptrs[0] = &s.anys[0]
			for i, d := range opt {
				s.anys[i+1].TypeUrl, s.anys[i+1].Value = d.url, b[ends[i]:ends[i+1]:ends[i+1]]
				s.ptrs[i+1] = &s.anys[i+1]
			}
			s.pb.Details = s.ptrs[:1+len(opt)]
			return &s.pb
		}
		// Over budget: drop and shorten, least important first.
		switch {
		case len(opt) > 1 || len(opt) == 1 && opt[0].url != rpcwire.RetryInfoURL:
			opt = opt[:len(opt)-1]
		case len(md) > coreMetadataKeys:
			md = coreMetadata(full, md[:0:0])
		case len(msg) > 256:
			msg = truncateUTF8(msg, len(msg)/2) + "..."
		default:
			// Only the required parts are left; shorten what can be.
			md = coreMetadata(full, nil)
			for i := range md {
				md[i].Value = truncateUTF8(md[i].Value, 128)
			}
			reason, domain = truncateUTF8(reason, 63), truncateUTF8(domain, 128)
			if len(msg) > 64 {
				msg = truncateUTF8(msg, 64) + "..."
			}
			final = true
		}
	}
}

// coreMetadata returns the never-dropped keys of md, in a new slice.
func coreMetadata(md, out []rpcwire.KV) []rpcwire.KV {
	for _, kv := range md {
		switch kv.Key {
		case MetaCode, MetaImpact, MetaRetryable:
			out = append(out, kv)
		}
	}
	return out
}

func encodeRetryInfo(e *Error, b []byte) []byte {
	return rpcwire.AppendRetryInfo(b, rpcwire.DurationOf(e.RetryDelay()))
}

func encodeResourceInfo(e *Error, b []byte) []byte {
	typ, name, ok := strings.Cut(e.object, ":")
	if !ok {
		typ, name = "", e.object
	}
	return rpcwire.AppendResourceInfo(b, rpcwire.ResourceInfo{ResourceType: rpcwire.ValidUTF8(typ), ResourceName: rpcwire.ValidUTF8(name)})
}

func encodeHelp(e *Error, b []byte) []byte {
	return rpcwire.AppendHelp(b, rpcwire.Link{Description: helpTexts.Get(e.entry.FaultType, helpTextOf), URL: rpcwire.ValidUTF8(e.entry.DocRef)})
}

func encodeLocalized(e *Error, b []byte) []byte {
	return rpcwire.AppendLocalizedMessage(b, rpcwire.LocalizedMessage{
		Locale: rpcwire.ValidUTF8(e.localized.Locale), Message: rpcwire.ValidUTF8(e.localized.Message)})
}

func encodeDebugInfo(e *Error, b []byte) []byte {
	chain := causeChain(e.cause)
	for i := range chain {
		chain[i] = rpcwire.ValidUTF8(chain[i])
	}
	return rpcwire.AppendDebugInfo(b, rpcwire.DebugInfo{StackEntries: chain, Detail: rpcwire.ValidUTF8(safeText(e))})
}

func (e *Error) domain(o StatusOptions) string {
	d := e.entry.Code.Domain()
	if o.Domain != nil {
		if s := o.Domain(d); s != "" {
			return rpcwire.ValidUTF8(s)
		}
	}
	return defaultDomains.Get(string(d), defaultDomainOf)
}

// wireMessage is the message a client sees.
func (e *Error) wireMessage(exposeInternal bool) string {
	switch e.entry.GRPCCode {
	case grpccodes.Internal, grpccodes.Unknown, grpccodes.DataLoss:
		if !exposeInternal {
			return "internal error (" + string(e.entry.Code) + " " + e.entry.FaultType + ")"
		}
	}
	if e.msg != "" {
		return e.msg
	}
	return e.entry.Trigger
}

// wireMetadata is the full ErrorInfo metadata, sorted by key (the order of
// proto.Marshal's deterministic output), in s.md.
func (e *Error) wireMetadata(s *scratch) []rpcwire.KV {
	md := append(s.md[:0],
		rpcwire.KV{Key: MetaCode, Value: rpcwire.ValidUTF8(string(e.entry.Code))},
		rpcwire.KV{Key: MetaImpact, Value: e.entry.Impact.String()},
		rpcwire.KV{Key: MetaRetryable, Value: strconv.FormatBool(e.entry.Retryable)})
	add := func(k, v string) {
		if v != "" {
			md = append(md, rpcwire.KV{Key: k, Value: rpcwire.ValidUTF8(v)})
		}
	}
	add(MetaRequestID, e.requestID)
	add(MetaObject, e.object)
	add(MetaOp, e.op)
	if e.duration > 0 {
		add(MetaDuration, e.duration.String())
	}
	// The fault's own keys, made to fit AIP-193; one that collides with a
	// key already there gets an "x-" prefix, and is dropped if that is
	// taken too.
	taken := func(k string) bool {
		if s.seen != nil {
			return s.seen[k]
		}
		for _, kv := range md {
			if kv.Key == k {
				return true
			}
		}
		return false
	}
	if len(e.meta) > 16 {
		if s.seen == nil {
			s.seen = make(map[string]bool, len(e.meta)+8)
		}
		for _, kv := range md {
			s.seen[kv.Key] = true
		}
	}
	for _, f := range e.meta {
		k := MetadataKey(f.Key)
		if taken(k) {
			k = MetadataKey("x-" + k)
		}
		if taken(k) {
			continue
		}
		if s.seen != nil {
			s.seen[k] = true
		}
		md = append(md, rpcwire.KV{Key: k, Value: rpcwire.ValidUTF8(f.Value)})
	}
	slices.SortFunc(md, func(a, b rpcwire.KV) int { return strings.Compare(a.Key, b.Key) })
	s.md = md
	return md
}

// Per-entry parts of a status, computed once per fault type or domain
// (bounded: custom registries may hold many).
var (
	reasons        = cowmap.Map[string, string]{Max: 4096}
	defaultDomains = cowmap.Map[string, string]{Max: 4096}
	helpTexts      = cowmap.Map[string, string]{Max: 4096}
)

func defaultDomainOf(d string) string { return rpcwire.ValidUTF8(DefaultDomain(codes.Domain(d))) }
func helpTextOf(ft string) string     { return rpcwire.ValidUTF8(ft + " reference") }

func cachedReason(faultType string) string { return reasons.Get(faultType, Reason) }

// MetadataKey makes key fit AIP-193's metadata key syntax
// [a-z][a-zA-Z0-9-_]+, at most 64 characters: characters outside the set
// become '_', a key that does not start with a lower-case letter gets an
// "x" in front, and long keys are cut.
func MetadataKey(key string) string {
	if validMetadataKey(key) {
		return key
	}
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
// A foreign Error or Unwrap method that panics ends the chain there.
func causeChain(err error) (out []string) {
	defer func() {
		if recover() != nil {
			out = append(out, "(panic in a cause's Error or Unwrap)")
		}
	}()
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

// validMetadataKey reports whether key already fits AIP-193's syntax.
func validMetadataKey(key string) bool {
	if len(key) < 2 || len(key) > 64 || !('a' <= key[0] && key[0] <= 'z') {
		return false
	}
	for i := 1; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// safeText is err's text, or a placeholder when a foreign Error method in
// it panics.
func safeText(err error) (s string) {
	defer func() {
		if recover() != nil {
			s = "(panic in Error)"
		}
	}()
	return err.Error()
}
