// Package rpcwire encodes and decodes google.rpc.Status and the AIP-193
// detail messages this module uses (ErrorInfo, RetryInfo, Help,
// ResourceInfo, LocalizedMessage, DebugInfo) directly in the protobuf wire
// format and in protojson's JSON, without reflection. It is the fast path
// of faults.Error.GRPCStatus, the client-side conversion and httpmap's
// writer; tests hold it byte-equal to proto.Marshal (deterministic) and
// semantically equal to protojson, and fuzz its decoder against
// proto.Unmarshal.
//
// Encoders append to a caller's buffer and take strings that are valid
// UTF-8 (callers use [ValidUTF8]); decoders reject what proto.Unmarshal
// rejects (truncated fields, invalid UTF-8 in string fields) and skip
// unknown fields as it does.
package rpcwire

import (
	"strings"
	"time"
	"unicode/utf8"

	// Registers the detail types, so that status.Details and protojson
	// resolve the Anys these encoders write in every program using them.
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Type URLs of the detail messages, as anypb.New writes them.
const (
	TypePrefix          = "type.googleapis.com/"
	ErrorInfoURL        = TypePrefix + "google.rpc.ErrorInfo"
	RetryInfoURL        = TypePrefix + "google.rpc.RetryInfo"
	HelpURL             = TypePrefix + "google.rpc.Help"
	ResourceInfoURL     = TypePrefix + "google.rpc.ResourceInfo"
	LocalizedMessageURL = TypePrefix + "google.rpc.LocalizedMessage"
	DebugInfoURL        = TypePrefix + "google.rpc.DebugInfo"
)

// KV is one metadata entry of an ErrorInfo.
type KV struct{ Key, Value string }

// ErrorInfo is google.rpc.ErrorInfo. Metadata keeps the wire order; a key
// that occurs twice is kept twice by the decoder, and [ErrorInfo.Get]
// returns the last value, as a protobuf map would hold it.
type ErrorInfo struct {
	Reason, Domain string
	Metadata       []KV
}

// Get returns the last value of key in Metadata.
func (e *ErrorInfo) Get(key string) (string, bool) {
	for i := len(e.Metadata) - 1; i >= 0; i-- {
		if e.Metadata[i].Key == key {
			return e.Metadata[i].Value, true
		}
	}
	return "", false
}

// Duration is google.protobuf.Duration.
type Duration struct {
	Seconds int64
	Nanos   int32
}

// AsDuration converts d as durationpb does, saturating out-of-range values.
func (d Duration) AsDuration() time.Duration {
	return (&durationpb.Duration{Seconds: d.Seconds, Nanos: d.Nanos}).AsDuration()
}

// DurationOf is the Duration of t.
func DurationOf(t time.Duration) Duration {
	return Duration{Seconds: int64(t / time.Second), Nanos: int32(t % time.Second)}
}

// valid reports whether protojson can write d.
func (d Duration) valid() bool {
	const maxSecs = 315576000000
	switch {
	case d.Seconds < -maxSecs || d.Seconds > maxSecs:
		return false
	case d.Nanos <= -1e9 || d.Nanos >= 1e9:
		return false
	case d.Seconds > 0 && d.Nanos < 0 || d.Seconds < 0 && d.Nanos > 0:
		return false
	}
	return true
}

// RetryInfo is google.rpc.RetryInfo; HasDelay is false when the message
// has no retry_delay field.
type RetryInfo struct {
	Delay    Duration
	HasDelay bool
}

// Link is one google.rpc.Help.Link.
type Link struct{ Description, URL string }

// ResourceInfo is google.rpc.ResourceInfo.
type ResourceInfo struct{ ResourceType, ResourceName, Owner, Description string }

// LocalizedMessage is google.rpc.LocalizedMessage.
type LocalizedMessage struct{ Locale, Message string }

// DebugInfo is google.rpc.DebugInfo.
type DebugInfo struct {
	StackEntries []string
	Detail       string
}

// ValidUTF8 returns s with each invalid UTF-8 sequence replaced by U+FFFD;
// s itself, without allocating, when it is valid.
func ValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// AppendString appends field num as a proto3 string: nothing when s is
// empty.
func AppendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

// SizeString is the encoded size of AppendString(nil, num, s) for num < 16.
func SizeString(s string) int {
	if s == "" {
		return 0
	}
	return 1 + protowire.SizeBytes(len(s))
}

// AppendMessage appends field num holding an already encoded message,
// always (an empty message is written as a zero-length field).
func AppendMessage(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}

// AppendErrorInfo appends an encoded ErrorInfo with md as its map entries,
// in the given order (sorted by key for proto.Marshal's deterministic
// bytes).
func AppendErrorInfo(b []byte, reason, domain string, md []KV) []byte {
	b = AppendString(b, 1, reason)
	b = AppendString(b, 2, domain)
	for _, kv := range md {
		b = protowire.AppendTag(b, 3, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(2+protowire.SizeBytes(len(kv.Key))+protowire.SizeBytes(len(kv.Value))))
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, kv.Key)
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendString(b, kv.Value)
	}
	return b
}

// AppendDuration appends an encoded google.protobuf.Duration.
func AppendDuration(b []byte, d Duration) []byte {
	if d.Seconds != 0 {
		b = protowire.AppendTag(b, 1, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(d.Seconds))
	}
	if d.Nanos != 0 {
		b = protowire.AppendTag(b, 2, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(int64(d.Nanos)))
	}
	return b
}

// AppendRetryInfo appends an encoded RetryInfo with retry_delay d.
func AppendRetryInfo(b []byte, d Duration) []byte {
	var tmp [24]byte
	return AppendMessage(b, 1, AppendDuration(tmp[:0], d))
}

// AppendHelp appends an encoded Help with one link.
func AppendHelp(b []byte, l Link) []byte {
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(SizeString(l.Description)+SizeString(l.URL)))
	b = AppendString(b, 1, l.Description)
	return AppendString(b, 2, l.URL)
}

// AppendResourceInfo appends an encoded ResourceInfo.
func AppendResourceInfo(b []byte, r ResourceInfo) []byte {
	b = AppendString(b, 1, r.ResourceType)
	b = AppendString(b, 2, r.ResourceName)
	b = AppendString(b, 3, r.Owner)
	return AppendString(b, 4, r.Description)
}

// AppendLocalizedMessage appends an encoded LocalizedMessage.
func AppendLocalizedMessage(b []byte, m LocalizedMessage) []byte {
	b = AppendString(b, 1, m.Locale)
	return AppendString(b, 2, m.Message)
}

// AppendDebugInfo appends an encoded DebugInfo.
func AppendDebugInfo(b []byte, d DebugInfo) []byte {
	for _, s := range d.StackEntries {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, s)
	}
	return AppendString(b, 2, d.Detail)
}

// SizeAny is the encoded size of a google.protobuf.Any with the type URL
// and a value of n bytes, as a repeated field of a Status.
func SizeAny(typeURL string, n int) int {
	inner := SizeString(typeURL)
	if n > 0 {
		inner += 1 + protowire.SizeBytes(n)
	}
	return 1 + protowire.SizeBytes(inner)
}

// SizeStatus is the encoded size of a Status with code, message and
// details whose SizeAny sum is details.
func SizeStatus(code int32, msg string, details int) int {
	n := SizeString(msg) + details
	if code != 0 {
		n += 1 + protowire.SizeVarint(uint64(int64(code)))
	}
	return n
}
