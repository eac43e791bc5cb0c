package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
)

// JSON bodies in error match: which objects are error bodies, and their
// HTTP status. The reading itself is httpmap.ParseBody's (parseBody).

// jsonBody reads body as an HTTP error body if it has one of the shapes
// httpmap reads; before is the text in front of it on its line, where an
// HTTP status may be written, and line its line number. The status is, in
// order: one written just before the body on its line; one of an HTTP
// status line ("HTTP/1.1 403 Forbidden") in the 8 lines before; the
// body's own; 500.
func (m *matcher) jsonBody(body, before string, line int) (*faults.Error, bool) {
	st, ok := errorBodyStatus([]byte(body))
	if !ok {
		return nil, false
	}
	if h := statusHint(before); h >= 400 {
		st = h
	} else if m.statusLineStatus >= 400 && line-m.statusLine <= 8 {
		st = m.statusLineStatus
	}
	if st < 400 || st > 599 {
		st = http.StatusInternalServerError
	}
	f, _ := httpmap.ParseBody(st, []byte(body), httpmap.WithPolicy(m.pol))
	return f, true
}

// errorBodyStatus reports whether b is an error body of a shape httpmap
// reads, and the HTTP status the body itself gives (0 for none):
//   - vSphere REST /api: "error_type";
//   - vSphere REST /rest: "type" com.vmware.vapi.std.errors.* with "value";
//   - Google: only "error", an object;
//   - grpc-gateway: "code" (a number) with "message" and/or "details",
//     nothing else; the status is grpc-gateway's for the code;
//   - RFC 9457 problem+json: two or more of type, title, status, detail,
//     instance; the status is "status".
func errorBodyStatus(b []byte) (int, bool) {
	if !mayBeErrorBody(b) {
		return 0, false
	}
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&top) != nil {
		return 0, false
	}
	str := func(k string) (string, bool) {
		var s string
		return s, json.Unmarshal(top[k], &s) == nil && top[k] != nil
	}
	num := func(raw json.RawMessage) (int64, bool) {
		n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
		return n, err == nil
	}
	if _, ok := str("error_type"); ok {
		return 0, true
	}
	if t, ok := str("type"); ok && strings.HasPrefix(t, "com.vmware.vapi.std.errors.") && top["value"] != nil {
		return 0, true
	}
	if raw, ok := top["error"]; ok && len(top) == 1 {
		var inner map[string]json.RawMessage
		if json.Unmarshal(raw, &inner) != nil {
			return 0, false
		}
		if n, ok := num(inner["code"]); ok {
			return int(n), true
		}
		_, hasStatus := inner["status"]
		_, hasMsg := inner["message"]
		return 0, hasStatus || hasMsg
	}
	if n, ok := num(top["code"]); ok {
		for k := range top {
			if k != "code" && k != "message" && k != "details" {
				return 0, false
			}
		}
		if len(top) < 2 || n <= 0 || n > 16 {
			return 0, len(top) >= 2
		}
		return grpcHTTPStatus(grpccodes.Code(n)), true
	}
	members := 0
	for _, k := range []string{"type", "title", "status", "detail", "instance"} {
		if _, ok := top[k]; ok {
			members++
		}
	}
	if members >= 2 {
		n, _ := num(top["status"])
		return int(n), true
	}
	return 0, false
}

// errorBodyKeys are the members one of which every error body shape has.
var errorBodyKeys = [][]byte{[]byte(`"error_type"`), []byte(`"type"`), []byte(`"error"`), []byte(`"code"`),
	[]byte(`"title"`), []byte(`"detail"`), []byte(`"status"`)}

// mayBeErrorBody is a cheap test that spares decoding the JSON objects of
// a structured log, which name none of the members error bodies have.
func mayBeErrorBody(b []byte) bool {
	for _, k := range errorBodyKeys {
		if bytes.Contains(b, k) {
			return true
		}
	}
	return false
}

// statusHints are the ways a log writes an HTTP status before a body:
// "HTTP 404", "HTTP/1.1 404", "status=404", "status: 404", "statusCode
// 404", and Go's resp.Status, "404 Not Found" (checked against
// http.StatusText).
var (
	statusHintRE = regexp.MustCompile(`(?i)(?:\bHTTP(?:/[0-9.]+)?[ :]+|\bstatus(?:[ _-]?code)?["']?\s*[=:]?\s*)([1-5][0-9][0-9])\b`)
	statusTextRE = regexp.MustCompile(`\b([1-5][0-9][0-9]) ([A-Z][A-Za-z' -]+)`)
)

var statusLineRE = regexp.MustCompile(`^HTTP/[0-9.]+ ([1-5][0-9][0-9])\b`)

// noteStatusLine remembers an HTTP status line (a response dump) for the
// bodies that follow it.
func (m *matcher) noteStatusLine(rec record) {
	if sm := statusLineRE.FindStringSubmatch(strings.TrimSpace(rec.text)); sm != nil {
		m.statusLineStatus, _ = strconv.Atoi(sm[1])
		m.statusLine = rec.endLine
	}
}

// statusHint returns the last HTTP status written in s, or 0.
func statusHint(s string) int {
	if len(s) > 256 {
		s = s[len(s)-256:]
	}
	best, at := 0, -1
	for _, m := range statusHintRE.FindAllStringSubmatchIndex(s, -1) {
		if n, _ := strconv.Atoi(s[m[2]:m[3]]); m[2] > at {
			best, at = n, m[2]
		}
	}
	for _, m := range statusTextRE.FindAllStringSubmatchIndex(s, -1) {
		n, _ := strconv.Atoi(s[m[2]:m[3]])
		if t := http.StatusText(n); t != "" && strings.HasPrefix(s[m[4]:m[5]], t) && m[2] > at {
			best, at = n, m[2]
		}
	}
	return best
}

// jsonStrings returns the string values of a JSON document that is not an
// error body (a structured log line), so that what they hold is found:
// at most 1024 strings.
func jsonStrings(body string) []string {
	if !mayHoldFault(body) {
		return nil
	}
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		if len(out) >= 1024 {
			return
		}
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(x[k])
			}
		}
	}
	walk(v)
	return out
}

// mayHoldFault is a cheap test for text that holds nothing match finds in
// running text: every fault type name and status text has an upper-case
// letter, and a code without one is written "gss-".
func mayHoldFault(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' || c == '-' && i >= 3 && strings.EqualFold(s[i-3:i], "gss") {
			return true
		}
	}
	return false
}

func codesCode(s string) codes.Code { return codes.Code(s) }

func validCode(s string) bool { _, err := codes.Parse(s); return err == nil }
