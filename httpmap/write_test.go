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
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere/release"
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
	b, _ := io.ReadAll(record(faults.New(codes.SystemError, secret), httpmap.WithPolicy(faults.Policy{ExposeInternal: true})).Body)
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

func jsonDecode(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

func allEntries() []registry.Entry { return registry.Default().All() }

// TestEveryEntryWithNoOptions: every catalog entry written with no options
// answers its catalog status and parses back to its own code: the zero
// Target never replaces one fault with another (issue 15).
func TestEveryEntryWithNoOptions(t *testing.T) {
	for _, e := range allEntries() {
		resp := record(faults.FromEntry(e, "m", nil))
		if resp.StatusCode != httpmap.EntryStatus(e) {
			t.Errorf("%s %s: HTTP %d, want its catalog status %d", e.Code, e.FaultType, resp.StatusCode, httpmap.EntryStatus(e))
		}
		got, _ := httpmap.ParseResponse(resp)
		if got.Code() != e.Code || got.FaultType() != e.FaultType {
			t.Errorf("%s %s: parsed back as %s %s", e.Code, e.FaultType, got.Code(), got.FaultType())
		}
	}
}

// TestForeignStatusesAnswerTheirGRPCCode: a status from a service that
// does not use gssfault gets grpc-gateway's status for its code and is
// written as it came: no subcode, no vSphere Help, its details kept.
func TestForeignStatusesAnswerTheirGRPCCode(t *testing.T) {
	pf := &errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{Type: "TOS", Subject: "google.com/cloud", Description: "not accepted"}}}
	st, _ := status.New(grpccodes.FailedPrecondition, "terms not accepted").WithDetails(pf)
	for _, tgt := range []httpmap.Target{{}, {Version: release.V803}, {Version: release.V800}} {
		resp := record(st.Err(), httpmap.WithTarget(tgt))
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 400 || bytes.Contains(b, []byte("vm.power.state")) || bytes.Contains(b, []byte("gssCode")) || !bytes.Contains(b, []byte("PreconditionFailure")) {
			t.Errorf("%v: %d %s", tgt, resp.StatusCode, b)
		}
	}
	if got := record(status.Error(grpccodes.OutOfRange, "page 9")).StatusCode; got != 400 {
		t.Errorf("OutOfRange answered %d, want grpc-gateway's 400", got)
	}
	// A Google-style error's Help link is its own, not replaced.
	help := &errdetails.Help{Links: []*errdetails.Help_Link{{Description: "quota", Url: "https://cloud.google.com/docs/quotas"}}}
	st, _ = status.New(grpccodes.ResourceExhausted, "quota").WithDetails(help)
	b, _ := io.ReadAll(record(st.Err()).Body)
	if !bytes.Contains(b, []byte("cloud.google.com/docs/quotas")) || bytes.Contains(b, []byte("broadcom")) {
		t.Errorf("Help replaced: %s", b)
	}
}

func TestShapesAndNegotiation(t *testing.T) {
	f := faults.New(codes.TaskInProgress, "vm-42 is busy")
	for accept, want := range map[string]string{
		"":                         "application/json",
		"application/json":         "application/json",
		"application/problem+json": "application/problem+json",
		"application/json;q=0.5, application/problem+json": "application/problem+json",
		"application/problem+json;q=0.2, application/json": "application/json",
		"*/*":                               "application/json",
		"application/problem+json;q=0, */*": "application/json",
	} {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/vms/vm-42?token=secret", nil)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		httpmap.WriteError(rec, r, f)
		if ct := rec.Header().Get("Content-Type"); ct != want {
			t.Errorf("Accept %q: Content-Type %q, want %q", accept, ct, want)
		}
	}
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/vms/vm-42?token=secret", nil)
	r.Header.Set("Accept", "application/problem+json")
	httpmap.WriteError(rec, r, f)
	var p map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]any{"type": httpmap.ProblemTypeBase + "gss-vsp-014", "title": "TaskInProgress", "status": 409.0,
		"detail": "vm-42 is busy", "instance": "/vms/vm-42", "code": "GSS-VSP-014", "grpcCode": "ABORTED", "retryable": true, "retryDelay": "5s"} {
		if p[k] != v {
			t.Errorf("problem %s = %v, want %v", k, p[k], v)
		}
	}
	var g struct {
		Error struct {
			Code    int    `json:"code"`
			Status  string `json:"status"`
			Message string `json:"message"`
			Details []any  `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal(httpmap.Render(nil, f, httpmap.WithShape(httpmap.GoogleShape)).Body, &g); err != nil ||
		g.Error.Code != 409 || g.Error.Status != "ABORTED" || g.Error.Message != "vm-42 is busy" || len(g.Error.Details) != 3 {
		t.Errorf("Google shape: %+v, %v", g, err)
	}
	// A foreign status's problem has type about:blank and no GSS code.
	b := httpmap.Render(nil, status.Error(grpccodes.NotFound, "gone"), httpmap.WithShape(httpmap.ProblemShape)).Body
	if !bytes.Contains(b, []byte(`"type":"about:blank"`)) || bytes.Contains(b, []byte(`"code"`)) {
		t.Errorf("foreign problem: %s", b)
	}
}

// TestNegotiationOverARealServer: a real server (httpmap.Handler and
// Middleware behind net/http) and a real client; the Accept header picks
// the shape, and ParseResponse reads each shape back to an equal fault.
func TestNegotiationOverARealServer(t *testing.T) {
	f := faults.New(codes.TaskInProgress, "vm-42 is busy").WithRequestID("req-7").WithObject("VirtualMachine:vm-42")
	mux := http.NewServeMux()
	mux.Handle("/handler", httpmap.Handler(func(http.ResponseWriter, *http.Request) error { return f }))
	mux.Handle("/middleware", httpmap.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(f) })))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	const path = "/handler"
	for accept, want := range map[string]string{
		"":                         "application/json",
		"application/problem+json": "application/problem+json",
		"application/json;q=0.4, application/problem+json;q=0.9": "application/problem+json",
		"text/html, application/json":                            "application/json",
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if ct := resp.Header.Get("Content-Type"); ct != want || resp.StatusCode != 409 || resp.Header.Get("Retry-After") != "5" {
			t.Errorf("%s, Accept %q: %d %q Retry-After %q, want 409 %q", path, accept, resp.StatusCode, ct, resp.Header.Get("Retry-After"), want)
		}
		got, err := httpmap.ParseResponse(resp)
		if err != nil || got.Code() != f.Code() || got.Message() != f.Message() || got.RequestID() != "req-7" ||
			got.Object() != f.Object() || got.RetryDelay() != f.RetryDelay() || !errors.Is(got, faults.Code(codes.TaskInProgress)) {
			t.Errorf("%s, Accept %q: read back as %v (%v)", path, accept, got, err)
		}
	}
	// A panic in Middleware is Internal: the client sees only the generic
	// message, in the shape it asked for.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/middleware", nil)
	req.Header.Set("Accept", "application/problem+json")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := httpmap.ParseResponse(resp)
	if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "application/problem+json" || strings.Contains(got.Message(), "vm-42") {
		t.Errorf("panic answered %d %q: %v", resp.StatusCode, resp.Header.Get("Content-Type"), got)
	}
}

// TestThirdPartyProblemDetails reads RFC 9457's own example (section 3,
// testdata/http) as a peer sent it: a fault with the HTTP status's code,
// the body's detail as message. The extension members are not modelled;
// they stay readable in the cause's body excerpt (a ResponseError), not in
// metadata (see ParseResponse).
func TestThirdPartyProblemDetails(t *testing.T) {
	body, err := os.ReadFile("../testdata/http/rfc9457_out_of_credit.json")
	if err != nil {
		t.Fatal(err)
	}
	resp := &http.Response{StatusCode: 403, Header: http.Header{"Content-Type": {"application/problem+json"}}, Body: io.NopCloser(bytes.NewReader(body))}
	got, err := httpmap.ParseResponse(resp)
	if err != nil || got.GRPCCode() != grpccodes.PermissionDenied || !strings.Contains(got.Message(), "Your current balance is 30, but that costs 50.") {
		t.Errorf("RFC 9457 example read as %v (%v): %s", got, err, body)
	}
	var re *httpmap.ResponseError
	if !errors.As(got, &re) || !strings.Contains(re.Body, `"balance": 30`) || !strings.Contains(re.Body, `"/account/12345/msgs/abc"`) {
		t.Errorf("the extension members are not in the cause's excerpt: %+v", re)
	}
}

// TestParseBodySkipsUnlinkedDetails: a detail whose type this program does
// not link cannot be read from JSON (protojson needs the type); it is
// skipped and the rest of the body is read, as ParseBody documents.
func TestParseBodySkipsUnlinkedDetails(t *testing.T) {
	body := []byte(`{"code": 9, "message": "order o-1 is on hold", "details": [
		{"@type": "type.googleapis.com/acme.orders.v1.Hold", "orderId": "o-1"},
		{"@type": "type.googleapis.com/google.rpc.PreconditionFailure", "violations": [{"type": "HOLD", "subject": "o-1"}]}]}`)
	f, ok := httpmap.ParseBody(400, body)
	if !ok || f.GRPCCode() != grpccodes.FailedPrecondition || f.Message() != "order o-1 is on hold" {
		t.Fatalf("read as %v (%v)", f, ok)
	}
	want := &errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{Type: "HOLD", Subject: "o-1"}}}
	if ds := f.Details(); len(ds) != 1 || !proto.Equal(ds[0], want) {
		t.Errorf("details = %v, want only the PreconditionFailure", ds)
	}
}
