package httpmap_test

import (
	"bytes"
	"context"
	"encoding/json"
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
	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
)

func record(err error, opts ...httpmap.Option) *http.Response {
	rec := httptest.NewRecorder()
	httpmap.WriteError(rec, httptest.NewRequest(http.MethodGet, "/x", nil), err, opts...)
	return rec.Result()
}

func TestWriteErrorHeadersAndRoundTrip(t *testing.T) {
	f := faults.New(codes.TaskInProgress, "vm-1 busy").WithRetryDelay(2500 * time.Millisecond).WithRequestID("r1")
	resp := record(f)
	if resp.StatusCode != 409 || resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("Retry-After") != "3" {
		t.Errorf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	got, err := httpmap.ParseResponse(resp)
	if err != nil || got.Code() != codes.TaskInProgress || got.Message() != "vm-1 busy" || got.RetryDelay() != 2500*time.Millisecond || got.RequestID() != "r1" {
		t.Errorf("round trip = %v (%v, %v)", got, got.RetryDelay(), err)
	}
	resp = record(faults.New(codes.InvalidLogin, "bad password"), httpmap.WithAuthChallenge(`Basic realm="vsphere"`))
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != `Basic realm="vsphere"` {
		t.Errorf("401: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	rec := httptest.NewRecorder()
	httpmap.WriteError(rec, nil, nil)
	if rec.Code != 200 || rec.Body.Len() != 0 {
		t.Error("WriteError(nil) wrote something")
	}
}

// A received status error that the service wrapped is written with the
// message the peer sent, not the wrapper's text.
func TestWriteErrorWrappedStatus(t *testing.T) {
	wire := faults.New(codes.TaskInProgress, "vm-42 is busy").GRPCStatus().Err()
	got, _ := httpmap.ParseResponse(record(fmt.Errorf("secret wrapper: %w", wire)))
	if got.Code() != codes.TaskInProgress || got.Message() != "vm-42 is busy" {
		t.Errorf("wrapped status written as %v", got)
	}
}

func TestWriteErrorRedactsInternal(t *testing.T) {
	secret := "password=hunter2 at /opt/vmware/secret"
	for _, err := range []error{
		faults.New(codes.SystemError, secret),
		errors.New(secret),
		faults.Wrap(errors.New(secret), codes.MethodFault, "x"),
		status.Error(grpccodes.Internal, secret), // a foreign server's status
		status.Error(grpccodes.Unknown, secret),
	} {
		resp := record(err)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 500 || bytes.Contains(b, []byte("hunter2")) {
			t.Errorf("%v: %d %s", err, resp.StatusCode, b)
		}
	}
	b, _ := io.ReadAll(record(faults.New(codes.SystemError, secret), httpmap.WithExposeInternal(true)).Body)
	if !bytes.Contains(b, []byte("hunter2")) {
		t.Error("WithExposeInternal did not expose the message")
	}
}

func TestWriteErrorSkipsUnmarshalableDetails(t *testing.T) {
	p := &spb.Status{Code: int32(grpccodes.NotFound), Message: "gone"}
	p.Details = append(p.Details, &anypb.Any{TypeUrl: "type.googleapis.com/not.linked.Detail", Value: []byte{1, 2, 3}})
	err := status.FromProto(p).Err()

	resp := record(err)
	if resp.StatusCode != 404 {
		t.Errorf("with an unknown detail: %d, want 404", resp.StatusCode)
	}
	var body map[string]any
	if e := json.NewDecoder(resp.Body).Decode(&body); e != nil || body["message"] != "gone" {
		t.Errorf("body %v (%v)", body, e)
	}
	// grpc-gateway's own handler answers 500 for the same error.
	rec := httptest.NewRecorder()
	runtime.DefaultHTTPErrorHandler(context.Background(), runtime.NewServeMux(), &runtime.JSONPb{}, rec, httptest.NewRequest("GET", "/", nil), err)
	if rec.Code != 500 {
		t.Logf("grpc-gateway's default handler answered %d", rec.Code)
	}
}

func TestMiddlewareRecoversPanics(t *testing.T) {
	var got any
	h := httpmap.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret panic") }),
		httpmap.WithPanicHandler(func(_ *http.Request, v any) { got = v }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") || got != "secret panic" {
		t.Errorf("panic: %d %s, handler got %v", rec.Code, rec.Body, got)
	}
	h = httpmap.Handler(func(http.ResponseWriter, *http.Request) error { return faults.New(codes.NotFound, "no vm") })
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 404 {
		t.Errorf("Handler: %d", rec.Code)
	}
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("ErrAbortHandler was not passed on: %v", v)
		}
	}()
	httpmap.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

func TestParseBodyShapes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string // fault type
		meta   map[string]string
	}{
		{"gateway foreign", 404, `{"code":5,"message":"no bucket","details":[]}`, "NotFound", map[string]string{"grpcCode": "NotFound"}},
		{"google", 403, `{"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED","details":[]}}`, "NoPermission", nil},
		{"google unknown status", 429, `{"error":{"code":429,"message":"slow down","status":"WHATEVER"}}`, "InsufficientResourcesFault", nil},
		{"vsphere /api", 404, `{"error_type":"NOT_FOUND","messages":[{"default_message":"VM vm-9 not found","id":"x","args":[]}]}`, "NotFound", map[string]string{"vapiErrorType": "NOT_FOUND"}},
		{"vsphere /rest", 400, `{"type":"com.vmware.vapi.std.errors.already_exists","value":{"messages":[{"default_message":"exists"}]}}`, "AlreadyExists", map[string]string{"vapiErrorType": "ALREADY_EXISTS"}},
		{"vsphere quota", 422, `{"error_type":"UNABLE_TO_ALLOCATE_RESOURCE","messages":[]}`, "QuotaExceeded", nil},
		{"html", 502, `<html><body>Bad Gateway</body></html>`, "ServiceUnavailable", map[string]string{"body": "<html><body>Bad Gateway</body></html>"}},
		{"empty", 503, ``, "ServiceUnavailable", nil},
		{"truncated json", 500, `{"code":13,"mess`, "SystemError", nil},
		{"wrong types", 400, `{"code":"five","message":7}`, "InvalidArgument", nil},
		{"code out of range", 409, `{"code":99,"message":"x"}`, "ConcurrentAccess", nil},
	} {
		f := httpmap.ParseBody(tc.status, []byte(tc.body))
		if f == nil || f.FaultType() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, f, tc.want)
			continue
		}
		for k, v := range tc.meta {
			if got, _ := f.MetadataValue(k); got != v {
				t.Errorf("%s: metadata %s = %q, want %q", tc.name, k, got, v)
			}
		}
		var re *httpmap.ResponseError
		if !errors.As(f, &re) || re.StatusCode != tc.status {
			t.Errorf("%s: cause is not the response", tc.name)
		}
	}
	if httpmap.ParseBody(200, nil) != nil {
		t.Error("ParseBody(200) != nil")
	}
	if f := httpmap.ParseBody(400, []byte(strings.Repeat("é", 2000))); len(mustMeta(f, "body")) > 512 {
		t.Error("the body excerpt is not bounded")
	}
}

func mustMeta(f *faults.Error, k string) string { v, _ := f.MetadataValue(k); return v }

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
	start := time.Now()
	f, err := httpmap.ParseResponse(&http.Response{StatusCode: 500, Body: body})
	if err != nil || f == nil || f.FaultType() != "SystemError" {
		t.Fatalf("ParseResponse = %v, %v", f, err)
	}
	if body.n > httpmap.MaxBodyBytes+64<<10 || time.Since(start) > 5*time.Second {
		t.Errorf("read %d bytes in %v", body.n, time.Since(start))
	}
	if _, err := httpmap.ParseResponse(nil); err == nil {
		t.Error("ParseResponse(nil) succeeded")
	}
	if f, err := httpmap.ParseResponse(&http.Response{StatusCode: 204, Body: io.NopCloser(strings.NewReader(""))}); f != nil || err != nil {
		t.Error("a 204 gave a fault")
	}
}

func TestCodeFromHTTP(t *testing.T) {
	for st, want := range map[int]grpccodes.Code{400: grpccodes.InvalidArgument, 401: grpccodes.Unauthenticated, 403: grpccodes.PermissionDenied,
		404: grpccodes.NotFound, 409: grpccodes.Aborted, 412: grpccodes.FailedPrecondition, 422: grpccodes.InvalidArgument,
		429: grpccodes.ResourceExhausted, 499: grpccodes.Canceled, 418: grpccodes.InvalidArgument, 500: grpccodes.Internal,
		501: grpccodes.Unimplemented, 502: grpccodes.Unavailable, 503: grpccodes.Unavailable, 504: grpccodes.DeadlineExceeded,
		599: grpccodes.Internal, 302: grpccodes.Unknown} {
		if got := httpmap.CodeFromHTTP(st); got != want {
			t.Errorf("CodeFromHTTP(%d) = %v, want %v", st, got, want)
		}
	}
	// Where grpc-gateway's table is one-to-one, the reverse inverts it.
	for _, c := range []grpccodes.Code{grpccodes.Canceled, grpccodes.DeadlineExceeded, grpccodes.NotFound, grpccodes.PermissionDenied,
		grpccodes.ResourceExhausted, grpccodes.Unimplemented, grpccodes.Unavailable, grpccodes.Unauthenticated} {
		if got := httpmap.CodeFromHTTP(httpmap.HTTPStatus(c)); got != c {
			t.Errorf("CodeFromHTTP(HTTPStatus(%v)) = %v", c, got)
		}
	}
}

func FuzzParseBody(f *testing.F) {
	for _, s := range []string{`{"code":5,"message":"x","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R","metadata":{"gssCode":"GSS-VSP-005"}}]}`,
		`{"error":{"code":404,"status":"NOT_FOUND"}}`, `{"error_type":"NOT_FOUND"}`, `{"type":"com.vmware.vapi.std.errors.not_found","value":{}}`, `<html>`, ``} {
		f.Add(404, []byte(s))
	}
	f.Fuzz(func(t *testing.T, st int, body []byte) {
		st = 400 + (st%200+200)%200
		got := httpmap.ParseBody(st, body)
		if got == nil || !got.Code().Valid() {
			t.Fatalf("ParseBody(%d, %q) = %v", st, body, got)
		}
		var re *httpmap.ResponseError
		if !errors.As(got, &re) || len(re.Body) > 512 || !utf8.ValidString(re.Body) {
			t.Fatalf("cause missing or unbounded")
		}
	})
}

func jsonDecode(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}
