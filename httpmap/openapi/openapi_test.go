package openapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/openapi"
	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere/release"
)

var v803 = httpmap.Target{Version: release.V803}

// statuses returns the sorted response keys of an operation.
func statuses(t *testing.T, data []byte, path, method string) []string {
	t.Helper()
	doc := value(t, data)
	op := doc["paths"].(map[string]any)[path].(map[string]any)[method].(map[string]any)
	var out []string
	for k := range op["responses"].(map[string]any) {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestInjectInventory(t *testing.T) {
	in := inventory(t)
	load3(t, in)
	out := inject(t, in, openapi.Options{Target: v803})
	doc := load3(t, out)
	contains(t, in, out)
	for _, name := range []string{"GssfaultError", "GssfaultErrorDetail", "GssfaultErrorInfo", "GssfaultRetryInfo", "GssfaultHelp", "GssfaultResourceInfo", "GssfaultLocalizedMessage"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s was not added", name)
		}
	}
	if doc.Components.Schemas["GssfaultProblem"] != nil {
		t.Error("the Problem schema was added without Options.Problem")
	}
	// The default scope (DefaultScope's godoc): every operation gets
	// 401, 403, 500, 503, 504; a path parameter adds 404; write methods
	// 400 and 409.
	for _, tc := range []struct {
		path, method string
		want         []string
	}{
		{"/vms", "get", []string{"200", "401", "403", "500", "503", "504"}},
		{"/vms", "post", []string{"201", "400", "401", "403", "409", "500", "503", "504"}},
		{"/vms/{id}", "delete", []string{"204", "400", "401", "403", "404", "409", "500", "503", "504"}},
		// x-gss-codes: NotAuthenticated 401, NoPermission 403, ManagedObjectNotFound 404 (hand-written, kept), HostNotReachable 503.
		{"/vms/{id}", "get", []string{"200", "401", "403", "404", "503"}},
		{"/healthz", "get", []string{"200"}}, // x-ignore-errors
	} {
		if got := statuses(t, out, tc.path, tc.method); !slices.Equal(got, tc.want) {
			t.Errorf("%s %s responses = %v, want %v", strings.ToUpper(tc.method), tc.path, got, tc.want)
		}
	}
	getVM := doc.Paths.Find("/vms/{id}").Get
	if d := getVM.Responses.Status(404).Value.Description; d == nil || !strings.Contains(*d, "hand-written") {
		t.Error("an existing response was replaced")
	}
	r503 := getVM.Responses.Status(503).Value
	if got := r503.Extensions["x-gss-codes"]; !slices.Equal(toStrings(got), []string{"GSS-VSP-023"}) {
		t.Errorf("getVM 503 x-gss-codes = %v, want [GSS-VSP-023]", got)
	}
	if d := *r503.Description; d != "Service Unavailable: HostNotReachable (GSS-VSP-023)." {
		t.Errorf("getVM 503 description = %q", d)
	}
	// One example per code, keyed by code.
	r401 := doc.Paths.Find("/vms").Get.Responses.Status(401).Value.Content.Get("application/json")
	if r401.Schema.Ref != "#/components/schemas/GssfaultError" || len(r401.Examples) != 2 ||
		r401.Examples["GSS-VSP-002"] == nil || r401.Examples["GSS-VSP-003"] == nil {
		t.Errorf("401 media: schema %q, examples %v", r401.Schema.Ref, keys(r401.Examples))
	}
	if n := validateExamples(t, out); n == 0 {
		t.Error("no example was checked")
	}
	// Comments and key order stay.
	for _, c := range []string{"# Only the faults a read can give.", "# Comments and key order must survive injection."} {
		if !bytes.Contains(out, []byte(c)) {
			t.Errorf("comment %q was lost", c)
		}
	}
}

func toStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			s, _ := x.(string)
			out = append(out, s)
		}
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestInjectExampleIsWhatWriteErrorWrites compares an injected example with
// what httpmap.WriteError writes for the same fault.
func TestInjectExampleIsWhatWriteErrorWrites(t *testing.T) {
	out := inject(t, inventory(t), openapi.Options{Target: v803})
	doc := load3(t, out)
	ex := doc.Components.Examples["GSS-VSP-014"] // TaskInProgress, on POST /vms (409)
	if ex == nil || ex.Value == nil {
		t.Fatalf("no example GSS-VSP-014 under components.examples: %v", keys(doc.Components.Examples))
	}
	b, _ := json.Marshal(ex.Value.Value)
	var body struct {
		Code    int              `json:"code"`
		Message string           `json:"message"`
		Details []map[string]any `json:"details"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	e, _ := registry.Default().Lookup(codes.TaskInProgress)
	if body.Code != int(e.GRPCCode) || body.Message != e.Trigger || len(body.Details) == 0 ||
		body.Details[0]["@type"] != "type.googleapis.com/google.rpc.ErrorInfo" ||
		body.Details[0]["metadata"].(map[string]any)["gssCode"] != "GSS-VSP-014" {
		t.Errorf("example GSS-VSP-014 = %s", b)
	}
	if ex.Value.Extensions[openapi.MarkerKey] != "GSS-VSP-014" {
		t.Errorf("example not marked as gssfault's: %v", ex.Value.Extensions)
	}
}

func TestInjectIsIdempotent(t *testing.T) {
	for _, name := range []string{"inventory.yaml", "grpc-gateway/echo_service.swagger.json", "readme-oas-examples/petstore-expanded.2.0.yaml",
		"readme-oas-examples/petstore-expanded.3.0.json", "grpc-gateway/a_bit_of_everything.openapi.json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, o := range []openapi.Options{{}, {Target: v803, AllCodes: true}} {
				once := inject(t, readFile(t, name), o)
				twice := inject(t, once, o)
				if !bytes.Equal(once, twice) {
					t.Errorf("a second Inject changed the document (%d -> %d bytes)", len(once), len(twice))
				}
			}
		})
	}
}

func TestMappingDSLRejects(t *testing.T) {
	for name, src := range map[string]string{
		"code under two statuses": "responses:\n  - status: 404\n    codes: [GSS-VSP-005]\n  - status: 400\n    codes: [GSS-VSP-005]\n",
		"bad status":              "responses:\n  - status: 200\n    codes: [GSS-VSP-005]\n",
		"bad code":                "responses:\n  - status: 404\n    codes: [gss-vsp-5]\n",
		"unknown key":             "responses:\n  - status: 404\n    kodes: [GSS-VSP-005]\n",
		"no codes":                "responses:\n  - status: 404\n",
		"over the size cap":       "responses:\n  - status: 404\n    codes: [GSS-VSP-005]\n#" + strings.Repeat("x", openapi.MaxMappingBytes) + "\n",
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
	out := inject(t, inventory(t), openapi.Options{Mapping: m, AllCodes: true})
	doc := load3(t, out)
	r := doc.Paths.Find("/hosts").Get.Responses.Status(404)
	if r == nil || r.Value.Content.Get("application/json").Schema.Ref != "#/components/schemas/NotFoundBody" || *r.Value.Description != "Gone." {
		t.Fatal("a custom mapping's schema and description were not used")
	}
	if ex := r.Value.Content.Get("application/json").Examples; len(ex) != 0 {
		t.Errorf("a response with the service's own schema got gssfault examples: %v", keys(ex))
	}
}

func TestInjectRejectsBadInput(t *testing.T) {
	for name, in := range map[string]string{
		"not yaml":         "{{{",
		"a list":           "- a\n- b\n",
		"no version":       "info: {title: t}\npaths: {}\n",
		"openapi 2":        "openapi: '2.0'\npaths: {}\n",
		"swagger 1.2":      "swagger: '1.2'\npaths: {}\n",
		"bad x-gss":        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      x-gss-codes: [GSS-VSP-998]\n      responses: {'200': {description: ok}}\n",
		"x-gss not seq":    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      x-gss-codes: GSS-VSP-005\n      responses: {'200': {description: ok}}\n",
		"responses string": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: nope\n",
		"components list":  "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents: [a]\npaths: {}\n",
		"duplicate key":    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\npaths: {}\n",
		"duplicate JSON":   `{"openapi": "3.0.3", "paths": {}, "paths": {}}`,
	} {
		if _, err := openapi.Inject([]byte(in), openapi.Options{}); err == nil {
			t.Errorf("%s: Inject accepted it", name)
		}
	}
}

func TestInjectIntoEmptyDocument(t *testing.T) {
	out := inject(t, []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"), openapi.Options{})
	doc := load3(t, out)
	if doc.Components.Schemas[openapi.ErrorSchemaName] == nil {
		t.Errorf("schema %s missing", openapi.ErrorSchemaName)
	}
}

func TestInjectScope(t *testing.T) {
	spec := []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /clusters/{id}:
    post:
      operationId: ClusterService_Upgrade
      responses: {"202": {description: ok}}
    put:
      operationId: ClusterService_Replace
      x-gss-codes: [GSS-TKG-142]
      responses: {"200": {description: ok}}
`)
	codesOf := func(out []byte, method string) []string {
		t.Helper()
		var got []string
		op := value(t, out)["paths"].(map[string]any)["/clusters/{id}"].(map[string]any)[method].(map[string]any)
		for _, r := range op["responses"].(map[string]any) {
			got = append(got, toStrings(r.(map[string]any)["x-gss-codes"])...)
		}
		slices.Sort(got)
		return got
	}
	def := openapi.DefaultScope(nil, "post", "/clusters/{id}")
	var want []string
	for _, c := range def {
		want = append(want, string(c))
	}
	slices.Sort(want)
	if got := codesOf(inject(t, spec, openapi.Options{}), "post"); !slices.Equal(got, want) {
		t.Errorf("default scope = %v, want %v", got, want)
	}
	// A codes file entry replaces the default; x-gss-codes beats both.
	o := openapi.Options{OperationCodes: map[string][]codes.Code{
		"ClusterService_Upgrade": {"GSS-TKG-105", "GSS-VSP-023"},
		"ClusterService_Replace": {"GSS-VSP-005"},
	}}
	out := inject(t, spec, o)
	if got := codesOf(out, "post"); !slices.Equal(got, []string{"GSS-TKG-105", "GSS-VSP-023"}) {
		t.Errorf("codes file scope = %v", got)
	}
	if got := codesOf(out, "put"); !slices.Equal(got, []string{"GSS-TKG-142"}) {
		t.Errorf("x-gss-codes scope = %v", got)
	}
	// The domain filter applies to every source.
	o.Domains = []codes.Domain{codes.TKG}
	if got := codesOf(inject(t, spec, o), "post"); !slices.Equal(got, []string{"GSS-TKG-105"}) {
		t.Errorf("codes file scope in domain TKG = %v", got)
	}
	if got := codesOf(inject(t, spec, openapi.Options{AllCodes: true, Domains: []codes.Domain{codes.NSX}}), "post"); !slices.Equal(got, []string{"GSS-NSX-087"}) {
		t.Errorf("all codes in domain NSX = %v", got)
	}
	all := codesOf(inject(t, spec, openapi.Options{AllCodes: true}), "post")
	if len(all) != registry.Default().Len() {
		t.Errorf("AllCodes gave %d codes, want %d", len(all), registry.Default().Len())
	}
	// An unknown code in the codes file is an error naming the operation.
	_, err := openapi.Inject(spec, openapi.Options{OperationCodes: map[string][]codes.Code{"ClusterService_Upgrade": {"GSS-VSP-998"}}})
	if err == nil || !strings.Contains(err.Error(), "ClusterService_Upgrade") || !strings.Contains(err.Error(), "GSS-VSP-998") {
		t.Errorf("unknown code in the codes file: %v", err)
	}
}

func TestDefaultScope(t *testing.T) {
	has := func(cs []codes.Code, c codes.Code) bool { return slices.Contains(cs, c) }
	get := openapi.DefaultScope(nil, "get", "/vms")
	getID := openapi.DefaultScope(nil, "get", "/vms/{id}")
	post := openapi.DefaultScope(nil, "post", "/vms")
	del := openapi.DefaultScope(nil, "delete", "/vms/{id}")
	for _, tc := range []struct {
		name string
		got  bool
		want bool
	}{
		{"GET has NotAuthenticated", has(get, codes.NotAuthenticated), true},
		{"GET has NoPermission", has(get, codes.NoPermission), true},
		{"GET has ServiceUnavailable", has(get, codes.ServiceUnavailable), true},
		{"GET has SystemError", has(get, codes.SystemError), true},
		{"GET has no NotFound", has(get, codes.NotFound), false},
		{"GET has no InvalidArgument", has(get, codes.InvalidArgument), false},
		{"GET has no TKG code", has(get, "GSS-TKG-142"), false},
		{"GET /{id} has ManagedObjectNotFound", has(getID, codes.ManagedObjectNotFound), true},
		{"GET /{id} has no InvalidPowerState", has(getID, codes.InvalidPowerState), false},
		{"POST has InvalidArgument", has(post, codes.InvalidArgument), true},
		{"POST has TaskInProgress", has(post, codes.TaskInProgress), true},
		{"POST has DuplicateName", has(post, codes.DuplicateName), true},
		{"DELETE has no DuplicateName", has(del, codes.DuplicateName), false},
		{"DELETE /{id} has NotFound", has(del, codes.NotFound), true},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if n := len(getID); n >= registry.Default().Len()/2 {
		t.Errorf("the default scope of a GET holds %d codes: not narrow", n)
	}
}

// TestInjectTargetSwitches: feature switches change statuses only when
// set.
func TestInjectTargetSwitches(t *testing.T) {
	spec := []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      x-gss-codes: [GSS-VSP-026, GSS-VSP-004]\n      responses: {'200': {description: ok}}\n")
	for _, tc := range []struct {
		target httpmap.Target
		want   []string
	}{
		{httpmap.Target{Version: release.V803}, []string{"200", "403", "429"}},                        // QuotaExceeded reported as InsufficientResourcesFault
		{httpmap.Target{Version: release.V803, NamespaceQuotas: true}, []string{"200", "403", "422"}}, // its own 422
		{httpmap.Target{Version: release.V800}, []string{"200", "401", "429"}},                        // NoPermission 401 without RBACv2
		{httpmap.Target{Version: release.V800, RBACv2: true}, []string{"200", "403", "429"}},
	} {
		if got := statuses(t, inject(t, spec, openapi.Options{Target: tc.target}), "/a", "post"); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: statuses %v, want %v", tc.target, got, tc.want)
		}
	}
}

func TestInjectProblem(t *testing.T) {
	out := inject(t, inventory(t), openapi.Options{Target: v803, Problem: true})
	doc := load3(t, out)
	if doc.Components.Schemas["GssfaultProblem"] == nil {
		t.Fatal("no GssfaultProblem schema")
	}
	r := doc.Paths.Find("/vms").Post.Responses.Status(409).Value
	p := r.Content.Get("application/problem+json")
	if p == nil || p.Schema.Ref != "#/components/schemas/GssfaultProblem" || len(p.Examples) == 0 {
		t.Fatalf("409 has no problem+json content referencing GssfaultProblem: %v", keys(r.Content))
	}
	if r.Content.Get("application/json") == nil {
		t.Error("application/json content is gone")
	}
	ex := doc.Components.Examples["GSS-VSP-014-problem"].Value.Value.(map[string]any)
	if ex["status"] != float64(409) || ex["code"] != "GSS-VSP-014" || ex["grpcCode"] != "ABORTED" || ex["retryable"] != true || ex["retryDelay"] != "5s" {
		t.Errorf("problem example = %v", ex)
	}
	validateExamples(t, out)
	if _, err := openapi.Inject(readFile(t, "grpc-gateway/echo_service.swagger.json"), openapi.Options{Problem: true}); err == nil {
		t.Error("Problem on a Swagger 2.0 document was accepted")
	}
}

func TestComponentsParse(t *testing.T) {
	for _, f := range []openapi.Format{openapi.OpenAPI3, openapi.Swagger2} {
		c := openapi.Components(f)
		if len(c.Content) != 16 || c.Content[0].Value != openapi.ErrorSchemaName {
			t.Errorf("%v: Components has %d nodes, first %q", f, len(c.Content), c.Content[0].Value)
		}
	}
}

// TestProblemBodiesMatchTheSchema: the problem details httpmap writes
// validate against the GssfaultProblem schema Inject publishes (kin-openapi),
// for a fault made here and for each third-party status relayed, which
// carries no GSS code.
func TestProblemBodiesMatchTheSchema(t *testing.T) {
	doc := load3(t, inject(t, inventory(t), openapi.Options{Target: v803, Problem: true}))
	schema := doc.Components.Schemas["GssfaultProblem"].Value
	req := httptest.NewRequest(http.MethodGet, "/vms/vm-42", nil)
	req.Header.Set("Accept", "application/problem+json")
	errs := map[string]error{"made here": faults.New(codes.TaskInProgress, "vm-42 is busy").WithRequestID("req-1")}
	for name, pb := range testenv.Statuses(t) {
		errs[name] = status.FromProto(pb).Err()
	}
	for name, err := range errs {
		a := httpmap.Render(req, err, httpmap.WithTarget(v803))
		var body any
		if err := json.Unmarshal(a.Body, &body); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := schema.VisitJSON(body); err != nil {
			t.Errorf("%s: the body does not match GssfaultProblem: %v\n%s", name, err, a.Body)
		}
	}
}
