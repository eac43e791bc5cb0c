package gssfaultv1_test

import (
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/gssfault/gssfault/internal/protoctest"
	gssfaultv1 "github.com/gssfault/gssfault/proto/gssfault/v1"
)

// tc builds protoc-gen-go from go.mod's google.golang.org/protobuf, once.
var tc = protoctest.New(protoctest.Plugin{
	Name: "protoc-gen-go",
	Pkg:  "google.golang.org/protobuf/cmd/protoc-gen-go",
})

func TestMain(m *testing.M) {
	code := m.Run()
	tc.Close()
	os.Exit(code)
}

// TestGeneratedCodeIsCurrent regenerates options.pb.go as `make proto` does
// and fails when the committed file differs.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	out := t.TempDir()
	// The include root is the module's proto/ directory, two levels up.
	tc.MustRun(t, "../..", []string{"protoc-gen-go"},
		"-I", ".",
		"--go_out="+out, "--go_opt=module=github.com/gssfault/gssfault",
		"gssfault/v1/options.proto")
	got, err := os.ReadFile(filepath.Join(out, "proto/gssfault/v1/options.pb.go"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("options.pb.go")
	if err != nil {
		t.Fatal(err)
	}
	if !protoctest.SameGenerated(got, want) {
		t.Errorf("options.pb.go is not what protoc-gen-go generates from options.proto: run make proto")
	}
}

// TestWireNumbers holds the option's numbers and names, which are a wire
// and source contract: a .proto that uses (gssfault.v1.faults) and a
// descriptor encoded with it must keep meaning the same thing.
func TestWireNumbers(t *testing.T) {
	xd := gssfaultv1.E_Faults.TypeDescriptor()
	if got, want := xd.FullName(), protoreflect.FullName("gssfault.v1.faults"); got != want {
		t.Errorf("extension name = %s, want %s", got, want)
	}
	if got, want := xd.Number(), protoreflect.FieldNumber(71919); got != want {
		t.Errorf("extension number = %d, want %d", got, want)
	}
	if got, want := xd.ContainingMessage().FullName(), protoreflect.FullName("google.protobuf.MethodOptions"); got != want {
		t.Errorf("extension extends %s, want %s", got, want)
	}
	codes := (&gssfaultv1.MethodFaults{}).ProtoReflect().Descriptor().Fields().ByName("codes")
	if codes == nil || codes.Number() != 1 || codes.Kind() != protoreflect.StringKind || codes.Cardinality() != protoreflect.Repeated {
		t.Errorf("MethodFaults.codes = %v, want repeated string field 1", codes)
	}
	if n := (&gssfaultv1.MethodFaults{}).ProtoReflect().Descriptor().Fields().Len(); n != 1 {
		t.Errorf("MethodFaults has %d fields; a new field needs a number of its own and this test updated", n)
	}
}
