package rpcwire

import (
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string. Quotes, backslashes and
// control characters are escaped, as are U+2028 and U+2029 (which break
// JavaScript string literals) and <, > and & (so that a body sniffed as
// HTML cannot open a tag); each run of invalid UTF-8 becomes one U+FFFD, as
// with [ValidUTF8].
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start, lastBad := 0, -1
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			if lastBad != i { // a run of bad bytes is one U+FFFD, as in strings.ToValidUTF8
				b = append(b, "\uFFFD"...)
			}
			i += size
			lastBad = i
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendJSONDuration appends d as protojson writes a Duration: "5s",
// "1.500s", "-0.000000001s". ok is false for a duration protojson rejects.
func AppendJSONDuration(b []byte, d Duration) ([]byte, bool) {
	if !d.valid() {
		return b, false
	}
	secs, nanos := d.Seconds, int64(d.Nanos)
	b = append(b, '"')
	if secs < 0 || nanos < 0 {
		b = append(b, '-')
		secs, nanos = -secs, -nanos
	}
	b = strconv.AppendInt(b, secs, 10)
	if nanos != 0 {
		var frac [9]byte
		for i := 8; i >= 0; i-- {
			frac[i] = byte('0' + nanos%10)
			nanos /= 10
		}
		n := 9
		for n > 3 && string(frac[n-3:n]) == "000" {
			n -= 3
		}
		b = append(b, '.')
		b = append(b, frac[:n]...)
	}
	return append(b, 's', '"'), true
}

// jsonObject writes the members of one JSON object, leaving out empty
// strings as protojson does.
type jsonObject struct {
	b     []byte
	first bool
}

func newObject(b []byte, typeURL string) jsonObject {
	b = append(b, `{"@type":`...)
	b = AppendJSONString(b, typeURL)
	return jsonObject{b: b}
}

func (o *jsonObject) key(k string) {
	o.b = append(o.b, ',', '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *jsonObject) str(k, v string) {
	if v != "" {
		o.key(k)
		o.b = AppendJSONString(o.b, v)
	}
}

func (o *jsonObject) end() []byte { return append(o.b, '}') }

// AppendDetailJSON appends the protojson form of a detail of a known type
// (the "@type" member and the message's fields). ok is false, and b is
// returned as it was, for another type or a value that proto.Unmarshal or
// protojson would reject: the caller then falls back to protojson.
func AppendDetailJSON(b []byte, typeURL string, value []byte) ([]byte, bool) {
	// The decoded strings are views of value, written out before returning.
	m := viewMessage(value)
	o := newObject(b, typeURL)
	switch typeURL {
	case ErrorInfoURL:
		var md [16]KV
		e, ok := decodeErrorInfo(m, md[:0])
		if !ok {
			return b, false
		}
		o.str("reason", e.Reason)
		o.str("domain", e.Domain)
		if len(e.Metadata) > 0 {
			o.key("metadata")
			o.b = append(o.b, '{')
			first := true
			last := lastIndex(e.Metadata)
			for i, kv := range e.Metadata {
				if last != nil && last[kv.Key] != i || last == nil && laterKey(e.Metadata, i) {
					continue // a map keeps the last value of a key
				}
				if !first {
					o.b = append(o.b, ',')
				}
				first = false
				o.b = AppendJSONString(o.b, kv.Key)
				o.b = append(o.b, ':')
				o.b = AppendJSONString(o.b, kv.Value)
			}
			o.b = append(o.b, '}')
		}
	case RetryInfoURL:
		r, ok := DecodeRetryInfo(value)
		if !ok {
			return b, false
		}
		if r.HasDelay {
			o.key("retryDelay")
			if o.b, ok = AppendJSONDuration(o.b, r.Delay); !ok {
				return b, false
			}
		}
	case HelpURL:
		var buf [2]Link
		links, ok := decodeHelp(m, buf[:0])
		if !ok {
			return b, false
		}
		if len(links) > 0 {
			o.key("links")
			o.b = append(o.b, '[')
			for i, l := range links {
				if i > 0 {
					o.b = append(o.b, ',')
				}
				lo := jsonObject{b: append(o.b, '{'), first: true}
				lo.member("description", l.Description)
				lo.member("url", l.URL)
				o.b = append(lo.b, '}')
			}
			o.b = append(o.b, ']')
		}
	case ResourceInfoURL:
		var r ResourceInfo
		if !m.strings(0, len(m.b), &r.ResourceType, &r.ResourceName, &r.Owner, &r.Description) {
			return b, false
		}
		o.str("resourceType", r.ResourceType)
		o.str("resourceName", r.ResourceName)
		o.str("owner", r.Owner)
		o.str("description", r.Description)
	case LocalizedMessageURL:
		var l LocalizedMessage
		if !m.strings(0, len(m.b), &l.Locale, &l.Message) {
			return b, false
		}
		o.str("locale", l.Locale)
		o.str("message", l.Message)
	case DebugInfoURL:
		var stack [8]string
		d, ok := decodeDebugInfo(m, stack[:0])
		if !ok {
			return b, false
		}
		if len(d.StackEntries) > 0 {
			o.key("stackEntries")
			o.b = append(o.b, '[')
			for i, s := range d.StackEntries {
				if i > 0 {
					o.b = append(o.b, ',')
				}
				o.b = AppendJSONString(o.b, s)
			}
			o.b = append(o.b, ']')
		}
		o.str("detail", d.Detail)
	default:
		return b, false
	}
	return o.end(), true
}

// member writes a member of an object without "@type": the first one
// without a leading comma.
func (o *jsonObject) member(k, v string) {
	if v == "" {
		return
	}
	if !o.first {
		o.b = append(o.b, ',')
	}
	o.first = false
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
	o.b = AppendJSONString(o.b, v)
}

// lastIndex maps each key of a long metadata list to its last index, so
// that duplicates cost linear time; nil for short lists, where laterKey is
// cheaper.
func lastIndex(md []KV) map[string]int {
	if len(md) <= 32 {
		return nil
	}
	m := make(map[string]int, len(md))
	for i, kv := range md {
		m[kv.Key] = i
	}
	return m
}

// laterKey reports whether md[i]'s key occurs again after i.
func laterKey(md []KV, i int) bool {
	for j := i + 1; j < len(md); j++ {
		if md[j].Key == md[i].Key {
			return true
		}
	}
	return false
}
