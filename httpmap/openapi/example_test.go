package openapi_test

import (
	"fmt"
	"strings"

	"github.com/gssfault/gssfault/vsphere/release"

	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/openapi"
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
	fmt.Println(strings.Contains(string(out), `"404":`), strings.Contains(string(out), `"503":`))
	fmt.Println(strings.Contains(string(out), "$ref: '#/components/schemas/Error'"))
	// Output:
	// true true
	// true
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
