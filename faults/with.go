package faults

import (
	"time"

	"google.golang.org/protobuf/proto"
)

// with returns a copy of e changed by set, or nil for a nil e. What the
// copies share is never changed in place.
//
// A change to what the wire carries (every With method but WithCause)
// makes the copy no longer the status it was read from: its status is then
// built from its fields, keeping every detail of the received status that
// the fields do not hold, in order (see [Policy.Status]). A status with no
// GSS code, or with one this program's registry does not know, is not
// remade from the entry that stands in for it: the copy sends its code,
// its message and the received details as they came.
func (e *Error) with(wire bool, set func(c *Error, x *extra)) *Error {
	if e == nil {
		return nil
	}
	c := *e
	x := *e.x.get()
	if wire && c.rx != nil {
		x.details = append(carried(c.rx.pb, c.origin, c.ent.known), x.details...)
		c.rx = nil
	}
	set(&c, &x)
	c.x = &x
	return &c
}

// WithMessage returns a copy of e with message msg. It returns nil for a
// nil e, as every With method does.
func (e *Error) WithMessage(msg string) *Error {
	return e.with(true, func(c *Error, _ *extra) { c.msg = msg })
}

// WithCause returns a copy of e that wraps cause. The cause never leaves
// the process, so a fault read from a status keeps sending that status.
func (e *Error) WithCause(cause error) *Error {
	return e.with(false, func(c *Error, _ *extra) { c.cause = cause })
}

// WithOp returns a copy of e recording the operation that failed, such as
// a vSphere method name ("PowerOnVM_Task") or an RPC method.
func (e *Error) WithOp(op string) *Error {
	return e.with(true, func(_ *Error, x *extra) { x.op = op })
}

// WithObject returns a copy of e recording the managed object the fault
// concerns, written "Type:value" ("VirtualMachine:vm-42").
func (e *Error) WithObject(object string) *Error {
	return e.with(true, func(_ *Error, x *extra) { x.object = object })
}

// WithRequestID returns a copy of e recording the request ID of the call.
func (e *Error) WithRequestID(id string) *Error {
	return e.with(true, func(_ *Error, x *extra) { x.requestID = id })
}

// WithDuration returns a copy of e recording how long the call took.
func (e *Error) WithDuration(d time.Duration) *Error {
	return e.with(true, func(_ *Error, x *extra) { x.duration = max(d, 0) })
}

// WithRetryDelay returns a copy of e whose [Error.RetryDelay] is d instead
// of the entry's default. It has no effect on a fault that is not
// retryable: RetryDelay stays 0.
func (e *Error) WithRetryDelay(d time.Duration) *Error {
	return e.with(true, func(_ *Error, x *extra) { x.retryDelay = max(d, 0) })
}

// WithLocalized returns a copy of e with a message in the given locale.
func (e *Error) WithLocalized(locale, msg string) *Error {
	return e.with(true, func(_ *Error, x *extra) { x.localized = LocalizedMessage{Locale: locale, Message: msg} })
}

// WithMetadata returns a copy of e with each key/value pair of fields set,
// replacing earlier values of the same key (later fields win); empty keys
// are ignored. On the wire the keys are made to fit AIP-193's syntax.
func (e *Error) WithMetadata(fields ...Field) *Error {
	return e.with(true, func(_ *Error, x *extra) {
		if len(fields) == 0 {
			return
		}
		meta := make([]Field, 0, len(x.meta)+len(fields))
		x.meta = normalizeMeta(append(append(meta, x.meta...), fields...))
	})
}

// WithDetails returns a copy of e carrying the given standard details
// next to its code, in order, such as *errdetails.BadRequest (field
// violations), *errdetails.PreconditionFailure and *errdetails.QuotaFailure
// from google.golang.org/genproto/googleapis/rpc/errdetails. They travel
// over gRPC and in every HTTP body shape. A nil detail is ignored; a detail
// that cannot be marshalled is left out when the fault is sent.
func (e *Error) WithDetails(details ...proto.Message) *Error {
	return e.with(true, func(_ *Error, x *extra) {
		d := append([]proto.Message(nil), x.details...)
		for _, m := range details {
			if m != nil {
				d = append(d, m)
			}
		}
		x.details = d
	})
}

// Derive returns a copy of e that wraps cause and reads its message,
// operation, object, metadata and details from d when they are read (see
// [Describer]); fields set on e, or later with the With methods, take
// precedence over d's. It returns nil for a nil e.
//
// It is for adapters that classify errors on hot paths: they make one
// fault per catalog entry once, with [FromEntry], and derive each
// classified fault from it, one allocation, leaving the work of reading
// the fields to the few callers who ask (vsphere.Classify does this).
func (e *Error) Derive(cause error, d Describer) *Error {
	if e == nil {
		return nil
	}
	c := *e
	c.cause, c.src, c.rx = cause, d, nil
	return &c
}
