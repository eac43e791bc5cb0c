package rpcwire

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
)

// hostile are strings that trip hand-written encoders: quotes, escapes,
// control characters, HTML, U+2028/U+2029, non-ASCII, long values.
var hostile = []string{
	"", "plain", `quote " and \ backslash`, "nl\n cr\r tab\t nul\x00 bell\x07 del\x7f",
	"<script>&amp;</script>", "line\u2028para\u2029", "résumé 日本 🚀", "\uFFFD",
	string(bytes.Repeat([]byte("x"), 300)),
}

func marshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every encoder writes what proto.Marshal writes (deterministic: map keys
// sorted), byte for byte, and every decoder reads it back.
func TestEncodersMatchProtoMarshal(t *testing.T) {
	for _, s := range hostile {
		md := []KV{{"a", s}, {"b" + s, "v"}, {"gssCode", "GSS-VSP-014"}}
		pmd := map[string]string{}
		for _, kv := range md {
			pmd[kv.Key] = kv.Value
		}
		// Deterministic marshal sorts keys: give ours in that order.
		sorted := sortedKV(pmd)
		cases := []struct {
			name string
			ours []byte
			ref  proto.Message
		}{
			{"ErrorInfo", AppendErrorInfo(nil, s, "gssfault.vsp", sorted), &errdetails.ErrorInfo{Reason: s, Domain: "gssfault.vsp", Metadata: pmd}},
			{"Help", AppendHelp(nil, Link{s, "https://example.test/" + s}), &errdetails.Help{Links: []*errdetails.Help_Link{{Description: s, Url: "https://example.test/" + s}}}},
			{"ResourceInfo", AppendResourceInfo(nil, ResourceInfo{"VirtualMachine", s, s, ""}), &errdetails.ResourceInfo{ResourceType: "VirtualMachine", ResourceName: s, Owner: s}},
			{"LocalizedMessage", AppendLocalizedMessage(nil, LocalizedMessage{"en-US", s}), &errdetails.LocalizedMessage{Locale: "en-US", Message: s}},
			{"DebugInfo", AppendDebugInfo(nil, DebugInfo{[]string{s, "b"}, s}), &errdetails.DebugInfo{StackEntries: []string{s, "b"}, Detail: s}},
		}
		for _, c := range cases {
			if want := marshal(t, c.ref); !bytes.Equal(c.ours, want) {
				t.Errorf("%s(%q):\n ours %x\n want %x", c.name, s, c.ours, want)
			}
		}
		e, ok := DecodeErrorInfo(cases[0].ours)
		if !ok || e.Reason != s || !cmp.Equal(e.Metadata, sorted) {
			t.Errorf("DecodeErrorInfo(%q) = %+v, %v", s, e, ok)
		}
		if l, ok := DecodeHelp(cases[1].ours); !ok || len(l) != 1 || l[0].Description != s {
			t.Errorf("DecodeHelp(%q) = %+v, %v", s, l, ok)
		}
	}
	for _, d := range []time.Duration{0, time.Nanosecond, 1500 * time.Millisecond, 5 * time.Second, -2*time.Second - time.Microsecond, 1<<63 - 1} {
		ours := AppendRetryInfo(nil, DurationOf(d))
		if want := marshal(t, &errdetails.RetryInfo{RetryDelay: durationpb.New(d)}); !bytes.Equal(ours, want) {
			t.Errorf("RetryInfo(%v): ours %x, want %x", d, ours, want)
		}
		r, ok := DecodeRetryInfo(ours)
		if !ok || !r.HasDelay || r.Delay.AsDuration() != d {
			t.Errorf("DecodeRetryInfo(%v) = %+v, %v", d, r, ok)
		}
	}
}

func sortedKV(m map[string]string) []KV {
	var out []KV
	for k, v := range m {
		out = append(out, KV{k, v})
	}
	for i := range out { // insertion sort: tiny lists
		for j := i; j > 0 && out[j].Key < out[j-1].Key; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// The JSON of every detail type decodes to the same value as protojson's.
func TestDetailJSONMatchesProtojson(t *testing.T) {
	for _, s := range append(hostile, "bad \xff utf8") {
		v := ValidUTF8(s)
		msgs := []proto.Message{
			&errdetails.ErrorInfo{Reason: v, Domain: "d", Metadata: map[string]string{"k": v, v + "k": "x"}},
			&errdetails.ErrorInfo{},
			&errdetails.RetryInfo{RetryDelay: durationpb.New(1500 * time.Millisecond)},
			&errdetails.RetryInfo{RetryDelay: durationpb.New(-time.Nanosecond)},
			&errdetails.RetryInfo{RetryDelay: &durationpb.Duration{}},
			&errdetails.RetryInfo{},
			&errdetails.Help{Links: []*errdetails.Help_Link{{Description: v, Url: "u"}, {}}},
			&errdetails.ResourceInfo{ResourceType: v, ResourceName: "n", Description: v},
			&errdetails.LocalizedMessage{Locale: "fr", Message: v},
			&errdetails.DebugInfo{StackEntries: []string{v, ""}, Detail: v},
		}
		for _, m := range msgs {
			a, err := anypb.New(m)
			if err != nil {
				t.Fatal(err)
			}
			want, err := protojson.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := AppendDetailJSON(nil, a.TypeUrl, a.Value)
			if !ok {
				t.Errorf("%T(%q): not written", m, s)
				continue
			}
			var g, w any
			if err := json.Unmarshal(got, &g); err != nil {
				t.Errorf("%T(%q): invalid JSON %s: %v", m, s, got, err)
				continue
			}
			_ = json.Unmarshal(want, &w)
			if diff := cmp.Diff(w, g); diff != "" {
				t.Errorf("%T(%q) (-protojson +ours):\n%s", m, s, diff)
			}
		}
	}
}

func TestJSONStringEscapes(t *testing.T) {
	for _, s := range append(hostile, "bad \xff utf8 \xe2\x80") {
		b := AppendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("%q: %s is not JSON: %v", s, b, err)
			continue
		}
		if want := ValidUTF8(s); got != want {
			t.Errorf("%q round-trips as %q", s, got)
		}
		if bytes.ContainsAny(b, "<>&\u2028\u2029") {
			t.Errorf("%q: %s keeps a character that must be escaped", s, b)
		}
	}
}

// An unknown type, a detail proto.Unmarshal rejects and a duration
// protojson rejects are left to the caller.
func TestDetailJSONDeclines(t *testing.T) {
	bad := []struct{ url, value string }{
		{"type.googleapis.com/other.Type", ""},
		{ErrorInfoURL, "\x0a\x05ab"},           // truncated
		{ErrorInfoURL, "\x0a\x02\xff\xfe"},     // invalid UTF-8
		{RetryInfoURL, "\x0a\x02\x08\x7f\x00"}, // truncated inside
		{RetryInfoURL, "\x0a\x0b\x08\x80\x80\x80\x80\x80\x80\x80\x80\x01"},
	}
	for _, c := range bad {
		if out, ok := AppendDetailJSON([]byte("x"), c.url, []byte(c.value)); ok || string(out) != "x" {
			t.Errorf("%s %x: wrote %s", c.url, c.value, out)
		}
	}
}

// decoders are the detail decoders, each with the generated message
// proto.Unmarshal fills and a conversion of its result into that message.
var decoders = []struct {
	name   string
	ref    func() proto.Message
	decode func([]byte) (proto.Message, bool)
}{
	{"ErrorInfo", func() proto.Message { return new(errdetails.ErrorInfo) }, func(b []byte) (proto.Message, bool) {
		e, ok := DecodeErrorInfo(b)
		m := &errdetails.ErrorInfo{Reason: e.Reason, Domain: e.Domain}
		for _, kv := range e.Metadata {
			if m.Metadata == nil {
				m.Metadata = map[string]string{}
			}
			m.Metadata[kv.Key] = kv.Value // the last value of a key wins, as in a map
		}
		return m, ok
	}},
	{"RetryInfo", func() proto.Message { return new(errdetails.RetryInfo) }, func(b []byte) (proto.Message, bool) {
		r, ok := DecodeRetryInfo(b)
		m := &errdetails.RetryInfo{}
		if r.HasDelay {
			m.RetryDelay = &durationpb.Duration{Seconds: r.Delay.Seconds, Nanos: r.Delay.Nanos}
		}
		return m, ok
	}},
	{"Help", func() proto.Message { return new(errdetails.Help) }, func(b []byte) (proto.Message, bool) {
		links, ok := DecodeHelp(b)
		m := &errdetails.Help{}
		for _, l := range links {
			m.Links = append(m.Links, &errdetails.Help_Link{Description: l.Description, Url: l.URL})
		}
		return m, ok
	}},
	{"ResourceInfo", func() proto.Message { return new(errdetails.ResourceInfo) }, func(b []byte) (proto.Message, bool) {
		r, ok := DecodeResourceInfo(b)
		return &errdetails.ResourceInfo{ResourceType: r.ResourceType, ResourceName: r.ResourceName, Owner: r.Owner, Description: r.Description}, ok
	}},
	{"LocalizedMessage", func() proto.Message { return new(errdetails.LocalizedMessage) }, func(b []byte) (proto.Message, bool) {
		l, ok := DecodeLocalizedMessage(b)
		return &errdetails.LocalizedMessage{Locale: l.Locale, Message: l.Message}, ok
	}},
	{"DebugInfo", func() proto.Message { return new(errdetails.DebugInfo) }, func(b []byte) (proto.Message, bool) {
		d, ok := DecodeDebugInfo(b)
		return &errdetails.DebugInfo{StackEntries: d.StackEntries, Detail: d.Detail}, ok
	}},
}

// FuzzDecodeDetails holds every decoder to proto.Unmarshal on arbitrary
// bytes: the same inputs are rejected, and accepted ones decode to the
// same values.
func FuzzDecodeDetails(f *testing.F) {
	f.Add(AppendErrorInfo(nil, "R", "d", []KV{{"k", "v"}, {"k", "w"}}))
	f.Add(AppendRetryInfo(nil, DurationOf(1500*time.Millisecond)))
	f.Add(AppendHelp(nil, Link{"d", "u"}))
	f.Add(AppendResourceInfo(nil, ResourceInfo{"a", "b", "c", "d"}))
	f.Add(AppendDebugInfo(nil, DebugInfo{[]string{"x"}, "y"}))
	f.Add([]byte("\x0a\x02\xff\xfe"))
	f.Add([]byte("\x0b\x0c"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, d := range decoders {
			ref := d.ref()
			refErr := proto.Unmarshal(b, ref)
			got, ok := d.decode(b)
			if ok != (refErr == nil) {
				t.Fatalf("%s %x: ok %v, proto.Unmarshal %v", d.name, b, ok, refErr)
			}
			// proto.Unmarshal keeps unknown fields, which the decoders
			// skip by design; everything else must be the same.
			if diff := cmp.Diff(ref, got, protocmp.Transform(), protocmp.IgnoreUnknown()); ok && diff != "" {
				t.Fatalf("%s %x (-proto.Unmarshal +ours):\n%s", d.name, b, diff)
			}
		}
		// What decodes also writes JSON that protojson agrees with.
		for _, url := range []string{ErrorInfoURL, RetryInfoURL, HelpURL, ResourceInfoURL, LocalizedMessageURL, DebugInfoURL} {
			got, ok := AppendDetailJSON(nil, url, b)
			want, err := protojson.Marshal(&anypb.Any{TypeUrl: url, Value: b})
			if ok != (err == nil) {
				t.Fatalf("%s %x: ours ok %v, protojson %v", url, b, ok, err)
			}
			if ok {
				var g, w any
				if err := json.Unmarshal(got, &g); err != nil {
					t.Fatalf("%s %x: invalid JSON %s", url, b, got)
				}
				_ = json.Unmarshal(want, &w)
				if diff := cmp.Diff(w, g); diff != "" {
					t.Fatalf("%s %x (-protojson +ours):\n%s", url, b, diff)
				}
			}
		}
	})
}
