package openapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// Bounds on every document this package reads or writes. An input over a
// bound is an error that names it; nothing is cut silently.
const (
	// MaxDocumentBytes is the size of the largest document [Inject] and
	// [Check] accept: 64 MiB.
	MaxDocumentBytes = 64 << 20
	// MaxNodes is the most nodes (mappings, sequences, scalars, aliases) a
	// document may hold as read, and the most a written document, or the
	// JSON form of a YAML document given to a validator, may hold, counting
	// every alias as the nodes it stands for. It stops YAML alias bombs
	// (a few hundred bytes that expand to billions of nodes).
	MaxNodes = 2_000_000
	// MaxDepth is the deepest nesting of mappings and sequences accepted.
	MaxDepth = 100
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// document is an OpenAPI 3 or Swagger 2.0 description as read: its node
// tree and how to write it back in the same form.
type document struct {
	node    *yaml.Node // the yaml.DocumentNode
	json    bool       // the input was JSON: write JSON
	unit    string     // JSON indentation unit ("" for compact output)
	colon   string     // JSON key separator as in the input
	raw     map[*yaml.Node]string
	inline  map[*yaml.Node]inline
	newline bool   // the JSON input ended with a newline
	swagger bool   // Swagger 2.0 rather than OpenAPI 3.x
	version string // the "openapi" or "swagger" field
	t       *tree
}

// readDocument parses an OpenAPI 3.x or Swagger 2.0 document, JSON or
// YAML, within the bounds above. JSON is recognised by parsing it as
// JSON: input that starts with '{' but is not JSON (flow-style YAML) is
// read, and later written, as YAML. A UTF-8 byte order mark is dropped.
// A YAML stream of more than one document is refused, since an OpenAPI
// description is one document and the others could not be kept; empty
// documents after the first (a trailing "---") are allowed and dropped.
func readDocument(data []byte) (*document, error) {
	if len(data) > MaxDocumentBytes {
		return nil, fmt.Errorf("openapi: the document is larger than %d bytes", MaxDocumentBytes)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	d := &document{}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	var jsonErr error
	if len(trimmed) > 0 && trimmed[0] == '{' {
		if err := estimateJSONNodes(trimmed); err != nil {
			return nil, err
		}
		r, node, err := readJSON(data)
		switch {
		case err == nil:
			d.node, d.raw, d.inline, d.json = node, r.raw, r.inline, true
			d.unit, d.colon = jsonLayout(trimmed)
			d.newline = bytes.HasSuffix(data, []byte("\n"))
		case !errors.Is(err, errNotJSON):
			return nil, err
		default:
			jsonErr = err
		}
	}
	if d.node == nil {
		// YAML's parser does not count nodes as it goes: its input is
		// bounded before it is parsed.
		if err := estimateNodes(data); err != nil {
			return nil, err
		}
		if err := d.readYAML(data); err != nil {
			if jsonErr != nil {
				return nil, fmt.Errorf("openapi: the document is neither JSON (%v) nor YAML (%v)", jsonErr, err)
			}
			return nil, err
		}
	}
	top := root(d.node)
	if top == nil || top.Kind != yaml.MappingNode {
		return nil, errors.New("openapi: the document is not a mapping")
	}
	d.t = newTree(d.node)
	if v := deref(d.t.lookup(top, "openapi")); v != nil {
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" || !strings.HasPrefix(v.Value, "3.") {
			return nil, fmt.Errorf(`openapi: "openapi" is %q, not a 3.x version string`, v.Value)
		}
		d.version = v.Value
	} else if v := deref(d.t.lookup(top, "swagger")); v != nil {
		if v.Kind != yaml.ScalarNode || v.Value != "2.0" || v.ShortTag() != "!!str" {
			return nil, fmt.Errorf(`openapi: "swagger" is %q, not the string "2.0"`, v.Value)
		}
		d.version, d.swagger = v.Value, true
	} else {
		return nil, errors.New(`openapi: the document has neither an "openapi" 3.x nor a "swagger" "2.0" version`)
	}
	return d, d.t.err
}

// estimateNodes bounds the nodes of a document before it is parsed, so
// that parsing never builds more than MaxNodes of them: in JSON and YAML
// alike, a node needs a structural character (one of ":?,{[-") for itself
// or for the pair or item it is in, so a document with S of them holds at
// most 2S+2 nodes. It counts characters inside strings too, which YAML
// makes hard to tell apart; JSON has estimateJSONNodes. The exact count and
// the depth are checked while (JSON) or after (YAML) parsing.
func estimateNodes(data []byte) error {
	s := 0
	for _, c := range data {
		switch c {
		case ':', '?', ',', '{', '[', '-':
			s++
		}
	}
	if 2*s+2 > MaxNodes {
		return fmt.Errorf("openapi: the document may hold more than %d nodes (it has %d structural characters)", MaxNodes, s)
	}
	return nil
}

// estimateJSONNodes is estimateNodes for a document that starts as JSON:
// only the structural characters outside strings count, so a description
// full of colons and commas (GitHub's REST description has a million) is
// not refused, while a document with too many nodes is refused before one
// is built.
func estimateJSONNodes(data []byte) error {
	s, inString := 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString:
			switch c {
			case '\\':
				i++ // the escaped character
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == ':' || c == ',' || c == '{' || c == '[':
			s++
		}
	}
	// In JSON every node but the root follows exactly one of these: a key
	// its '{' or ',', a value its ':', an item its '[' or ','.
	if s+2 > MaxNodes {
		return fmt.Errorf("openapi: the document may hold more than %d nodes (it has %d structural characters)", MaxNodes, s)
	}
	return nil
}

// readYAML parses YAML (already bounded by estimateNodes).
func (d *document) readYAML(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var node yaml.Node
	if err := dec.Decode(&node); err != nil {
		return fmt.Errorf("openapi: parse document: %w", err)
	}
	for i := 2; ; i++ {
		var next yaml.Node
		err := dec.Decode(&next)
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("openapi: parse document %d of the YAML stream: %w", i, err)
		}
		if r := root(&next); r != nil && !isNull(r) {
			return fmt.Errorf("openapi: the YAML stream holds more than one document (document %d starts at line %d); an OpenAPI description is one document", i, next.Line)
		}
	}
	if _, err := checkYAML(&node, 0); err != nil {
		return err
	}
	d.node = &node
	return nil
}

// checkYAML counts the nodes of a parsed YAML tree (an alias counts as one)
// and checks its depth and that no mapping repeats a key.
func checkYAML(n *yaml.Node, depth int) (int, error) {
	if depth > MaxDepth {
		return 0, fmt.Errorf("openapi: the document nests deeper than %d levels (line %d)", MaxDepth, n.Line)
	}
	count := 1
	if n.Kind == yaml.MappingNode {
		var seen map[string]bool
		if len(n.Content) > 32 {
			seen = make(map[string]bool, len(n.Content)/2)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || isMerge(k) {
				continue
			}
			dup := false
			if seen != nil {
				dup, seen[k.Value] = seen[k.Value], true
			} else {
				for j := 0; j < i; j += 2 {
					if o := n.Content[j]; o.Kind == yaml.ScalarNode && o.Value == k.Value && !isMerge(o) {
						dup = true
						break
					}
				}
			}
			if dup {
				return 0, fmt.Errorf("openapi: duplicate key %q at line %d", k.Value, k.Line)
			}
		}
	}
	for _, c := range n.Content {
		m, err := checkYAML(c, depth+1)
		if err != nil {
			return 0, err
		}
		if count += m; count > MaxNodes {
			return 0, fmt.Errorf("openapi: the document holds more than %d nodes", MaxNodes)
		}
	}
	return count, nil
}

// jsonLayout returns the indentation unit and key separator of a JSON
// text starting with '{': the leading white space of the second line, or
// "" when the first member follows on the same line (compact output).
func jsonLayout(text []byte) (unit, colon string) {
	colon = ": "
	if i := bytes.IndexByte(text, ':'); i >= 0 && i+1 < len(text) && text[i+1] != ' ' {
		colon = ":"
	}
	rest := bytes.TrimLeft(text[1:], " \t\r")
	if len(rest) == 0 || rest[0] != '\n' {
		return "", colon
	}
	line := rest[1:]
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	if n == 0 {
		return "  ", colon
	}
	return string(line[:n]), colon
}

// bytes writes the document back in its own form: JSON for JSON input
// (numbers and escapes as written, the input's indentation), YAML
// otherwise (comments, anchors, aliases and styles kept; merge keys
// written as <<).
func (d *document) bytes() ([]byte, error) {
	if d.json {
		w := newJSONWriter(d.unit, d.colon, d.raw, d.inline)
		w.b = make([]byte, 0, 1<<16)
		if err := w.node(d.node, 1); err != nil {
			return nil, err
		}
		if d.newline {
			w.b = append(w.b, '\n')
		}
		return w.b, nil
	}
	if _, err := countWritten(d.node, 0); err != nil {
		return nil, err
	}
	fixMergeTags(d.node)
	return encodeYAML(d.node)
}

// countWritten counts the nodes the YAML encoder will write (a node that
// appears in several places counts each time; an alias is written as
// itself) and checks the depth.
func countWritten(n *yaml.Node, depth int) (int, error) {
	if depth > MaxDepth {
		return 0, fmt.Errorf("openapi: the written document would nest deeper than %d levels", MaxDepth)
	}
	count := 1
	for _, c := range n.Content {
		m, err := countWritten(c, depth+1)
		if err != nil {
			return 0, err
		}
		if count += m; count > MaxNodes {
			return 0, errTooManyWritten
		}
	}
	return count, nil
}

// fixMergeTags makes yaml.v3 write merge keys as "<<", not "!!merge <<":
// the plain "<<" resolves to a merge key when read again.
func fixMergeTags(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge" {
				k.Tag = ""
			}
		}
	}
	for _, c := range n.Content {
		fixMergeTags(c)
	}
}

// toJSON returns the JSON form of the document as a YAML loader sees it:
// aliases and merge keys resolved, within MaxNodes written nodes. It is
// what validators get.
func (d *document) toJSON() ([]byte, error) {
	if expandedSize(d.node, map[*yaml.Node]int{}, 0) > MaxNodes {
		return nil, errTooManyWritten
	}
	w := newJSONWriter("", ":", d.raw, nil)
	w.expand = d.t
	if err := w.node(d.node, 1); err != nil {
		return nil, err
	}
	return w.b, nil
}

// expandedSize returns how many nodes n stands for with every alias
// expanded (merge keys counted as written, an upper bound), saturating at
// MaxNodes+1, in time linear in the document: what an alias stands for is
// counted once. An alias bomb is thus refused before anything expands.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int, depth int) int {
	if depth > MaxDepth {
		return MaxNodes + 1 // the writer refuses it too
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return expandedSize(n.Alias, memo, depth+1)
	}
	if n.Anchor != "" {
		if s, ok := memo[n]; ok {
			return s
		}
	}
	s := 1
	for _, c := range n.Content {
		if s += expandedSize(c, memo, depth+1); s > MaxNodes {
			s = MaxNodes + 1
			break
		}
	}
	if n.Anchor != "" {
		memo[n] = s
	}
	return s
}
