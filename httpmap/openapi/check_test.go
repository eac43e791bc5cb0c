package openapi_test

import (
	"strings"
	"testing"

	"github.com/gssfault/gssfault/httpmap/openapi"
)

func TestCheckListsUntypedOperations(t *testing.T) {
	r, err := openapi.Check(inventory(t))
	if err != nil {
		t.Fatal(err)
	}
	var untyped []string
	for _, op := range r.Untyped {
		untyped = append(untyped, op.String())
	}
	want := []string{"GET /vms (listVMs)", "POST /vms (createVM)", "DELETE /vms/{id} (deleteVM)",
		"POST /vms/{id}/power (powerVM)", "GET /hosts (listHosts)", "GET /datastores/{name}/files (listFiles)"}
	if strings.Join(untyped, "; ") != strings.Join(want, "; ") {
		t.Errorf("Untyped = %v, want %v", untyped, want)
	}
	if !r.Valid || r.Operations != 8 || r.Typed != 1 || len(r.Ignored) != 1 || r.Ignored[0].OperationID != "health" || r.OK() {
		t.Errorf("report = %+v", r)
	}
	if r := checkValid(t, inject(t, inventory(t), openapi.Options{})); !r.OK() || r.Typed != 7 {
		t.Errorf("after Inject: %+v", r)
	}
}

func TestCheckFindsInvalidDocuments(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"swagger response without description", `{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"404": {"schema": {"type": "object"}}}}}}}`, "description"},
		{"swagger unknown top-level field", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {}\n", "components"},
		{"swagger dangling $ref", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '404': {description: x, schema: {$ref: '#/definitions/Nope'}}\n", "#/definitions/Nope"},
		{"openapi without info", "openapi: 3.0.3\npaths: {}\n", "info"},
		{"openapi dangling $ref", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '404': {description: x, content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}\n", "Nope"},
	} {
		r, err := openapi.Check([]byte(tc.doc))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if r.Valid || r.OK() || !strings.Contains(strings.Join(r.Errors, "\n"), tc.want) {
			t.Errorf("%s: valid %v, errors %q, want one naming %q", tc.name, r.Valid, r.Errors, tc.want)
		}
	}
	for _, doc := range []string{"{{{", "- a\n", "info: {}\n", "swagger: '3.0'\n"} {
		if _, err := openapi.Check([]byte(doc)); err == nil {
			t.Errorf("Check(%q) read it as a document", doc)
		}
	}
}
