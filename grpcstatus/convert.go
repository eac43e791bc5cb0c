package grpcstatus

import (
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/statusconv"
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
//     err as its cause; the message is the one the peer sent, not the
//     wrapper's text as status.FromError would make it;
//   - context.Canceled and context.DeadlineExceeded give RequestCanceled
//     (Canceled) and Timedout (DeadlineExceeded);
//   - anything else gives the catch-all entry.
func (c *Converter) FromError(err error) *faults.Error {
	f, _ := statusconv.FaultOf(c.cfg.reg, err, nil)
	return f
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
	return statusconv.FromStatus(c.cfg.reg, st, st.Err())
}

// toStatusError is what a server interceptor returns for a fault.
func (c *config) toStatusError(f *faults.Error) error {
	return f.Status(c.status).Err()
}
