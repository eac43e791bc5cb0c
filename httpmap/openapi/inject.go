package openapi

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
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
	// Mapping decides the responses; the zero Mapping means
	// FromCatalog(Registry, Target).
	Mapping Mapping
	// Registry holds the codes (nil means registry.Default); examples are
	// made from its entries.
	Registry *registry.Registry
	// Target is the vSphere target statuses and examples are for.
	Target httpmap.Target
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Inject adds the error components to an OpenAPI 3 document (YAML, or JSON
// when the input is JSON) and typed error responses to its operations, and
// returns the new document in the input's format.
//
// For every operation under paths (except those with x-ignore-errors:
// true), each mapping group whose codes the operation may return (all, or
// those listed in the operation's x-gss-codes) becomes a response for its
// status, unless the operation already has one: a description naming the
// fault types, application/json content referencing the group's schema,
// and an example body as httpmap.WriteError writes it. Existing
// components.schemas entries of the same name are kept. The input is not
// changed.
//
// It fails for input that is not a YAML or JSON mapping with an "openapi"
// 3.x version, for a mapping that [Mapping.Validate] rejects against the
// document, and for an x-gss-codes that names an unknown code.
func Inject(doc []byte, o Options) ([]byte, error) {
	reg := o.Registry
	if reg == nil {
		reg = registry.Default()
	}
	m := o.Mapping
	if len(m.Groups) == 0 {
		m = FromCatalog(reg, o.Target)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(doc, &node); err != nil {
		return nil, fmt.Errorf("openapi: parse document: %w", err)
	}
	top := root(&node)
	if top == nil || top.Kind != yaml.MappingNode {
		return nil, errors.New("openapi: the document is not a mapping")
	}
	if v := get(top, "openapi"); v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" || !strings.HasPrefix(v.Value, "3.") {
		return nil, errors.New(`openapi: the document has no "openapi" version string 3.x`)
	}
	schemas := ensureMap(ensureMap(top, "components"), "schemas")
	comp := Components()
	for i := 0; i+1 < len(comp.Content); i += 2 {
		if get(schemas, comp.Content[i].Value) == nil {
			schemas.Content = append(schemas.Content, comp.Content[i], comp.Content[i+1])
		}
	}
	if err := m.Validate(&node); err != nil {
		return nil, err
	}
	paths := get(top, "paths")
	if paths != nil && paths.Kind == yaml.MappingNode {
		for i := 1; i < len(paths.Content); i += 2 {
			item := paths.Content[i]
			for _, meth := range methods {
				op := get(item, meth)
				if op == nil || op.Kind != yaml.MappingNode || isTrue(get(op, "x-ignore-errors")) {
					continue
				}
				allowed, err := opCodes(op, reg)
				if err != nil {
					return nil, fmt.Errorf("openapi: %s %s: %w", strings.ToUpper(meth), paths.Content[i-1].Value, err)
				}
				responses := ensureMap(op, "responses")
				for _, g := range m.only(allowed) {
					key := strconv.Itoa(g.Status)
					if get(responses, key) != nil {
						continue // existing responses are kept
					}
					responses.Content = append(responses.Content, str(key), response(g, reg, o.Target))
				}
			}
		}
	}
	if isJSON(doc) {
		var b bytes.Buffer
		writeJSON(&b, &node, "")
		b.WriteByte('\n')
		return b.Bytes(), nil
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return nil, fmt.Errorf("openapi: write document: %w", err)
	}
	return b.Bytes(), enc.Close()
}

// opCodes reads an operation's x-gss-codes; nil when it has none.
func opCodes(op *yaml.Node, reg *registry.Registry) ([]codes.Code, error) {
	n := get(op, "x-gss-codes")
	if n == nil {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errors.New("x-gss-codes is not a list")
	}
	out := []codes.Code{}
	for _, c := range n.Content {
		code, err := codes.Parse(c.Value)
		if err != nil {
			return nil, fmt.Errorf("x-gss-codes: %w", err)
		}
		if _, ok := reg.Lookup(code); !ok {
			return nil, fmt.Errorf("x-gss-codes: %s is not in the catalog", code)
		}
		out = append(out, code)
	}
	return out, nil
}

// response builds the response object of a group.
func response(g Group, reg *registry.Registry, t httpmap.Target) *yaml.Node {
	desc := g.Description
	var types []string
	for _, c := range g.Codes {
		if e, ok := reg.Lookup(c); ok {
			types = append(types, e.FaultType)
		}
	}
	if desc == "" {
		desc = http.StatusText(g.Status)
		if desc == "" {
			desc = "Error " + strconv.Itoa(g.Status)
		}
		desc += ": " + strings.Join(types, ", ")
	}
	schema := mapping(str("$ref"), str(g.schema()))
	media := mapping(str("schema"), schema)
	if ex := example(g, reg, t); ex != nil {
		media.Content = append(media.Content, str("example"), ex)
	}
	return mapping(str("description"), str(desc), str("content"), mapping(str("application/json"), media))
}

// example is the body httpmap.WriteError writes for the group's first
// code, as a YAML node.
func example(g Group, reg *registry.Registry, t httpmap.Target) *yaml.Node {
	e, ok := reg.Lookup(g.Codes[0])
	if !ok {
		return nil
	}
	rec := httptest.NewRecorder()
	httpmap.WriteError(rec, nil, faults.FromEntry(e, e.Trigger, nil), httpmap.WithTarget(t), httpmap.WithPolicy(faults.Policy{Registry: reg}))
	var n yaml.Node
	if err := yaml.Unmarshal(rec.Body.Bytes(), &n); err != nil || len(n.Content) == 0 {
		return nil
	}
	ex := n.Content[0]
	setStyle(ex, 0)
	return ex
}

// Components returns the schemas gssfault adds under components.schemas:
// Error (the grpc-gateway body: code, message, details), ErrorDetail (any
// detail: "@type" plus its fields) and the AIP-193 details it sends:
// ErrorInfo, RetryInfo, Help, ResourceInfo, LocalizedMessage. The result
// is a YAML mapping node of schema name to schema.
func Components() *yaml.Node {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(componentsYAML), &n); err != nil {
		panic("openapi: built-in components do not parse: " + err.Error()) // a constant, checked by tests
	}
	return n.Content[0]
}

const componentsYAML = `
Error:
  type: object
  description: An error, as gssfault and grpc-gateway write it (a google.rpc.Status in JSON).
  required: [code, message]
  properties:
    code:
      type: integer
      format: int32
      description: The gRPC status code (google.rpc.Code), for example 5 for NOT_FOUND.
    message:
      type: string
      description: A developer-facing message. Generic for INTERNAL, UNKNOWN and DATA_LOSS.
    details:
      type: array
      description: AIP-193 details; the ErrorInfo carries the GSS code in metadata gssCode.
      items:
        $ref: '#/components/schemas/ErrorDetail'
ErrorDetail:
  type: object
  description: A google.protobuf.Any in JSON, its type in "@type".
  required: ['@type']
  properties:
    '@type':
      type: string
      example: type.googleapis.com/google.rpc.ErrorInfo
  additionalProperties: true
ErrorInfo:
  type: object
  description: google.rpc.ErrorInfo. reason is the fault type in UPPER_SNAKE_CASE; domain is gssfault.<domain>.
  properties:
    '@type':
      type: string
      enum: [type.googleapis.com/google.rpc.ErrorInfo]
    reason:
      type: string
      example: HOST_NOT_REACHABLE
    domain:
      type: string
      example: gssfault.vsp
    metadata:
      type: object
      description: gssCode, impact, retryable, requestId, object, op and the fault's own metadata.
      additionalProperties:
        type: string
RetryInfo:
  type: object
  description: google.rpc.RetryInfo, sent for retryable faults.
  properties:
    '@type':
      type: string
      enum: [type.googleapis.com/google.rpc.RetryInfo]
    retryDelay:
      type: string
      example: 30s
Help:
  type: object
  description: google.rpc.Help with the fault type's API reference.
  properties:
    '@type':
      type: string
      enum: [type.googleapis.com/google.rpc.Help]
    links:
      type: array
      items:
        type: object
        properties:
          description:
            type: string
          url:
            type: string
ResourceInfo:
  type: object
  description: google.rpc.ResourceInfo for the managed object.
  properties:
    '@type':
      type: string
      enum: [type.googleapis.com/google.rpc.ResourceInfo]
    resourceType:
      type: string
      example: VirtualMachine
    resourceName:
      type: string
      example: vm-42
LocalizedMessage:
  type: object
  description: google.rpc.LocalizedMessage.
  properties:
    '@type':
      type: string
      enum: [type.googleapis.com/google.rpc.LocalizedMessage]
    locale:
      type: string
    message:
      type: string
`
