// Package statusconv turns gRPC statuses into faults. grpcstatus (statuses
// from calls) and httpmap (statuses decoded from JSON bodies) both use it.
package statusconv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/registry"
)

// FromStatus turns st into a fault whose cause is cause; see
// grpcstatus.Converter.FromStatus for the rules.
func FromStatus(reg *registry.Registry, st *status.Status, cause error) *faults.Error {
	var (
		info  *errdetails.ErrorInfo
		retry *errdetails.RetryInfo
		loc   *errdetails.LocalizedMessage
		res   *errdetails.ResourceInfo
	)
	for _, d := range st.Details() { // undecodable details come back as errors: skipped
		switch x := d.(type) {
		case *errdetails.ErrorInfo:
			if info == nil {
				info = x
			}
		case *errdetails.RetryInfo:
			retry = x
		case *errdetails.LocalizedMessage:
			loc = x
		case *errdetails.ResourceInfo:
			res = x
		}
	}
	var d faults.Details
	if loc != nil {
		d.Localized = faults.LocalizedMessage{Locale: loc.GetLocale(), Message: loc.GetMessage()}
	}
	if retry != nil && retry.GetRetryDelay() != nil {
		d.RetryDelay = retry.GetRetryDelay().AsDuration()
	}
	if res != nil && res.GetResourceName() != "" {
		d.Object = res.GetResourceName()
		if res.GetResourceType() != "" {
			d.Object = res.GetResourceType() + ":" + res.GetResourceName()
		}
	}
	if info != nil {
		if e, ok := reg.Lookup(codes.Code(info.GetMetadata()[faults.MetaCode])); ok {
			md := info.GetMetadata()
			d.RequestID = md[faults.MetaRequestID]
			d.Op = md[faults.MetaOp]
			if o := md[faults.MetaObject]; o != "" {
				d.Object = o
			}
			if dur, err := time.ParseDuration(md[faults.MetaDuration]); err == nil {
				d.Duration = dur
			}
			for k, v := range md {
				switch k {
				case faults.MetaCode, faults.MetaImpact, faults.MetaRetryable, faults.MetaRequestID,
					faults.MetaObject, faults.MetaOp, faults.MetaDuration:
					continue
				}
				d.Metadata = append(d.Metadata, faults.Field{Key: k, Value: v})
			}
			return faults.Build(e, st.Message(), cause, d)
		}
	}
	// A foreign status.
	d.Metadata = append(d.Metadata, faults.Field{Key: "grpcCode", Value: st.Code().String()})
	if info != nil {
		d.Metadata = append(d.Metadata,
			faults.Field{Key: "reason", Value: info.GetReason()},
			faults.Field{Key: "domain", Value: info.GetDomain()})
		for k, v := range info.GetMetadata() {
			d.Metadata = append(d.Metadata, faults.Field{Key: k, Value: v})
		}
	}
	e := EntryForCode(reg, st.Code())
	// Only what the status says: AIP-194's default and its own RetryInfo,
	// not the catalog entry's delay.
	e.Retryable, e.RetryDelay = st.Code() == grpccodes.Unavailable, 0
	if !e.Retryable {
		d.RetryDelay = 0
	}
	return faults.Build(e, st.Message(), cause, d)
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
	defer func() {
		if recover() != nil {
			st, ok = nil, false
		}
	}()
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
//     [FromStatus]); fromStatus reports this case;
//   - context.Canceled and context.DeadlineExceeded as RequestCanceled
//     and Timedout;
//   - the catch-all.
//
// The fault's cause is err (or the found fault's own). nil gives nil.
func FaultOf(reg *registry.Registry, err error, classify func(error) *faults.Error) (f *faults.Error, fromStatus bool) {
	if err == nil {
		return nil, false
	}
	if f, ok := faults.As(err); ok {
		return f, false
	}
	if classify != nil {
		if f := classify(err); f != nil {
			return f, false
		}
	}
	if st, ok := StatusOf(err); ok && st.Code() != grpccodes.OK {
		return FromStatus(reg, st, err), true
	}
	switch {
	case errors.Is(err, context.Canceled):
		return ByCode(reg, grpccodes.Canceled, "", err), false
	case errors.Is(err, context.DeadlineExceeded):
		return ByCode(reg, grpccodes.DeadlineExceeded, "", err), false
	}
	return faults.FromEntry(Fallback(reg), "", err), false
}
