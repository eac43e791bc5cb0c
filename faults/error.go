package faults

import (
	"strings"
	"time"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

// Error is a fault: a GSS code and its catalog entry, a message, an
// optional cause and request context. Values are immutable; use the With
// methods to derive changed copies. The zero value is not useful; make one
// with [New], [Wrap] or [FromEntry].
type Error struct {
	entry      registry.Entry
	known      bool // entry came from a registry
	msg        string
	cause      error
	op         string
	object     string
	requestID  string
	duration   time.Duration
	retryDelay time.Duration
	localized  LocalizedMessage
	meta       []Field // sorted by key, unique keys
}

// Field is one metadata key and value of an [Error].
type Field struct {
	Key, Value string
}

// LocalizedMessage is a message in a given locale (a BCP-47 tag such as
// "en-US"), as vSphere's localizable faults and AIP-193's LocalizedMessage
// carry.
type LocalizedMessage struct {
	Locale  string
	Message string
}

// Error returns "<code> <fault type>: <op>: <message>: <cause>", leaving out
// parts that are empty and facts the cause already states: the message when
// the cause's text contains it, the cause when the message contains the
// cause's text, and a nested fault's code when it is the same code.
//
// The object, request ID and metadata are not part of the text; they are in
// [Error.LogValue] and on the wire, so that logs can index them.
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	b.WriteString(string(e.entry.Code))
	if e.entry.FaultType != "" {
		b.WriteByte(' ')
		b.WriteString(e.entry.FaultType)
	}
	parts := make([]string, 0, 3)
	if e.op != "" {
		parts = append(parts, e.op)
	}
	msg, cause := e.msg, e.causeText()
	switch {
	case cause != "" && msg != "" && strings.Contains(cause, msg):
		msg = ""
	case cause != "" && strings.Contains(msg, cause):
		cause = ""
	}
	if msg != "" {
		parts = append(parts, msg)
	}
	if cause != "" {
		parts = append(parts, cause)
	}
	if len(parts) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(parts, ": "))
	}
	return b.String()
}

// causeText is the cause's text, without the code and fault type prefix
// when the cause is a fault of the same code.
func (e *Error) causeText() string {
	if e.cause == nil {
		return ""
	}
	if inner, ok := e.cause.(*Error); ok && inner != nil && inner.entry.Code == e.entry.Code {
		s := inner.Error()
		prefix := string(inner.entry.Code)
		if inner.entry.FaultType != "" {
			prefix += " " + inner.entry.FaultType
		}
		s = strings.TrimPrefix(s, prefix)
		return strings.TrimPrefix(s, ": ")
	}
	return e.cause.Error()
}

// Unwrap returns the cause, or nil.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.cause
}

// Code returns the GSS code, or "" for a nil *Error.
func (e *Error) Code() codes.Code {
	if e == nil {
		return ""
	}
	return e.entry.Code
}

// Entry returns the catalog entry the fault was made from. For a code no
// registry knows (see [Error.Known]) it is the fallback entry with the
// given code. The returned value is a copy.
func (e *Error) Entry() registry.Entry {
	if e == nil {
		return registry.Entry{}
	}
	return e.entry
}

// Known reports whether the fault's code was found in a registry. A fault
// made with [New] from a code the default registry does not have is not
// known: it keeps the code and takes the rest from the fallback entry.
func (e *Error) Known() bool { return e != nil && e.known }

// FaultType returns the vSphere fault type (or the catalog's name for the
// condition), such as "HostNotReachable".
func (e *Error) FaultType() string {
	if e == nil {
		return ""
	}
	return e.entry.FaultType
}

// Category returns the entry's category.
func (e *Error) Category() codes.Category {
	if e == nil {
		return 0
	}
	return e.entry.Category
}

// Message returns the fault's own message, without code, cause or
// context; "" if it has none.
func (e *Error) Message() string {
	if e == nil {
		return ""
	}
	return e.msg
}

// Retryable reports whether repeating the call can succeed, from the
// catalog entry.
func (e *Error) Retryable() bool { return e != nil && e.entry.Retryable }

// Impact returns the entry's impact level.
func (e *Error) Impact() codes.ImpactLevel {
	if e == nil {
		return 0
	}
	return e.entry.Impact
}

// Action returns the entry's suggested action.
func (e *Error) Action() string {
	if e == nil {
		return ""
	}
	return e.entry.Action
}

// GRPCCode returns the gRPC code of the entry; [grpccodes.OK] for nil.
func (e *Error) GRPCCode() grpccodes.Code {
	if e == nil {
		return grpccodes.OK
	}
	return e.entry.GRPCCode
}

// Op returns the operation that failed ("PowerOnVM_Task"), or "".
func (e *Error) Op() string {
	if e == nil {
		return ""
	}
	return e.op
}

// Object returns the managed object the fault concerns, written
// "Type:value" ("VirtualMachine:vm-42"), or "".
func (e *Error) Object() string {
	if e == nil {
		return ""
	}
	return e.object
}

// RequestID returns the request ID of the call that failed, or "".
func (e *Error) RequestID() string {
	if e == nil {
		return ""
	}
	return e.requestID
}

// Duration returns how long the failed call took, or 0 if not recorded.
func (e *Error) Duration() time.Duration {
	if e == nil {
		return 0
	}
	return e.duration
}

// RetryDelay returns how long to wait before retrying: the delay set with
// [Error.WithRetryDelay], else the entry's default delay. It is 0 for a
// fault that is not retryable.
func (e *Error) RetryDelay() time.Duration {
	if !e.Retryable() {
		return 0
	}
	if e.retryDelay > 0 {
		return e.retryDelay
	}
	return e.entry.RetryDelay
}

// Localized returns the localized message, if one was set.
func (e *Error) Localized() (LocalizedMessage, bool) {
	if e == nil || e.localized.Message == "" {
		return LocalizedMessage{}, false
	}
	return e.localized, true
}

// Metadata returns a copy of the fault's metadata, sorted by key; nil if it
// has none.
func (e *Error) Metadata() []Field {
	if e == nil || len(e.meta) == 0 {
		return nil
	}
	return append([]Field(nil), e.meta...)
}

// MetadataValue returns the value of one metadata key.
func (e *Error) MetadataValue(key string) (string, bool) {
	if e == nil {
		return "", false
	}
	for _, f := range e.meta {
		if f.Key == key {
			return f.Value, true
		}
	}
	return "", false
}
