package registry_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gssfault/gssfault/registry"
)

const miniCatalog = `
fallback: GSS-APP-999
entries:
  - code: GSS-APP-001
    fault_type: OrderRejected
    category: validation
    component: orders
    trigger: an order fails validation
    action: fix the order
    retryable: false
    impact: minor
    grpc_code: INVALID_ARGUMENT
  - code: GSS-APP-999
    fault_type: Unclassified
    category: Internal
    component: app
    trigger: anything else
    action: read the cause
    retryable: true
    retry_delay: 1.5s
    impact: MAJOR
    grpc_code: Unavailable
    http_status: 503
    debug: [app status]
`

func TestLoad(t *testing.T) {
	r, err := registry.Load(strings.NewReader(miniCatalog))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := r.Lookup("GSS-APP-001")
	if !ok || e.HTTPStatus != 0 {
		t.Errorf("GSS-APP-001 = %+v, %v; want HTTP status 0 (the status of its gRPC code)", e, ok)
	}
	fb, ok := r.Fallback()
	if !ok || fb.Code != "GSS-APP-999" || fb.RetryDelay.Seconds() != 1.5 || fb.DebugCommands[0] != "app status" {
		t.Errorf("fallback = %+v, %v", fb, ok)
	}
}

func TestLoadJSON(t *testing.T) {
	js := `{"entries":[{"code":"GSS-APP-001","fault_type":"X","category":"state","component":"c","trigger":"t","action":"a","impact":"minor","grpc_code":"Aborted","retryable":true}]}`
	r, err := registry.Load(strings.NewReader(js))
	if err != nil || r.Len() != 1 {
		t.Fatalf("Load(JSON) = %v, %v", r, err)
	}
}

func TestLoadErrorsNameEntryAndField(t *testing.T) {
	for _, tc := range []struct {
		name, edit, want string
	}{
		{"unknown category", "category: validation", "entry 0 (GSS-APP-001): category"},
		{"unknown impact", "impact: minor", "entry 0 (GSS-APP-001): impact"},
		{"bad grpc code", "grpc_code: INVALID_ARGUMENT", "entry 0 (GSS-APP-001): grpc_code"},
		{"missing action", "action: fix the order", "entry 0 (GSS-APP-001): action"},
		{"bad code", "code: GSS-APP-001", "entry 0 (GSS-app-001): code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			field := strings.SplitN(tc.edit, ":", 2)[0]
			repl := map[string]string{
				"category": "category: weather", "impact": "impact: huge", "grpc_code": "grpc_code: NOPE",
				"action": "action: \"\"", "code": "code: GSS-app-001",
			}[field]
			src := strings.Replace(miniCatalog, tc.edit, repl, 1)
			_, err := registry.Load(strings.NewReader(src))
			var ee *registry.EntryError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load error = %v, want an EntryError containing %q", err, tc.want)
			}
		})
	}
	if _, err := registry.Load(strings.NewReader(strings.Replace(miniCatalog, "component: orders", "componnet: orders", 1))); err == nil || !strings.Contains(err.Error(), "componnet") {
		t.Errorf("Load with a misspelt key: error = %v, want it named", err)
	}
	for _, bad := range []string{"", "entries: [", "{", "- just a list"} {
		if _, err := registry.Load(strings.NewReader(bad)); err == nil {
			t.Errorf("Load(%q) succeeded", bad)
		}
	}
	if _, err := registry.Load(nil); err == nil {
		t.Error("Load(nil) succeeded")
	}
	big := bytes.Repeat([]byte("#"), registry.MaxCatalogSize+10)
	if _, err := registry.Load(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("Load of an oversized file: error = %v", err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := registry.Default().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := registry.Load(&buf)
	if err != nil {
		t.Fatalf("Load(Encode(Default())): %v", err)
	}
	if diff := cmp.Diff(registry.Default().All(), back.All()); diff != "" {
		t.Errorf("round trip changed entries (-want +got):\n%s", diff)
	}
	a, _ := registry.Default().Fallback()
	b, _ := back.Fallback()
	if a.Code != b.Code {
		t.Errorf("round trip fallback %s, want %s", b.Code, a.Code)
	}
}

func TestCatalogYAMLIsTheSource(t *testing.T) {
	r, err := registry.Load(bytes.NewReader(registry.CatalogYAML()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(registry.Default().All(), r.All()); diff != "" {
		t.Errorf("Default differs from CatalogYAML (-default +file):\n%s", diff)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(miniCatalog))
	f.Add(registry.CatalogYAML())
	f.Add([]byte(`{"entries":[]}`))
	f.Add([]byte("entries:\n  - code: GSS-A-1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := registry.Load(bytes.NewReader(data))
		if err != nil {
			if r != nil {
				t.Fatal("Load returned a registry with an error")
			}
			return
		}
		var buf bytes.Buffer
		if err := r.Encode(&buf); err != nil {
			t.Fatalf("Encode of a loaded registry: %v", err)
		}
		back, err := registry.Load(&buf)
		if err != nil {
			t.Fatalf("Load(Encode(r)): %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(r.All(), back.All()); diff != "" {
			t.Fatalf("round trip changed entries:\n%s", diff)
		}
	})
}
