package openapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/registry"
)

// Options configure [Inject].
type Options struct {
	// Mapping decides the statuses and schemas; the zero Mapping means
	// FromCatalog(Registry, Target).
	Mapping Mapping
	// Registry holds the codes (nil means registry.Default); examples are
	// made from its entries.
	Registry *registry.Registry
	// Target is the vSphere target (version and feature switches) the
	// statuses and examples are for. The zero Target names no version:
	// every code gets its catalog HTTP status, as httpmap.Target says.
	Target httpmap.Target
	// Domains, when not empty, keeps only codes of these domains (VSP,
	// NSX, TKG, ...), whatever else chose them.
	Domains []codes.Domain
	// OperationCodes gives the codes of operations by operationId, as a
	// codes file does ([CodesFile.ByOperationID]). An operation's own
	// x-gss-codes comes first.
	OperationCodes map[string][]codes.Code
	// AllCodes gives every code of the registry to operations that name
	// none, instead of [DefaultScope].
	AllCodes bool
	// Problem adds the RFC 9457 Problem schema and, next to each
	// application/json error body, an application/problem+json one
	// referencing it. OpenAPI 3 only: a Swagger 2.0 response has one
	// schema for all its media types.
	Problem bool
	// Progress, when set, is called after each operation with the number
	// done and the total.
	Progress func(done, total int)
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Inject adds gssfault's error schemas to an OpenAPI 3.x or Swagger 2.0
// document (JSON or YAML) and typed error responses to its operations,
// and returns the new document in the input's form: JSON for JSON, with
// numbers and escapes as written; YAML for YAML (flow style included),
// with comments, key order, anchors, aliases and merge keys kept. Nothing
// in the input is removed or replaced; the input slice is not changed.
// Injecting into Inject's output changes nothing.
//
// Schemas go under components.schemas (OpenAPI 3) or definitions
// (Swagger 2.0), named as [ErrorSchemaName] says: a document's own Error
// stays as it is. For every operation under paths, unless it has
// x-ignore-errors: true, Inject takes the codes it can return:
//
//  1. its x-gss-codes list, if it has one;
//  2. else Options.OperationCodes for its operationId, if listed;
//  3. else every code when Options.AllCodes is set, or [DefaultScope];
//
// keeps those of Options.Domains, and gives each status those codes map to
// a response, unless the operation has one already. The response names
// its codes in x-gss-codes and its description ("Not Found: NotFound
// (GSS-VSP-005), ManagedObjectNotFound (GSS-VSP-006)."), references the
// error schema, and has one example per code, the body httpmap writes for
// that code's fault on Options.Target: in OpenAPI 3 an examples map keyed
// by GSS code referencing components.examples; in Swagger 2.0 the first
// code's body under examples (application/json) and every code's under
// x-examples.
//
// Responses that an alias or a merge key brings in count as the
// operation's own and are never overridden: Inject extends them through a
// merge key instead (responses: {<<: *common, "404": ...}).
//
// A UTF-8 byte order mark is dropped (JSON parsers refuse it). A YAML
// stream of several documents is refused, since only one could be written
// back; empty documents after the first (a trailing "---") are dropped.
// Input that starts with '{' is JSON if it parses as JSON, else flow-style
// YAML, written back as YAML.
//
// Inject fails, changing nothing, for input over the bounds of
// [MaxDocumentBytes], [MaxNodes] and [MaxDepth]; input that is not a
// single JSON or YAML mapping with an "openapi" 3.x or "swagger" "2.0"
// version; a mapping that [Mapping.Validate] rejects against the
// document; an x-gss-codes or OperationCodes entry naming a code the
// registry does not hold; Problem on a Swagger 2.0 document; and a
// responses (or paths, components, ...) value that is not a mapping.
func Inject(doc []byte, o Options) ([]byte, error) {
	d, err := readDocument(doc)
	if err != nil {
		return nil, err
	}
	in := &injector{d: d, o: o, reg: o.Registry, m: o.Mapping,
		bodies: map[codes.Code]*yaml.Node{}, examples: map[string]string{}, responses: map[string]*yaml.Node{}}
	if in.reg == nil {
		in.reg = registry.Default()
	}
	if len(in.m.Groups) == 0 {
		in.m = FromCatalog(in.reg, o.Target)
	}
	in.format = OpenAPI3
	if d.swagger {
		in.format = Swagger2
	}
	if err := in.run(); err != nil {
		return nil, err
	}
	if d.t.err != nil {
		return nil, d.t.err
	}
	return d.bytes()
}

type injector struct {
	d      *document
	o      Options
	reg    *registry.Registry
	m      Mapping
	format Format
	top    *yaml.Node

	names      map[string]string // schema kind -> name in the document
	exampleMap *yaml.Node        // components.examples, once owned
	examples   map[string]string // example key -> name under components.examples
	bodies     map[codes.Code]*yaml.Node
	responses  map[string]*yaml.Node // shared response nodes, by group
	paths      *yaml.Node            // paths, once owned
}

func (in *injector) run() error {
	if in.o.Problem && in.format == Swagger2 {
		return errors.New("openapi: problem+json responses need OpenAPI 3: a Swagger 2.0 response has one schema for all its media types")
	}
	in.top = root(in.d.node)
	if err := in.addSchemas(); err != nil {
		return err
	}
	if err := in.m.validate(in.d.t, in.d.node); err != nil {
		return err
	}
	paths := deref(in.d.t.lookup(in.top, "paths"))
	if paths == nil || paths.Kind != yaml.MappingNode {
		return nil
	}
	entries := in.d.t.entries(paths)
	total := 0
	for i := 0; i+1 < len(entries); i += 2 {
		for _, meth := range methods {
			if entries[i].Kind == yaml.ScalarNode && in.d.t.lookup(entries[i+1], meth) != nil {
				total++
			}
		}
	}
	done := 0
	for i := 0; i+1 < len(entries); i += 2 {
		if entries[i].Kind != yaml.ScalarNode {
			continue // not a path; a validator reports it
		}
		path := entries[i].Value
		item := deref(entries[i+1])
		for _, meth := range methods {
			op := deref(in.d.t.lookup(item, meth))
			if op == nil {
				continue
			}
			if err := in.operation(path, meth, op); err != nil {
				return fmt.Errorf("openapi: %s %s: %w", strings.ToUpper(meth), path, err)
			}
			if done++; in.o.Progress != nil {
				in.o.Progress(done, total)
			}
		}
	}
	return in.d.t.err
}

// addSchemas adds the schemas the document lacks and records the names.
func (in *injector) addSchemas() error {
	var schemas *yaml.Node
	var err error
	if in.format == Swagger2 {
		schemas, err = in.d.t.own(in.top, "definitions")
	} else {
		var comps *yaml.Node
		if comps, err = in.d.t.own(in.top, "components"); err == nil {
			schemas, err = in.d.t.own(comps, "schemas")
		}
	}
	if err != nil {
		return fmt.Errorf("openapi: %w", err)
	}
	in.names = map[string]string{}
	var add []string
	for _, k := range schemaKinds {
		if k == kindProblem && !in.o.Problem {
			continue
		}
		name, missing := claim(in.d.t, schemas, "Gssfault"+k, k)
		in.names[k] = name
		if missing {
			add = append(add, k)
		}
	}
	for _, k := range add {
		schemas.Content = append(schemas.Content, str(in.names[k]), in.style(schemaNode(k, in.names, in.format)))
	}
	return nil
}

// style makes a new node look like its surroundings: block style in YAML
// (yaml.v3 then quotes only what needs it).
func (in *injector) style(n *yaml.Node) *yaml.Node {
	if !in.d.json {
		setStyle(n, 0)
	}
	return n
}

func (in *injector) operation(path, meth string, op *yaml.Node) error {
	if op.Kind != yaml.MappingNode || isTrue(in.d.t.lookup(op, "x-ignore-errors")) {
		return nil
	}
	cs, err := in.scope(op, meth, path)
	if err != nil {
		return err
	}
	groups := in.m.only(inDomains(cs, in.o.Domains))
	existing := deref(in.d.t.lookup(op, "responses"))
	var missing []Group
	for _, g := range groups {
		if in.d.t.lookup(existing, strconv.Itoa(g.Status)) == nil {
			missing = append(missing, g) // existing responses are kept
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if in.paths == nil {
		if in.paths, err = in.d.t.own(in.top, "paths"); err != nil {
			return err
		}
	}
	item, err := in.d.t.own(in.paths, path)
	if err != nil {
		return err
	}
	opw, err := in.d.t.own(item, meth)
	if err != nil {
		return err
	}
	responses, err := in.d.t.own(opw, "responses")
	if err != nil {
		return err
	}
	for _, g := range missing {
		r, err := in.response(g)
		if err != nil {
			return err
		}
		responses.Content = append(responses.Content, str(strconv.Itoa(g.Status)), r)
	}
	return nil
}

// scope returns the codes an operation can return (before the domain
// filter).
func (in *injector) scope(op *yaml.Node, meth, path string) ([]codes.Code, error) {
	if n := deref(in.d.t.lookup(op, "x-gss-codes")); n != nil {
		if n.Kind != yaml.SequenceNode {
			return nil, errors.New("x-gss-codes is not a list")
		}
		out := make([]codes.Code, 0, len(n.Content))
		for _, c := range n.Content {
			code, err := in.known(deref(c).Value)
			if err != nil {
				return nil, fmt.Errorf("x-gss-codes: %w", err)
			}
			out = append(out, code)
		}
		return out, nil
	}
	if id := deref(in.d.t.lookup(op, "operationId")); id != nil && in.o.OperationCodes != nil {
		if cs, ok := in.o.OperationCodes[id.Value]; ok {
			for _, c := range cs {
				if _, err := in.known(string(c)); err != nil {
					return nil, fmt.Errorf("codes file, operationId %s: %w", id.Value, err)
				}
			}
			return cs, nil
		}
	}
	if in.o.AllCodes {
		all := in.reg.All()
		out := make([]codes.Code, len(all))
		for i, e := range all {
			out[i] = e.Code
		}
		return out, nil
	}
	return DefaultScope(in.reg, meth, path), nil
}

func (in *injector) known(s string) (codes.Code, error) {
	code, err := codes.Parse(s)
	if err != nil {
		return "", err
	}
	if _, ok := in.reg.Lookup(code); !ok {
		return "", fmt.Errorf("%s is not in the catalog", code)
	}
	return code, nil
}

// response returns the response object of a group; groups with the same
// status, schema and codes share one node.
func (in *injector) response(g Group) (*yaml.Node, error) {
	key := strconv.Itoa(g.Status) + " " + g.Schema + " " + g.Description
	for _, c := range g.Codes {
		key += " " + string(c)
	}
	if r, ok := in.responses[key]; ok {
		return r, nil
	}
	desc := g.Description
	if desc == "" {
		desc = http.StatusText(g.Status)
		if desc == "" {
			desc = "Error " + strconv.Itoa(g.Status)
		}
		parts := make([]string, 0, len(g.Codes))
		for _, c := range g.Codes {
			if e, ok := in.reg.Lookup(c); ok {
				parts = append(parts, e.FaultType+" ("+string(c)+")")
			}
		}
		desc += ": " + strings.Join(parts, ", ") + "."
	}
	list := seq()
	for _, c := range g.Codes {
		list.Content = append(list.Content, str(string(c)))
	}
	ours := g.Schema == ""
	schema := g.Schema
	if ours {
		schema = in.format.refPrefix() + in.names[kindError]
	}
	r := mapping(str("description"), str(desc), str("x-gss-codes"), list)
	if in.format == Swagger2 {
		r.Content = append(r.Content, str("schema"), mapping(str("$ref"), str(schema)))
		if ours {
			byCode := mapping()
			var first *yaml.Node
			for _, c := range g.Codes {
				body, err := in.body(c)
				if err != nil {
					return nil, err
				}
				if first == nil {
					first = body
				}
				byCode.Content = append(byCode.Content, str(string(c)), mapping(str("summary"), str(in.summary(c)), str("value"), body))
			}
			r.Content = append(r.Content, str("examples"), mapping(str("application/json"), first), str("x-examples"), byCode)
		}
	} else {
		content := mapping(str("application/json"), in.media(schema, ours, g.Codes, false))
		if ours && in.o.Problem {
			content.Content = append(content.Content, str("application/problem+json"),
				in.media(in.format.refPrefix()+in.names[kindProblem], true, g.Codes, true))
		}
		r.Content = append(r.Content, str("content"), content)
	}
	in.style(r)
	list.Style = yaml.FlowStyle // [GSS-VSP-005, GSS-VSP-006] on one line in YAML
	in.responses[key] = r
	return r, in.d.t.err
}

// media is an OpenAPI 3 media type object: the schema and, for gssfault's
// schemas, an examples map keyed by GSS code referencing
// components.examples.
func (in *injector) media(schema string, examples bool, cs []codes.Code, problem bool) *yaml.Node {
	m := mapping(str("schema"), mapping(str("$ref"), str(schema)))
	if !examples {
		return m
	}
	byCode := mapping()
	for _, c := range cs {
		name, err := in.example(c, problem)
		if err != nil {
			in.d.t.err = err
			return m
		}
		byCode.Content = append(byCode.Content, str(string(c)), mapping(str("$ref"), str("#/components/examples/"+name)))
	}
	m.Content = append(m.Content, str("examples"), byCode)
	return m
}

// example returns the name under components.examples of code c's example
// (its problem+json form when problem is set), adding it when the
// document lacks it.
func (in *injector) example(c codes.Code, problem bool) (string, error) {
	mark := string(c)
	if problem {
		mark += "-problem"
	}
	if name, ok := in.examples[mark]; ok {
		return name, nil
	}
	if in.exampleMap == nil {
		comps, err := in.d.t.own(in.top, "components")
		if err != nil {
			return "", err
		}
		if in.exampleMap, err = in.d.t.own(comps, "examples"); err != nil {
			return "", err
		}
	}
	name, add := claim(in.d.t, in.exampleMap, mark, mark)
	in.examples[mark] = name
	if !add {
		return name, nil
	}
	body, err := in.body(c)
	if err != nil {
		return "", err
	}
	if problem {
		if body, err = in.problem(c); err != nil {
			return "", err
		}
	}
	ex := mapping(str("summary"), str(in.summary(c)), str(MarkerKey), str(mark), str("value"), body)
	in.style(ex)
	in.exampleMap.Content = append(in.exampleMap.Content, str(name), ex)
	return name, nil
}

func (in *injector) summary(c codes.Code) string {
	e, _ := in.reg.Lookup(c)
	return e.FaultType + " (" + string(c) + ")"
}

// body returns the example body of code c as a node, made once.
func (in *injector) body(c codes.Code) (*yaml.Node, error) {
	if b, ok := in.bodies[c]; ok {
		return b, nil
	}
	e, ok := in.reg.Lookup(c)
	if !ok {
		return nil, fmt.Errorf("%s is not in the catalog", c)
	}
	_, body := render(faults.FromEntry(e, e.Trigger, nil), in.o.Target, in.reg, httpmap.GatewayShape)
	n, err := exampleNode(body)
	if err != nil {
		return nil, fmt.Errorf("example of %s: %w", c, err)
	}
	in.bodies[c] = in.style(n)
	return n, nil
}

// problem returns the problem+json example body of code c.
func (in *injector) problem(c codes.Code) (*yaml.Node, error) {
	e, _ := in.reg.Lookup(c)
	_, p := render(faults.FromEntry(e, e.Trigger, nil), in.o.Target, in.reg, httpmap.ProblemShape)
	n, err := exampleNode(p)
	if err != nil {
		return nil, fmt.Errorf("problem example of %s: %w", c, err)
	}
	return in.style(n), nil
}

// exampleNode parses a JSON body into a node.
func exampleNode(body []byte) (*yaml.Node, error) {
	_, doc, err := readJSON(body)
	if err != nil {
		return nil, err
	}
	return doc.Content[0], nil
}
