package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/vsphere/release"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/openapi"
)

func load(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi rejects the document: %v", err)
	}
	return doc
}

func inventory(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/inventory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInjectProducesValidTypedSpec(t *testing.T) {
	in := inventory(t)
	load(t, in) // the input itself is valid
	out, err := openapi.Inject(in, openapi.Options{Target: httpmap.Target{Version: release.V803}})
	if err != nil {
		t.Fatal(err)
	}
	doc := load(t, out)
	if doc.Components.Schemas["Error"] == nil || doc.Components.Schemas["ErrorInfo"] == nil {
		t.Fatal("the Error schemas were not added")
	}
	want := openapi.FromCatalog(nil, httpmap.Target{Version: release.V803})
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "health" {
				if len(op.Responses.Map()) != 1 {
					t.Errorf("x-ignore-errors operation %s got error responses", op.OperationID)
				}
				continue
			}
			for _, g := range want.Groups {
				if op.OperationID == "getVM" {
					continue // narrowed below
				}
				r := op.Responses.Status(g.Status)
				if r == nil {
					t.Errorf("%s %s lacks the %d response", method, path, g.Status)
					continue
				}
				mt := r.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil || mt.Schema.Ref != openapi.ErrorSchemaRef || mt.Example == nil {
					t.Errorf("%s %s %d is not typed with the Error schema and an example", method, path, g.Status)
				}
			}
		}
	}
	get := doc.Paths.Find("/vms/{id}").Get
	// x-gss-codes narrows: NotAuthenticated 401, NoPermission 403, ManagedObjectNotFound 404, HostNotReachable 503.
	var statuses []int
	for k := range get.Responses.Map() {
		var n int
		_ = json.Unmarshal([]byte(k), &n)
		statuses = append(statuses, n)
	}
	for _, s := range []int{200, 401, 403, 404, 503} {
		if get.Responses.Status(s) == nil {
			t.Errorf("getVM lacks %d (has %v)", s, statuses)
		}
	}
	if len(get.Responses.Map()) != 5 {
		t.Errorf("getVM has %v, want 200, 401, 403, 404, 503 only", statuses)
	}
	if d := get.Responses.Status(404).Value.Description; d == nil || !strings.Contains(*d, "hand-written") {
		t.Error("an existing response was replaced")
	}
	// Comments and key order stay.
	if !bytes.Contains(out, []byte("# Only the faults a read can give.")) || !bytes.Contains(out, []byte("# Comments and key order must survive injection.")) {
		t.Error("comments were lost")
	}
	if bytes.Index(out, []byte("info:")) > bytes.Index(out, []byte("paths:")) || bytes.Index(out, []byte("/vms:")) > bytes.Index(out, []byte("/hosts:")) {
		t.Error("key order changed")
	}
}

func TestInjectExampleIsWhatWriteErrorWrites(t *testing.T) {
	out, err := openapi.Inject(inventory(t), openapi.Options{Target: httpmap.Target{Version: release.V803}})
	if err != nil {
		t.Fatal(err)
	}
	doc := load(t, out)
	ex := doc.Paths.Find("/hosts").Get.Responses.Status(409).Value.Content.Get("application/json").Example
	b, _ := json.Marshal(ex)
	var body struct {
		Code    int              `json:"code"`
		Details []map[string]any `json:"details"`
	}
	if err := json.Unmarshal(b, &body); err != nil || body.Code == 0 || len(body.Details) == 0 || body.Details[0]["@type"] != "type.googleapis.com/google.rpc.ErrorInfo" {
		t.Errorf("409 example = %s", b)
	}
}

func TestInjectJSONStaysJSON(t *testing.T) {
	var v any
	if err := yaml.Unmarshal(inventory(t), &v); err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(v)
	out, err := openapi.Inject(js, openapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) {
		t.Fatalf("output of JSON input is not JSON:\n%.300s", out)
	}
	load(t, out)
}

func TestMappingDSLRejects(t *testing.T) {
	for name, src := range map[string]string{
		"code under two statuses": "responses:\n  - status: 404\n    codes: [GSS-VSP-005]\n  - status: 400\n    codes: [GSS-VSP-005]\n",
		"bad status":              "responses:\n  - status: 200\n    codes: [GSS-VSP-005]\n",
		"bad code":                "responses:\n  - status: 404\n    codes: [gss-vsp-5]\n",
		"unknown key":             "responses:\n  - status: 404\n    kodes: [GSS-VSP-005]\n",
		"no codes":                "responses:\n  - status: 404\n",
	} {
		if _, err := openapi.ParseMapping(strings.NewReader(src)); err == nil {
			t.Errorf("%s: ParseMapping accepted it", name)
		}
	}
	m, err := openapi.ParseMapping(strings.NewReader("responses:\n  - status: 404\n    schema: '#/components/schemas/Missing'\n    codes: [GSS-VSP-005]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openapi.Inject(inventory(t), openapi.Options{Mapping: m}); err == nil || !strings.Contains(err.Error(), "does not resolve") {
		t.Errorf("a dangling schema reference: %v", err)
	}
	m, err = openapi.ParseMapping(strings.NewReader("responses:\n  - status: 404\n    schema: '#/components/schemas/NotFoundBody'\n    description: Gone.\n    codes: [GSS-VSP-005, GSS-VSP-006]\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := openapi.Inject(inventory(t), openapi.Options{Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	doc := load(t, out)
	r := doc.Paths.Find("/hosts").Get.Responses.Status(404)
	if r == nil || r.Value.Content.Get("application/json").Schema.Ref != "#/components/schemas/NotFoundBody" {
		t.Error("a custom mapping's schema was not used")
	}
}

func TestInjectRejectsBadInput(t *testing.T) {
	for name, in := range map[string]string{
		"not yaml":      "{{{",
		"a list":        "- a\n- b\n",
		"swagger 2":     "swagger: '2.0'\npaths: {}\n",
		"bad x-gss":     "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      x-gss-codes: [GSS-VSP-998]\n      responses: {'200': {description: ok}}\n",
		"x-gss not seq": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      x-gss-codes: GSS-VSP-005\n      responses: {'200': {description: ok}}\n",
	} {
		if _, err := openapi.Inject([]byte(in), openapi.Options{}); err == nil {
			t.Errorf("%s: Inject accepted it", name)
		}
	}
}

func TestInjectIntoEmptyDocument(t *testing.T) {
	out, err := openapi.Inject([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"), openapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := load(t, out)
	for _, name := range []string{"Error", "ErrorDetail", "ErrorInfo", "RetryInfo", "Help", "ResourceInfo", "LocalizedMessage"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s missing", name)
		}
	}
}

func FuzzInject(f *testing.F) {
	f.Add([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n"))
	f.Add([]byte(`{"openapi":"3.0.0","paths":{"/x":{"post":{"x-ignore-errors":true}}}}`))
	f.Add([]byte("openapi: 3.1.0\npaths:\n  /a: null\ncomponents: 7\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		out, err := openapi.Inject(doc, openapi.Options{})
		if err != nil {
			return
		}
		// Whatever it accepts, it writes in a form it can read again.
		if _, err := openapi.Inject(out, openapi.Options{}); err != nil {
			t.Fatalf("Inject cannot read its own output: %v\n%s", err, out)
		}
	})
}
