package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedCodesAreCurrent fails when registry/catalog.yaml changed and
// codes/catalog.go was not regenerated (make generate).
func TestGeneratedCodesAreCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "catalog.go")
	if err := run(out); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../../codes/catalog.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("codes/catalog.go is stale: run make generate")
	}
}
