package openapi_test

import (
	"bytes"
	"testing"

	"github.com/gssfault/gssfault/httpmap/openapi"
)

func FuzzInject(f *testing.F) {
	f.Add([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n"))
	f.Add([]byte(`{"openapi":"3.0.0","paths":{"/x":{"post":{"x-ignore-errors":true}}}}`))
	f.Add([]byte("openapi: 3.1.0\npaths:\n  /a: null\ncomponents: 7\n"))
	f.Add([]byte(`{"swagger":"2.0","paths":{"/x/{id}":{"delete":{"responses":{"default":{"description":"e"}}}}},"definitions":{"Error":{}}}`))
	f.Fuzz(injectTwice)
}

// injectTwice checks that whatever Inject accepts, it writes in a form it
// reads again, and that a second run changes nothing.
func injectTwice(t *testing.T, doc []byte) {
	out, err := openapi.Inject(doc, openapi.Options{})
	if err != nil {
		return
	}
	again, err := openapi.Inject(out, openapi.Options{})
	if err != nil {
		t.Fatalf("Inject cannot read its own output: %v\n%s", err, out)
	}
	if !bytes.Equal(again, out) {
		t.Fatalf("a second Inject changed the output:\n%s\n---\n%s", out, again)
	}
}

// FuzzInjectAliases runs Inject and Check on documents that share
// operations, responses and paths through anchors, aliases and merge
// keys, and on alias bombs: every run ends within the bounds, and what
// Inject accepts it reads again unchanged.
func FuzzInjectAliases(f *testing.F) {
	f.Add([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
x-common: &common {"200": {description: ok}}
x-defaults: &defaults
  responses: {"201": {description: created}}
paths:
  /a/{id}:
    get: {responses: *common}
    post: {<<: *defaults, summary: s}
  /b: {get: {<<: [*defaults], responses: *common}}
`))
	f.Add([]byte(`{openapi: 3.0.3, info: {title: t, version: "1"}, x-a: &a [x, x, x, x, x, x, x, x, x, x],
x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b],
x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c], paths: {/p: {get: {responses: {x: *d}}}}}`))
	f.Add([]byte("swagger: '2.0'\ninfo: {title: t, version: '1'}\nx-item: &item\n  get: &op {responses: &r {default: {description: e}}}\npaths:\n  /a: *item\n  /b: {<<: *item}\n  /c: {get: {<<: *op, responses: {<<: *r}}}\n"))
	f.Add([]byte("openapi: 3.0.3\nx-m: &m {<<: {responses: {}}}\npaths:\n  /a: {get: {<<: [*m, *m]}}\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		_, _ = openapi.Check(doc)
		injectTwice(t, doc)
	})
}
