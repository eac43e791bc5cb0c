package openapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/registry"
)

// MaxMappingBytes is the size of the largest mapping file [ParseMapping]
// reads: 1 MiB. A larger one is an error, never cut.
const MaxMappingBytes = 1 << 20

// Group is one line of a mapping: these codes answer with this HTTP status
// and body schema.
type Group struct {
	Status int `yaml:"status"`
	// Schema is the $ref of the body schema; "" means gssfault's error
	// schema, under whatever name it has in the document. Only groups with
	// gssfault's schema get examples: another schema's body is the
	// service's own.
	Schema      string       `yaml:"schema,omitempty"`
	Description string       `yaml:"description,omitempty"`
	Codes       []codes.Code `yaml:"codes"`
}

// Mapping is the code -> status -> schema table that [Inject] follows, in
// status order.
type Mapping struct {
	Groups []Group `yaml:"responses"`
}

// FromCatalog builds the mapping of every entry of reg (nil means
// registry.Default) for vSphere target t: each code under the status
// httpmap.StatusFor gives its fault on t, all with gssfault's error schema.
func FromCatalog(reg *registry.Registry, t httpmap.Target) Mapping {
	if reg == nil {
		reg = registry.Default()
	}
	byStatus := map[int][]codes.Code{}
	for _, e := range reg.All() {
		st := httpmap.StatusFor(faults.FromEntry(e, "", nil), t)
		byStatus[st] = append(byStatus[st], e.Code)
	}
	m := Mapping{}
	for st, cs := range byStatus {
		m.Groups = append(m.Groups, Group{Status: st, Codes: cs})
	}
	sort.Slice(m.Groups, func(i, j int) bool { return m.Groups[i].Status < m.Groups[j].Status })
	return m
}

// ParseMapping reads a mapping file (at most [MaxMappingBytes]):
//
//	responses:
//	  - status: 404
//	    schema: "#/components/schemas/NotFound"   # optional
//	    description: The object does not exist.   # optional
//	    codes: [GSS-VSP-005, GSS-VSP-006]
//
// and checks it with [Mapping.Validate] (without a document).
func ParseMapping(r io.Reader) (Mapping, error) {
	data, err := readCapped(r, MaxMappingBytes, "mapping")
	if err != nil {
		return Mapping{}, err
	}
	var m Mapping
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return Mapping{}, fmt.Errorf("openapi: parse mapping: %w", err)
	}
	if err := m.Validate(nil); err != nil {
		return Mapping{}, err
	}
	return m, nil
}

// Validate checks the mapping: every status is a 4xx or 5xx; every code is
// valid and appears under one status only; every group has codes; and,
// when doc is not nil, every schema reference resolves in doc (a parsed
// OpenAPI document, after the components are injected).
func (m Mapping) Validate(doc *yaml.Node) error {
	var t *tree
	if doc != nil {
		t = newTree(doc)
	}
	return m.validate(t, doc)
}

func (m Mapping) validate(t *tree, doc *yaml.Node) error {
	seen := map[codes.Code]int{}
	var errs []error
	for i, g := range m.Groups {
		if g.Status < 400 || g.Status > 599 {
			errs = append(errs, fmt.Errorf("openapi: mapping group %d: status %d is not 4xx or 5xx", i, g.Status))
		}
		if len(g.Codes) == 0 {
			errs = append(errs, fmt.Errorf("openapi: mapping group %d (status %d): no codes", i, g.Status))
		}
		for _, c := range g.Codes {
			if !c.Valid() {
				errs = append(errs, fmt.Errorf("openapi: mapping group %d: %q is not a GSS code", i, c))
				continue
			}
			if prev, dup := seen[c]; dup && prev != g.Status {
				errs = append(errs, fmt.Errorf("openapi: code %s is mapped to two statuses, %d and %d", c, prev, g.Status))
			}
			seen[c] = g.Status
		}
		if doc != nil && g.Schema != "" && t.resolve(doc, g.Schema) == nil {
			errs = append(errs, fmt.Errorf("openapi: mapping group %d (status %d): schema %q does not resolve in the document", i, g.Status, g.Schema))
		}
	}
	return errors.Join(errs...)
}

// only returns the groups restricted to the given codes, dropping groups
// left empty.
func (m Mapping) only(allowed []codes.Code) []Group {
	var out []Group
	for _, g := range m.Groups {
		var cs []codes.Code
		for _, c := range g.Codes {
			if slices.Contains(allowed, c) {
				cs = append(cs, c)
			}
		}
		if len(cs) > 0 {
			g.Codes = cs
			out = append(out, g)
		}
	}
	return out
}

// resolve follows a local JSON reference "#/a/b/c" in doc (a document
// node), through aliases and merge keys; nil when it does not resolve.
// "~1" and "~0" escapes are honoured.
func (t *tree) resolve(doc *yaml.Node, ref string) *yaml.Node {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	n := root(doc)
	for _, part := range strings.Split(ref[2:], "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		n = deref(t.lookup(n, part))
		if n == nil {
			return nil
		}
	}
	return n
}

// readCapped reads all of r, at most limit bytes: more is an error naming
// what, never a cut.
func readCapped(r io.Reader, limit int, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("openapi: read %s: %w", what, err)
	}
	if len(data) > limit {
		return nil, fmt.Errorf("openapi: the %s is larger than %d bytes", what, limit)
	}
	return data, nil
}
