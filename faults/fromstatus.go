package faults

import (
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/internal/wirepb"
)

// FromStatus turns a status received from a call into a fault with the
// zero [Policy] (the built-in catalog); see [Policy.FromStatus].
func FromStatus(st *status.Status) (*Error, bool) { return Policy{}.FromStatus(st) }

// FromStatus turns a received status into a fault whose cause is st.Err();
// nil and false for a nil or OK status. The fault keeps st: sending it on
// ([Error.GRPCStatus], [Policy.Status], httpmap.WriteError, the gateway
// handler) sends st as it came, every detail in order, unknown types
// included, subject only to the sender's redaction.
//
//   - A status whose first ErrorInfo carries a GSS code in metadata
//     gssCode (as gssfault sends) gives that code's fault: the entry from
//     p.Registry, or, for a code the registry does not hold, the catch-all
//     entry with that code (Known false). Message, request ID, operation,
//     object, duration, the rest of the metadata, the localized message and
//     the RetryInfo delay come from the details.
//   - A status without one (from a service that does not use gssfault) is
//     foreign: its fault is the catalog entry that stands for its gRPC code
//     (NotFound for NOT_FOUND, InvalidArgument for INVALID_ARGUMENT and
//     OUT_OF_RANGE, ServiceUnavailable for UNAVAILABLE, ...; the catch-all
//     for UNKNOWN, INTERNAL and DATA_LOSS), so that errors.Is and
//     Retryable work on it. Its ErrorInfo's reason, domain and metadata, if
//     any, are in the fault's metadata ("reason", "domain").
//
// Either way [Error.GRPCCode] is the received code, and the received code
// decides retryability (see [Error.Retryable]). Details that do not decode
// are skipped, never an error.
func (p Policy) FromStatus(st *status.Status) (*Error, bool) {
	if st == nil || st.Code() == grpccodes.OK {
		return nil, false
	}
	return p.fromStatus(st, st.Err()), true
}

func (p Policy) fromStatus(st *status.Status, cause error) *Error {
	pb := st.Proto()
	var (
		info  *wirepb.ErrorInfo
		retry *errdetails.RetryInfo
		loc   *errdetails.LocalizedMessage
		res   *errdetails.ResourceInfo
		rx    = &received{st: st}
	)
	// The first of each type that decodes counts; each is allocated only
	// when the status has one, and kept for httpmap (rx.dec).
	for i, a := range pb.GetDetails() {
		var d proto.Message
		switch detailType(a) {
		case typeErrorInfo:
			if info == nil {
				info = decoded(a.GetValue(), new(wirepb.ErrorInfo))
				d = protoOrNil(info)
			}
		case typeRetryInfo:
			if retry == nil {
				retry = decoded(a.GetValue(), new(errdetails.RetryInfo))
				d = protoOrNil(retry)
			}
		case typeLocalizedMessage:
			if loc == nil {
				loc = decoded(a.GetValue(), new(errdetails.LocalizedMessage))
				d = protoOrNil(loc)
			}
		case typeResourceInfo:
			if res == nil {
				res = decoded(a.GetValue(), new(errdetails.ResourceInfo))
				d = protoOrNil(res)
			}
		case typeDebugInfo:
			rx.debug = true
		}
		if d != nil {
			if rx.dec == nil {
				rx.dec = make([]proto.Message, len(pb.GetDetails()))
			}
			rx.dec[i] = d
		}
	}
	rx.pb = pb
	code := st.Code()
	t := tableFor(p.Registry)
	var f *Error
	var x extra
	md := infoMetadata(info)
	v, _ := lookupMeta(md, metaCode)
	gss := codes.Code(v)
	if gss.Valid() {
		f = newFault(t.lookup(gss), pb.GetMessage(), cause)
		f.origin = fromPeer
		own := md[:0] // the fault's own keys, filtered in place
		for _, kv := range md {
			k, v := kv.Key, kv.Value
			switch k {
			case metaCode, metaImpact, metaRetryable:
			case metaRequestID:
				x.requestID = v
			case metaOp:
				x.op = v
			case metaObject:
				x.object = v
			case metaDuration:
				if d, err := time.ParseDuration(v); err == nil && d > 0 {
					x.duration = d
				}
			default:
				own = append(own, kv)
			}
		}
		x.meta = own
	} else {
		f = newFault(t.forCode(code), pb.GetMessage(), cause)
		f.origin = fromForeign
		if info != nil {
			x.meta = append(x.meta, Field{"reason", info.GetReason()}, Field{"domain", info.GetDomain()})
			x.meta = append(x.meta, md...)
		}
	}
	if f.origin == fromForeign {
		x.meta = normalizeMeta(x.meta)
	} else if len(x.meta) == 0 {
		x.meta = nil
	}
	if x.object == "" && res != nil {
		x.object = res.GetResourceName()
		if typ := res.GetResourceType(); typ != "" && x.object != "" {
			x.object = typ + ":" + x.object
		}
	}
	if loc.GetMessage() != "" {
		x.localized = LocalizedMessage{Locale: loc.GetLocale(), Message: loc.GetMessage()}
	}
	if retry.GetRetryDelay().IsValid() {
		x.retryDelay = max(retry.GetRetryDelay().AsDuration(), 0)
	}
	f.code, f.rx = code, rx
	// The code the peer sent decides: the entry's retryability holds only
	// for the entry's own code, else AIP-194's default.
	if code == f.ent.GRPCCode && f.origin == fromPeer {
		f.retryable = f.ent.Retryable
	} else {
		f.retryable = code == grpccodes.Unavailable
	}
	if !x.empty() {
		f.x = new(extra)
		*f.x = x
	}
	return f
}

// protoOrNil is m as a proto.Message, nil (not a typed nil) for a nil m.
func protoOrNil[M interface {
	proto.Message
	comparable
}](m M) proto.Message {
	var zero M
	if m == zero {
		return nil
	}
	return m
}

// decoded is m with b unmarshalled into it, or nil when b does not decode.
func decoded[M proto.Message](b []byte, m M) M {
	if proto.Unmarshal(b, m) != nil {
		var zero M
		return zero
	}
	return m
}

// codeFaultTypes names the catalog entry that stands for each gRPC code
// in a status without a GSS code. UNKNOWN, INTERNAL and DATA_LOSS take the
// catch-all: no vSphere fault says "some server failed".
var codeFaultTypes = [...]string{
	grpccodes.Canceled:           "RequestCanceled",
	grpccodes.InvalidArgument:    "InvalidArgument",
	grpccodes.DeadlineExceeded:   "Timedout",
	grpccodes.NotFound:           "NotFound",
	grpccodes.AlreadyExists:      "AlreadyExists",
	grpccodes.PermissionDenied:   "NoPermission",
	grpccodes.ResourceExhausted:  "InsufficientResourcesFault",
	grpccodes.FailedPrecondition: "InvalidState",
	grpccodes.Aborted:            "ConcurrentAccess",
	grpccodes.OutOfRange:         "InvalidArgument",
	grpccodes.Unimplemented:      "NotSupported",
	grpccodes.Unavailable:        "ServiceUnavailable",
	grpccodes.Unauthenticated:    "NotAuthenticated",
	grpccodes.Unknown:            "",
	grpccodes.Internal:           "",
	grpccodes.DataLoss:           "",
}

// forCode returns the record that stands for a gRPC code.
func (t *table) forCode(code grpccodes.Code) *entry {
	if int(code) < len(codeFaultTypes) {
		if ft := codeFaultTypes[code]; ft != "" {
			if r, ok := t.byFaultType(ft); ok {
				return r
			}
		}
	}
	return t.fallbackRecord()
}

// infoMetadata is an ErrorInfo's metadata as fields, sorted by key, the
// last of a repeated key kept (as a map field's decoding keeps it).
func infoMetadata(info *wirepb.ErrorInfo) []Field {
	if info == nil || len(info.Metadata) == 0 {
		return nil
	}
	md := make([]Field, len(info.Metadata))
	for i, kv := range info.Metadata {
		md[i] = Field{Key: kv.GetKey(), Value: kv.GetValue()}
	}
	return normalizeMeta(md)
}

func lookupMeta(md []Field, key string) (string, bool) {
	for _, f := range md {
		if f.Key == key {
			return f.Value, true
		}
	}
	return "", false
}
