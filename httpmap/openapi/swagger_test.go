package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/httpmap/openapi"
)

// TestInjectGatewaySwagger runs Inject on real protoc-gen-openapiv2
// output (grpc-gateway's own examples, testdata/README.md): the result is
// valid Swagger 2.0 for the official JSON Schema, every operation is
// typed, every example validates against its schema, and nothing of the
// input is lost: the default response, rpcStatus and protobufAny, vendor
// extensions, key order. (Newer generators name rpcStatus googleRpcStatus.)
func TestInjectGatewaySwagger(t *testing.T) {
	files, _ := filepath.Glob("testdata/grpc-gateway/*.swagger.json")
	if len(files) < 8 {
		t.Fatalf("found %d grpc-gateway inputs", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			in := readFile(t, strings.TrimPrefix(f, "testdata/"))
			before := checkValid(t, in)
			out := inject(t, in, openapi.Options{Target: v803})
			if !json.Valid(out) {
				t.Fatal("JSON input did not give JSON output")
			}
			r := checkValid(t, out)
			if r.Format != "Swagger 2.0" || r.Operations != before.Operations || r.Typed != r.Operations || len(r.Untyped) != 0 {
				t.Errorf("report %+v after, %d operations before", r, before.Operations)
			}
			contains(t, in, out)
			if n := validateExamples(t, out); r.Operations > 0 && n == 0 {
				t.Error("no example was checked")
			}
			doc := value(t, out)
			defs := doc["definitions"].(map[string]any)
			for _, name := range []string{"protobufAny", "GssfaultError", "GssfaultErrorDetail"} {
				if defs[name] == nil {
					t.Errorf("definitions.%s missing", name)
				}
			}
			if defs["rpcStatus"] == nil && defs["googleRpcStatus"] == nil {
				t.Error("the google.rpc.Status definition is missing")
			}
			for p, item := range doc["paths"].(map[string]any) {
				for m, op := range item.(map[string]any) {
					if op, ok := op.(map[string]any); ok {
						if _, ok := op["responses"].(map[string]any)["default"]; !ok {
							t.Errorf("%s %s lost its default response", m, p)
						}
					}
				}
			}
		})
	}
}

// TestInjectSwaggerResponseShape looks at one response of echo_service:
// schema reference, x-gss-codes, the first code's body under examples
// and every code's under x-examples.
func TestInjectSwaggerResponseShape(t *testing.T) {
	in := readFile(t, "grpc-gateway/echo_service.swagger.json")
	out := inject(t, in, openapi.Options{Target: v803, OperationCodes: map[string][]codes.Code{
		"EchoService_Echo": {"GSS-VSP-005", "GSS-VSP-006", "GSS-VSP-023"},
	}})
	doc := value(t, out)
	op := doc["paths"].(map[string]any)["/v1/example/echo/{id}"].(map[string]any)["post"].(map[string]any)
	r := op["responses"].(map[string]any)["404"].(map[string]any)
	if r["schema"].(map[string]any)["$ref"] != "#/definitions/GssfaultError" {
		t.Errorf("404 schema = %v", r["schema"])
	}
	if got := toStrings(r["x-gss-codes"]); strings.Join(got, ",") != "GSS-VSP-005,GSS-VSP-006" {
		t.Errorf("404 x-gss-codes = %v", got)
	}
	first := r["examples"].(map[string]any)["application/json"].(map[string]any)
	if first["details"].([]any)[0].(map[string]any)["metadata"].(map[string]any)["gssCode"] != "GSS-VSP-005" {
		t.Errorf("examples.application/json = %v", first)
	}
	byCode := r["x-examples"].(map[string]any)
	if len(byCode) != 2 || byCode["GSS-VSP-006"].(map[string]any)["summary"] != "ManagedObjectNotFound (GSS-VSP-006)" {
		t.Errorf("x-examples = %v", byCode)
	}
	if statuses := keys(op["responses"].(map[string]any)); strings.Join(statuses, ",") != "200,404,503,default" {
		t.Errorf("responses = %v", statuses)
	}
}

// TestInjectKeepsTheDocumentsOwnError: documents with an Error schema of
// their own, different from gssfault's (star-trek's code is a string;
// petstore's requires code and message), keep it unchanged; gssfault's is
// GssfaultError, and the output is valid with every example valid against
// its schema.
func TestInjectKeepsTheDocumentsOwnError(t *testing.T) {
	for _, tc := range []struct {
		file, defs string
		// kin-openapi rejects one of train-travel's own webhook examples
		// (a readOnly property in a request): validate it without
		// examples; validateExamples checks gssfault's.
		badExamples bool
	}{
		{"readme-oas-examples/star-trek.yaml", "components.schemas", false},
		{"readme-oas-examples/petstore-expanded.3.0.json", "components.schemas", false},
		{"readme-oas-examples/petstore-expanded.2.0.yaml", "definitions", false},
		{"readme-oas-examples/train-travel.json", "components.schemas", true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			in := readFile(t, tc.file)
			valid := checkValid
			if tc.badExamples {
				valid = func(t testing.TB, data []byte) openapi.Report {
					t.Helper()
					doc, err := openapi3.NewLoader().LoadFromData(data)
					if err == nil {
						err = doc.Validate(context.Background(), openapi3.DisableExamplesValidation())
					}
					if err != nil {
						t.Fatalf("kin-openapi rejects the document: %v", err)
					}
					return openapi.Report{}
				}
			}
			valid(t, in)
			out := inject(t, in, openapi.Options{Target: v803, Problem: tc.defs != "definitions"})
			valid(t, out)
			contains(t, in, out)
			if validateExamples(t, out) == 0 {
				t.Error("no example was checked")
			}
			schemas := func(data []byte) map[string]any {
				d := value(t, data)
				if tc.defs == "definitions" {
					return d["definitions"].(map[string]any)
				}
				return d["components"].(map[string]any)["schemas"].(map[string]any)
			}
			before, after := schemas(in), schemas(out)
			if e, ok := before["Error"]; ok {
				a, _ := json.Marshal(e)
				b, _ := json.Marshal(after["Error"])
				if !bytes.Equal(a, b) {
					t.Errorf("the document's Error changed:\n%s\n%s", a, b)
				}
			}
			if after["GssfaultError"] == nil {
				t.Error("no GssfaultError")
			}
		})
	}
}

// TestInjectNameCollision: a schema named GssfaultError that is not
// gssfault's (no x-gssfault marker) stays, and gssfault's becomes
// GssfaultError2; a second run finds it again.
func TestInjectNameCollision(t *testing.T) {
	in := []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses: {"200": {description: ok}}
components:
  schemas:
    GssfaultError: {type: object, properties: {code: {type: string}}}
  examples:
    GSS-VSP-002: {value: not ours}
`)
	out := inject(t, in, openapi.Options{})
	doc := load3(t, out)
	if doc.Components.Schemas["GssfaultError2"] == nil || doc.Components.Schemas["GssfaultError"].Value.Properties["code"].Value.Type.Is("string") == false {
		t.Fatalf("schemas: %v", keys(doc.Components.Schemas))
	}
	r := doc.Paths.Find("/a").Get.Responses.Status(401).Value.Content.Get("application/json")
	if r.Schema.Ref != "#/components/schemas/GssfaultError2" || r.Examples["GSS-VSP-002"].Ref != "#/components/examples/GSS-VSP-002-2" {
		t.Errorf("401: schema %s, example %s", r.Schema.Ref, r.Examples["GSS-VSP-002"].Ref)
	}
	if doc.Components.Examples["GSS-VSP-002"].Value.Value != "not ours" {
		t.Error("the document's own example changed")
	}
	validateExamples(t, out)
	if again := inject(t, out, openapi.Options{}); !bytes.Equal(again, out) {
		t.Error("a second run changed the document")
	}
}

// TestInjectGatewayOpenAPI31: protoc-gen-openapiv3's output (OpenAPI 3.1)
// stays valid for kin-openapi with every operation typed and every
// example valid (JSON Schema 2020-12) against its schema.
func TestInjectGatewayOpenAPI31(t *testing.T) {
	in := readFile(t, "grpc-gateway/a_bit_of_everything.openapi.json")
	out := inject(t, in, openapi.Options{Target: v803, Problem: true})
	r := checkValid(t, out)
	if r.Format != "OpenAPI 3.1.0" || r.Operations != 40 || r.Typed != 40 {
		t.Errorf("report %+v", r)
	}
	contains(t, in, out)
	if validateExamples(t, out) == 0 {
		t.Error("no example was checked")
	}
}
