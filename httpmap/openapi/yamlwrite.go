package openapi

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// yaml.v3's emitter keeps every event of an Encode call until the call
// ends, copying them as they grow: one call for a 10 MB document takes
// seconds and most of a gigabyte. encodeYAML therefore encodes a large
// block mapping one pair at a time, each pair as a one-pair document
// whose lines are then indented to their place, which gives the same text
// (block YAML is invariant under indenting every line alike, and the
// emitter does not fold lines). Anything it cannot split safely (flow
// style, anchors, tags, comments on the mapping itself, keys that are not
// short one-line scalars) is encoded whole. TestYAMLSplitEncoding holds
// the two ways equal.

// splitNodes is the size above which a mapping is split.
const splitNodes = 512

func encodeYAML(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	top := root(doc)
	if top == nil || doc.HeadComment != "" || doc.LineComment != "" || doc.FootComment != "" || !splittable(top) {
		if err := encodeWhole(&b, doc, ""); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	if err := encodePairs(&b, top, ""); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// splittable reports whether a mapping may be written pair by pair.
func splittable(m *yaml.Node) bool {
	return m.Kind == yaml.MappingNode && m.Style&yaml.FlowStyle == 0 && m.Anchor == "" &&
		(m.Tag == "" || m.Tag == "!!map") && m.HeadComment == "" && m.LineComment == "" && m.FootComment == "" &&
		len(m.Content) > 0
}

func encodePairs(b *bytes.Buffer, m *yaml.Node, indent string) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if splittable(v) && size(v, splitNodes) > splitNodes {
			if key, ok := plainKey(k); ok {
				b.WriteString(indent)
				b.WriteString(key)
				b.WriteString(":\n")
				if err := encodePairs(b, v, indent+"  "); err != nil {
					return err
				}
				continue
			}
		}
		pair := &yaml.Node{Kind: yaml.MappingNode, Tag: m.Tag, Content: []*yaml.Node{k, v}}
		if err := encodeWhole(b, pair, indent); err != nil {
			return err
		}
	}
	return nil
}

// plainKey returns how a key is written when it can head a split mapping:
// a one-line scalar without comments, anchor or tag.
func plainKey(k *yaml.Node) (string, bool) {
	if k.Kind != yaml.ScalarNode || k.Anchor != "" || k.HeadComment != "" || k.LineComment != "" || k.FootComment != "" ||
		k.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) != 0 || len(k.Value) > 128 || strings.ContainsAny(k.Value, "\n\r") {
		return "", false
	}
	var b bytes.Buffer
	if err := encodeWhole(&b, k, ""); err != nil {
		return "", false
	}
	s := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if bytes.ContainsAny(s, "\n") || bytes.HasPrefix(s, []byte("!")) {
		return "", false
	}
	return string(s), true
}

// size counts n's nodes, stopping past limit.
func size(n *yaml.Node, limit int) int {
	s := 1
	for _, c := range n.Content {
		if s += size(c, limit-s); s > limit {
			break
		}
	}
	return s
}

// encodeWhole encodes n with one yaml.v3 Encode call and appends it with
// every non-empty line indented.
func encodeWhole(b *bytes.Buffer, n *yaml.Node, indent string) error {
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return fmt.Errorf("openapi: write document: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("openapi: write document: %w", err)
	}
	if indent == "" {
		b.Write(out.Bytes())
		return nil
	}
	for _, line := range bytes.SplitAfter(out.Bytes(), []byte("\n")) {
		if len(line) > 0 && line[0] != '\n' {
			b.WriteString(indent)
		}
		b.Write(line)
	}
	return nil
}
