package httpmap

import (
	"encoding/json"
	"strconv"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
)

// The JSON of the AIP-193 details gssfault sends most, written from plain
// structs in protojson's form (field names in lowerCamelCase, "@type"
// first, empty fields left out); TestDetailJSONMatchesProtojson holds them
// equal to protojson. Any other detail type goes through protojson.

type errorInfoJSON struct {
	Type     string            `json:"@type"`
	Reason   string            `json:"reason,omitempty"`
	Domain   string            `json:"domain,omitempty"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

type retryInfoJSON struct {
	Type       string `json:"@type"`
	RetryDelay string `json:"retryDelay,omitempty"`
}

type helpJSON struct {
	Type  string     `json:"@type"`
	Links []linkJSON `json:"links,omitempty"`
}

type linkJSON struct {
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
}

type localizedJSON struct {
	Type    string `json:"@type"`
	Locale  string `json:"locale,omitempty"`
	Message string `json:"message,omitempty"`
}

type resourceJSON struct {
	Type         string `json:"@type"`
	ResourceType string `json:"resourceType,omitempty"`
	ResourceName string `json:"resourceName,omitempty"`
	Owner        string `json:"owner,omitempty"`
	Description  string `json:"description,omitempty"`
}

// appendDetails appends the JSON array of pb's details; a detail that
// cannot be written (a type this program does not link) is left out.
func appendDetails(b []byte, pb *spb.Status) []byte {
	b = append(b, '[')
	first := true
	for _, a := range pb.GetDetails() {
		d, ok := detailJSON(a)
		if !ok {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		b = append(b, d...)
		first = false
	}
	return append(b, ']')
}

// detailJSON returns the JSON of one detail.
func detailJSON(a *anypb.Any) ([]byte, bool) {
	var v any
	url := a.GetTypeUrl()
	switch url {
	case "type.googleapis.com/google.rpc.ErrorInfo":
		var m errdetails.ErrorInfo
		if a.UnmarshalTo(&m) != nil {
			return nil, false
		}
		v = errorInfoJSON{url, m.GetReason(), m.GetDomain(), m.GetMetadata()}
	case "type.googleapis.com/google.rpc.RetryInfo":
		var m errdetails.RetryInfo
		if a.UnmarshalTo(&m) != nil || m.GetRetryDelay() != nil && m.GetRetryDelay().CheckValid() != nil {
			return nil, false
		}
		j := retryInfoJSON{Type: url}
		if d := m.GetRetryDelay(); d != nil {
			j.RetryDelay = durationJSON(d.AsDuration())
		}
		v = j
	case "type.googleapis.com/google.rpc.Help":
		var m errdetails.Help
		if a.UnmarshalTo(&m) != nil {
			return nil, false
		}
		j := helpJSON{Type: url}
		for _, l := range m.GetLinks() {
			j.Links = append(j.Links, linkJSON{l.GetDescription(), l.GetUrl()})
		}
		v = j
	case "type.googleapis.com/google.rpc.LocalizedMessage":
		var m errdetails.LocalizedMessage
		if a.UnmarshalTo(&m) != nil {
			return nil, false
		}
		v = localizedJSON{url, m.GetLocale(), m.GetMessage()}
	case "type.googleapis.com/google.rpc.ResourceInfo":
		var m errdetails.ResourceInfo
		if a.UnmarshalTo(&m) != nil {
			return nil, false
		}
		v = resourceJSON{url, m.GetResourceType(), m.GetResourceName(), m.GetOwner(), m.GetDescription()}
	default:
		b, err := protojson.Marshal(a)
		return b, err == nil
	}
	b, err := json.Marshal(v)
	return b, err == nil
}

// durationJSON writes d as protojson writes a google.protobuf.Duration:
// seconds with 0, 3, 6 or 9 fractional digits and an "s".
func durationJSON(d time.Duration) string {
	secs, nanos := int64(d/time.Second), int64(d%time.Second)
	neg := d < 0
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

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// builtin reports whether f's entry is the built-in catalog's.
func builtin(f *faults.Error) bool {
	e, ok := registry.Default().Lookup(f.Code())
	return ok && e.FaultType == f.FaultType()
}
