package openapi_test

import (
	"fmt"
	"strings"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/openapi"
	"github.com/gssfault/gssfault/vsphere/release"
)

func ExampleInject() {
	spec := `openapi: 3.0.3
info: {title: VMs, version: "1"}
paths:
  /vms/{id}:
    get:
      x-gss-codes: [GSS-VSP-006, GSS-VSP-023]  # ManagedObjectNotFound, HostNotReachable
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: The VM.}
`
	out, err := openapi.Inject([]byte(spec), openapi.Options{Target: httpmap.Target{Version: release.V803}})
	if err != nil {
		panic(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "description: 'Not Found") || strings.Contains(line, "x-gss-codes: [GSS-VSP-023]") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// description: 'Not Found: ManagedObjectNotFound (GSS-VSP-006).'
	// x-gss-codes: [GSS-VSP-023]
}

func ExampleInject_swagger() {
	spec := `{"swagger": "2.0", "info": {"title": "Echo", "version": "1"},
 "paths": {"/v1/echo/{id}": {"post": {"operationId": "EchoService_Echo",
  "responses": {"200": {"description": "OK"}, "default": {"description": "An unexpected error.", "schema": {"$ref": "#/definitions/rpcStatus"}}}}}},
 "definitions": {"rpcStatus": {"type": "object"}}}`
	out, err := openapi.Inject([]byte(spec), openapi.Options{
		OperationCodes: map[string][]codes.Code{"EchoService_Echo": {"GSS-VSP-005"}},
	})
	if err != nil {
		panic(err)
	}
	r, _ := openapi.Check(out)
	fmt.Println(r.Format, r.Valid, r.Typed, "of", r.Operations, "operations typed")
	fmt.Println(strings.Contains(string(out), `"$ref": "#/definitions/GssfaultError"`))
	// Output:
	// Swagger 2.0 true 1 of 1 operations typed
	// true
}

func ExampleCheck() {
	r, err := openapi.Check([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses: {"200": {description: ok}}
`))
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Valid, r.OK(), r.Untyped)
	// Output: true false [GET /a (getA)]
}

func ExampleReadCodesFile() {
	f, err := openapi.ReadCodesFile(strings.NewReader(`{"gssfault": "v1", "methods": [
  {"method": "/pkg.v1.VMService/PowerOn", "operationId": "VMService_PowerOn", "codes": ["GSS-VSP-012", "GSS-VSP-14"]}]}`))
	fmt.Println(f.Methods, err)
	// Output: [] openapi: codes file: methods[0] (/pkg.v1.VMService/PowerOn): codes[1]: codes: parse "GSS-VSP-14": number "14" must be three digits 0-9
}

func ExampleParseMapping() {
	_, err := openapi.ParseMapping(strings.NewReader(`
responses:
  - status: 404
    codes: [GSS-VSP-005]
  - status: 400
    codes: [GSS-VSP-005]
`))
	fmt.Println(err)
	// Output: openapi: code GSS-VSP-005 is mapped to two statuses, 404 and 400
}

func ExampleFromCatalog() {
	m := openapi.FromCatalog(nil, httpmap.Target{Version: release.V803})
	fmt.Println(m.Groups[0].Status)
	// Output: 400
}

func ExampleDefaultScope() {
	fmt.Println(openapi.DefaultScope(nil, "get", "/vms/{id}"))
	// Output: [GSS-VSP-001 GSS-VSP-002 GSS-VSP-003 GSS-VSP-004 GSS-VSP-005 GSS-VSP-006 GSS-VSP-021 GSS-VSP-022 GSS-VSP-024 GSS-VSP-029 GSS-VSP-037 GSS-VSP-045 GSS-VSP-999]
}
