package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/registry"
)

func readSpecFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// injected is inventory.yaml with gssfault's error responses, as
// gssctl openapi inject writes it.
func injected(t *testing.T) []byte {
	t.Helper()
	out, errOut, code := gssctl(t, "openapi", "inject", "../../httpmap/openapi/testdata/inventory.yaml")
	if code != 0 {
		t.Fatalf("openapi inject: exit %d %s", code, errOut)
	}
	return []byte(out)
}

func opNamed(t *testing.T, v *previewView, method, path string) previewOp {
	t.Helper()
	for _, o := range v.Ops {
		if o.Method == method && o.Path == path {
			return o
		}
	}
	t.Fatalf("no operation %s %s", method, path)
	return previewOp{}
}

func TestPreviewThirdPartyDocuments(t *testing.T) {
	reg := registry.Default()
	// OpenAPI 3 with a $ref'd 400 and examples maps (@readme/oas-examples).
	v, err := previewOf(readSpecFile(t, "testdata/openapi/response-examples.yaml"), reg)
	if err != nil {
		t.Fatal(err)
	}
	if v.Format != "OpenAPI 3.0.3" || len(v.Ops) != 2 || v.ErrorResponses != 2 {
		t.Errorf("response-examples.yaml: %s, %d ops, %d error responses", v.Format, len(v.Ops), v.ErrorResponses)
	}
	op := opNamed(t, v, "GET", "/examples")
	if len(op.Errors) != 2 || op.Errors[0].Status != "400" || op.Errors[0].Description != "Validation failed" ||
		len(op.Errors[0].Examples) != 1 || op.Errors[0].Examples[0].MediaType != "application/xml" ||
		!strings.Contains(op.Errors[0].Examples[0].Body, "<note><to>Tove</to>") {
		t.Errorf("GET /examples 400 (through $ref): %+v", op.Errors)
	}
	if d := op.Errors[1]; d.Status != "default" || len(d.Examples) != 2 || d.Examples[1].Name != "display_view=app" {
		t.Errorf("GET /examples default: %+v", d)
	}
	if len(opNamed(t, v, "GET", "/example").Errors) != 0 {
		t.Error("GET /example has no error response")
	}
	// OpenAPI 3 petstore (kin-openapi's testdata): one 405.
	v, err = previewOf(readSpecFile(t, "testdata/openapi/petstore.yaml"), reg)
	if err != nil {
		t.Fatal(err)
	}
	if v.ErrorResponses != 1 || opNamed(t, v, "POST", "/pet").Errors[0].Description != "Invalid input" {
		t.Errorf("petstore.yaml: %d error responses %+v", v.ErrorResponses, v.Ops)
	}
	// Swagger 2.0 from protoc-gen-openapiv2: default -> rpcStatus everywhere.
	v, err = previewOf(readSpecFile(t, "testdata/openapi/response_body_service.swagger.json"), reg)
	if err != nil {
		t.Fatal(err)
	}
	if v.Format != "Swagger 2.0" || len(v.Ops) == 0 || v.ErrorResponses != len(v.Ops) {
		t.Errorf("swagger: %s %d ops %d error responses", v.Format, len(v.Ops), v.ErrorResponses)
	}
	for _, o := range v.Ops {
		if len(o.Errors) != 1 || o.Errors[0].Status != "default" || o.Errors[0].Schema != "googleRpcStatus" {
			t.Errorf("%s %s: %+v", o.Method, o.Path, o.Errors)
		}
	}
}

// An injected document shows its examples by GSS code and fault type.
func TestPreviewInjected(t *testing.T) {
	v, err := previewOf(injected(t), registry.Default())
	if err != nil {
		t.Fatal(err)
	}
	get := opNamed(t, v, "GET", "/vms/{id}")
	var codes []string
	for _, c := range get.Codes {
		codes = append(codes, c.Code+" "+c.FaultType)
	}
	if strings.Join(codes, ",") != "GSS-VSP-003 NotAuthenticated,GSS-VSP-004 NoPermission,GSS-VSP-006 ManagedObjectNotFound,GSS-VSP-023 HostNotReachable" {
		t.Errorf("x-gss-codes: %v", codes)
	}
	found := false
	for _, r := range get.Errors {
		for _, e := range r.Examples {
			if r.Status == "403" && e.Code == "GSS-VSP-004" && e.FaultType == "NoPermission" && strings.Contains(e.Body, `"gssCode": "GSS-VSP-004"`) {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("GET /vms/{id}: no 403 example named GSS-VSP-004 NoPermission: %+v", get.Errors)
	}
	if !opNamed(t, v, "GET", "/healthz").Ignored {
		t.Error("x-ignore-errors not shown")
	}
}

func TestPreviewRejects(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'j'; i++ {
		prev := string(i - 1)
		bomb += string(i) + ": &" + string(i) + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
	}
	for name, tc := range map[string]struct{ doc, want string }{
		"not YAML":      {"{", "not YAML or JSON"},
		"a list":        {"[1, 2]", "not a mapping"},
		"no version":    {"info: {title: x}\npaths: {}", `no "openapi" or "swagger"`},
		"too large":     {"openapi: 3.0.0\nx: " + strings.Repeat("a", maxSpecBytes), "over the limit"},
		"alias bomb":    {"openapi: 3.0.0\n" + bomb, "not YAML or JSON"},
		"deep nesting":  {"openapi: 3.0.0\nx: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "not YAML or JSON"},
		"ref cycle":     {"openapi: 3.0.0\npaths:\n  /a:\n    $ref: '#/paths/~1b'\n  /b:\n    $ref: '#/paths/~1a'\n", ""},
		"external refs": {"openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '404': {$ref: 'other.yaml#/x'}\n", ""},
	} {
		v, err := previewOf([]byte(tc.doc), registry.Default())
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: previewOf = %v, %v; want an error with %q", name, v, err, tc.want)
		}
	}
}

// startPreview runs gssctl openapi preview in-process and returns the URL
// it serves and a function that interrupts it and returns its exit status.
func startPreview(t *testing.T, args ...string) (url string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"openapi", "preview"}, args...), strings.NewReader(""), pw, io.Discard)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+/) `).FindStringSubmatch(line)
	if err != nil || m == nil {
		cancel()
		t.Fatalf("preview printed %q (%v)", line, err)
	}
	var once sync.Once
	code := -1
	return m[1], func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(10 * time.Second):
				t.Error("preview did not stop when its context was canceled")
			}
		})
		return code
	}
}

// TestPreviewInBrowser runs the preview command on an injected document,
// loads the page in headless Chromium with ?q=getvm, and checks that the
// page's script left exactly that operation, with its typed errors and
// the example by GSS code.
func TestPreviewInBrowser(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "inventory.yaml")
	if err := os.WriteFile(spec, injected(t), 0o600); err != nil {
		t.Fatal(err)
	}
	url, stop := startPreview(t, spec)
	defer stop()

	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	assertSelfContained(t, string(page))
	if r, err := http.Get(url + "elsewhere"); err != nil || r.StatusCode != http.StatusNotFound {
		t.Errorf("GET /elsewhere: %v %v", r.StatusCode, err)
	}

	dom := testenv.DumpDOM(t, url+"?q=getvm")
	sections := regexp.MustCompile(`(?s)<section class="op"[^>]*>.*?</section>`).FindAllString(dom, -1)
	var shown []string
	for _, s := range sections {
		if !strings.Contains(s[:strings.IndexByte(s, '>')], " hidden") {
			shown = append(shown, s)
		}
	}
	if len(sections) != 8 || len(shown) != 1 {
		t.Fatalf("%d operations, %d shown; want 8 and 1", len(sections), len(shown))
	}
	for _, want := range []string{"/vms/{id}", "getVM", "GSS-VSP-004 NoPermission", `"gssCode": "GSS-VSP-004"`, ">403<", "Error"} {
		if !strings.Contains(shown[0], want) {
			t.Errorf("the operation shown lacks %q:\n%.2000s", want, shown[0])
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("preview exit %d after interrupt", code)
	}
}

func TestPreviewCommandErrors(t *testing.T) {
	for _, args := range [][]string{
		{"openapi", "preview"},
		{"openapi", "preview", "testdata/openapi/petstore.yaml", "--addr", "0.0.0.0:0"},
		{"openapi", "preview", "testdata/openapi/petstore.yaml", "--addr", "example.test:80"},
		{"openapi", "preview", "testdata/openapi/missing.yaml"},
		{"openapi", "preview", "testdata/match/mixed.log"},
	} {
		if _, _, code := gssctl(t, args...); code != 2 {
			t.Errorf("gssctl %q: exit %d, want 2", args, code)
		}
	}
	// "-" reads the document from standard input.
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"openapi", "preview", "-"}, strings.NewReader(string(readSpecFile(t, "testdata/openapi/petstore.yaml"))), pw, io.Discard)
		pw.Close()
	}()
	line, _ := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	cancel()
	if code := <-done; code != 0 || !strings.HasPrefix(line, "serving - at http://127.0.0.1:") {
		t.Errorf("preview -: exit %d, %q", code, line)
	}
}
