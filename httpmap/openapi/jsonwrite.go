package openapi

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// maxIndentLevels caps the indentation of written JSON: lines nested deeper
// are indented as at this level. Real descriptions nest about 30 levels
// (GitHub's, dereferenced); the cap keeps the output linear in the input
// even for a document nested MaxDepth deep.
const maxIndentLevels = 32

// jsonWriter writes a yaml.Node tree as JSON, keeping the order of keys.
type jsonWriter struct {
	b      []byte
	pad    string // "\n" followed by maxIndentLevels indentation units; "" for compact output
	unit   int    // length of one indentation unit
	colon  string // between a key and its value
	raw    map[*yaml.Node]string
	inline map[*yaml.Node]inline // collections written on one line
	flat   int                   // > 0 while writing inside one
	nodes  int
	// expand, when set, follows aliases and resolves merge keys, counting
	// every node written against MaxNodes: the JSON form of a YAML
	// document for a validator. Without it an alias is an error.
	expand *tree
}

func newJSONWriter(unit, colon string, raw map[*yaml.Node]string, inline map[*yaml.Node]inline) *jsonWriter {
	w := &jsonWriter{unit: len(unit), colon: colon, raw: raw, inline: inline}
	if unit != "" {
		w.pad = "\n" + strings.Repeat(unit, maxIndentLevels)
	}
	return w
}

func (w *jsonWriter) newline(depth int) {
	if w.pad == "" || w.flat > 0 {
		return
	}
	w.b = append(w.b, w.pad[:1+w.unit*min(depth, maxIndentLevels)]...)
}

var errTooManyWritten = fmt.Errorf("openapi: the written document would hold more than %d nodes", MaxNodes)

func (w *jsonWriter) node(n *yaml.Node, depth int) error {
	if w.nodes++; w.nodes > MaxNodes {
		return errTooManyWritten
	}
	if depth > MaxDepth {
		return fmt.Errorf("openapi: the written document would nest deeper than %d levels", MaxDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			w.b = append(w.b, "null"...)
			return nil
		}
		return w.node(n.Content[0], depth)
	case yaml.AliasNode:
		if w.expand == nil || n.Alias == nil {
			return errors.New("openapi: an alias cannot be written as JSON")
		}
		return w.node(n.Alias, depth+1)
	case yaml.MappingNode:
		pairs := n.Content
		if w.expand != nil && hasMerge(n) {
			pairs = w.expand.entries(n)
			if w.expand.err != nil {
				return w.expand.err
			}
		}
		if len(pairs) == 0 {
			w.b = append(w.b, "{}"...)
			return nil
		}
		lay, flat := w.inline[n]
		w.b = append(w.b, '{')
		if flat {
			w.flat++
			defer func() { w.flat-- }()
			w.b = append(w.b, lay.open...)
		}
		for i := 0; i+1 < len(pairs); i += 2 {
			if i > 0 {
				w.b = append(w.b, ',')
				w.b = append(w.b, lay.comma...)
			}
			w.newline(depth)
			k := pairs[i]
			if w.expand != nil {
				k = deref(k)
			}
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("openapi: line %d: a mapping key is not a string", k.Line)
			}
			if raw, ok := w.raw[k]; ok {
				w.b = append(w.b, raw...)
			} else {
				w.b = appendJSONString(w.b, k.Value)
			}
			w.b = append(w.b, w.colon...)
			if err := w.node(pairs[i+1], depth+1); err != nil {
				return err
			}
		}
		w.b = append(w.b, lay.close...)
		w.newline(depth - 1)
		w.b = append(w.b, '}')
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			w.b = append(w.b, "[]"...)
			return nil
		}
		lay, flat := w.inline[n]
		w.b = append(w.b, '[')
		if flat {
			w.flat++
			defer func() { w.flat-- }()
			w.b = append(w.b, lay.open...)
		}
		for i, c := range n.Content {
			if i > 0 {
				w.b = append(w.b, ',')
				w.b = append(w.b, lay.comma...)
			}
			w.newline(depth)
			if err := w.node(c, depth+1); err != nil {
				return err
			}
		}
		w.b = append(w.b, lay.close...)
		w.newline(depth - 1)
		w.b = append(w.b, ']')
	case yaml.ScalarNode:
		return w.scalar(n)
	default:
		return fmt.Errorf("openapi: line %d: a node of unknown kind", n.Line)
	}
	return nil
}

// scalar writes a scalar: a string as a JSON string, a number as written
// when that is a JSON number, otherwise converted; booleans and null.
func (w *jsonWriter) scalar(n *yaml.Node) error {
	if raw, ok := w.raw[n]; ok {
		w.b = append(w.b, raw...)
		return nil
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		w.b = appendJSONString(w.b, n.Value)
		return nil
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		if isJSONNumber(n.Value) {
			w.b = append(w.b, n.Value...)
			return nil
		}
		var v any
		if err := n.Decode(&v); err == nil {
			switch v := v.(type) {
			case int:
				w.b = strconv.AppendInt(w.b, int64(v), 10)
				return nil
			case uint64:
				w.b = strconv.AppendUint(w.b, v, 10)
				return nil
			case float64:
				if math.IsInf(v, 0) || math.IsNaN(v) {
					return fmt.Errorf("openapi: line %d: %s has no JSON form", n.Line, n.Value)
				}
				w.b = strconv.AppendFloat(w.b, v, 'g', -1, 64)
				return nil
			}
		}
	case "!!bool":
		var v bool
		if err := n.Decode(&v); err == nil {
			w.b = strconv.AppendBool(w.b, v)
			return nil
		}
	case "!!null":
		w.b = append(w.b, "null"...)
		return nil
	}
	w.b = appendJSONString(w.b, n.Value)
	return nil
}

// isJSONNumber reports whether s is a number in JSON's grammar.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	start := i
	if n := digits(); n == 0 || n > 1 && s[start] == '0' {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// appendJSONString appends s as a JSON string the way JavaScript's
// JSON.stringify writes it: only '"', '\\' and control characters are
// escaped (no HTML escaping); invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, "\uFFFD"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
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
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
