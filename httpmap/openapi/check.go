package openapi

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// Report is what [Check] found in a document.
type Report struct {
	// Format is "OpenAPI <version>" or "Swagger 2.0".
	Format string `json:"format"`
	// Valid is true when the validator accepts the document: kin-openapi
	// for OpenAPI 3 (examples checked against their schemas), the
	// official Swagger 2.0 JSON Schema plus local $ref resolution for
	// Swagger 2.0.
	Valid bool `json:"valid"`
	// Errors are the validator's findings, at most maxCheckErrors.
	Errors []string `json:"errors,omitempty"`
	// Operations counts the operations under paths.
	Operations int `json:"operations"`
	// Typed counts the operations with at least one typed error response:
	// a 4xx or 5xx response (or 4XX/5XX range) whose body has a schema.
	// A default response alone does not count: it says nothing about
	// which statuses an operation answers.
	Typed int `json:"typed"`
	// Ignored are the operations marked x-ignore-errors: true; they are
	// neither typed nor untyped.
	Ignored []Operation `json:"ignored,omitempty"`
	// Untyped are the other operations without a typed error response.
	Untyped []Operation `json:"untyped,omitempty"`
}

// Operation names an operation of a document.
type Operation struct {
	Method      string `json:"method"` // upper case: GET, POST, ...
	Path        string `json:"path"`
	OperationID string `json:"operationId,omitempty"`
}

// String is "METHOD path (operationId)".
func (o Operation) String() string {
	s := o.Method + " " + o.Path
	if o.OperationID != "" {
		s += " (" + o.OperationID + ")"
	}
	return s
}

// OK reports whether the document is valid and every operation not
// ignored has a typed error response.
func (r Report) OK() bool { return r.Valid && len(r.Untyped) == 0 }

const maxCheckErrors = 20

// Check validates an OpenAPI 3.x or Swagger 2.0 document (JSON or YAML,
// within the bounds of [MaxDocumentBytes], [MaxNodes] and [MaxDepth]) and
// lists its operations without typed error responses, for CI. The error
// is for input that cannot be read as such a document at all; validation
// findings are in the report. Validators get the document as JSON with
// aliases and merge keys resolved (bounded by MaxNodes) and never load
// anything outside it.
func Check(doc []byte) (Report, error) {
	d, err := readDocument(doc)
	if err != nil {
		return Report{}, err
	}
	r := Report{Format: "OpenAPI " + d.version}
	if d.swagger {
		r.Format = "Swagger 2.0"
	}
	js, err := d.toJSON()
	if err != nil {
		return Report{}, err
	}
	if d.swagger {
		r.Errors = validateSwagger(js)
		r.Errors = append(r.Errors, d.danglingRefs()...)
	} else {
		r.Errors = validateOpenAPI3(js)
	}
	if len(r.Errors) > maxCheckErrors {
		r.Errors = append(r.Errors[:maxCheckErrors:maxCheckErrors], fmt.Sprintf("... and %d more", len(r.Errors)-maxCheckErrors))
	}
	r.Valid = len(r.Errors) == 0
	d.operations(func(op Operation, n *yaml.Node) {
		r.Operations++
		switch {
		case isTrue(d.t.lookup(n, "x-ignore-errors")):
			r.Ignored = append(r.Ignored, op)
		case d.typed(n):
			r.Typed++
		default:
			r.Untyped = append(r.Untyped, op)
		}
	})
	return r, d.t.err
}

// validateOpenAPI3 runs kin-openapi on a document in JSON.
func validateOpenAPI3(js []byte) (errs []string) {
	defer func() {
		if p := recover(); p != nil {
			errs = []string{fmt.Sprintf("kin-openapi failed on the document: %v", p)}
		}
	}()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(js)
	if err != nil {
		return []string{err.Error()}
	}
	if err := doc.Validate(context.Background()); err != nil {
		return []string{err.Error()}
	}
	return nil
}

//go:embed schema/swagger-2.0.json
var swaggerSchemaJSON []byte

var swaggerSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(swaggerSchemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	const url = "http://swagger.io/v2/schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
})

// noLoader loads nothing: the Swagger schema refers only to itself and to
// the draft-04 meta-schema, which the validator has built in.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) { return nil, fmt.Errorf("not loading %s", url) }

// validateSwagger checks a document in JSON against the Swagger 2.0
// schema.
func validateSwagger(js []byte) []string {
	sch, err := swaggerSchema()
	if err != nil {
		return []string{"the Swagger 2.0 schema does not compile: " + err.Error()} // a constant, checked by tests
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return []string{err.Error()}
	}
	err = sch.Validate(inst)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		if err != nil {
			return []string{err.Error()}
		}
		return nil
	}
	// The validator's message is a tree, one "- at 'location': problem"
	// line per node; the leaves are the problems.
	lines := strings.Split(ve.Error(), "\n")
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	var out []string
	seen := map[string]bool{}
	for i, l := range lines {
		msg := strings.TrimPrefix(strings.TrimSpace(l), "- ")
		if !strings.HasPrefix(msg, "at ") || i+1 < len(lines) && indent(lines[i+1]) > indent(l) || seen[msg] {
			continue
		}
		seen[msg] = true
		out = append(out, msg)
	}
	if len(out) == 0 {
		out = append(out, ve.Error())
	}
	return out
}

// danglingRefs lists local $ref values that do not resolve (the Swagger
// schema cannot see them). Other references are not followed.
func (d *document) danglingRefs() []string {
	var out []string
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode && n.Kind != yaml.DocumentNode || depth > MaxDepth {
			return
		}
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 && c.Value == "$ref" && i+1 < len(n.Content) {
				if v := deref(n.Content[i+1]); v.Kind == yaml.ScalarNode && strings.HasPrefix(v.Value, "#/") && d.t.resolve(d.node, v.Value) == nil {
					out = append(out, fmt.Sprintf("line %d: $ref %q does not resolve", v.Line, v.Value))
				}
			}
			walk(c, depth+1)
		}
	}
	walk(d.node, 0)
	return out
}

// operations calls fn for each operation under paths, in order.
func (d *document) operations(fn func(Operation, *yaml.Node)) {
	paths := deref(d.t.lookup(root(d.node), "paths"))
	entries := d.t.entries(paths)
	for i := 0; i+1 < len(entries); i += 2 {
		if entries[i].Kind != yaml.ScalarNode {
			continue
		}
		item := deref(entries[i+1])
		for _, meth := range methods {
			op := deref(d.t.lookup(item, meth))
			if op == nil || op.Kind != yaml.MappingNode {
				continue
			}
			o := Operation{Method: strings.ToUpper(meth), Path: entries[i].Value}
			if id := deref(d.t.lookup(op, "operationId")); id != nil && id.Kind == yaml.ScalarNode {
				o.OperationID = id.Value
			}
			fn(o, op)
		}
	}
}

// typed reports whether an operation has a 4xx or 5xx response with a
// body schema.
func (d *document) typed(op *yaml.Node) bool {
	responses := d.t.entries(deref(d.t.lookup(op, "responses")))
	for i := 0; i+1 < len(responses); i += 2 {
		if k := responses[i].Value; len(k) != 3 || k[0] != '4' && k[0] != '5' {
			continue
		}
		r := deref(responses[i+1])
		if ref := deref(d.t.lookup(r, "$ref")); ref != nil {
			r = d.t.resolve(d.node, ref.Value)
		}
		if d.swagger {
			if d.t.lookup(r, "schema") != nil {
				return true
			}
			continue
		}
		content := d.t.entries(deref(d.t.lookup(r, "content")))
		for j := 1; j < len(content); j += 2 {
			if d.t.lookup(content[j], "schema") != nil {
				return true
			}
		}
	}
	return false
}
