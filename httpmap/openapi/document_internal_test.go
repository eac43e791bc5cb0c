package openapi

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestJSONRoundTripExact reads real JSON descriptions and writes them back
// unchanged, byte for byte: numbers, escapes (Go's \u003c included), key
// order and indentation as written.
func TestJSONRoundTripExact(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.json")
	if len(files) < 5 {
		t.Fatalf("found %d JSON test inputs", len(files))
	}
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := readDocument(in)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out, err := d.bytes()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !bytes.Equal(out, in) {
			i := 0
			for i < len(in) && i < len(out) && in[i] == out[i] {
				i++
			}
			t.Errorf("%s: written back differently from byte %d: %q, want %q", f, i, clip(out[i:]), clip(in[i:]))
		}
	}
}

func clip(b []byte) []byte { return b[:min(len(b), 60)] }

// TestYAMLMergeKeysWrittenPlain: yaml.v3 would write "!!merge <<".
func TestYAMLMergeKeysWrittenPlain(t *testing.T) {
	in := []byte("openapi: 3.0.3\nx-d: &d {a: 1}\nx-e:\n  <<: *d\n  b: 2\n")
	d, err := readDocument(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := d.bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, in) {
		t.Errorf("written back as\n%s\nwant\n%s", out, in)
	}
}
