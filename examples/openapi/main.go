// Command openapi gives the operations of the examples' VMService typed
// error responses in both documents grpc-gateway's generators write for it,
// OpenAPI 3.1 (protoc-gen-openapiv3) and Swagger 2.0 (protoc-gen-openapiv2),
// with the GSS codes each method declares in vm.proto, and checks both
// with the validators of openapi.Check.
//
// The inputs sit beside this file, as examples/internal/vmpb/gen.sh writes
// them: vm.openapi.json and vm.swagger.json, where every operation has only
// a "default" response of google.rpc.Status, and vm.gssfault.json, the
// codes file protoc-gen-gssfault writes from the gssfault.v1.faults method
// options, matched to operations by operationId.
//
//	go run ./examples/openapi
//
// For files, gssctl does the same:
//
//	gssctl openapi inject vm.swagger.json --codes vm.gssfault.json --version 8.0.3 -o vm.swagger.json
//	gssctl openapi check vm.swagger.json
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/openapi"
	"github.com/gssfault/gssfault/vsphere/release"
)

// openAPI3 is protoc-gen-openapiv3's output for vm.proto (OpenAPI 3.1).
//
//go:embed vm.openapi.json
var openAPI3 []byte

// swagger2 is protoc-gen-openapiv2's output for vm.proto (Swagger 2.0).
//
//go:embed vm.swagger.json
var swagger2 []byte

// codesFile is protoc-gen-gssfault's codes file for vm.proto.
//
//go:embed vm.gssfault.json
var codesFile []byte

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	cf, err := openapi.ReadCodesFile(bytes.NewReader(codesFile))
	if err != nil {
		return fmt.Errorf("vm.gssfault.json: %w", err)
	}
	// The statuses the gateway answers for vSphere 8.0 U3 (see
	// examples/gateway), for exactly the codes each method declares.
	opts := openapi.Options{OperationCodes: cf.ByOperationID(), Target: httpmap.Target{Version: release.V803}}
	for _, in := range []struct {
		name string
		doc  []byte
	}{{"vm.openapi.json", openAPI3}, {"vm.swagger.json", swagger2}} {
		doc, err := openapi.Inject(in.doc, opts)
		if err != nil {
			return fmt.Errorf("inject into %s: %w", in.name, err)
		}
		r, err := openapi.Check(doc)
		if err != nil {
			return fmt.Errorf("check %s: %w", in.name, err)
		}
		if !r.OK() {
			return fmt.Errorf("%s after inject: valid %v, untyped %v: %s", in.name, r.Valid, r.Untyped, strings.Join(r.Errors, "; "))
		}
		fmt.Fprintf(out, "%s (%s): %d bytes in, %d out; valid, %d of %d operations typed\n",
			in.name, r.Format, len(in.doc), len(doc), r.Typed, r.Operations)
		if err := printResponses(out, doc); err != nil {
			return err
		}
	}
	return nil
}

// printResponses prints each operation's responses with the GSS codes
// (x-gss-codes) a typed one documents; OpenAPI 3 and Swagger 2.0 keep
// responses at the same place.
func printResponses(out io.Writer, doc []byte) error {
	var d struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Responses   map[string]struct {
				Codes []string `json:"x-gss-codes"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return err
	}
	for _, path := range slices.Sorted(maps.Keys(d.Paths)) {
		for _, method := range slices.Sorted(maps.Keys(d.Paths[path])) {
			op := d.Paths[path][method]
			fmt.Fprintf(out, "  %s %s (%s)\n", strings.ToUpper(method), path, op.OperationID)
			for _, status := range slices.Sorted(maps.Keys(op.Responses)) {
				line := fmt.Sprintf("    %-7s %s", status, strings.Join(op.Responses[status].Codes, " "))
				fmt.Fprintln(out, strings.TrimRight(line, " "))
			}
		}
	}
	return nil
}
