package faults

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

// New returns a fault with code c and message msg, its entry taken from
// [registry.Default]. For a code the default registry does not have, the
// fault keeps c as its code, takes the rest of its entry from the fallback
// (GSS-VSP-999: Unknown, not retryable) and reports Known() false; use
// [FromEntry] for codes of a custom registry. New never returns nil.
func New(c codes.Code, msg string) *Error {
	e, known := entryFor(c)
	return &Error{entry: e, known: known, msg: msg}
}

// Newf is [New] with a formatted message.
func Newf(c codes.Code, format string, args ...any) *Error {
	return New(c, fmt.Sprintf(format, args...))
}

// Wrap returns a fault with code c and message msg that wraps err, its entry
// taken from [registry.Default] as for [New]. It returns nil if err is nil.
// Because the result is a *Error, returning it from a function whose result
// is error turns that nil into a non-nil error (a typed nil): check err first,
// as in `if err != nil { return faults.Wrap(err, ...) }`. The
// cause stays reachable through [errors.Unwrap], [errors.Is] and
// [errors.As].
func Wrap(err error, c codes.Code, msg string) *Error {
	if err == nil {
		return nil
	}
	e, known := entryFor(c)
	return &Error{entry: e, known: known, msg: msg, cause: err}
}

// Wrapf is [Wrap] with a formatted message. It returns nil if err is nil.
func Wrapf(err error, c codes.Code, format string, args ...any) *Error {
	if err == nil {
		return nil
	}
	return Wrap(err, c, fmt.Sprintf(format, args...))
}

// FromEntry returns a fault for entry e of any registry, with message msg
// and an optional cause (nil for none). It never returns nil. Use it for a
// service's own codes:
//
//	e, _ := myRegistry.Lookup("GSS-APP-001")
//	return faults.FromEntry(e, "order 7 rejected", nil)
func FromEntry(e registry.Entry, msg string, cause error) *Error {
	return &Error{entry: e, known: e.Code.Valid() && e.FaultType != "", msg: msg, cause: cause}
}

// entryFor returns c's entry in the default registry and true, or the
// fallback entry with code c and false.
func entryFor(c codes.Code) (registry.Entry, bool) {
	if e, ok := registry.Default().Lookup(c); ok {
		return e, true
	}
	e, _ := registry.Default().Fallback()
	e.Code = c
	return e, false
}

// Details is the request context of a fault, for [Build].
type Details struct {
	Op         string        // the operation that failed
	Object     string        // the managed object, "Type:value"
	RequestID  string        // the request ID of the call
	Duration   time.Duration // how long the call took
	RetryDelay time.Duration // overrides the entry's retry delay when > 0
	Localized  LocalizedMessage
	// Metadata is copied by Build: later duplicates of a key win and empty
	// keys are dropped. Build may sort the slice in place; the caller may
	// reuse it afterwards.
	Metadata []Field
}

// Build returns a fault for entry e with message msg, cause (nil for none)
// and request context d. It is what adapters use on hot paths: the fault
// and up to four metadata fields take one allocation. [FromEntry] followed
// by With methods gives the same fault. It never returns nil.
func Build(e registry.Entry, msg string, cause error, d Details) *Error {
	f := withInlineMeta(len(d.Metadata))
	*f = Error{
		entry:      e,
		known:      e.Code.Valid() && e.FaultType != "",
		msg:        msg,
		cause:      cause,
		op:         d.Op,
		object:     d.Object,
		requestID:  d.RequestID,
		duration:   d.Duration,
		retryDelay: max(d.RetryDelay, 0),
		localized:  d.Localized,
		meta:       f.meta,
	}
	if meta := normalizeMeta(d.Metadata); len(meta) > 0 {
		if cap(f.meta) >= len(meta) {
			f.meta = f.meta[:len(meta):len(meta)]
		} else {
			f.meta = make([]Field, len(meta))
		}
		copy(f.meta, meta)
	} else {
		f.meta = nil
	}
	return f
}

// inlineMeta is how many metadata fields Build keeps in the fault's own
// allocation.
const inlineMeta = 4

// withInlineMeta allocates an Error together with room for n metadata
// fields, set as the capacity of its meta, when n fits inline; a plain
// Error otherwise.
func withInlineMeta(n int) *Error {
	if n == 0 || n > inlineMeta {
		return new(Error)
	}
	p := new(struct {
		e Error
		m [inlineMeta]Field
	})
	p.e.meta = p.m[:0]
	return &p.e
}

// normalizeMeta sorts fields by key in place (stable, so the later of two
// equal keys ends last), keeps the last value of each key and drops empty
// keys. It does not allocate.
func normalizeMeta(fs []Field) []Field {
	if len(fs) == 0 {
		return nil
	}
	slices.SortStableFunc(fs, func(a, b Field) int { return strings.Compare(a.Key, b.Key) })
	out := fs[:0]
	for i, f := range fs {
		if f.Key == "" {
			continue
		}
		if i+1 < len(fs) && fs[i+1].Key == f.Key {
			continue // a later value of the same key wins
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil
	}
	return out[:len(out):len(out)]
}
