package openapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/httpmap/openapi"
)

// synthetic returns a document of n operations in the shape of
// testdata/inventory.yaml: n/4 paths, each with a parameter, and GET,
// POST, PUT and DELETE.
func synthetic(n int) string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\npaths:\n")
	for i := 0; i < n/4; i++ {
		fmt.Fprintf(&b, "  /things%d/{id}:\n    parameters:\n      - {name: id, in: path, required: true, schema: {type: string}}\n", i)
		for _, m := range []string{"get", "post", "put", "delete"} {
			fmt.Fprintf(&b, "    %s:\n      operationId: %s%d\n      summary: Operation %s on things %d.\n      responses:\n        \"200\":\n          description: OK.\n", m, m, i, m, i)
		}
	}
	return b.String()
}

func BenchmarkInject(b *testing.B) {
	yamlDoc := synthetic(1200)
	var v any
	if err := json.Unmarshal(mustJSON(b, yamlDoc), &v); err != nil {
		b.Fatal(err)
	}
	jsonDoc, _ := json.MarshalIndent(v, "", "  ")
	for _, tc := range []struct {
		name string
		doc  []byte
	}{
		{"inventory", inventory(b)},
		{"yaml-1200-operations", []byte(yamlDoc)},
		{"json-1200-operations", jsonDoc},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.doc)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := openapi.Inject(tc.doc, openapi.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// mustJSON converts a YAML document to JSON (through yaml.v3).
func mustJSON(tb testing.TB, doc string) []byte {
	tb.Helper()
	js, err := json.Marshal(value(tb, []byte(doc)))
	if err != nil {
		tb.Fatal(err)
	}
	return js
}
