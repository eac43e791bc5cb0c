package faults

import (
	"context"
	"fmt"

	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/registry"
)

// DefaultMaxStatusBytes is the default budget of an encoded status: the
// grpc-status-details-bin trailer carries the whole status, and peers and
// proxies commonly cap header lists at 8 KiB, past which the client gets a
// bare Internal.
const DefaultMaxStatusBytes = 7 * 1024

// Policy is how a service turns errors into faults and faults into
// statuses at its trust boundary: the one set of settings that the gRPC
// interceptors (grpcstatus.WithPolicy) and the HTTP writers
// (httpmap.WithPolicy) share. The zero Policy is the default: the built-in
// catalog, no classifier, redaction on, no DebugInfo, a 7 KiB budget.
type Policy struct {
	// Registry holds the codes faults are made from and statuses are read
	// against; nil means registry.Default(). A service with codes of its
	// own sets its extended registry on both sides.
	Registry *registry.Registry

	// Classifier turns an error that holds no fault and no gRPC status
	// into a fault, before context errors and the catch-all (see
	// [Policy.FaultOf]); it returns false for errors it does not
	// recognise. vsphere.FromError is one.
	Classifier func(error) (*Error, bool)

	// ExposeInternal sends the messages of Internal, Unknown and DataLoss
	// faults and statuses, which by default are replaced by a generic one,
	// since they tend to carry server internals. Statuses received from
	// another service are redacted the same way.
	ExposeInternal bool

	// DebugInfo adds a DebugInfo detail with the cause chain to the
	// statuses of faults made here, and keeps the DebugInfo of statuses
	// received from another service, which by default are dropped. Off by
	// default: it exposes server internals.
	DebugInfo bool

	// MaxStatusBytes is the budget of an encoded status; 0 means
	// [DefaultMaxStatusBytes]. See [Policy.Status] for what is shed first.
	MaxStatusBytes int

	// OnPanic is called with the value and stack of a panic that a server
	// interceptor, httpmap.Middleware or httpmap.Handler recovered, so the
	// service can log it; the client only gets Internal with a generic
	// message.
	OnPanic func(ctx context.Context, value any, stack []byte)
}

// FaultOf turns err into a fault; nil and false for a nil err. It takes, in
// order (never swallowing a more specific answer for a vaguer one):
//   - a [*Error] in err's tree, as it is;
//   - a gRPC status in err's tree (an error with a GRPCStatus method, as
//     status errors from calls are), read with [Policy.FromStatus]: the
//     fault keeps that status, with err as its cause;
//   - what the Classifier gives, when it recognises err;
//   - context.Canceled and context.DeadlineExceeded, as RequestCanceled
//     (gRPC CANCELLED) and Timedout (DEADLINE_EXCEEDED);
//   - the catch-all (gRPC UNKNOWN).
//
// held reports whether err held the fault or the status already, as
// status.FromError's ok does. The last two rungs are errors of the service
// itself, not vSphere's: their statuses carry only the gRPC code and a
// message, nothing vSphere-specific. One walk of err's tree, bounded by
// [MaxWalk], finds the first two.
func (p Policy) FaultOf(err error) (f *Error, held bool) {
	if err == nil {
		return nil, false
	}
	var st *status.Status
	errwalk.Walk(err, func(e error) bool {
		f = faultAt(e)
		if f == nil && st == nil {
			if s := statusAt(e); s != nil && s.Code() != grpccodes.OK {
				st = s
			}
		}
		return f != nil
	})
	switch {
	case f != nil:
		return f, true
	case st != nil:
		return p.fromStatus(st, err), true
	}
	if p.Classifier != nil {
		if c, ok := p.Classifier(err); ok && c != nil {
			return c, false
		}
	}
	t := tableFor(p.Registry)
	switch {
	case errwalk.Is(err, context.Canceled):
		return serviceFault(t, "RequestCanceled", grpccodes.Canceled, "context canceled", err), false
	case errwalk.Is(err, context.DeadlineExceeded):
		return serviceFault(t, "Timedout", grpccodes.DeadlineExceeded, "context deadline exceeded", err), false
	}
	return serviceFault(t, "", grpccodes.Unknown, "", err), false
}

// statusAt is the status node e gives through its GRPCStatus method; nil
// when it has none or the method panics (a nil receiver it dereferences),
// so that a later node's fault is still found.
func statusAt(e error) (st *status.Status) {
	g, ok := e.(interface{ GRPCStatus() *status.Status })
	if !ok {
		return nil
	}
	defer func() {
		if recover() != nil {
			st = nil
		}
	}()
	return g.GRPCStatus()
}

// Panic returns the fault for a recovered panic with value v: the
// catch-all entry with gRPC code INTERNAL and a generic message, carrying
// nothing vSphere-specific on the wire. The value is kept in the cause,
// which never leaves the process unless DebugInfo is on.
func (p Policy) Panic(v any) *Error {
	return serviceFault(tableFor(p.Registry), "", grpccodes.Internal, "panic", fmt.Errorf("panic: %v", v))
}

// serviceFault is a fault for an error of the service itself: the entry
// of faultType (the catch-all when "" or missing), gRPC code code.
func serviceFault(t *table, faultType string, code grpccodes.Code, msg string, cause error) *Error {
	r, ok := t.byFaultType(faultType)
	if faultType == "" || !ok {
		r = t.fallbackRecord()
	}
	f := newFault(r, msg, cause)
	f.code, f.retryable, f.origin = code, false, fromService
	return f
}
