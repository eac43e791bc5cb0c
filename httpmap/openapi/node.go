package openapi

import (
	"bytes"
	"encoding/json"
	"strings"

	"gopkg.in/yaml.v3"
)

// root returns the top mapping of a document node.
func root(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return n.Content[0]
	}
	return n
}

// get returns the value of key in mapping m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// ensureMap returns the mapping under key in m, adding an empty one (or
// replacing a null) at the end when there is none.
func ensureMap(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind != yaml.MappingNode {
				*v = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			}
			return v
		}
	}
	v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	m.Content = append(m.Content, str(key), v)
	return v
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func mapping(kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: kv}
}

func isTrue(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && (n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
}

// setStyle sets the style of n and its children (0 is block style).
func setStyle(n *yaml.Node, s yaml.Style) {
	n.Style = s
	for _, c := range n.Content {
		setStyle(c, s)
	}
}

func isJSON(doc []byte) bool {
	t := bytes.TrimSpace(doc)
	return len(t) > 0 && t[0] == '{'
}

// writeJSON writes n as indented JSON, keeping the order of mapping keys.
func writeJSON(b *bytes.Buffer, n *yaml.Node, indent string) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			writeJSON(b, n.Content[0], indent)
		}
	case yaml.AliasNode:
		writeJSON(b, n.Alias, indent)
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		in := indent + "  "
		for i := 0; i+1 < len(n.Content); i += 2 {
			b.WriteString(in)
			key, _ := json.Marshal(n.Content[i].Value)
			b.Write(key)
			b.WriteString(": ")
			writeJSON(b, n.Content[i+1], in)
			if i+2 < len(n.Content) {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		in := indent + "  "
		for i, c := range n.Content {
			b.WriteString(in)
			writeJSON(b, c, in)
			if i+1 < len(n.Content) {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err == nil {
				if out, err := json.Marshal(v); err == nil {
					b.Write(out)
					return
				}
			}
		case "!!bool":
			if strings.EqualFold(n.Value, "true") {
				b.WriteString("true")
			} else {
				b.WriteString("false")
			}
			return
		case "!!null":
			b.WriteString("null")
			return
		}
		out, _ := json.Marshal(n.Value)
		b.Write(out)
	}
}
