package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	gssfaultv1 "github.com/gssfault/gssfault/proto/gssfault/v1"
)

// declareAll compiles files (paths below testdata/grpc-gateway) with
// protoc and returns the request protoc would send for them with
// parameter, every method of files declaring codes. grpc-gateway's example
// protos do not import gssfault's option; this adds it as if they did.
func declareAll(t *testing.T, parameter string, codes []string, files ...string) *pluginpb.CodeGeneratorRequest {
	t.Helper()
	declare := func(f *descriptorpb.FileDescriptorProto) {
		for _, s := range f.GetService() {
			for _, m := range s.GetMethod() {
				if m.Options == nil {
					m.Options = &descriptorpb.MethodOptions{}
				}
				proto.SetExtension(m.Options, gssfaultv1.E_Faults, &gssfaultv1.MethodFaults{Codes: codes})
			}
		}
	}
	return request(t, ".", includes(t, googleapis, grpcGateway), parameter, declare, files...)
}

// TestThirdPartyOperationIDs runs the plugin on grpc-gateway's own example
// services, every method declaring codes, and holds the codes file's
// operationIds to those of the Swagger files grpc-gateway generated from
// the same protos and committed (testdata/README.md): additional bindings
// (echo_service: Echo to Echo7), streaming methods (flow_combination),
// unbound methods, and a merge of three services sharing method names.
func TestThirdPartyOperationIDs(t *testing.T) {
	const dir = "examples/internal/proto/examplepb/"
	codes := []string{"GSS-VSP-021", "GSS-VSP-009"}
	for _, tt := range []struct {
		name, parameter string
		files           []string
		codesFile       string // the codes file the plugin writes
		swagger         string // grpc-gateway's Swagger file, below testdata/grpc-gateway
	}{
		{"echo_service", "", []string{dir + "echo_service.proto"}, dir + "echo_service.gssfault.json", dir + "echo_service.swagger.json"},
		{"flow_combination", "", []string{dir + "flow_combination.proto"}, dir + "flow_combination.gssfault.json", dir + "flow_combination.swagger.json"},
		{"generate_unbound_methods", "generate_unbound_methods=true", []string{dir + "generate_unbound_methods.proto"}, dir + "generate_unbound_methods.gssfault.json", dir + "generate_unbound_methods.swagger.json"},
		{"openapi_merge", "allow_merge=true,merge_file_name=" + dir + "openapi_merge", []string{dir + "openapi_merge_a.proto", dir + "openapi_merge_b.proto"}, dir + "openapi_merge.gssfault.json", dir + "openapi_merge.swagger.json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := respond(declareAll(t, tt.parameter, codes, tt.files...))
			if resp.Error != nil {
				t.Fatalf("plugin error: %s", resp.GetError())
			}
			content, ok := files(resp)[tt.codesFile]
			if !ok {
				t.Fatalf("no %s among the plugin's files %v", tt.codesFile, files(resp))
			}
			path := filepath.Join(t.TempDir(), "codes.json")
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			got := readCodesFile(t, path)
			want := swaggerOperationIDs(t, filepath.Join(grpcGateway, tt.swagger))
			if diff := cmp.Diff(want, operationIDs(got)); diff != "" {
				t.Errorf("operationIds of the codes file (+) against grpc-gateway's %s (-):\n%s", tt.swagger, diff)
			}
			for _, m := range got.Methods {
				got := make([]string, len(m.Codes))
				for i, c := range m.Codes {
					got[i] = string(c)
				}
				if !slices.Equal(got, codes) {
					t.Errorf("%s (%s): codes %v, want %v", m.OperationID, m.Method, m.Codes, codes)
				}
				if !strings.HasPrefix(m.Method, "/grpc.gateway.examples.internal.") {
					t.Errorf("%s: method %q is not a gRPC full method name of the examples", m.OperationID, m.Method)
				}
			}
		})
	}
}

// TestThirdPartySimpleOperationIDs: grpc-gateway's openapi_merge services
// ServiceA, ServiceB and ServiceC all have MethodOne and MethodTwo; with
// simple_operation_ids their operations share names, which the plugin
// refuses to write.
func TestThirdPartySimpleOperationIDs(t *testing.T) {
	const dir = "examples/internal/proto/examplepb/"
	req := declareAll(t, "allow_merge=true,simple_operation_ids=true", []string{"GSS-VSP-001"},
		dir+"openapi_merge_a.proto", dir+"openapi_merge_b.proto")
	resp := respond(req)
	if resp.Error == nil {
		t.Fatalf("no error; files %v", files(resp))
	}
	for _, w := range []string{`apidocs.gssfault.json: operationId "MethodOne"`, "ServiceA/MethodOne", "ServiceC/MethodOne"} {
		if !strings.Contains(resp.GetError(), w) {
			t.Errorf("error lacks %q: %s", w, resp.GetError())
		}
	}
}
