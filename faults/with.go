package faults

import (
	"time"
)

// with returns a copy of e changed by set, or nil for a nil e. Metadata is
// shared until changed, which is safe because no method modifies e.meta in
// place.
func (e *Error) with(set func(*Error)) *Error {
	if e == nil {
		return nil
	}
	c := *e
	set(&c)
	return &c
}

// WithMessage returns a copy of e with message msg. It returns nil for a
// nil e, as every With method does.
func (e *Error) WithMessage(msg string) *Error {
	return e.with(func(c *Error) { c.msg = msg })
}

// WithCause returns a copy of e that wraps cause.
func (e *Error) WithCause(cause error) *Error {
	return e.with(func(c *Error) { c.cause = cause })
}

// WithOp returns a copy of e recording the operation that failed, such as
// a vSphere method name ("PowerOnVM_Task") or an RPC method.
func (e *Error) WithOp(op string) *Error {
	return e.with(func(c *Error) { c.op = op })
}

// WithObject returns a copy of e recording the managed object the fault
// concerns, written "Type:value" ("VirtualMachine:vm-42").
func (e *Error) WithObject(object string) *Error {
	return e.with(func(c *Error) { c.object = object })
}

// WithRequestID returns a copy of e recording the request ID of the call.
func (e *Error) WithRequestID(id string) *Error {
	return e.with(func(c *Error) { c.requestID = id })
}

// WithDuration returns a copy of e recording how long the call took.
func (e *Error) WithDuration(d time.Duration) *Error {
	return e.with(func(c *Error) { c.duration = d })
}

// WithRetryDelay returns a copy of e whose [Error.RetryDelay] is d instead
// of the entry's default. It has no effect on a fault that is not
// retryable: RetryDelay stays 0.
func (e *Error) WithRetryDelay(d time.Duration) *Error {
	return e.with(func(c *Error) { c.retryDelay = max(d, 0) })
}

// WithLocalized returns a copy of e with a message in the given locale.
func (e *Error) WithLocalized(locale, msg string) *Error {
	return e.with(func(c *Error) { c.localized = LocalizedMessage{Locale: locale, Message: msg} })
}

// WithMetadata returns a copy of e with metadata key set to value,
// replacing an earlier value of the same key. An empty key is ignored.
func (e *Error) WithMetadata(key, value string) *Error {
	return e.WithMetadataFields(Field{Key: key, Value: value})
}

// WithMetadataFields returns a copy of e with every field set, later
// fields and later values of a key winning, empty keys ignored; one copy
// of the metadata whatever the number of fields.
func (e *Error) WithMetadataFields(fields ...Field) *Error {
	return e.with(func(c *Error) {
		if len(fields) == 0 {
			return
		}
		meta := make([]Field, 0, len(e.meta)+len(fields))
		c.meta = normalizeMeta(append(append(meta, e.meta...), fields...))
	})
}
