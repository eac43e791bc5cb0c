// Command protoc-gen-gssfault is a protoc plugin that turns the GSS codes
// gRPC methods declare with the (gssfault.v1.faults) option into Go code and
// an OpenAPI codes file.
//
// # Declaring codes
//
// With the module's proto/ directory on the include path:
//
//	import "gssfault/v1/options.proto";
//
//	service VMService {
//	  rpc PowerOn(PowerOnRequest) returns (PowerOnResponse) {
//	    option (google.api.http) = {post: "/v1/vms/{id}:powerOn"};
//	    option (gssfault.v1.faults) = {codes: ["GSS-VSP-012", "GSS-VSP-014"]};
//	  }
//	}
//
// Every code must be a valid GSS code (GSS-<DOMAIN>-<NNN>) that the catalog
// holds, and appear once per method; otherwise generation fails with an
// error naming the file and line, the method and the code, with the nearest
// catalog code as a suggestion. An empty list declares that the method
// returns no catalog fault.
//
// # Running it
//
//	go install github.com/gssfault/gssfault/cmd/protoc-gen-gssfault
//	protoc -I . -I "$(go list -m -f '{{.Dir}}' github.com/gssfault/gssfault)/proto" \
//	  --openapiv2_out=. --gssfault_out=. --gssfault_opt=paths=source_relative vm.proto
//
// # Output
//
// For each .proto file with at least one method that carries the option it
// writes two files:
//
//   - <name>_gssfault.pb.go, in the Go package of the .proto file (placed
//     as protoc-gen-go places <name>.pb.go, following paths= and module=):
//     for each service with declarations, a function
//     <Service>DeclaredCodes(fullMethod string) ([]codes.Code, bool), a
//     switch on the gRPC full method name ("/pkg.Service/Method") that
//     returns a new slice of the declared codes and true, or nil and false
//     for a method that declares nothing. It is meant for
//     grpcstatus.WithDeclaredCodes, which checks that a handler returns only
//     the codes it declares.
//
//   - <name>.gssfault.json, named from the .proto path as
//     protoc-gen-openapiv2 names <name>.swagger.json, so the two land side
//     by side in one output directory, whatever paths= says.
//
// The codes file is what `gssctl openapi inject SPEC --codes FILE` reads:
//
//	{
//	  "gssfault": "v1",
//	  "methods": [
//	    {"method": "/pkg.v1.VMService/PowerOn", "operationId": "VMService_PowerOn", "codes": ["GSS-VSP-012", "GSS-VSP-014"]}
//	  ]
//	}
//
// "gssfault" is the version of the format; "methods" holds one entry per
// OpenAPI operation of a declaring method (none for a method without HTTP
// binding), in file order, with the codes in declaration order ("codes": []
// for a method that declares an empty list).
//
// # OperationIds
//
// Each entry of the codes file is one OpenAPI operation, named by the
// operationId protoc-gen-openapiv2 (grpc-gateway v2.33.0) gives it, so the
// injector can find it:
//
//   - <Service>_<Method>, with the service's and method's proto names; with
//     simple_operation_ids=true, <Method> alone;
//   - each additional binding of the method's google.api.http rule is its
//     own operation, with the binding's 1-based index appended from the
//     second on (VMService_Get2, VMService_Get3);
//   - an operation_id set with the (grpc.gateway.protoc_gen_openapiv2.
//     options.openapiv2_operation) method option replaces the name of every
//     binding of the method, and the codes file has one entry for them;
//   - a method with no google.api.http option has no operation, unless
//     generate_unbound_methods=true, which gives it one (POST
//     /<package>.<Service>/<Method>), as protoc-gen-openapiv2 does.
//
// Two operations with one operationId in one codes file (two services
// sharing a method name under simple_operation_ids=true, say) are an error:
// their codes could not be told apart.
//
// Not seen: HTTP rules and operation options given in a
// grpc_api_configuration or openapi_configuration YAML file rather than in
// the .proto, and google.api.visibility restrictions. A method bound only
// through such a file has no entry; an entry for an operation the Swagger
// file leaves out names an operationId the document does not have.
//
// # Parameters
//
// Given as --gssfault_opt=name=value (or name alone for true), separated by
// commas:
//
//   - catalog=FILE: check codes against the catalog in FILE (the registry
//     file format, YAML or JSON; a path relative to protoc's working
//     directory) instead of the built-in one, as gssctl --catalog does.
//   - simple_operation_ids, generate_unbound_methods: as for
//     protoc-gen-openapiv2; pass the same values to both plugins.
//   - allow_merge, merge_file_name (default apidocs): as for
//     protoc-gen-openapiv2, write one codes file, <merge_file_name>.gssfault.json,
//     for all the files protoc generates.
//   - paths, module, M<file>=<import path>: where the Go file goes, as for
//     protoc-gen-go.
//
// An unknown parameter is an error.
package main
