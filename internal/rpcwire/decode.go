package rpcwire

import (
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// fields calls f for each field of an encoded message with its number, wire
// type and value bytes (for varints, the value in v), and reports false on
// malformed input or when f does. Fields whose wire type is not what f
// expects are f's to skip, as proto.Unmarshal keeps them as unknown.
func fields(b []byte, f func(num protowire.Number, typ protowire.Type, v uint64, val []byte) bool) bool {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 || num > protowire.MaxValidNumber {
			return false
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 || !f(num, typ, v, nil) {
				return false
			}
			b = b[n:]
		case protowire.BytesType:
			val, n := protowire.ConsumeBytes(b)
			if n < 0 || !f(num, typ, 0, val) {
				return false
			}
			b = b[n:]
		default:
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return false
			}
			b = b[n:]
		}
	}
	return true
}

// str decodes a proto3 string field value: invalid UTF-8 is an error, as in
// proto.Unmarshal.
func str(val []byte, out *string) bool {
	if !utf8.Valid(val) {
		return false
	}
	*out = string(val)
	return true
}

// DecodeErrorInfo decodes an ErrorInfo.
func DecodeErrorInfo(b []byte) (ErrorInfo, bool) {
	var e ErrorInfo
	ok := fields(b, func(num protowire.Number, typ protowire.Type, _ uint64, val []byte) bool {
		if typ != protowire.BytesType {
			return true
		}
		switch num {
		case 1:
			return str(val, &e.Reason)
		case 2:
			return str(val, &e.Domain)
		case 3:
			var kv KV
			if !fields(val, func(num protowire.Number, typ protowire.Type, _ uint64, val []byte) bool {
				if typ != protowire.BytesType {
					return true
				}
				switch num {
				case 1:
					return str(val, &kv.Key)
				case 2:
					return str(val, &kv.Value)
				}
				return true
			}) {
				return false
			}
			e.Metadata = append(e.Metadata, kv)
		}
		return true
	})
	return e, ok
}

// decodeDuration merges an encoded Duration into d.
func decodeDuration(b []byte, d *Duration) bool {
	return fields(b, func(num protowire.Number, typ protowire.Type, v uint64, _ []byte) bool {
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
	ok := fields(b, func(num protowire.Number, typ protowire.Type, _ uint64, val []byte) bool {
		if num == 1 && typ == protowire.BytesType {
			r.HasDelay = true
			return decodeDuration(val, &r.Delay)
		}
		return true
	})
	return r, ok
}

// DecodeHelp decodes a Help's links.
func DecodeHelp(b []byte) ([]Link, bool) {
	var links []Link
	ok := fields(b, func(num protowire.Number, typ protowire.Type, _ uint64, val []byte) bool {
		if num != 1 || typ != protowire.BytesType {
			return true
		}
		var l Link
		if !fields(val, func(num protowire.Number, typ protowire.Type, _ uint64, val []byte) bool {
			if typ != protowire.BytesType {
				return true
			}
			switch num {
			case 1:
				return str(val, &l.Description)
			case 2:
				return str(val, &l.URL)
			}
			return true
		}) {
			return false
		}
		links = append(links, l)
		return true
	})
	return links, ok
}

// DecodeResourceInfo decodes a ResourceInfo.
func DecodeResourceInfo(b []byte) (ResourceInfo, bool) {
	var r ResourceInfo
	ok := fields(b, func(num protowire.Number, typ protowire.Type, _ uint64, val []byte) bool {
		if typ != protowire.BytesType {
			return true
		}
		switch num {
		case 1:
			return str(val, &r.ResourceType)
		case 2:
			return str(val, &r.ResourceName)
		case 3:
			return str(val, &r.Owner)
		case 4:
			return str(val, &r.Description)
		}
		return true
	})
	return r, ok
}

// DecodeLocalizedMessage decodes a LocalizedMessage.
func DecodeLocalizedMessage(b []byte) (LocalizedMessage, bool) {
	var m LocalizedMessage
	ok := fields(b, func(num protowire.Number, typ protowire.Type, _ uint64, val []byte) bool {
		if typ != protowire.BytesType {
			return true
		}
		switch num {
		case 1:
			return str(val, &m.Locale)
		case 2:
			return str(val, &m.Message)
		}
		return true
	})
	return m, ok
}

// DecodeDebugInfo decodes a DebugInfo.
func DecodeDebugInfo(b []byte) (DebugInfo, bool) {
	var d DebugInfo
	ok := fields(b, func(num protowire.Number, typ protowire.Type, _ uint64, val []byte) bool {
		if typ != protowire.BytesType {
			return true
		}
		switch num {
		case 1:
			var s string
			if !str(val, &s) {
				return false
			}
			d.StackEntries = append(d.StackEntries, s)
		case 2:
			return str(val, &d.Detail)
		}
		return true
	})
	return d, ok
}
