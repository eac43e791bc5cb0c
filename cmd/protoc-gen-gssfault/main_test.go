package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gssfault/gssfault/internal/protoctest"
)

// asPlugin, set in protoc's environment, makes this test binary run as the
// plugin itself, so protoc runs the code under test (with the race detector
// when the tests have it) and no separate build is needed.
const asPlugin = "PROTOC_GEN_GSSFAULT_TEST_AS_PLUGIN"

// tc is the toolchain of this test binary: protoc, this binary as
// protoc-gen-gssfault, and protoc-gen-go and protoc-gen-openapiv2, each
// built once, the first time a test needs it.
var tc = protoctest.New(
	protoctest.Plugin{Name: "protoc-gen-gssfault", Exec: self(), Env: []string{asPlugin + "=1"}},
	protoctest.Plugin{Name: "protoc-gen-go", Pkg: "google.golang.org/protobuf/cmd/protoc-gen-go"},
	protoctest.Plugin{Name: "protoc-gen-openapiv2", ModDir: "tools", Pkg: "github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2"},
)

func self() string {
	exe, err := os.Executable()
	if err != nil {
		return os.Args[0]
	}
	return exe
}

func TestMain(m *testing.M) {
	if os.Getenv(asPlugin) == "1" {
		main()
		os.Exit(0)
	}
	code := m.Run()
	tc.Close()
	os.Exit(code)
}

// Include directories, relative to this package.
var (
	protoRoot    = filepath.Join("..", "..", "proto")        // gssfault/v1/options.proto
	googleapis   = filepath.Join("testdata", "googleapis")   // google/api/{annotations,http}.proto
	grpcGateway  = filepath.Join("testdata", "grpc-gateway") // protoc-gen-openapiv2/options, examples
	exampleRoot  = "internal"                                // examplepb/vm.proto
	testdataRoot = "testdata"                                // override/override.proto
)

// includes returns protoc's -I flags for dirs, as absolute paths so protoc
// can run in any directory.
func includes(t *testing.T, dirs ...string) []string {
	t.Helper()
	var args []string
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "-I", abs)
	}
	return args
}

// request compiles files with protoc, in dir with the include flags incl,
// and returns the CodeGeneratorRequest protoc sends a plugin for them with
// parameter: the files and all they import, with source information, after
// a round trip through the wire format. edit, when not nil, may change
// each descriptor of files first. Tests that need no more of protoc than
// this run the plugin in process with respond, which is faster than having
// protoc start it (especially with the race detector).
func request(t *testing.T, dir string, incl []string, parameter string, edit func(*descriptorpb.FileDescriptorProto), files ...string) *pluginpb.CodeGeneratorRequest {
	t.Helper()
	set := filepath.Join(t.TempDir(), "set.pb")
	args := append(slices.Clone(incl), "--include_imports", "--include_source_info", "--descriptor_set_out="+set)
	tc.MustRun(t, dir, nil, append(args, files...)...)
	var fds descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(readFile(t, set), &fds); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		for _, f := range fds.GetFile() {
			if slices.Contains(files, f.GetName()) {
				edit(f)
			}
		}
	}
	wire, err := proto.Marshal(&pluginpb.CodeGeneratorRequest{
		FileToGenerate: files,
		Parameter:      proto.String(parameter),
		ProtoFile:      fds.GetFile(),
	})
	if err != nil {
		t.Fatal(err)
	}
	req := &pluginpb.CodeGeneratorRequest{}
	if err := proto.Unmarshal(wire, req); err != nil {
		t.Fatal(err)
	}
	return req
}

// files returns the files of a response by name.
func files(resp *pluginpb.CodeGeneratorResponse) map[string]string {
	out := map[string]string{}
	for _, f := range resp.GetFile() {
		out[f.GetName()] = f.GetContent()
	}
	return out
}

// readFile returns the content of a file the test expects to exist.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
