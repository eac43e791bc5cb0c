package grpcstatus

import (
	"context"
	"errors"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
)

// FromError turns an error from a gRPC call into a fault, with the default
// registry; nil only for nil. See [Converter.FromError].
func FromError(err error) *faults.Error { return defaultConverter.FromError(err) }

// FromStatus turns a status into a fault, with the default registry; nil
// for nil or an OK status. See [Converter.FromStatus].
func FromStatus(st *status.Status) *faults.Error { return defaultConverter.FromStatus(st) }

var defaultConverter = NewConverter()

// Converter converts statuses with one configuration. It is safe for
// concurrent use.
type Converter struct{ cfg *config }

// NewConverter returns a converter; WithRegistry is the option that
// matters on the client side.
func NewConverter(opts ...Option) *Converter { return &Converter{cfg: newConfig(opts)} }

// FromError turns err into a fault; nil only for a nil err:
//   - an error that already holds a *faults.Error gives that fault;
//   - an error with a gRPC status (a status error, wrapped or not) gives
//     the fault the status describes (see [Converter.FromStatus]), with
//     err as its cause;
//   - context.Canceled and context.DeadlineExceeded give RequestCanceled
//     (Canceled) and Timedout (DeadlineExceeded);
//   - anything else gives the catch-all entry.
func (c *Converter) FromError(err error) *faults.Error {
	if err == nil {
		return nil
	}
	if f, ok := faults.As(err); ok {
		return f
	}
	if st, ok := status.FromError(err); ok && st != nil && st.Code() != grpccodes.OK {
		return c.fromStatus(st, err)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return c.byCode(grpccodes.Canceled, "", err)
	case errors.Is(err, context.DeadlineExceeded):
		return c.byCode(grpccodes.DeadlineExceeded, "", err)
	}
	fb := c.fallback()
	return faults.FromEntry(fb, "", err)
}

// FromStatus turns st into a fault whose cause is st.Err(); nil for nil or
// OK. With an ErrorInfo that carries a GSS code the registry knows, the
// fault is that entry's, with the message, metadata, request context,
// localized message and retry delay of the details. Without one (a service
// that does not use gssfault) the fault is the catalog entry that stands
// for the status's gRPC code (NotFound for NOT_FOUND, ServiceUnavailable
// for UNAVAILABLE, ...), retryable only for UNAVAILABLE (AIP-194), with
// the received code in metadata "grpcCode" and the ErrorInfo reason and
// domain, if any, in "reason" and "domain". Unknown detail types never
// cause an error; they stay on the cause.
func (c *Converter) FromStatus(st *status.Status) *faults.Error {
	if st == nil || st.Code() == grpccodes.OK {
		return nil
	}
	return c.fromStatus(st, st.Err())
}

func (c *Converter) fromStatus(st *status.Status, cause error) *faults.Error {
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
		if e, ok := c.cfg.reg.Lookup(codes.Code(info.GetMetadata()[faults.MetaCode])); ok {
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
	e := c.entryForCode(st.Code())
	// Only what the status says: AIP-194's default and its own RetryInfo,
	// not the catalog entry's delay.
	e.Retryable, e.RetryDelay = st.Code() == grpccodes.Unavailable, 0
	if !e.Retryable {
		d.RetryDelay = 0
	}
	return faults.Build(e, st.Message(), cause, d)
}

// byCode builds the fault for a gRPC code without details.
func (c *Converter) byCode(code grpccodes.Code, msg string, cause error) *faults.Error {
	return faults.Build(c.entryForCode(code), msg, cause, faults.Details{})
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

func (c *Converter) entryForCode(code grpccodes.Code) registry.Entry {
	if ft, ok := codeFaultTypes[code]; ok {
		if e, ok := c.cfg.reg.ByFaultType(ft); ok {
			return e
		}
	}
	e := c.fallback()
	if code != grpccodes.OK && code <= grpccodes.Unauthenticated {
		e.GRPCCode = code // keep the received code on the wire
	}
	return e
}

func (c *Converter) fallback() registry.Entry {
	if fb, ok := c.cfg.reg.Fallback(); ok {
		return fb
	}
	fb, _ := registry.Default().Fallback()
	return fb
}

// toStatusError is what a server interceptor returns for a fault.
func (c *config) toStatusError(f *faults.Error) error {
	return f.Status(c.status).Err()
}
