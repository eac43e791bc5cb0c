package httpmap

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/wirepb"
	"github.com/gssfault/gssfault/registry"
)

// The JSON of the AIP-193 details gssfault sends on every failed call
// (ErrorInfo, RetryInfo, Help, LocalizedMessage, ResourceInfo) is written
// field by field in protojson's form: "@type" first, lowerCamelCase names,
// empty fields left out, map keys sorted. TestDetailJSONMatchesProtojson
// holds it equal to protojson. Any other detail type goes through
// protojson.

// appendDetails appends the JSON array of pb's details; a detail that
// cannot be written (a type this program does not link) is left out.
// dec[i], when present, is pb.Details[i] already decoded.
func appendDetails(b []byte, pb *spb.Status, dec []proto.Message) []byte {
	b = append(b, '[')
	first := true
	for i, a := range pb.GetDetails() {
		mark := len(b)
		if !first {
			b = append(b, ',')
		}
		var d proto.Message
		if i < len(dec) {
			d = dec[i]
		}
		var ok bool
		if b, ok = appendDetail(b, a, d); !ok {
			b = b[:mark]
			continue
		}
		first = false
	}
	return append(b, ']')
}

// object writes a JSON object's members, leaving out empty strings.
type object struct {
	b []byte
	n int // members written
}

func (o *object) str(name, v string) {
	if v == "" {
		return
	}
	o.key(name)
	o.b = appendString(o.b, v)
}

func (o *object) key(name string) {
	if o.n > 0 {
		o.b = append(o.b, ',')
	}
	o.b = appendString(o.b, name)
	o.b = append(o.b, ':')
	o.n++
}

// appendDetail appends the JSON of one detail.
func appendDetail(b []byte, a *anypb.Any, d proto.Message) ([]byte, bool) {
	url := a.GetTypeUrl()
	o := object{b: append(b, '{')}
	o.str("@type", url)
	switch url {
	case "type.googleapis.com/google.rpc.ErrorInfo":
		m, ok := d.(*wirepb.ErrorInfo)
		if !ok {
			if m = new(wirepb.ErrorInfo); proto.Unmarshal(a.GetValue(), m) != nil {
				return b, false
			}
		}
		o.str("reason", m.GetReason())
		o.str("domain", m.GetDomain())
		if md := m.GetMetadata(); len(md) > 0 {
			byKey := func(x, y *wirepb.MetadataEntry) int { return strings.Compare(x.GetKey(), y.GetKey()) }
			entries := md
			if !slices.IsSortedFunc(md, byKey) { // gssfault sends them sorted
				entries = slices.Clone(md)
				slices.SortStableFunc(entries, byKey)
			}
			o.key("metadata")
			inner := object{b: append(o.b, '{')}
			for i, kv := range entries {
				if i+1 < len(entries) && entries[i+1].GetKey() == kv.GetKey() {
					continue // a later value of the key wins, as in a map
				}
				inner.key(kv.GetKey())
				inner.b = appendString(inner.b, kv.GetValue())
			}
			o.b = append(inner.b, '}')
		}
	case "type.googleapis.com/google.rpc.RetryInfo":
		m, ok := d.(*errdetails.RetryInfo)
		if !ok {
			if m = new(errdetails.RetryInfo); a.UnmarshalTo(m) != nil {
				return b, false
			}
		}
		if m.GetRetryDelay() != nil && m.GetRetryDelay().CheckValid() != nil {
			return b, false
		}
		if d := m.GetRetryDelay(); d != nil {
			o.str("retryDelay", protoDurationJSON(d.GetSeconds(), d.GetNanos()))
		}
	case "type.googleapis.com/google.rpc.Help":
		var m errdetails.Help
		if a.UnmarshalTo(&m) != nil {
			return b, false
		}
		if links := m.GetLinks(); len(links) > 0 {
			o.key("links")
			o.b = append(o.b, '[')
			for i, l := range links {
				if i > 0 {
					o.b = append(o.b, ',')
				}
				link := object{b: append(o.b, '{')}
				link.str("description", l.GetDescription())
				link.str("url", l.GetUrl())
				o.b = append(link.b, '}')
			}
			o.b = append(o.b, ']')
		}
	case "type.googleapis.com/google.rpc.LocalizedMessage":
		m, ok := d.(*errdetails.LocalizedMessage)
		if !ok {
			if m = new(errdetails.LocalizedMessage); a.UnmarshalTo(m) != nil {
				return b, false
			}
		}
		o.str("locale", m.GetLocale())
		o.str("message", m.GetMessage())
	case "type.googleapis.com/google.rpc.ResourceInfo":
		m, ok := d.(*errdetails.ResourceInfo)
		if !ok {
			if m = new(errdetails.ResourceInfo); a.UnmarshalTo(m) != nil {
				return b, false
			}
		}
		o.str("resourceType", m.GetResourceType())
		o.str("resourceName", m.GetResourceName())
		o.str("owner", m.GetOwner())
		o.str("description", m.GetDescription())
	default:
		j, err := protojson.Marshal(a)
		if err != nil {
			return b, false
		}
		return append(b, j...), true
	}
	return append(o.b, '}'), true
}

// durationJSON writes d as protojson writes a google.protobuf.Duration:
// seconds with 0, 3, 6 or 9 fractional digits and an "s".
func durationJSON(d time.Duration) string {
	return protoDurationJSON(int64(d/time.Second), int32(d%time.Second))
}

// protoDurationJSON writes a google.protobuf.Duration of secs and nanos
// (of one sign) as protojson does, also beyond time.Duration's 292 years.
func protoDurationJSON(secs int64, nanos32 int32) string {
	nanos := int64(nanos32)
	neg := secs < 0 || nanos < 0
	if neg {
		secs, nanos = -secs, -nanos
	}
	s := strconv.FormatInt(secs, 10)
	if nanos != 0 {
		frac := strconv.FormatInt(nanos+1e9, 10)[1:] // 9 digits
		switch {
		case nanos%1e6 == 0:
			frac = frac[:3]
		case nanos%1e3 == 0:
			frac = frac[:6]
		}
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s + "s"
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string: quotes, backslashes and
// control characters escaped, U+2028 and U+2029 (which some JavaScript
// parsers take for line ends) too, and bytes that are not UTF-8 replaced by
// U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
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
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, "\\ufffd"...)
			start = i + size
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			start = i + size
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// builtin reports whether f's entry is the built-in catalog's.
func builtin(f *faults.Error) bool {
	e, ok := registry.Default().Lookup(f.Code())
	return ok && e.FaultType == f.FaultType()
}
