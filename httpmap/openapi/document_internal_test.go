package openapi

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
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

// TestYAMLSplitEncoding holds encodeYAML, which writes large mappings pair
// by pair, to one yaml.v3 Encode of the whole document, on real documents
// and on Inject's output.
func TestYAMLSplitEncoding(t *testing.T) {
	var docs [][]byte
	files, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("testdata/*/*.yaml")
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
		if len(b) > 64<<10 {
			continue // star-trek.yaml: split as read; Inject's output is covered by the smaller ones
		}
		out, err := Inject(b, Options{AllCodes: true})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		docs = append(docs, out)
	}
	var b bytes.Buffer
	b.WriteString("# head\nopenapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "  # path %d\n  /things%d/{id}:\n    get:\n      description: |\n        Line one.\n          Indented.\n      responses:\n        \"200\": {description: ok}\n", i, i)
	}
	b.WriteString("x-tail: [a, b]\n# foot\n")
	docs = append(docs, b.Bytes())
	for i, doc := range docs {
		var n yaml.Node
		if err := yaml.Unmarshal(doc, &n); err != nil {
			t.Fatal(err)
		}
		var whole bytes.Buffer
		if err := encodeWhole(&whole, &n, ""); err != nil {
			t.Fatal(err)
		}
		split, err := encodeYAML(&n)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(split, whole.Bytes()) {
			j := 0
			for j < len(split) && j < whole.Len() && split[j] == whole.Bytes()[j] {
				j++
			}
			t.Errorf("document %d: split encoding differs at byte %d: %q, want %q", i, j, clip(split[j:]), clip(whole.Bytes()[j:]))
		}
	}
}

// TestJSONEstimateIsTight (red team): the estimate made before a JSON
// document is read counts one node per structural character, so a valid
// document of 1.5 million nodes (under MaxNodes) is not refused, while one
// of more than MaxNodes is, and colons and commas inside strings do not
// count at all.
func TestJSONEstimateIsTight(t *testing.T) {
	items := func(n int) []byte {
		return []byte(`{"x":[0` + strings.Repeat(",0", n-1) + `]}`)
	}
	if err := estimateJSONNodes(items(1_500_000)); err != nil {
		t.Errorf("1.5 M nodes: %v", err)
	}
	if err := estimateJSONNodes(items(MaxNodes)); err == nil {
		t.Errorf("%d items: not refused", MaxNodes)
	}
	if err := estimateJSONNodes([]byte(`{"d":"` + strings.Repeat(`:,{[\"`, MaxNodes) + `"}`)); err != nil {
		t.Errorf("structure inside a string counted: %v", err)
	}
}
