// Package statusconv turns gRPC statuses into faults. grpcstatus (statuses
// from calls) and httpmap (statuses decoded from JSON bodies) both use it.
package statusconv

import (
	"context"
	"fmt"
	"sync"
	"time"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/internal/rpcwire"
	"github.com/gssfault/gssfault/registry"
)

// FromStatus turns st into a fault whose cause is cause; see
// grpcstatus.Converter.FromStatus for the rules.
func FromStatus(reg *registry.Registry, st *status.Status, cause error) *faults.Error {
	return FromProto(reg, st.Proto(), cause)
}

// Details are the details of a status this package reads, decoded from
// their wire bytes; a detail that does not decode is skipped, as
// status.Details reports it as an error.
type Details struct {
	Info     rpcwire.ErrorInfo
	HasInfo  bool
	Retry    rpcwire.RetryInfo
	Loc      rpcwire.LocalizedMessage
	Resource rpcwire.ResourceInfo
}

// Decode reads the details of p: the first ErrorInfo, the last of each
// other kind. The ErrorInfo's metadata is appended to md.
func Decode(p *spb.Status, md []rpcwire.KV) Details {
	var d Details
	for _, a := range p.GetDetails() {
		switch a.GetTypeUrl() {
		case rpcwire.ErrorInfoURL:
			if !d.HasInfo {
				d.Info, d.HasInfo = rpcwire.DecodeErrorInfoTo(a.GetValue(), md)
			}
		case rpcwire.RetryInfoURL:
			if r, ok := rpcwire.DecodeRetryInfo(a.GetValue()); ok {
				d.Retry = r
			}
		case rpcwire.LocalizedMessageURL:
			if m, ok := rpcwire.DecodeLocalizedMessage(a.GetValue()); ok {
				d.Loc = m
			}
		case rpcwire.ResourceInfoURL:
			if r, ok := rpcwire.DecodeResourceInfo(a.GetValue()); ok {
				d.Resource = r
			}
		}
	}
	return d
}

// scratch is where FromProto gathers metadata that faults.Build copies
// out, so that a conversion allocates no slice it does not return. More
// metadata than fits spills to the heap.
type scratch struct {
	kv     [16]rpcwire.KV
	fields [16]faults.Field
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// FromProto is [FromStatus] for a status proto, which it does not keep.
func FromProto(reg *registry.Registry, p *spb.Status, cause error) *faults.Error {
	s := scratchPool.Get().(*scratch)
	f := fromProto(reg, p, cause, s)
	*s = scratch{} // keep no strings of p alive in the pool
	scratchPool.Put(s)
	return f
}

func fromProto(reg *registry.Registry, p *spb.Status, cause error, s *scratch) *faults.Error {
	code, msg := grpccodes.Code(p.GetCode()), p.GetMessage()
	det := Decode(p, s.kv[:0])
	d := faults.Details{Metadata: s.fields[:0]}
	if det.Loc.Message != "" || det.Loc.Locale != "" {
		d.Localized = faults.LocalizedMessage{Locale: det.Loc.Locale, Message: det.Loc.Message}
	}
	if det.Retry.HasDelay {
		d.RetryDelay = det.Retry.Delay.AsDuration()
	}
	info := &det.Info
	if det.HasInfo {
		gss, _ := info.Get(faults.MetaCode)
		if e, ok := reg.Lookup(codes.Code(gss)); ok {
			for _, kv := range info.Metadata {
				switch kv.Key {
				case faults.MetaCode, faults.MetaImpact, faults.MetaRetryable:
				case faults.MetaRequestID:
					d.RequestID = kv.Value
				case faults.MetaOp:
					d.Op = kv.Value
				case faults.MetaObject:
					if kv.Value != "" {
						d.Object = kv.Value
					}
				case faults.MetaDuration:
					if dur, err := time.ParseDuration(kv.Value); err == nil {
						d.Duration = dur
					}
				default:
					d.Metadata = append(d.Metadata, faults.Field{Key: kv.Key, Value: kv.Value})
				}
			}
			if d.Object == "" {
				d.Object = resourceObject(det.Resource)
			}
			return faults.Build(e, msg, cause, d)
		}
	}
	// A foreign status.
	d.Object = resourceObject(det.Resource)
	d.Metadata = append(d.Metadata, faults.Field{Key: "grpcCode", Value: code.String()})
	if det.HasInfo {
		d.Metadata = append(d.Metadata,
			faults.Field{Key: "reason", Value: info.Reason},
			faults.Field{Key: "domain", Value: info.Domain})
		for _, kv := range info.Metadata {
			d.Metadata = append(d.Metadata, faults.Field{Key: kv.Key, Value: kv.Value})
		}
	}
	e := EntryForCode(reg, code)
	// Only what the status says: AIP-194's default and its own RetryInfo,
	// not the catalog entry's delay.
	e.Retryable, e.RetryDelay = code == grpccodes.Unavailable, 0
	if !e.Retryable {
		d.RetryDelay = 0
	}
	return faults.Build(e, msg, cause, d)
}

// resourceObject is the "Type:name" a ResourceInfo names, or its name
// alone, or "". It is built only when no ErrorInfo "object" says it already.
func resourceObject(r rpcwire.ResourceInfo) string {
	if r.ResourceName == "" || r.ResourceType == "" {
		return r.ResourceName
	}
	return r.ResourceType + ":" + r.ResourceName
}

// ByCode builds the fault for a gRPC code without details.
func ByCode(reg *registry.Registry, code grpccodes.Code, msg string, cause error) *faults.Error {
	return faults.Build(EntryForCode(reg, code), msg, cause, faults.Details{})
}

// codeFaultTypes names the catalog entry that stands for each gRPC code
// when a status carries no GSS code; each has that gRPC code in the
// catalog, so the round trip keeps the code. Codes without a matching entry
// (DataLoss, OutOfRange, Unknown) take the catch-all.
var codeFaultTypes = map[grpccodes.Code]string{
	grpccodes.Canceled:           "RequestCanceled",
	grpccodes.InvalidArgument:    "InvalidArgument",
	grpccodes.DeadlineExceeded:   "Timedout",
	grpccodes.NotFound:           "NotFound",
	grpccodes.AlreadyExists:      "AlreadyExists",
	grpccodes.PermissionDenied:   "NoPermission",
	grpccodes.ResourceExhausted:  "InsufficientResourcesFault",
	grpccodes.FailedPrecondition: "InvalidState",
	grpccodes.Aborted:            "ConcurrentAccess",
	grpccodes.Unimplemented:      "NotSupported",
	grpccodes.Internal:           "SystemError",
	grpccodes.Unavailable:        "ServiceUnavailable",
	grpccodes.Unauthenticated:    "NotAuthenticated",
}

// EntryForCode returns the entry that stands for a gRPC code.
func EntryForCode(reg *registry.Registry, code grpccodes.Code) registry.Entry {
	if ft, ok := codeFaultTypes[code]; ok {
		if e, ok := reg.ByFaultType(ft); ok {
			return e
		}
	}
	e := Fallback(reg)
	if code != grpccodes.OK && code <= grpccodes.Unauthenticated {
		e.GRPCCode = code // keep the received code on the wire
	}
	return e
}

// Fallback returns reg's catch-all entry, or the built-in one.
func Fallback(reg *registry.Registry) registry.Entry {
	if fb, ok := reg.Fallback(); ok {
		return fb
	}
	fb, _ := registry.Default().Fallback()
	return fb
}

// StatusOf returns the gRPC status of the first error in err's tree that
// has a GRPCStatus method, as that error reports it. Unlike
// status.FromError, which for a wrapped error clones the status and
// replaces its message with the wrapper's whole text, it keeps the message
// the peer sent, and it walks the tree with the bounded, nil-safe walker
// (a panicking foreign method is recovered as "none"). ok is false when
// no error in the tree has a status.
func StatusOf(err error) (st *status.Status, ok bool) {
	if err == nil {
		return nil, false
	}
	errwalk.Walk(err, func(e error) bool {
		if g, is := e.(interface{ GRPCStatus() *status.Status }); is {
			if s := g.GRPCStatus(); s != nil {
				st = s
				return true
			}
		}
		return false
	})
	return st, st != nil
}

// Panic is the fault for a recovered panic with value v: the SystemError
// entry (gRPC Internal, HTTP 500), or the fallback made Internal when the
// registry has no such entry. The value is kept in the cause, which never
// leaves the process unless DebugInfo is enabled.
func Panic(reg *registry.Registry, v any) *faults.Error {
	e, ok := reg.ByFaultType("SystemError")
	if !ok || e.GRPCCode != grpccodes.Internal {
		e = Fallback(reg)
		e.GRPCCode, e.HTTPStatus = grpccodes.Internal, 500
	}
	return faults.FromEntry(e, "panic in handler", fmt.Errorf("panic: %v", v))
}

// FaultOf turns any error into a fault, in this order:
//   - a *faults.Error in err's tree, as it is;
//   - classify(err), when classify is not nil and gives a fault;
//   - the fault the gRPC status in err's tree describes ([StatusOf],
//     [FromProto]); received is then that status, a copy the caller owns;
//   - context.Canceled and context.DeadlineExceeded as RequestCanceled
//     and Timedout;
//   - the catch-all.
//
// The fault's cause is err (or the found fault's own). nil gives nil.
func FaultOf(reg *registry.Registry, err error, classify func(error) *faults.Error) (f *faults.Error, received *spb.Status) {
	if err == nil {
		return nil, nil
	}
	if f, ok := faults.As(err); ok {
		return f, nil
	}
	if classify != nil {
		if f := classify(err); f != nil {
			return f, nil
		}
	}
	if st, ok := StatusOf(err); ok && st.Code() != grpccodes.OK {
		p := st.Proto()
		return FromProto(reg, p, err), p
	}
	switch {
	case errwalk.Is(err, context.Canceled):
		return ByCode(reg, grpccodes.Canceled, "", err), nil
	case errwalk.Is(err, context.DeadlineExceeded):
		return ByCode(reg, grpccodes.DeadlineExceeded, "", err), nil
	}
	return faults.FromEntry(Fallback(reg), "", err), nil
}
