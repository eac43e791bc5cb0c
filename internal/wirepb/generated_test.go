package wirepb_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gssfault/gssfault/internal/protoctest"
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

// TestGeneratedCodeIsCurrent regenerates errorinfo.pb.go as `make proto`
// does and fails when the committed file differs.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	out := t.TempDir()
	tc.MustRun(t, ".", []string{"protoc-gen-go"},
		"-I", ".", "--go_out="+out, "--go_opt=paths=source_relative", "errorinfo.proto")
	got, err := os.ReadFile(filepath.Join(out, "errorinfo.pb.go"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("errorinfo.pb.go")
	if err != nil {
		t.Fatal(err)
	}
	if !protoctest.SameGenerated(got, want) {
		t.Errorf("errorinfo.pb.go is not what protoc-gen-go generates from errorinfo.proto: run make proto")
	}
}
