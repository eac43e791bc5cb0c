package httpmap_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/internal/testenv"
)

func TestParseBodyShapes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		want    string // fault type
		code    grpccodes.Code
		catalog bool
		message string
	}{
		{"gateway foreign", 404, `{"code":5,"message":"no bucket","details":[]}`, "NotFound", grpccodes.NotFound, false, "no bucket"},
		{"google", 403, `{"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED","details":[]}}`, "NoPermission", grpccodes.PermissionDenied, false, "denied"},
		{"google unknown status", 429, `{"error":{"code":429,"message":"slow down","status":"WHATEVER"}}`, "InsufficientResourcesFault", grpccodes.ResourceExhausted, false, "slow down"},
		{"vsphere /api", 404, `{"error_type":"NOT_FOUND","messages":[{"default_message":"VM vm-9 not found","id":"x","args":[]}]}`, "NotFound", grpccodes.NotFound, true, "VM vm-9 not found"},
		{"vsphere /rest", 400, string(testenv.HTTPBody(t, "vapi_rest_already_exists.json")), "AlreadyExists", grpccodes.AlreadyExists, true, ""},
		{"vcsim /api", 404, string(testenv.HTTPBody(t, "vapi_api_not_found.json")), "NotFound", grpccodes.NotFound, true, ""},
		{"vsphere quota", 422, `{"error_type":"UNABLE_TO_ALLOCATE_RESOURCE","messages":[]}`, "QuotaExceeded", grpccodes.ResourceExhausted, true, ""},
		{"RFC 9457's example", 403, string(testenv.HTTPBody(t, "rfc9457_out_of_credit.json")), "NoPermission", grpccodes.PermissionDenied, false, "Your current balance is 30, but that costs 50."},
		{"html", 502, `<html><body>Bad Gateway</body></html>`, "ServiceUnavailable", grpccodes.Unavailable, false, ""},
		{"empty", 503, ``, "ServiceUnavailable", grpccodes.Unavailable, false, ""},
		{"truncated json", 500, `{"code":13,"mess`, "MethodFault", grpccodes.Internal, false, ""},
		{"wrong types", 400, `{"code":"five","message":7}`, "InvalidArgument", grpccodes.InvalidArgument, false, ""},
		{"code out of range", 409, `{"code":99,"message":"x"}`, "ConcurrentAccess", grpccodes.Aborted, false, "x"},
		{"OutOfRange", 400, `{"code":11,"message":"page 9 of 3"}`, "InvalidArgument", grpccodes.OutOfRange, false, "page 9 of 3"},
	} {
		f, ok := httpmap.ParseBody(tc.status, []byte(tc.body))
		if !ok || f.FaultType() != tc.want || f.GRPCCode() != tc.code || f.FromCatalog() != tc.catalog || f.Message() != tc.message {
			t.Errorf("%s: %v (%v, catalog %v, message %q); want %s %v %v %q", tc.name, f, f.GRPCCode(), f.FromCatalog(), f.Message(), tc.want, tc.code, tc.catalog, tc.message)
			continue
		}
		var re *httpmap.ResponseError
		if !errors.As(f, &re) || re.StatusCode != tc.status {
			t.Errorf("%s: the cause is not the response", tc.name)
		}
		// The body never becomes metadata that a service would send on
		// (red team M3).
		for _, kv := range f.Metadata() {
			if kv.Key == "body" || strings.Contains(kv.Value, "<html>") {
				t.Errorf("%s: metadata %v carries the body", tc.name, kv)
			}
		}
	}
	if f, ok := httpmap.ParseBody(200, nil); f != nil || ok {
		t.Error("ParseBody(200) gave a fault")
	}
	f, _ := httpmap.ParseBody(400, []byte(strings.Repeat("é", 2000)))
	var re *httpmap.ResponseError
	if !errors.As(f, &re) || len(re.Body) > 512 || !utf8.ValidString(re.Body) {
		t.Error("the body excerpt is not bounded")
	}
}

// TestReadableText: a fault read from an answer reads like the original,
// the transport named, not a JSON excerpt (newcomer finding 4).
func TestReadableText(t *testing.T) {
	f := faults.New(codes.NotFound, "vm 'x' not found").WithOp("find.VirtualMachine")
	got, _ := httpmap.ParseResponse(record(f))
	if s := got.Error(); s != "GSS-VSP-005 NotFound: find.VirtualMachine: vm 'x' not found" {
		t.Errorf("Error() = %q", s)
	}
	got, _ = httpmap.ParseResponse(&http.Response{StatusCode: 502, Body: io.NopCloser(strings.NewReader("<html>bad gateway</html>"))})
	if s := got.Error(); s != "GSS-VSP-021 ServiceUnavailable: HTTP 502" {
		t.Errorf("Error() = %q", s)
	}
}

// TestGatewayBodiesOfThirdPartyStatuses: grpc-gateway's own handler
// writes the statuses of other projects' tests; ParseResponse reads every
// one back to the same status (code, message, every detail in order).
func TestGatewayBodiesOfThirdPartyStatuses(t *testing.T) {
	for name, pb := range testenv.Statuses(t) {
		rec := httptest.NewRecorder()
		runtime.DefaultHTTPErrorHandler(context.Background(), runtime.NewServeMux(), &runtime.JSONPb{}, rec,
			httptest.NewRequest(http.MethodGet, "/", nil), status.FromProto(pb).Err())
		f, err := httpmap.ParseResponse(rec.Result())
		if err != nil || f == nil {
			t.Fatalf("%s: %v, %v", name, f, err)
		}
		if got := (faults.Policy{ExposeInternal: true, DebugInfo: true}).Status(f).Proto(); !proto.Equal(got, pb) {
			t.Errorf("%s: read back as %v, want %v", name, got, pb)
		}
	}
}

// TestNestedAnysAreBounded: a body with Any-in-Any chains is read in time
// linear in its size (red team M1 measured 35 s for 800 KiB).
func TestNestedAnysAreBounded(t *testing.T) {
	if !testenv.InChild(t, 30*time.Second) {
		return
	}
	var b strings.Builder
	b.WriteString(`{"code":5,"message":"x","details":[`)
	for i := range 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		for range 9990 {
			b.WriteString(`{"value":`)
		}
		b.WriteString(`{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R"}`)
		for range 9990 {
			b.WriteString(`,"@type":"type.googleapis.com/google.protobuf.Any"}`)
		}
	}
	b.WriteString(`]}`)
	start := time.Now()
	f, _ := httpmap.ParseBody(404, []byte(b.String()))
	if f.Code() != codes.NotFound || time.Since(start) > 20*time.Second {
		t.Errorf("%v after %v", f, time.Since(start))
	}
}

// endless is a body that never ends.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n += int64(len(p))
	return len(p), nil
}
func (e *endless) Close() error { return nil }

func TestParseResponseBoundsTheRead(t *testing.T) {
	body := &endless{}
	f, err := httpmap.ParseResponse(&http.Response{StatusCode: 500, Body: body})
	if err != nil || f == nil || f.GRPCCode() != grpccodes.Internal {
		t.Fatalf("ParseResponse = %v, %v", f, err)
	}
	if body.n > httpmap.MaxBodyBytes+64<<10 {
		t.Errorf("read %d bytes", body.n)
	}
	if _, err := httpmap.ParseResponse(nil); err == nil {
		t.Error("ParseResponse(nil) succeeded")
	}
	if f, err := httpmap.ParseResponse(&http.Response{StatusCode: 204, Body: io.NopCloser(strings.NewReader(""))}); f != nil || err != nil {
		t.Error("a 204 gave a fault")
	}
}

// TestParseResponseKeepsReadErrors: a body cut short (a Content-Length
// longer than what came, a timeout mid-body) still gives the fault the
// complete JSON that arrived, and the read error is reachable (red team
// m8).
func TestParseResponseKeepsReadErrors(t *testing.T) {
	body := `{"code":5,"message":"vm-42 not found","details":[]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)+100))
		w.WriteHeader(404)
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	f, err := httpmap.ParseResponse(resp)
	if err != nil || f.Message() != "vm-42 not found" || !errors.Is(f, io.ErrUnexpectedEOF) {
		t.Errorf("ParseResponse = %v, %v; errors.Is(io.ErrUnexpectedEOF) = %v", f, err, errors.Is(f, io.ErrUnexpectedEOF))
	}
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(500)
		w.(http.Flusher).Flush()
		time.Sleep(2 * time.Second)
	}))
	defer slow.Close()
	client := &http.Client{Timeout: 300 * time.Millisecond}
	resp, err = client.Get(slow.URL)
	if err != nil {
		t.Fatal(err)
	}
	f, _ = httpmap.ParseResponse(resp)
	var re *httpmap.ResponseError
	if !errors.As(f, &re) || re.Err == nil || !strings.Contains(f.Error(), "reading the body") {
		t.Errorf("a client timeout mid-body was swallowed: %v", f)
	}
}

// TestProblemDetailsRoundTrip: every entry written as problem details
// reads back to its own fault, details and all.
func TestProblemDetailsRoundTrip(t *testing.T) {
	for _, e := range allEntries() {
		in := faults.FromEntry(e, "message of "+string(e.Code), nil).WithRequestID("req-1").
			WithDetails(&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "spec.name", Description: "empty"}}})
		resp := record(in, httpmap.WithShape(httpmap.ProblemShape))
		if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Fatalf("%s: Content-Type %q", e.Code, ct)
		}
		got, _ := httpmap.ParseResponse(resp)
		if got.Code() != e.Code || got.RequestID() != "req-1" || len(got.Details()) != 1 || got.GRPCCode() != e.GRPCCode {
			t.Errorf("%s: read back as %v (details %v)", e.Code, got, got.Details())
		}
	}
}

func FuzzParseBody(f *testing.F) {
	for _, s := range []string{`{"code":5,"message":"x","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R","metadata":{"gssCode":"GSS-VSP-005"}}]}`,
		`{"error":{"code":404,"status":"NOT_FOUND"}}`, `{"error_type":"NOT_FOUND"}`, `{"type":"com.vmware.vapi.std.errors.not_found","value":{}}`, `<html>`, ``,
		`{"type":"about:blank","title":"Not Found","status":404,"grpcCode":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.protobuf.Any","value":{}}]}`} {
		f.Add(404, []byte(s))
	}
	f.Fuzz(func(t *testing.T, st int, body []byte) {
		st = 400 + (st%200+200)%200
		got, ok := httpmap.ParseBody(st, body)
		if !ok || got == nil || got.Code() == "" {
			t.Fatalf("ParseBody(%d, %q) = %v", st, body, got)
		}
		var re *httpmap.ResponseError
		if !errors.As(got, &re) || len(re.Body) > 512 || !utf8.ValidString(re.Body) {
			t.Fatalf("cause missing or unbounded")
		}
		// What was read is written again as it came.
		a := httpmap.Render(nil, got)
		if a.Status < 400 || len(a.Body) == 0 {
			t.Fatalf("written again as %d %q", a.Status, a.Body)
		}
	})
}
