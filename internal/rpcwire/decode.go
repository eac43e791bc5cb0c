package rpcwire

import (
	"unicode/utf8"
	"unsafe"

	"google.golang.org/protobuf/encoding/protowire"
)

// message is an encoded message being decoded: its bytes, and the same
// bytes as one string made once, of which every decoded string is a
// substring (one allocation per message, not one per field).
type message struct {
	b []byte
	s string
}

func newMessage(b []byte) message { return message{b: b, s: string(b)} }

// viewMessage is a message whose strings share b's memory: only for
// strings that are dropped before b can change, as the JSON writer's are.
func viewMessage(b []byte) message {
	if len(b) == 0 {
		return message{}
	}
	return message{b: b, s: unsafe.String(&b[0], len(b))}
}

// fields calls f for each field of m.b[lo:hi] with its number, wire type,
// varint value and the offsets of its bytes in m, and reports false on
// malformed input or when f does. Fields whose wire type is not what f
// expects are f's to skip, as proto.Unmarshal keeps them as unknown.
func (m message) fields(lo, hi int, f func(num protowire.Number, typ protowire.Type, v uint64, lo, hi int) bool) bool {
	for lo < hi {
		num, typ, n := protowire.ConsumeTag(m.b[lo:hi])
		if n < 0 || num > protowire.MaxValidNumber {
			return false
		}
		lo += n
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(m.b[lo:hi])
			if n < 0 || !f(num, typ, v, 0, 0) {
				return false
			}
			lo += n
		case protowire.BytesType:
			val, n := protowire.ConsumeBytes(m.b[lo:hi])
			if n < 0 {
				return false
			}
			start := lo + n - len(val)
			if !f(num, typ, 0, start, start+len(val)) {
				return false
			}
			lo += n
		default:
			n := protowire.ConsumeFieldValue(num, typ, m.b[lo:hi])
			if n < 0 {
				return false
			}
			lo += n
		}
	}
	return true
}

// str decodes a proto3 string field value: invalid UTF-8 is an error, as in
// proto.Unmarshal.
func (m message) str(lo, hi int, out *string) bool {
	s := m.s[lo:hi]
	if !utf8.ValidString(s) {
		return false
	}
	*out = s
	return true
}

// count is how many fields numbered num m.b[lo:hi] has at its top level,
// or -1 when it is malformed.
func (m message) count(lo, hi int, num protowire.Number) int {
	n := 0
	if !m.fields(lo, hi, func(k protowire.Number, typ protowire.Type, _ uint64, _, _ int) bool {
		if k == num && typ == protowire.BytesType {
			n++
		}
		return true
	}) {
		return -1
	}
	return n
}

// DecodeErrorInfoTo decodes an ErrorInfo, appending its metadata to md:
// a caller with scratch space for md allocates only the strings.
func DecodeErrorInfoTo(b []byte, md []KV) (ErrorInfo, bool) {
	return decodeErrorInfo(newMessage(b), md)
}

// DecodeErrorInfo decodes an ErrorInfo.
func DecodeErrorInfo(b []byte) (ErrorInfo, bool) {
	m := newMessage(b)
	n := m.count(0, len(b), 3)
	if n < 0 {
		return ErrorInfo{}, false
	}
	var md []KV
	if n > 0 {
		md = make([]KV, 0, n)
	}
	return decodeErrorInfo(m, md)
}

// decodeErrorInfo decodes m as an ErrorInfo, appending its metadata to md.
func decodeErrorInfo(m message, md []KV) (ErrorInfo, bool) {
	e := ErrorInfo{Metadata: md}
	ok := m.fields(0, len(m.b), func(num protowire.Number, typ protowire.Type, _ uint64, lo, hi int) bool {
		if typ != protowire.BytesType {
			return true
		}
		switch num {
		case 1:
			return m.str(lo, hi, &e.Reason)
		case 2:
			return m.str(lo, hi, &e.Domain)
		case 3:
			var kv KV
			if !m.strings(lo, hi, &kv.Key, &kv.Value) {
				return false
			}
			e.Metadata = append(e.Metadata, kv)
		}
		return true
	})
	return e, ok
}

// decodeDuration merges an encoded Duration into d.
func decodeDuration(m message, lo, hi int, d *Duration) bool {
	return m.fields(lo, hi, func(num protowire.Number, typ protowire.Type, v uint64, _, _ int) bool {
		if typ != protowire.VarintType {
			return true
		}
		switch num {
		case 1:
			d.Seconds = int64(v)
		case 2:
			d.Nanos = int32(v)
		}
		return true
	})
}

// DecodeRetryInfo decodes a RetryInfo.
func DecodeRetryInfo(b []byte) (RetryInfo, bool) {
	var r RetryInfo
	m := message{b: b} // no strings to decode
	ok := m.fields(0, len(b), func(num protowire.Number, typ protowire.Type, _ uint64, lo, hi int) bool {
		if num == 1 && typ == protowire.BytesType {
			r.HasDelay = true
			return decodeDuration(m, lo, hi, &r.Delay)
		}
		return true
	})
	return r, ok
}

// DecodeHelp decodes a Help's links.
func DecodeHelp(b []byte) ([]Link, bool) {
	m := newMessage(b)
	n := m.count(0, len(b), 1)
	if n < 0 {
		return nil, false
	}
	var links []Link
	if n > 0 {
		links = make([]Link, 0, n)
	}
	return decodeHelp(m, links)
}

// decodeHelp decodes m as a Help, appending its links to links.
func decodeHelp(m message, links []Link) ([]Link, bool) {
	ok := m.fields(0, len(m.b), func(num protowire.Number, typ protowire.Type, _ uint64, lo, hi int) bool {
		if num != 1 || typ != protowire.BytesType {
			return true
		}
		var l Link
		if !m.strings(lo, hi, &l.Description, &l.URL) {
			return false
		}
		links = append(links, l)
		return true
	})
	return links, ok
}

// decodeStrings decodes a message of string fields 1..len(out) into out.
func decodeStrings(b []byte, out ...*string) bool {
	m := newMessage(b)
	return m.strings(0, len(b), out...)
}

// strings decodes m.b[lo:hi] as a message of string fields 1..len(out)
// into out; other fields are skipped.
func (m message) strings(lo, hi int, out ...*string) bool {
	return m.fields(lo, hi, func(num protowire.Number, typ protowire.Type, _ uint64, lo, hi int) bool {
		if typ != protowire.BytesType || num < 1 || int(num) > len(out) {
			return true
		}
		return m.str(lo, hi, out[num-1])
	})
}

// DecodeResourceInfo decodes a ResourceInfo.
func DecodeResourceInfo(b []byte) (ResourceInfo, bool) {
	var r ResourceInfo
	ok := decodeStrings(b, &r.ResourceType, &r.ResourceName, &r.Owner, &r.Description)
	return r, ok
}

// DecodeLocalizedMessage decodes a LocalizedMessage.
func DecodeLocalizedMessage(b []byte) (LocalizedMessage, bool) {
	var m LocalizedMessage
	ok := decodeStrings(b, &m.Locale, &m.Message)
	return m, ok
}

// DecodeDebugInfo decodes a DebugInfo.
func DecodeDebugInfo(b []byte) (DebugInfo, bool) {
	return decodeDebugInfo(newMessage(b), nil)
}

// decodeDebugInfo decodes m as a DebugInfo, appending its stack entries to
// stack.
func decodeDebugInfo(m message, stack []string) (DebugInfo, bool) {
	d := DebugInfo{StackEntries: stack}
	ok := m.fields(0, len(m.b), func(num protowire.Number, typ protowire.Type, _ uint64, lo, hi int) bool {
		if typ != protowire.BytesType {
			return true
		}
		switch num {
		case 1:
			var s string
			if !m.str(lo, hi, &s) {
				return false
			}
			d.StackEntries = append(d.StackEntries, s)
		case 2:
			return m.str(lo, hi, &d.Detail)
		}
		return true
	})
	return d, ok
}
