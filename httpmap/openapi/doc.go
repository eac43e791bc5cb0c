// Package openapi publishes gssfault's errors in API descriptions: OpenAPI
// 3.x documents and Swagger 2.0 ones (what protoc-gen-openapiv2 writes for
// grpc-gateway services), JSON or YAML.
//
// [Inject] adds gssfault's error schemas ([Components]: the grpc-gateway
// error body, the AIP-193 details and, on request, the RFC 9457 problem
// details body) and gives every operation typed 4xx/5xx responses for the
// GSS codes it can return: those its x-gss-codes names, those a codes
// file of gssfault's protoc plugin gives its operationId
// ([ReadCodesFile]), or a default scope ([DefaultScope]). Each response
// names its codes (x-gss-codes, description) and has one example per code,
// the body gssfault writes for that fault. [Check] validates a document
// (kin-openapi for OpenAPI 3, the official JSON Schema for Swagger 2.0)
// and lists operations without typed error responses, for CI.
//
// Inject only adds. Its output keeps the input's form (JSON stays JSON,
// with numbers and escapes as written; YAML keeps comments, key order,
// anchors, aliases and merge keys), a document's own schemas (its own
// Error included) are never replaced, responses that exist, directly or
// through an alias or a merge key, are never replaced or overridden, and
// running it on its own output changes nothing.
//
// Statuses come from a [Mapping]: by default one built from the catalog
// and the per-version HTTP table ([FromCatalog]); a service may write its
// own in the mapping file format and [ParseMapping] it. A mapping that
// puts a code under two statuses, or names a schema the document does not
// define, is rejected.
//
// Every input is bounded: [MaxDocumentBytes], [MaxNodes] (which also
// bounds what aliases expand to, so YAML alias bombs fail at once),
// [MaxDepth], [MaxMappingBytes] and [MaxCodesFileBytes]; over a bound is
// an error naming it.
package openapi
