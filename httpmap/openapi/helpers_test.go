package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/httpmap/openapi"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func inventory(t testing.TB) []byte { return readFile(t, "inventory.yaml") }

// load3 loads and validates an OpenAPI 3 document with kin-openapi,
// examples included.
func load3(t testing.TB, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi rejects the document: %v", err)
	}
	return doc
}

// inject runs Inject and fails the test on an error.
func inject(t testing.TB, data []byte, o openapi.Options) []byte {
	t.Helper()
	out, err := openapi.Inject(data, o)
	if err != nil {
		t.Fatalf("Inject: %v", err)
	}
	return out
}

// checkValid runs Check (kin-openapi or the Swagger 2.0 JSON Schema) and
// fails unless the document is valid.
func checkValid(t testing.TB, data []byte) openapi.Report {
	t.Helper()
	r, err := openapi.Check(data)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if !r.Valid {
		t.Fatalf("the validator rejects the document:\n%s", strings.Join(r.Errors, "\n"))
	}
	return r
}

// value decodes a document (JSON or YAML, merge keys and aliases resolved
// by yaml.v3) into JSON-shaped Go values, as jsonschema wants them.
func value(t testing.TB, data []byte) map[string]any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return inst.(map[string]any)
}

// validateExamples checks every example Inject attached (responses with
// x-gss-codes) against the schema of its media type, with a JSON Schema
// validator: draft 2020-12 for OpenAPI 3.1, draft 4 otherwise. It returns
// how many it checked.
func validateExamples(t testing.TB, data []byte) int {
	t.Helper()
	doc := value(t, data)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	if v, _ := doc["openapi"].(string); strings.HasPrefix(v, "3.1") {
		c.DefaultDraft(jsonschema.Draft2020)
	}
	const url = "file:///doc.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	schemas := map[string]*jsonschema.Schema{}
	check := func(where, ref string, ex any) {
		t.Helper()
		sch, ok := schemas[ref]
		if !ok {
			var err error
			if sch, err = c.Compile(url + ref); err != nil {
				t.Fatalf("%s: schema %s does not compile: %v", where, ref, err)
			}
			schemas[ref] = sch
		}
		if err := sch.Validate(ex); err != nil {
			t.Errorf("%s: the example does not validate against %s: %v", where, ref, err)
		}
	}
	n := 0
	paths, _ := doc["paths"].(map[string]any)
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, p := range keys {
		item, _ := paths[p].(map[string]any)
		for meth, op := range item {
			op, _ := op.(map[string]any)
			responses, _ := op["responses"].(map[string]any)
			for status, r := range responses {
				r, _ := r.(map[string]any)
				if r["x-gss-codes"] == nil {
					continue
				}
				where := fmt.Sprintf("%s %s %s", meth, p, status)
				if schema, ok := r["schema"].(map[string]any); ok { // Swagger 2.0
					ref := schema["$ref"].(string)
					for _, ex := range r["examples"].(map[string]any) {
						check(where, ref, ex)
						n++
					}
					for code, ex := range r["x-examples"].(map[string]any) {
						check(where+" "+code, ref, ex.(map[string]any)["value"])
						n++
					}
					continue
				}
				for mt, media := range r["content"].(map[string]any) {
					media := media.(map[string]any)
					ref := media["schema"].(map[string]any)["$ref"].(string)
					examples, _ := media["examples"].(map[string]any)
					for code, ex := range examples {
						ex := ex.(map[string]any)
						if r, ok := ex["$ref"].(string); ok {
							name := strings.TrimPrefix(r, "#/components/examples/")
							ex = doc["components"].(map[string]any)["examples"].(map[string]any)[name].(map[string]any)
						}
						check(where+" "+mt+" "+code, ref, ex["value"])
						n++
					}
				}
			}
		}
	}
	return n
}

// contains checks that everything in the input document is in the output
// at the same place, with mapping keys in the same relative order: the
// output only adds.
func contains(t testing.TB, in, out []byte) {
	t.Helper()
	var a, b yaml.Node
	if err := yaml.Unmarshal(in, &a); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	if err := subset(&a, &b, "$"); err != nil {
		t.Fatalf("the output lost or changed part of the input: %v", err)
	}
}

func subset(a, b *yaml.Node, path string) error {
	if a.Kind == yaml.AliasNode {
		a = a.Alias
	}
	if b.Kind == yaml.AliasNode {
		b = b.Alias
	}
	switch a.Kind {
	case yaml.DocumentNode:
		return subset(a.Content[0], b.Content[0], path)
	case yaml.ScalarNode:
		if b.Kind != yaml.ScalarNode || a.Value != b.Value || a.ShortTag() != b.ShortTag() {
			return fmt.Errorf("%s: %q (%s) became %q (%s)", path, a.Value, a.ShortTag(), b.Value, b.ShortTag())
		}
	case yaml.SequenceNode:
		if b.Kind != yaml.SequenceNode || len(a.Content) != len(b.Content) {
			return fmt.Errorf("%s: a list of %d changed", path, len(a.Content))
		}
		for i := range a.Content {
			if err := subset(a.Content[i], b.Content[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		if b.Kind != yaml.MappingNode {
			return fmt.Errorf("%s: a mapping became kind %v", path, b.Kind)
		}
		ac, bc := flatten(a), flatten(b)
		j := 0
		for i := 0; i+1 < len(ac); i += 2 {
			k := ac[i].Value
			for j < len(bc) && bc[j].Value != k {
				j += 2
			}
			if j >= len(bc) {
				return fmt.Errorf("%s: key %q is missing or moved", path, k)
			}
			if err := subset(ac[i+1], bc[j+1], path+"."+k); err != nil {
				return err
			}
		}
	}
	return nil
}

// flatten returns a mapping's pairs as a YAML loader sees them: its own
// keys, then those its merge keys bring in that it does not override.
func flatten(m *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	have := map[string]bool{}
	var merged []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Value == "<<" && k.ShortTag() == "!!merge" {
			if v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			if v.Kind == yaml.SequenceNode {
				for _, s := range v.Content {
					if s.Kind == yaml.AliasNode {
						s = s.Alias
					}
					merged = append(merged, s)
				}
			} else {
				merged = append(merged, v)
			}
			continue
		}
		have[k.Value] = true
		out = append(out, k, v)
	}
	for _, s := range merged {
		f := flatten(s)
		for i := 0; i+1 < len(f); i += 2 {
			if !have[f[i].Value] {
				have[f[i].Value] = true
				out = append(out, f[i], f[i+1])
			}
		}
	}
	return out
}
