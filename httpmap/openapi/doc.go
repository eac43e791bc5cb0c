// Package openapi publishes gssfault's errors in OpenAPI 3 documents.
//
// [Components] returns the Error schema (the grpc-gateway body: code,
// message, details) and schemas for the AIP-193 details. [Inject] adds them
// to an existing document and gives every operation typed 4xx/5xx
// responses that reference the Error schema, with examples, by walking the
// document's YAML tree: key order and comments of the input stay, existing
// responses are never replaced, and operations marked x-ignore-errors are
// left alone. An operation may narrow its error codes with x-gss-codes.
//
// Which statuses and schemas the responses use comes from a [Mapping]: by
// default one built from the catalog and the per-version HTTP table
// ([FromCatalog]); a service may write its own in the mapping file format
// and [ParseMapping] it. A mapping that puts a code under two statuses, or
// names a schema the document does not define, is rejected.
package openapi
