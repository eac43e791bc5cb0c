package openapi

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// root returns the top node of a document node.
func root(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return n.Content[0]
	}
	return n
}

// get returns the value of key among m's own keys (no merge keys, no
// aliases), or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Value == key && k.Kind == yaml.ScalarNode && !isMerge(k) {
			return m.Content[i+1]
		}
	}
	return nil
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func mapping(kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: kv}
}

func seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

func mergeKey() *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!merge", Value: "<<"} }

func isTrue(n *yaml.Node) bool {
	n = deref(n)
	return n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" && (n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// setStyle sets the style of n and its children (0 is block style).
func setStyle(n *yaml.Node, s yaml.Style) {
	n.Style = s
	for _, c := range n.Content {
		setStyle(c, s)
	}
}

// deref returns the node an alias stands for, or n itself.
func deref(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// isMerge reports whether k is a YAML merge key (a plain <<).
func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge"
}

func hasMerge(m *yaml.Node) bool {
	for i := 0; i < len(m.Content); i += 2 {
		if isMerge(m.Content[i]) {
			return true
		}
	}
	return false
}

// tree reads and changes a document the way a YAML loader sees it:
// through aliases and merge keys (<<: *defaults), so that what an alias or
// a merge brings in is found, and never overridden or dropped when
// something is added. Resolution is bounded: it visits at most MaxNodes
// mappings in all, and each lookup visits a mapping at most once.
type tree struct {
	budget    int
	err       error
	anchors   map[string]int              // anchor name -> times defined
	aliasesOf map[*yaml.Node][]*yaml.Node // anchored node -> the aliases to it
	fresh     int
}

func newTree(doc *yaml.Node) *tree {
	t := &tree{budget: MaxNodes, anchors: map[string]int{}, aliasesOf: map[*yaml.Node][]*yaml.Node{}}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Anchor != "" {
			t.anchors[n.Anchor]++
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			t.aliasesOf[n.Alias] = append(t.aliasesOf[n.Alias], n)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	return t
}

func (t *tree) spend() bool {
	if t.budget--; t.budget < 0 {
		if t.err == nil {
			t.err = fmt.Errorf("openapi: resolving merge keys visits more than %d mappings", MaxNodes)
		}
		return false
	}
	return true
}

// mergeSources returns the mappings a merge value brings in, in order of
// precedence.
func mergeSources(v *yaml.Node) []*yaml.Node {
	v = deref(v)
	switch v.Kind {
	case yaml.MappingNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		out := make([]*yaml.Node, 0, len(v.Content))
		for _, c := range v.Content {
			if c = deref(c); c.Kind == yaml.MappingNode {
				out = append(out, c)
			}
		}
		return out
	}
	return nil
}

// lookup returns the value of key in mapping m (or the mapping an alias
// m stands for): its own key first, then what its merge keys bring in.
// The value may be an alias. nil when there is none.
func (t *tree) lookup(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	if v := get(m, key); v != nil || !hasMerge(m) {
		return v
	}
	return t.lookupMerged(m, key, map[*yaml.Node]bool{m: true})
}

func (t *tree) lookupMerged(m *yaml.Node, key string, seen map[*yaml.Node]bool) *yaml.Node {
	var found *yaml.Node
	t.eachMerged(m, seen, func(s *yaml.Node) bool {
		if found = get(s, key); found == nil {
			found = t.lookupMerged(s, key, seen)
		}
		return found != nil
	})
	return found
}

// eachMerged calls visit on each mapping that m's merge keys bring in, in
// order of precedence, skipping those in seen (and adding the others), until
// visit returns true or the budget is spent.
func (t *tree) eachMerged(m *yaml.Node, seen map[*yaml.Node]bool, visit func(*yaml.Node) bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMerge(m.Content[i]) {
			continue
		}
		for _, s := range mergeSources(m.Content[i+1]) {
			if seen[s] || !t.spend() {
				continue
			}
			seen[s] = true
			if visit(s) {
				return
			}
		}
	}
}

// entries returns the key-value pairs of mapping m as a loader sees them:
// its own keys in order, then the keys its merge keys bring in that it
// does not override, in order of precedence. Merge keys themselves are
// left out.
func (t *tree) entries(m *yaml.Node) []*yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	if !hasMerge(m) {
		return m.Content
	}
	var out []*yaml.Node
	have := map[string]bool{}
	var add func(m *yaml.Node, seen map[*yaml.Node]bool)
	add = func(m *yaml.Node, seen map[*yaml.Node]bool) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if k := m.Content[i]; !isMerge(k) && !have[k.Value] {
				have[k.Value] = true
				out = append(out, k, m.Content[i+1])
			}
		}
		t.eachMerged(m, seen, func(s *yaml.Node) bool { add(s, seen); return false })
	}
	add(m, map[*yaml.Node]bool{m: true})
	return out
}

// own returns a mapping under key in parent that can be added to without
// changing anything else in the document, and that holds everything the
// key held before. parent must itself be one that own returned (or the
// document's top mapping).
//
//   - parent's own mapping under key is returned as it is, unless an alias
//     elsewhere stands for it: then it moves under a merge key of a new
//     mapping (key: {<<: &anchor {...}}), so the aliases keep seeing it
//     unchanged;
//   - an alias (key: *common) becomes {<<: *common};
//   - a value that only a merge key brings in gets an explicit key in
//     parent, {<<: *that}, so it is extended, never overridden;
//   - a null or missing value becomes an empty mapping.
//
// Anything else (a string, a list) is an error: it is never replaced.
func (t *tree) own(parent *yaml.Node, key string) (*yaml.Node, error) {
	for i := 0; i+1 < len(parent.Content); i += 2 {
		k := parent.Content[i]
		if k.Kind != yaml.ScalarNode || k.Value != key || isMerge(k) {
			continue
		}
		v := parent.Content[i+1]
		switch {
		case v.Kind == yaml.AliasNode:
			if deref(v).Kind != yaml.MappingNode {
				return nil, fmt.Errorf("%s (line %d) is an alias to something that is not a mapping", key, v.Line)
			}
			w := mapping(mergeKey(), v)
			parent.Content[i+1] = w
			return w, nil
		case v.Kind == yaml.MappingNode && len(t.aliasesOf[v]) > 0:
			w := mapping(mergeKey(), v)
			parent.Content[i+1] = w
			return w, nil
		case v.Kind == yaml.MappingNode:
			return v, nil
		case isNull(v):
			w := mapping()
			w.HeadComment, w.LineComment, w.FootComment = v.HeadComment, v.LineComment, v.FootComment
			parent.Content[i+1] = w
			return w, nil
		default:
			return nil, fmt.Errorf("%s (line %d) is not a mapping", key, v.Line)
		}
	}
	w := mapping()
	if v := t.lookupMerged(parent, key, map[*yaml.Node]bool{parent: true}); v != nil {
		v = deref(v)
		switch {
		case v.Kind == yaml.MappingNode:
			w.Content = append(w.Content, mergeKey(), t.aliasTo(v))
		case !isNull(v):
			return nil, fmt.Errorf("%s (line %d, from a merge key) is not a mapping", key, v.Line)
		}
	}
	if t.err != nil {
		return nil, t.err
	}
	parent.Content = append(parent.Content, str(key), w)
	return w, nil
}

// aliasTo returns a new alias to n, giving n an anchor of its own first
// when it has none or shares its name with another anchor (an alias
// refers to the latest anchor of its name, which might then not be n).
func (t *tree) aliasTo(n *yaml.Node) *yaml.Node {
	if n.Anchor == "" || t.anchors[n.Anchor] > 1 {
		name := ""
		for name == "" || t.anchors[name] > 0 {
			t.fresh++
			name = "gssfault-" + strconv.Itoa(t.fresh)
		}
		if n.Anchor != "" {
			t.anchors[n.Anchor]--
		}
		t.anchors[name] = 1
		n.Anchor = name
		for _, a := range t.aliasesOf[n] {
			a.Value = name
		}
	}
	a := &yaml.Node{Kind: yaml.AliasNode, Value: n.Anchor, Alias: n}
	t.aliasesOf[n] = append(t.aliasesOf[n], a)
	return a
}
