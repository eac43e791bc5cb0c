package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gssfault/gssfault/cmd/protoc-gen-gssfault/internal/codesfile"
	"github.com/gssfault/gssfault/httpmap/openapi"
	"github.com/gssfault/gssfault/internal/protoctest"
)

// TestExampleIsCurrent regenerates internal/examplepb as `make proto` does
// and fails when the committed Go files differ. vm.proto has a proto3
// optional field, which protoc 3.21 refuses to hand to a plugin that does
// not declare support for it.
func TestExampleIsCurrent(t *testing.T) {
	out := t.TempDir()
	args := includes(t, protoRoot, googleapis, exampleRoot)
	args = append(args,
		"--go_out="+out, "--go_opt=paths=source_relative",
		"--gssfault_out="+out, "--gssfault_opt=paths=source_relative",
		"examplepb/vm.proto")
	tc.MustRun(t, ".", []string{"protoc-gen-go", "protoc-gen-gssfault"}, args...)
	for _, name := range []string{"vm.pb.go", "vm_gssfault.pb.go"} {
		got := readFile(t, filepath.Join(out, "examplepb", name))
		want := readFile(t, filepath.Join("internal", "examplepb", name))
		if !protoctest.SameGenerated(got, want) {
			t.Errorf("internal/examplepb/%s is stale: run make proto\n%s", name, cmp.Diff(string(want), string(got)))
		}
	}
}

// TestCodesFile holds the codes files of the fixtures to the documented
// format, byte for byte: vm.proto's to testdata/vm.gssfault.json, written
// by hand from protoc-gen-openapiv2's naming rules, and override.proto's to
// the list below.
func TestCodesFile(t *testing.T) {
	out := t.TempDir()
	args := includes(t, protoRoot, googleapis, grpcGateway, exampleRoot, testdataRoot)
	args = append(args, "--gssfault_out="+out, "examplepb/vm.proto", "override/override.proto")
	tc.MustRun(t, ".", []string{"protoc-gen-gssfault"}, args...)

	got := readFile(t, filepath.Join(out, "examplepb", "vm.gssfault.json"))
	want := readFile(t, filepath.Join("testdata", "vm.gssfault.json"))
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("examplepb/vm.gssfault.json (-want +got):\n%s", diff)
	}

	// Delete's two bindings both carry operation_id "DestroyVM": one entry.
	// Snapshot's openapiv2_operation option sets no operation_id: the
	// usual names.
	wantOverride := `{
  "gssfault": "v1",
  "methods": [
    {"method": "/gssfault.override.v1.Inventory/Delete", "operationId": "DestroyVM", "codes": ["GSS-VSP-013", "GSS-VSP-011"]},
    {"method": "/gssfault.override.v1.Inventory/Snapshot", "operationId": "Inventory_Snapshot", "codes": ["GSS-VSP-028"]},
    {"method": "/gssfault.override.v1.Inventory/Snapshot", "operationId": "Inventory_Snapshot2", "codes": ["GSS-VSP-028"]}
  ]
}
`
	got = readFile(t, filepath.Join(out, "override", "override.gssfault.json"))
	if diff := cmp.Diff(wantOverride, string(got)); diff != "" {
		t.Errorf("override/override.gssfault.json (-want +got):\n%s", diff)
	}
}

// readCodesFile reads a generated codes file with the reader gssctl
// openapi inject uses, which checks its version, codes and operationIds.
func readCodesFile(t *testing.T, path string) openapi.CodesFile {
	t.Helper()
	f, err := openapi.ReadCodesFile(bytes.NewReader(readFile(t, path)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

// operationIDs returns the operationIds of a codes file, sorted.
func operationIDs(f openapi.CodesFile) []string {
	var ids []string
	for _, m := range f.Methods {
		ids = append(ids, m.OperationID)
	}
	slices.Sort(ids)
	return ids
}

// TestCodesFileVersion: the plugin writes the version the reader reads.
func TestCodesFileVersion(t *testing.T) {
	if codesfile.Version != openapi.CodesFileVersion {
		t.Errorf("the plugin writes %q, openapi reads %q", codesfile.Version, openapi.CodesFileVersion)
	}
}

// swaggerOperationIDs returns the distinct operationIds of a Swagger 2.0
// document's operations, sorted.
func swaggerOperationIDs(t *testing.T, path string) []string {
	t.Helper()
	var doc struct {
		Swagger string                                `json:"swagger"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(readFile(t, path), &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if doc.Swagger != "2.0" {
		t.Fatalf("%s: swagger = %q, want 2.0", path, doc.Swagger)
	}
	var ids []string
	for _, item := range doc.Paths {
		for method, raw := range item {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch":
			default:
				continue // parameters, $ref, extensions
			}
			var op struct {
				OperationID string `json:"operationId"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if !slices.Contains(ids, op.OperationID) {
				ids = append(ids, op.OperationID)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// TestOpenAPIv2EndToEnd runs protoc with protoc-gen-openapiv2 (grpc-gateway
// v2.33.0, from tools/go.mod) and protoc-gen-gssfault on the fixtures, with
// the parameters the two plugins share, and checks that every operation of
// the Swagger file has exactly one codes entry, except the operations of
// methods that declare nothing.
func TestOpenAPIv2EndToEnd(t *testing.T) {
	// Ping has an operation but declares no codes; Migrate declares codes
	// but has no HTTP binding, unless generate_unbound_methods gives it one.
	undeclared := []string{"VMService_Ping"}
	for _, tt := range []struct {
		name       string
		opt        string
		files      []string // codes and Swagger files, without extension, that pair up
		undeclared []string
	}{
		{"per file", "", []string{"examplepb/vm", "override/override"}, undeclared},
		{"merged", "allow_merge=true,merge_file_name=api", []string{"api"}, undeclared},
		{"unbound methods", "generate_unbound_methods=true", []string{"examplepb/vm", "override/override"}, undeclared},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			args := includes(t, protoRoot, googleapis, grpcGateway, exampleRoot, testdataRoot)
			args = append(args,
				"--openapiv2_out="+out, "--gssfault_out="+out,
				"--openapiv2_opt="+tt.opt, "--gssfault_opt="+tt.opt,
				"examplepb/vm.proto", "override/override.proto")
			tc.MustRun(t, ".", []string{"protoc-gen-openapiv2", "protoc-gen-gssfault"}, args...)
			var all []string
			for _, base := range tt.files {
				codes := readCodesFile(t, filepath.Join(out, base+".gssfault.json"))
				swagger := swaggerOperationIDs(t, filepath.Join(out, base+".swagger.json"))
				want := slices.DeleteFunc(slices.Clone(swagger), func(id string) bool { return slices.Contains(tt.undeclared, id) })
				if diff := cmp.Diff(want, operationIDs(codes)); diff != "" {
					t.Errorf("%s: operationIds of the codes file (+) against those of the Swagger file (-), without %v:\n%s", base, tt.undeclared, diff)
				}
				all = append(all, operationIDs(codes)...)
			}
			// Migrate's operation exists only with generate_unbound_methods.
			if got, want := slices.Contains(all, "VMService_Migrate"), strings.Contains(tt.opt, "generate_unbound_methods"); got != want {
				t.Errorf("VMService_Migrate in the codes files = %v, want %v", got, want)
			}
		})
	}
}

// TestInjectIntoSwagger runs the whole pipeline the README shows: protoc
// with protoc-gen-openapiv2 and protoc-gen-gssfault on vm.proto, then the
// codes file read by openapi.ReadCodesFile and injected into the Swagger
// file (what gssctl openapi inject SPEC --codes FILE does). The result must
// pass the Swagger 2.0 validator, give each declared operation responses
// for exactly its declared codes, and leave the rest as protoc wrote it.
func TestInjectIntoSwagger(t *testing.T) {
	out := t.TempDir()
	args := includes(t, protoRoot, googleapis, grpcGateway, exampleRoot, testdataRoot)
	args = append(args, "--openapiv2_out="+out, "--gssfault_out="+out, "examplepb/vm.proto")
	tc.MustRun(t, ".", []string{"protoc-gen-openapiv2", "protoc-gen-gssfault"}, args...)
	spec := readFile(t, filepath.Join(out, "examplepb", "vm.swagger.json"))
	f, err := os.Open(filepath.Join(out, "examplepb", "vm.gssfault.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cf, err := openapi.ReadCodesFile(f)
	if err != nil {
		t.Fatalf("the reader refuses the plugin's codes file: %v", err)
	}
	typed, err := openapi.Inject(spec, openapi.Options{OperationCodes: cf.ByOperationID()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := openapi.Check(typed)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Valid {
		t.Fatalf("the injected Swagger file is invalid: %q", r.Errors)
	}

	before, after := swaggerResponses(t, spec), swaggerResponses(t, typed)
	// The statuses are the catalog's (registry/catalog.yaml, newest
	// release): InvalidPowerState 409 (its http_status: a state conflict),
	// TaskInProgress ABORTED 409, ManagedObjectNotFound NOT_FOUND 404,
	// NoPermission PERMISSION_DENIED 403.
	for op, want := range map[string]map[string][]string{
		"VMService_PowerOn": {"409": {"GSS-VSP-012", "GSS-VSP-014"}},
		"VMService_Get":     {"404": {"GSS-VSP-006"}, "403": {"GSS-VSP-004"}},
		"VMService_Get2":    {"404": {"GSS-VSP-006"}, "403": {"GSS-VSP-004"}},
		"VMService_Rename":  {},
	} {
		got := map[string][]string{}
		for status, resp := range after[op] {
			var x struct {
				Codes  []string `json:"x-gss-codes"`
				Schema struct {
					Ref string `json:"$ref"`
				} `json:"schema"`
			}
			if err := json.Unmarshal(resp, &x); err != nil {
				t.Fatal(err)
			}
			if len(x.Codes) == 0 {
				continue
			}
			got[status] = x.Codes
			if !strings.HasPrefix(x.Schema.Ref, "#/definitions/Gssfault") {
				t.Errorf("%s %s: schema %q, want gssfault's error schema", op, status, x.Schema.Ref)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: typed responses by status (-want +got):\n%s", op, diff)
		}
		if !bytes.Equal(after[op]["default"], before[op]["default"]) {
			t.Errorf("%s: protoc-gen-openapiv2's default response changed:\n%s\nwas\n%s", op, after[op]["default"], before[op]["default"])
		}
	}
	// Ping declares nothing, so it gets the default scope (401 for an
	// expired session, among others) and keeps what protoc wrote.
	for status, resp := range before["VMService_Ping"] {
		if !bytes.Equal(after["VMService_Ping"][status], resp) {
			t.Errorf("VMService_Ping %s changed:\n%s\nwas\n%s", status, after["VMService_Ping"][status], resp)
		}
	}
	if !bytes.Contains(after["VMService_Ping"]["401"], []byte(`"x-gss-codes":["GSS-VSP-002","GSS-VSP-003"]`)) {
		t.Errorf("VMService_Ping has no default-scope 401: %s", after["VMService_Ping"]["401"])
	}
}

// swaggerResponses returns each operation's responses by operationId and
// status, as compact JSON.
func swaggerResponses(t *testing.T, doc []byte) map[string]map[string]json.RawMessage {
	t.Helper()
	var d struct {
		Paths map[string]map[string]struct {
			OperationID string                     `json:"operationId"`
			Responses   map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]json.RawMessage{}
	for _, item := range d.Paths {
		for _, op := range item {
			if op.OperationID == "" {
				continue
			}
			rs := map[string]json.RawMessage{}
			for status, r := range op.Responses {
				var b bytes.Buffer
				if err := json.Compact(&b, r); err != nil {
					t.Fatal(err)
				}
				rs[status] = b.Bytes()
			}
			out[op.OperationID] = rs
		}
	}
	return out
}

// writeProto writes a .proto file named name with body into a new
// directory and returns the directory.
func writeProto(t *testing.T, name, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// badProto is a .proto whose methods declare the codes given, one method
// per argument: method Do0 declares codes[0] (a list's inside, such as
// `"GSS-VSP-012", "GSS-VSP-014"`), Do1 codes[1], ...
func badProto(codes ...string) string {
	var b strings.Builder
	b.WriteString(`syntax = "proto3";
package bad.v1;
import "gssfault/v1/options.proto";
option go_package = "example.com/bad/v1;badv1";
message M {}
service S {
`)
	for i, c := range codes {
		fmt.Fprintf(&b, "  rpc Do%d(M) returns (M) {\n    option (gssfault.v1.faults) = {codes: [%s]};\n  }\n", i, c)
	}
	b.WriteString("}\n")
	return b.String()
}

// optionLine returns the 1-based line of the n-th (0-based) option
// statement of a badProto.
func optionLine(src string, n int) int {
	for i, line := range strings.Split(src, "\n") {
		if strings.Contains(line, "option (gssfault.v1.faults)") {
			if n == 0 {
				return i + 1
			}
			n--
		}
	}
	return -1
}

// TestBadCodes: a code that is malformed, unknown to the catalog or listed
// twice fails generation, with an error naming the file and line, the
// method and the code.
func TestBadCodes(t *testing.T) {
	for _, tt := range []struct {
		name  string
		codes string
		want  []string // in the error, after "bad.proto:<line>:<col>: method bad.v1.S.Do0: (gssfault.v1.faults) "
	}{
		{"short number", `"GSS-VSP-12"`, []string{`code "GSS-VSP-12" is not a GSS code (GSS-<DOMAIN>-<NNN>): number`, "did you mean GSS-VSP-012 (InvalidPowerState)?"}},
		{"lower case", `"gss-vsp-012"`, []string{`code "gss-vsp-012" is not a GSS code`, "prefix", "did you mean GSS-VSP-012 (InvalidPowerState)?"}},
		{"empty", `""`, []string{`code "" is not a GSS code`}},
		{"space", `" GSS-VSP-012"`, []string{`code " GSS-VSP-012" is not a GSS code`, "white space"}},
		{"not in the catalog", `"GSS-VSP-777"`, []string{`code "GSS-VSP-777" is not in the catalog`, "did you mean"}},
		{"unknown domain", `"GSS-ABC-012"`, []string{`code "GSS-ABC-012" is not in the catalog`}},
		{"twice", `"GSS-VSP-012", "GSS-VSP-014", "GSS-VSP-012"`, []string{`code "GSS-VSP-012" is listed twice`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := badProto(tt.codes)
			dir := writeProto(t, "bad.proto", src)
			stderr := respond(request(t, dir, includes(t, protoRoot, dir), "", nil, "bad.proto")).GetError()
			if stderr == "" {
				t.Fatalf("no error with codes [%s]", tt.codes)
			}
			prefix := fmt.Sprintf("bad.proto:%d:", optionLine(src, 0))
			if !strings.Contains(stderr, prefix) || !strings.Contains(stderr, "method bad.v1.S.Do0: (gssfault.v1.faults) ") {
				t.Errorf("error does not name %s and method bad.v1.S.Do0:\n%s", prefix, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("error lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestBadCodesAllReported: every bad code of a run is reported, up to a
// bound, so one run of protoc shows every mistake. This test goes through
// protoc, to see the errors as its user does.
func TestBadCodesAllReported(t *testing.T) {
	src := badProto(`"GSS-VSP-777"`, `"GSS-VSP-012"`, `"GSS-VSP-12", "GSS-VSP-778"`)
	dir := writeProto(t, "bad.proto", src)
	args := append(includes(t, protoRoot, dir), "--gssfault_out="+t.TempDir(), "bad.proto")
	stderr, err := tc.Run(t, dir, []string{"protoc-gen-gssfault"}, args...)
	if err == nil {
		t.Fatal("protoc succeeded; want an error")
	}
	for _, w := range []string{
		fmt.Sprintf("bad.proto:%d:5: method bad.v1.S.Do0: (gssfault.v1.faults) code \"GSS-VSP-777\"", optionLine(src, 0)),
		fmt.Sprintf("bad.proto:%d:5: method bad.v1.S.Do2: (gssfault.v1.faults) code \"GSS-VSP-12\"", optionLine(src, 2)),
		fmt.Sprintf("bad.proto:%d:5: method bad.v1.S.Do2: (gssfault.v1.faults) code \"GSS-VSP-778\"", optionLine(src, 2)),
	} {
		if !strings.Contains(stderr, w) {
			t.Errorf("error lacks %q:\n%s", w, stderr)
		}
	}
	if strings.Contains(stderr, "Do1") {
		t.Errorf("error names Do1, whose code is good:\n%s", stderr)
	}

	var many []string
	for i := range maxReported + 5 {
		many = append(many, fmt.Sprintf(`"GSS-XYZ-%03d"`, i))
	}
	dir = writeProto(t, "bad.proto", badProto(strings.Join(many, ", ")))
	args = append(includes(t, protoRoot, dir), "--gssfault_out="+t.TempDir(), "bad.proto")
	stderr, err = tc.Run(t, dir, []string{"protoc-gen-gssfault"}, args...)
	if err == nil {
		t.Fatal("protoc succeeded; want an error")
	}
	if n := strings.Count(stderr, "is not in the catalog"); n != maxReported {
		t.Errorf("error reports %d codes, want %d:\n%s", n, maxReported, stderr)
	}
	if !strings.Contains(stderr, "and 5 more") {
		t.Errorf("error does not say how many it left out:\n%s", stderr)
	}
}

// TestCatalogParameter: catalog=FILE replaces the built-in catalog.
func TestCatalogParameter(t *testing.T) {
	catalog, err := filepath.Abs(filepath.Join("testdata", "catalog.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := badProto(`"GSS-APP-001", "GSS-VSP-012"`)
	dir := writeProto(t, "app.proto", src)
	for _, tt := range []struct {
		name, opt string
		wantErr   []string // "" for success
	}{
		{"custom catalog", "catalog=" + catalog, nil},
		{"built-in catalog", "", []string{`code "GSS-APP-001" is not in the catalog`}},
		{"missing file", "catalog=" + filepath.Join(dir, "nope.yaml"), []string{"parameter catalog", "nope.yaml", "no such file"}},
		{"not a catalog", "catalog=" + filepath.Join(dir, "app.proto"), []string{"parameter catalog=", "app.proto", "registry:"}},
		{"empty", "catalog=", []string{"want catalog=FILE"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := respond(request(t, dir, includes(t, protoRoot, dir), tt.opt, nil, "app.proto"))
			if tt.wantErr == nil {
				if resp.Error != nil {
					t.Fatalf("plugin error: %s", resp.GetError())
				}
				out := files(resp)
				// Do0 has no HTTP binding, so no operation: the Go file
				// carries the codes.
				if got, want := out["app.gssfault.json"], "{\n  \"gssfault\": \"v1\",\n  \"methods\": []\n}\n"; got != want {
					t.Errorf("codes file = %q, want %q", got, want)
				}
				goFile := out["example.com/bad/v1/app_gssfault.pb.go"]
				for _, w := range []string{`"GSS-APP-001", // OrderRejected`, `"GSS-VSP-012", // InvalidPowerState`} {
					if !strings.Contains(goFile, w) {
						t.Errorf("Go file lacks %q:\n%s", w, goFile)
					}
				}
				return
			}
			if resp.Error == nil {
				t.Fatalf("no error with %q", tt.opt)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(resp.GetError(), w) {
					t.Errorf("error lacks %q: %s", w, resp.GetError())
				}
			}
		})
	}
}

// TestParameters: parameters are checked; a misspelt one is an error, not
// ignored.
func TestParameters(t *testing.T) {
	dir := writeProto(t, "p.proto", badProto(`"GSS-VSP-012"`))
	for _, tt := range []struct{ opt, want string }{
		{"simple_operation_id=true", `unknown parameter "simple_operation_id"`},
		{"allow_merge=yes", `parameter allow_merge="yes": want true or false`},
		{"merge_file_name=", "want merge_file_name=NAME"},
	} {
		resp := respond(request(t, dir, includes(t, protoRoot, dir), tt.opt, nil, "p.proto"))
		if !strings.Contains(resp.GetError(), tt.want) {
			t.Errorf("--gssfault_opt=%s: error %q, want one containing %q", tt.opt, resp.GetError(), tt.want)
		}
	}
}

// TestSharedOperationID: under simple_operation_ids, VMService.Get and
// HostService.Get are both "Get" in the Swagger file, so the codes file
// cannot say whose codes an operation has; generation fails, naming both.
func TestSharedOperationID(t *testing.T) {
	resp := respond(request(t, ".", includes(t, protoRoot, googleapis, exampleRoot), "simple_operation_ids", nil, "examplepb/vm.proto"))
	stderr := resp.GetError()
	if stderr == "" {
		t.Fatalf("no error; files %v", files(resp))
	}
	for _, w := range []string{`operationId "Get"`, "/gssfault.example.v1.VMService/Get", "/gssfault.example.v1.HostService/Get", "examplepb/vm.gssfault.json"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("error lacks %q:\n%s", w, stderr)
		}
	}
}

// TestNothingDeclared: a file without declarations gets no output at all.
func TestNothingDeclared(t *testing.T) {
	dir := writeProto(t, "plain.proto", `syntax = "proto3";
package plain.v1;
option go_package = "example.com/plain/v1;plainv1";
message M {}
service S { rpc Do(M) returns (M); }
`)
	resp := respond(request(t, dir, []string{"-I", "."}, "", nil, "plain.proto"))
	if resp.Error != nil || len(resp.File) != 0 {
		t.Errorf("error %q, files %v; want neither", resp.GetError(), files(resp))
	}
}
