package faults

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

// New returns a fault with code c and message msg, its entry taken from
// [registry.Default]. For a code the default registry does not have, the
// fault keeps c as its code, takes the rest of its entry from the catch-all
// (GSS-VSP-999: Unknown, not retryable) and reports Known() false; use
// [FromEntry] for the codes of a custom registry. New never returns nil.
func New(c codes.Code, msg string) *Error {
	return newFault(defaultTable().lookup(c), msg, nil)
}

// Newf is [New] with a formatted message.
func Newf(c codes.Code, format string, args ...any) *Error {
	return New(c, fmt.Sprintf(format, args...))
}

// Wrap returns a fault with code c and message msg that wraps err, its entry
// taken from [registry.Default] as for [New]; nil if err is nil. The result
// is an error so that `return faults.Wrap(err, ...)` returns nil, not a
// typed nil, when err is nil; use [As] to reach the fault. The cause stays
// reachable through [errors.Unwrap], [errors.Is] and [errors.As].
func Wrap(err error, c codes.Code, msg string) error {
	if err == nil {
		return nil
	}
	return newFault(defaultTable().lookup(c), msg, err)
}

// Wrapf is [Wrap] with a formatted message; nil if err is nil.
func Wrapf(err error, c codes.Code, format string, args ...any) error {
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
//
// An entry of the default registry gives the same fault as [New]; any
// other entry is kept with the fault.
func FromEntry(e registry.Entry, msg string, cause error) *Error {
	return newFault(recordOf(e), msg, cause)
}

func newFault(r *entry, msg string, cause error) *Error {
	return &Error{ent: r, msg: msg, cause: cause, code: r.GRPCCode, retryable: r.Retryable}
}

// normalizeMeta sorts fields by key in place (stable, so the later of two
// equal keys ends last), keeps the last value of each key and drops empty
// keys. It does not allocate.
func normalizeMeta(fs []Field) []Field {
	if len(fs) == 0 {
		return nil
	}
	byKey := func(a, b Field) int { return strings.Compare(a.Key, b.Key) }
	if !slices.IsSortedFunc(fs, byKey) { // as gssfault sends them
		slices.SortStableFunc(fs, byKey)
	}
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

// mergeMeta returns base with over's keys set, over winning; both sorted.
func mergeMeta(base, over []Field) []Field {
	if len(base) == 0 {
		return over
	}
	return normalizeMeta(append(append(make([]Field, 0, len(base)+len(over)), base...), over...))
}
