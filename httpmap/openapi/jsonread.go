package openapi

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// errNotJSON marks a syntax error of the JSON reader: the input may still
// be YAML (flow style), which readDocument then tries. Bound errors are not
// marked: they end the read.
var errNotJSON = errors.New("not JSON")

// jsonReader builds a yaml.Node tree from JSON, keeping what yaml.v3 would
// lose or refuse: numbers exactly as written (123456789012345678901234567890,
// 1e400, 1.0), keys of any length, escaped surrogate pairs, and the text of
// strings whose escapes differ from what the writer would produce (Go's
// \u003c, an escaped slash), so that the output keeps them.
type jsonReader struct {
	data      []byte
	pos       int
	line      int // 1-based line of pos
	lineStart int // offset of the line's first byte
	nodes     int
	raw       map[*yaml.Node]string
	inline    map[*yaml.Node]inline
}

// inline is the layout of a JSON object or array written on one line: the
// white space after the opening bracket, after each comma and before the
// closing bracket (prettier writes ["a", "b"] and { "a": 1 }).
type inline struct{ open, comma, close string }

// readJSON parses a JSON document into a yaml.DocumentNode. raw maps string
// nodes to their text as written, where that differs from the canonical
// encoding.
func readJSON(data []byte) (*jsonReader, *yaml.Node, error) {
	r := &jsonReader{data: data, line: 1, raw: map[*yaml.Node]string{}, inline: map[*yaml.Node]inline{}}
	v, err := r.value(1)
	if err != nil {
		return nil, nil, err
	}
	r.space()
	if r.pos < len(r.data) {
		return nil, nil, r.syntax("data after the end of the JSON value")
	}
	return r, &yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1, Content: []*yaml.Node{v}}, nil
}

// spaceText skips white space and returns it.
func (r *jsonReader) spaceText() string {
	start := r.pos
	r.space()
	return string(r.data[start:r.pos])
}

// layout records the layout of a collection that opened on line and has
// just been read, when it is on one line and not empty.
func (r *jsonReader) layout(n *yaml.Node, line int, open, comma, close string) {
	if line == r.line && len(n.Content) > 0 {
		r.inline[n] = inline{open, comma, close}
	}
}

func (r *jsonReader) syntax(format string, args ...any) error {
	return fmt.Errorf("%w: line %d, column %d: %s", errNotJSON, r.line, r.pos-r.lineStart+1, fmt.Sprintf(format, args...))
}

func (r *jsonReader) space() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case '\n':
			r.line++
			r.lineStart = r.pos + 1
		case ' ', '\t', '\r':
		default:
			return
		}
		r.pos++
	}
}

func (r *jsonReader) value(depth int) (*yaml.Node, error) {
	r.space()
	if r.pos >= len(r.data) {
		return nil, r.syntax("unexpected end of input")
	}
	if r.nodes++; r.nodes > MaxNodes {
		return nil, fmt.Errorf("openapi: the document holds more than %d nodes (line %d)", MaxNodes, r.line)
	}
	n := &yaml.Node{Line: r.line, Column: r.pos - r.lineStart + 1}
	switch c := r.data[r.pos]; {
	case c == '{' || c == '[':
		if depth > MaxDepth {
			return nil, fmt.Errorf("openapi: the document nests deeper than %d levels (line %d)", MaxDepth, r.line)
		}
		if c == '{' {
			return n, r.object(n, depth)
		}
		return n, r.array(n, depth)
	case c == '"':
		s, raw, err := r.str()
		if err != nil {
			return nil, err
		}
		n.Kind, n.Tag, n.Style, n.Value = yaml.ScalarNode, "!!str", yaml.DoubleQuotedStyle, s
		if raw != "" {
			r.raw[n] = raw
		}
		return n, nil
	case c == '-' || c >= '0' && c <= '9':
		v, float, err := r.number()
		if err != nil {
			return nil, err
		}
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", v
		if float {
			n.Tag = "!!float"
		}
		return n, nil
	default:
		for _, lit := range [...]struct{ word, tag string }{{"true", "!!bool"}, {"false", "!!bool"}, {"null", "!!null"}} {
			if bytes.HasPrefix(r.data[r.pos:], []byte(lit.word)) {
				r.pos += len(lit.word)
				n.Kind, n.Tag, n.Value = yaml.ScalarNode, lit.tag, lit.word
				return n, nil
			}
		}
		return nil, r.syntax("invalid character %q", rune(c))
	}
}

func (r *jsonReader) object(n *yaml.Node, depth int) error {
	n.Kind, n.Tag, n.Style = yaml.MappingNode, "!!map", yaml.FlowStyle
	line := r.line
	r.pos++ // {
	open := r.spaceText()
	var seen map[string]bool
	var comma string
	for first := true; ; first = false {
		ws := r.spaceText()
		if r.pos < len(r.data) && r.data[r.pos] == '}' {
			r.pos++
			r.layout(n, line, open, comma, ws)
			return nil
		}
		if !first {
			if r.pos >= len(r.data) || r.data[r.pos] != ',' {
				return r.syntax("expected ',' or '}' after an object member")
			}
			r.pos++
			if ws = r.spaceText(); comma == "" {
				comma = ws
			}
		}
		if r.pos >= len(r.data) || r.data[r.pos] != '"' {
			return r.syntax("expected a string key")
		}
		k, err := r.value(depth + 1)
		if err != nil {
			return err
		}
		// Duplicate keys: JSON parsers disagree on which wins, so refuse.
		if len(n.Content) >= 16 && seen == nil {
			seen = make(map[string]bool, len(n.Content))
			for i := 0; i < len(n.Content); i += 2 {
				seen[n.Content[i].Value] = true
			}
		}
		if seen != nil && seen[k.Value] || seen == nil && get(n, k.Value) != nil {
			return fmt.Errorf("openapi: duplicate key %q at line %d", k.Value, k.Line)
		}
		if seen != nil {
			seen[k.Value] = true
		}
		r.space()
		if r.pos >= len(r.data) || r.data[r.pos] != ':' {
			return r.syntax("expected ':' after an object key")
		}
		r.pos++
		v, err := r.value(depth + 1)
		if err != nil {
			return err
		}
		n.Content = append(n.Content, k, v)
	}
}

func (r *jsonReader) array(n *yaml.Node, depth int) error {
	n.Kind, n.Tag, n.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
	line := r.line
	r.pos++ // [
	open := r.spaceText()
	var comma string
	for first := true; ; first = false {
		ws := r.spaceText()
		if r.pos < len(r.data) && r.data[r.pos] == ']' {
			r.pos++
			r.layout(n, line, open, comma, ws)
			return nil
		}
		if !first {
			if r.pos >= len(r.data) || r.data[r.pos] != ',' {
				return r.syntax("expected ',' or ']' after an array element")
			}
			r.pos++
			if ws = r.spaceText(); comma == "" {
				comma = ws
			}
		}
		v, err := r.value(depth + 1)
		if err != nil {
			return err
		}
		n.Content = append(n.Content, v)
	}
}

// number scans a JSON number and returns its text unchanged.
func (r *jsonReader) number() (string, bool, error) {
	start, d := r.pos, r.data
	float := false
	digits := func() int {
		s := r.pos
		for r.pos < len(d) && d[r.pos] >= '0' && d[r.pos] <= '9' {
			r.pos++
		}
		return r.pos - s
	}
	if d[r.pos] == '-' {
		r.pos++
	}
	switch n := digits(); {
	case n == 0:
		return "", false, r.syntax("invalid number")
	case n > 1 && d[r.pos-n] == '0':
		return "", false, r.syntax("number with a leading zero")
	}
	if r.pos < len(d) && d[r.pos] == '.' {
		float = true
		r.pos++
		if digits() == 0 {
			return "", false, r.syntax("invalid number: no digit after '.'")
		}
	}
	if r.pos < len(d) && (d[r.pos] == 'e' || d[r.pos] == 'E') {
		float = true
		r.pos++
		if r.pos < len(d) && (d[r.pos] == '+' || d[r.pos] == '-') {
			r.pos++
		}
		if digits() == 0 {
			return "", false, r.syntax("invalid number: no digit in the exponent")
		}
	}
	return string(d[start:r.pos]), float, nil
}

// str scans a JSON string. raw is its text as written when that differs
// from [appendJSONString]'s encoding of the value, else "".
func (r *jsonReader) str() (s, raw string, err error) {
	start, d := r.pos, r.data
	r.pos++ // "
	escaped := false
	for {
		if r.pos >= len(d) {
			return "", "", r.syntax("unterminated string")
		}
		c := d[r.pos]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return "", "", r.syntax("control character %#x in a string", c)
		}
		if c == '\\' {
			escaped = true
			r.pos++
		}
		r.pos++
	}
	text := d[start : r.pos+1]
	r.pos++
	body := text[1 : len(text)-1]
	if !escaped {
		if utf8.Valid(body) {
			return string(body), "", nil
		}
		return strings.ToValidUTF8(string(body), "\uFFFD"), string(text), nil
	}
	s, ok := unescape(body)
	if !ok {
		return "", "", r.syntax("invalid escape in a string")
	}
	if !bytes.Equal(appendJSONString(nil, s), text) {
		raw = string(text)
	}
	return s, raw, nil
}

// unescape decodes the body of a JSON string with escapes, as
// encoding/json does (a lone surrogate becomes U+FFFD).
func unescape(b []byte) (string, bool) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(b) {
			return "", false
		}
		switch b[i+1] {
		case '"', '\\', '/':
			out = append(out, b[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r1, ok := hex4(b[i+2:])
			if !ok {
				return "", false
			}
			i += 6
			if utf16.IsSurrogate(r1) {
				if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
					out = utf8.AppendRune(out, utf8.RuneError)
					continue
				}
				if r2, ok := hex4(b[i+2:]); ok {
					if dec := utf16.DecodeRune(r1, r2); dec != utf8.RuneError {
						out = utf8.AppendRune(out, dec)
						i += 6
						continue
					}
				}
				r1 = utf8.RuneError
			}
			out = utf8.AppendRune(out, r1)
			continue
		default:
			return "", false
		}
		i += 2
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), true
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
