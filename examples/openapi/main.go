// Command openapi gives the operations of an OpenAPI 3 document typed error
// responses with httpmap/openapi.Inject, and checks the result with a real
// validator (kin-openapi).
//
// The input, vm.openapi.json, is what grpc-gateway's protoc-gen-openapiv3
// writes for the examples' VMService (examples/internal/vmpb/vm.proto; see
// its gen.sh): every operation has only a "default" response of
// google.rpc.Status. The example injects the responses of the codes the
// service returns, with the HTTP statuses the gateway answers for vSphere
// 8.0 U3 (see examples/gateway), taken from the catalog.
//
//	go run ./examples/openapi
//
// gssctl openapi inject does the same for a file.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gssfault/gssfault/codes"
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
// TODO(openapi rewrite): the rewritten httpmap/openapi reads Swagger 2.0 as
// well; at merge, inject this document the same way (openapi.Inject(swagger2,
// opts)), validate it as Swagger 2.0 and print its responses, and test the
// lines in examples_test.go.
//
//go:embed vm.swagger.json
var swagger2 []byte

// serviceCodes are the codes the VMService's handlers can return.
var serviceCodes = []codes.Code{
	codes.NotFound, codes.ManagedObjectNotFound, codes.InvalidPowerState,
	codes.TaskInProgress, codes.NoPermission, codes.HostCommunication,
}

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	_ = swagger2 // see the TODO above

	// The catalog's mapping for the release the gateway fronts, narrowed to
	// the service's codes: the documented statuses are the ones answered.
	target := httpmap.Target{Version: release.V803}
	var mapping openapi.Mapping
	for _, g := range openapi.FromCatalog(nil, target).Groups {
		g.Codes = slices.DeleteFunc(g.Codes, func(c codes.Code) bool { return !slices.Contains(serviceCodes, c) })
		if len(g.Codes) > 0 {
			mapping.Groups = append(mapping.Groups, g)
		}
	}

	doc, err := openapi.Inject(openAPI3, openapi.Options{Mapping: mapping, Target: target})
	if err != nil {
		return fmt.Errorf("inject: %w", err)
	}

	// A real validator accepts the result.
	loaded, err := openapi3.NewLoader().LoadFromData(doc)
	if err != nil {
		return fmt.Errorf("load the injected document: %w", err)
	}
	if err := loaded.Validate(ctx); err != nil {
		return fmt.Errorf("the injected document is not valid: %w", err)
	}
	fmt.Fprintf(out, "vm.openapi.json (OpenAPI %s): %d bytes in, %d bytes out, valid (kin-openapi)\n",
		loaded.OpenAPI, len(openAPI3), len(doc))

	// What every operation now documents.
	for _, path := range loaded.Paths.InMatchingOrder() {
		ops := loaded.Paths.Value(path).Operations()
		for _, method := range slices.Sorted(maps.Keys(ops)) {
			op := ops[method]
			fmt.Fprintf(out, "%s %s\n", method, path)
			statuses := op.Responses.Map()
			for _, k := range slices.Sorted(maps.Keys(statuses)) {
				r := statuses[k].Value
				ref := ""
				if mt := r.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					ref = mt.Schema.Ref
				}
				fmt.Fprintf(out, "  %-7s %-45s %s\n", k, firstLine(*r.Description), ref)
			}
		}
	}

	// The Error schema and one example body, as the gateway writes it.
	names := slices.Sorted(maps.Keys(loaded.Components.Schemas))
	fmt.Fprintf(out, "components.schemas: %s\n", strings.Join(names, ", "))
	example := loaded.Paths.Value("/v1/vms/{name}").Get.Responses.Status(404).Value.Content.Get("application/json").Example
	b, err := json.Marshal(example)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "404 example: %s\n", b)
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
