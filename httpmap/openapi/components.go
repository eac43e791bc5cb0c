package openapi

import (
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Format is the kind of API description.
type Format int

const (
	// OpenAPI3 is an OpenAPI 3.x document: schemas under
	// components.schemas, referenced as #/components/schemas/Name.
	OpenAPI3 Format = iota
	// Swagger2 is a Swagger 2.0 document, as protoc-gen-openapiv2 writes
	// it: schemas under definitions, referenced as #/definitions/Name.
	Swagger2
)

// String is "OpenAPI 3" or "Swagger 2.0".
func (f Format) String() string {
	if f == Swagger2 {
		return "Swagger 2.0"
	}
	return "OpenAPI 3"
}

func (f Format) refPrefix() string {
	if f == Swagger2 {
		return "#/definitions/"
	}
	return "#/components/schemas/"
}

// ErrorSchemaName is the name of gssfault's error schema (the grpc-gateway
// body) in a document that has no schema of that name of its own. Every
// schema gssfault adds is named Gssfault<Kind> (GssfaultErrorDetail,
// GssfaultProblem, ...) and marked with "x-gssfault: <Kind>"; when a
// document already has a schema of that name that is not gssfault's, the
// name gets a number (GssfaultError2), so a document's own schemas, an
// Error of its own included, are never replaced or reused.
const ErrorSchemaName = "GssfaultError"

// MarkerKey is the vendor extension that marks what gssfault added: its
// schemas ("x-gssfault: Error") and examples ("x-gssfault: GSS-VSP-005").
// Inject recognises its own additions by it, which makes it idempotent.
const MarkerKey = "x-gssfault"

// The kinds of schema gssfault adds, in the order they are added.
const (
	kindError            = "Error"
	kindErrorDetail      = "ErrorDetail"
	kindErrorInfo        = "ErrorInfo"
	kindRetryInfo        = "RetryInfo"
	kindHelp             = "Help"
	kindResourceInfo     = "ResourceInfo"
	kindLocalizedMessage = "LocalizedMessage"
	kindProblem          = "Problem"
)

var schemaKinds = []string{kindError, kindErrorDetail, kindErrorInfo, kindRetryInfo, kindHelp, kindResourceInfo, kindLocalizedMessage, kindProblem}

// Components returns the schemas gssfault adds, as a YAML mapping of name
// to schema, under their default names (GssfaultError, GssfaultErrorDetail,
// GssfaultErrorInfo, GssfaultRetryInfo, GssfaultHelp, GssfaultResourceInfo,
// GssfaultLocalizedMessage, GssfaultProblem), their references written for
// format f:
//
//   - Error: the grpc-gateway body {"code": <gRPC code>, "message",
//     "details"}, what httpmap.WriteError and grpc-gateway write;
//   - ErrorDetail: any detail, a google.protobuf.Any in JSON;
//   - ErrorInfo, RetryInfo, Help, ResourceInfo, LocalizedMessage: the
//     AIP-193 details gssfault sends;
//   - Problem: the RFC 9457 problem details body (application/problem+json)
//     with gssfault's extension members code, grpcCode, retryable,
//     retryDelay and details.
func Components(f Format) *yaml.Node {
	names := map[string]string{}
	for _, k := range schemaKinds {
		names[k] = "Gssfault" + k
	}
	out := mapping()
	for _, k := range schemaKinds {
		out.Content = append(out.Content, str(names[k]), schemaNode(k, names, f))
	}
	return out
}

var schemaTemplates = sync.OnceValue(func() map[string]*yaml.Node {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(componentsYAML), &n); err != nil {
		panic("openapi: built-in components do not parse: " + err.Error()) // a constant, checked by tests
	}
	out := map[string]*yaml.Node{}
	m := n.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		out[m.Content[i].Value] = m.Content[i+1]
	}
	return out
})

// schemaNode returns a fresh copy of the schema of kind k, marked as
// gssfault's, its references to other kinds pointing at their names.
func schemaNode(k string, names map[string]string, f Format) *yaml.Node {
	n := copyNode(schemaTemplates()[k])
	var fix func(n *yaml.Node)
	fix = func(n *yaml.Node) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Kind == yaml.MappingNode && n.Content[i].Value == "$ref" {
				v := n.Content[i+1]
				v.Value = f.refPrefix() + names[v.Value]
				v.Style = yaml.SingleQuotedStyle
			}
		}
		for _, c := range n.Content {
			fix(c)
		}
	}
	fix(n)
	// The marker goes after the description, which stays first.
	n.Content = append(n.Content[:2:2], append([]*yaml.Node{str(MarkerKey), str(k)}, n.Content[2:]...)...)
	return n
}

func copyNode(n *yaml.Node) *yaml.Node {
	c := *n
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, x := range n.Content {
			c.Content[i] = copyNode(x)
		}
	}
	return &c
}

// marker returns the x-gssfault value of a schema or example, "" if none.
func marker(t *tree, n *yaml.Node) string {
	v := deref(t.lookup(n, MarkerKey))
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// claim finds the name under which what gssfault adds as mark lives in
// the mapping m (schemas or examples): base if free or already gssfault's
// with that mark, else base2, base3, ...; add says whether it must be
// added.
func claim(t *tree, m *yaml.Node, base, mark string) (name string, add bool) {
	for i := 1; ; i++ {
		name = base
		if i > 1 {
			name = base + sep(base) + strconv.Itoa(i)
		}
		existing := t.lookup(m, name)
		if existing == nil {
			return name, true
		}
		if marker(t, existing) == mark {
			return name, false
		}
	}
}

// sep keeps numbered names readable: GssfaultError2, GSS-VSP-005-2.
func sep(base string) string {
	if strings.ContainsAny(base[len(base)-1:], "0123456789") {
		return "-"
	}
	return ""
}

// The schemas, in YAML. A $ref names a kind; schemaNode rewrites it. Every
// construct here is valid in OpenAPI 3.0, 3.1 and Swagger 2.0 schemas.
const componentsYAML = `
Error:
  description: An error, as gssfault and grpc-gateway write it (a google.rpc.Status in JSON).
  type: object
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
        $ref: ErrorDetail
ErrorDetail:
  description: A google.protobuf.Any in JSON, its type in "@type".
  type: object
  required: ['@type']
  properties:
    '@type':
      type: string
      example: type.googleapis.com/google.rpc.ErrorInfo
  additionalProperties: true
ErrorInfo:
  description: google.rpc.ErrorInfo. reason is the fault type in UPPER_SNAKE_CASE; domain is gssfault.<domain>.
  type: object
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
  description: google.rpc.RetryInfo, sent for retryable faults.
  type: object
  properties:
    '@type':
      type: string
      enum: [type.googleapis.com/google.rpc.RetryInfo]
    retryDelay:
      type: string
      example: 30s
Help:
  description: google.rpc.Help with the fault type's API reference.
  type: object
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
  description: google.rpc.ResourceInfo for the managed object.
  type: object
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
  description: google.rpc.LocalizedMessage.
  type: object
  properties:
    '@type':
      type: string
      enum: [type.googleapis.com/google.rpc.LocalizedMessage]
    locale:
      type: string
    message:
      type: string
Problem:
  description: An RFC 9457 problem details object (application/problem+json) with gssfault's extension members.
  type: object
  required: [type, title, status]
  properties:
    type:
      type: string
      format: uri-reference
      description: A URI reference identifying the problem type; about:blank when the title is the HTTP status phrase.
      example: about:blank
    title:
      type: string
      description: A short summary of the problem type.
      example: Not Found
    status:
      type: integer
      format: int32
      minimum: 400
      maximum: 599
      description: The HTTP status of this answer.
    detail:
      type: string
      description: An explanation of this occurrence. Generic for INTERNAL, UNKNOWN and DATA_LOSS.
    instance:
      type: string
      format: uri-reference
      description: A URI reference identifying this occurrence.
    code:
      type: string
      pattern: '^GSS-[A-Z]{3}-[0-9]{3}$'
      description: The GSS code; absent when the answer carries none (the service's own error without a code, or a status from a service that does not use gssfault).
      example: GSS-VSP-005
    grpcCode:
      type: string
      description: The gRPC status code's name (google.rpc.Code).
      enum: [OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED]
    retryable:
      type: boolean
      description: Whether repeating the same request can succeed without other changes.
    retryDelay:
      type: string
      pattern: '^[0-9]+(\.[0-9]+)?s$'
      description: How long to wait before retrying, as a google.protobuf.Duration in JSON.
      example: 30s
    details:
      type: array
      description: The AIP-193 details, as in the Error body.
      items:
        $ref: ErrorDetail
`
