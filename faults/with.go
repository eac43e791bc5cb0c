package faults

import (
	"slices"
	"strings"
	"time"
)

// clone returns a shallow copy; metadata is shared until changed, which is
// safe because no method modifies e.meta in place.
func (e *Error) clone() *Error {
	c := *e
	return &c
}

// WithMessage returns a copy of e with message msg. It returns nil for a
// nil e, as every With method does.
func (e *Error) WithMessage(msg string) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	c.msg = msg
	return c
}

// WithCause returns a copy of e that wraps cause.
func (e *Error) WithCause(cause error) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	c.cause = cause
	return c
}

// WithOp returns a copy of e recording the operation that failed, such as
// a vSphere method name ("PowerOnVM_Task") or an RPC method.
func (e *Error) WithOp(op string) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	c.op = op
	return c
}

// WithObject returns a copy of e recording the managed object the fault
// concerns, written "Type:value" ("VirtualMachine:vm-42").
func (e *Error) WithObject(object string) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	c.object = object
	return c
}

// WithRequestID returns a copy of e recording the request ID of the call.
func (e *Error) WithRequestID(id string) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	c.requestID = id
	return c
}

// WithDuration returns a copy of e recording how long the call took.
func (e *Error) WithDuration(d time.Duration) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	c.duration = d
	return c
}

// WithRetryDelay returns a copy of e whose [Error.RetryDelay] is d instead
// of the entry's default. It has no effect on a fault that is not
// retryable: RetryDelay stays 0.
func (e *Error) WithRetryDelay(d time.Duration) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	c.retryDelay = max(d, 0)
	return c
}

// WithLocalized returns a copy of e with a message in the given locale.
func (e *Error) WithLocalized(locale, msg string) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	c.localized = LocalizedMessage{Locale: locale, Message: msg}
	return c
}

// WithMetadata returns a copy of e with metadata key set to value,
// replacing an earlier value of the same key. An empty key is ignored.
func (e *Error) WithMetadata(key, value string) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	if key == "" {
		return c
	}
	i, found := slices.BinarySearchFunc(e.meta, key, func(f Field, k string) int { return strings.Compare(f.Key, k) })
	meta := make([]Field, len(e.meta), len(e.meta)+1)
	copy(meta, e.meta)
	if found {
		meta[i].Value = value
	} else {
		meta = slices.Insert(meta, i, Field{key, value})
	}
	c.meta = meta
	return c
}

// WithMetadataFields returns a copy of e with every field set, as
// [Error.WithMetadata] does one at a time.
func (e *Error) WithMetadataFields(fields ...Field) *Error {
	if e == nil {
		return nil
	}
	c := e.clone()
	for _, f := range fields {
		c = c.WithMetadata(f.Key, f.Value)
	}
	return c
}
