package examplepb_test

import (
	"fmt"

	"github.com/gssfault/gssfault/cmd/protoc-gen-gssfault/internal/examplepb"
)

// A generated function answers for the methods of its service, by the
// full method name gRPC gives interceptors.
func ExampleVMServiceDeclaredCodes() {
	for _, m := range []string{
		"/gssfault.example.v1.VMService/PowerOn",
		"/gssfault.example.v1.VMService/Rename",
		"/gssfault.example.v1.VMService/Ping",
	} {
		codes, ok := examplepb.VMServiceDeclaredCodes(m)
		fmt.Println(m, codes, ok)
	}
	// Output:
	// /gssfault.example.v1.VMService/PowerOn [GSS-VSP-012 GSS-VSP-014] true
	// /gssfault.example.v1.VMService/Rename [] true
	// /gssfault.example.v1.VMService/Ping [] false
}
