// Package gssfaultv1 holds the Go types of gssfault/v1/options.proto, the
// method option with which a gRPC method declares the GSS codes it can
// return:
//
//	import "gssfault/v1/options.proto";
//
//	rpc PowerOn(PowerOnRequest) returns (PowerOnResponse) {
//	  option (gssfault.v1.faults) = {codes: ["GSS-VSP-012", "GSS-VSP-014"]};
//	}
//
// [E_Faults] is the extension (field 71919 of google.protobuf.MethodOptions)
// and [MethodFaults] its value. The .proto file sits beside this package;
// put the module's proto/ directory on protoc's include path to import it.
// protoc-gen-gssfault (cmd/protoc-gen-gssfault) reads the option; a program
// that reads descriptors itself gets it with proto.GetExtension, as the
// example shows.
//
// options.pb.go is generated: `make proto` runs protoc with the protoc-gen-go
// of the google.golang.org/protobuf version in go.mod (v1.36.12), and
// TestGeneratedCodeIsCurrent fails when the committed file differs from what
// that produces. As all protobuf-go generated code does, importing this
// package registers the file and its extension in protobuf's global
// registries.
package gssfaultv1
