package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/gateway"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere/release"
)

// foreignStatus is a status from a service that does not use gssfault:
// BadRequest, RetryInfo and a detail of a type gssfault does not model.
func foreignStatus() *status.Status {
	st, _ := status.New(grpccodes.InvalidArgument, "spec.name is empty").WithDetails(
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "spec.name", Description: "must not be empty"}}},
		&errdetails.RetryInfo{RetryDelay: durationpb.New(2 * time.Second)},
		wrapperspb.String("a detail type gssfault does not model"),
	)
	return st
}

type server struct {
	healthpb.UnimplementedHealthServer
}

// sent is the fault the server returns for a code.
func sent(e registry.Entry) *faults.Error {
	f := faults.FromEntry(e, "server says "+string(e.Code)+" \"quoted\" ünïcode", errors.New("server-side secret")).
		WithRequestID("req-1").WithObject("VirtualMachine:vm-7").WithOp("PowerOnVM_Task").
		WithDuration(1500*time.Millisecond).WithLocalized("de-DE", "Fehler "+string(e.Code)).
		WithMetadata(faults.Field{Key: "hostName", Value: "esx-01"}, faults.Field{Key: "privilege", Value: "VirtualMachine.Interact.PowerOn"})
	if e.Retryable {
		f = f.WithRetryDelay(2500 * time.Millisecond)
	}
	return f
}

func (server) Check(ctx context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	_ = grpc.SetHeader(ctx, metadata.Pairs("x-served-by", "unit-test"))
	_ = grpc.SetTrailer(ctx, metadata.Pairs("x-trailer", "t1"))
	switch req.GetService() {
	case "foreign":
		return nil, foreignStatus().Err()
	case "unauthenticated":
		return nil, status.Error(grpccodes.Unauthenticated, "session expired")
	}
	if e, ok := registry.Default().Lookup(codes.Code(req.GetService())); ok {
		return nil, sent(e)
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

// relay is a gRPC server that calls the origin through the client
// interceptor and returns what it gets, as a service in the middle does.
type relay struct {
	healthpb.UnimplementedHealthServer
	origin healthpb.HealthClient
}

func (r relay) Check(ctx context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	return r.origin.Check(ctx, req)
}

// serve runs srv on bufconn with the server options and returns a client
// with the client options.
func serve(t *testing.T, srv healthpb.HealthServer, sopts []grpc.ServerOption, copts ...grpc.DialOption) healthpb.HealthClient {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	s := grpc.NewServer(sopts...)
	healthpb.RegisterHealthServer(s, srv)
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	cc, err := grpc.NewClient("passthrough:///bufnet", append([]grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials())}, copts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return healthpb.NewHealthClient(cc)
}

// gatewayURL puts a grpc-gateway mux with the given options in front of
// client on a loopback HTTP server: GET /v1/check/{service} calls Check,
// forwarding the header and trailer metadata as generated gateway code
// does.
func gatewayURL(t *testing.T, client healthpb.HealthClient, opts ...runtime.ServeMuxOption) string {
	t.Helper()
	mux := runtime.NewServeMux(opts...)
	err := mux.HandlePath(http.MethodGet, "/v1/check/{service}", func(w http.ResponseWriter, r *http.Request, p map[string]string) {
		_, outbound := runtime.MarshalerForRequest(mux, r)
		var header, trailer metadata.MD
		resp, err := client.Check(r.Context(), &healthpb.HealthCheckRequest{Service: p["service"]}, grpc.Header(&header), grpc.Trailer(&trailer))
		ctx := runtime.NewServerMetadataContext(r.Context(), runtime.ServerMetadata{HeaderMD: header, TrailerMD: trailer})
		if err != nil {
			runtime.HTTPError(ctx, mux, outbound, w, r, err)
			return
		}
		b, _ := outbound.Marshal(resp)
		_, _ = w.Write(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = mux.HandlePath(http.MethodPost, "/v1/teapot", func(w http.ResponseWriter, r *http.Request, _ map[string]string) {
		_, outbound := runtime.MarshalerForRequest(mux, r)
		runtime.HTTPError(r.Context(), mux, outbound, w, r, &runtime.HTTPStatusError{HTTPStatus: http.StatusMethodNotAllowed,
			Err: status.Error(grpccodes.Unimplemented, http.StatusText(http.StatusMethodNotAllowed))})
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return hs.URL
}

func get(t *testing.T, url string, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func origin(t *testing.T) healthpb.HealthClient {
	return serve(t, server{}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())})
}

// Every catalog fault crosses gRPC and the gateway, and ParseResponse reads
// back an equal fault.
func TestEveryEntryThroughGateway(t *testing.T) {
	base := gatewayURL(t, origin(t), runtime.WithErrorHandler(gateway.ErrorHandler))
	for _, e := range registry.Default().All() {
		resp := get(t, base+"/v1/check/"+string(e.Code))
		want := sent(e)
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", e.Code, ct)
		}
		if resp.StatusCode != httpmap.EntryStatus(e) {
			t.Errorf("%s %s: HTTP %d, want %d", e.Code, e.FaultType, resp.StatusCode, httpmap.EntryStatus(e))
		}
		if e.Retryable != (resp.Header.Get("Retry-After") != "") {
			t.Errorf("%s: Retry-After %q for retryable=%v", e.Code, resp.Header.Get("Retry-After"), e.Retryable)
		}
		got, err := httpmap.ParseResponse(resp)
		if err != nil {
			t.Fatal(err)
		}
		wantLoc, _ := want.Localized()
		gotLoc, _ := got.Localized()
		if got.Code() != e.Code || got.Retryable() != e.Retryable || got.RetryDelay() != want.RetryDelay() ||
			got.RequestID() != "req-1" || got.Object() != want.Object() || got.Op() != want.Op() || got.Duration() != want.Duration() || gotLoc != wantLoc {
			t.Errorf("%s: parsed %v (delay %v, req %q, obj %q, op %q, dur %v, loc %v)", e.Code, got, got.RetryDelay(),
				got.RequestID(), got.Object(), got.Op(), got.Duration(), gotLoc)
		}
		if diff := cmp.Diff(want.Metadata(), got.Metadata()); diff != "" {
			t.Errorf("%s: metadata (-sent +parsed):\n%s", e.Code, diff)
		}
		internal := e.GRPCCode == grpccodes.Internal || e.GRPCCode == grpccodes.Unknown
		if internal == (got.Message() == want.Message()) {
			t.Errorf("%s: message %q (internal %v)", e.Code, got.Message(), internal)
		}
	}
}

// TestForeignStatusArrivesEqual: a status with BadRequest, RetryInfo and
// a detail of a type gssfault does not model crosses a client interceptor,
// a handler, a server interceptor, a real grpc-gateway mux and
// ParseResponse, and arrives equal to what the origin sent (issue 15).
func TestForeignStatusArrivesEqual(t *testing.T) {
	// The relay's client to the origin goes through the client interceptor.
	o := serve(t, server{}, nil, grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	middle := serve(t, relay{origin: o}, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())})
	base := gatewayURL(t, middle, runtime.WithErrorHandler(gateway.ErrorHandler))
	resp := get(t, base+"/v1/check/foreign")
	if resp.StatusCode != 400 {
		t.Errorf("HTTP %d, want grpc-gateway's 400 for INVALID_ARGUMENT", resp.StatusCode)
	}
	f, err := httpmap.ParseResponse(resp)
	if err != nil {
		t.Fatal(err)
	}
	got := (faults.Policy{ExposeInternal: true}).Status(f).Proto()
	if diff := cmp.Diff(foreignStatus().Proto(), got, cmpProto()); diff != "" {
		t.Errorf("the status arrived changed (-sent +arrived):\n%s", diff)
	}
	if f.FromCatalog() || f.RetryDelay() != 0 || f.Retryable() {
		t.Errorf("Go side: %v catalog=%v retryable=%v delay=%v", f, f.FromCatalog(), f.Retryable(), f.RetryDelay())
	}
}

// TestGatewayConventions: the handler honours what grpc-gateway's default
// handler honours: the mux's marshaler, its forward-response rewriter,
// header metadata, trailer metadata with "TE: trailers", WWW-Authenticate,
// and a runtime.HTTPStatusError's status.
func TestGatewayConventions(t *testing.T) {
	o := origin(t)
	// Another marshaler: proto field names.
	protoNames := &runtime.JSONPb{MarshalOptions: protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}}
	base := gatewayURL(t, o, runtime.WithErrorHandler(gateway.ErrorHandler), runtime.WithMarshalerOption(runtime.MIMEWildcard, protoNames))
	resp := get(t, base+"/v1/check/"+string(codes.TaskInProgress), "TE", "trailers")
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `"retry_delay"`) {
		t.Errorf("the mux's marshaler was not used: %s", b)
	}
	// Trailers are announced as grpc-gateway's default handler announces
	// them for a request with "TE: trailers".
	if _, announced := resp.Trailer["Grpc-Trailer-X-Trailer"]; resp.Header.Get("Grpc-Metadata-X-Served-By") != "unit-test" || !announced {
		t.Errorf("metadata: header %v trailer %v", resp.Header, resp.Trailer)
	}
	if resp.StatusCode != 409 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("HTTP %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// A forward-response rewriter changes the error body too.
	rewriter := func(_ context.Context, m proto.Message) (any, error) {
		return structpb.NewStruct(map[string]any{"wrapped": true})
	}
	base = gatewayURL(t, o, runtime.WithErrorHandler(gateway.ErrorHandler), runtime.WithForwardResponseRewriter(rewriter))
	b, _ = io.ReadAll(get(t, base+"/v1/check/"+string(codes.NotFound)).Body)
	if strings.TrimSpace(string(b)) != `{"wrapped":true}` {
		t.Errorf("rewritten body = %s", b)
	}
	base = gatewayURL(t, o, runtime.WithErrorHandler(gateway.ErrorHandler))
	resp = get(t, base+"/v1/check/unauthenticated")
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("401: %d WWW-Authenticate %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/teapot", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("HTTPStatusError(405) answered %d", resp.StatusCode)
	}
	// Routing errors go through the handler as the statuses grpc-gateway
	// makes of them; a client can tell them from catalog faults.
	resp = get(t, base+"/v1/nowhere")
	f, _ := httpmap.ParseResponse(resp)
	if resp.StatusCode != 404 || f.FromCatalog() {
		t.Errorf("routing error: %d %v (from catalog %v)", resp.StatusCode, f, f.FromCatalog())
	}
}

// The default grpc-gateway handler and ours write the same JSON (decoded
// and compared) for the same fault.
func TestSameJSONAsDefaultHandler(t *testing.T) {
	o := origin(t)
	ours := gatewayURL(t, o, runtime.WithErrorHandler(gateway.ErrorHandler))
	def := gatewayURL(t, o)
	for _, c := range []codes.Code{codes.TaskInProgress, codes.NotFound, codes.HostNotReachable, codes.NoPermission} {
		decode := func(url string) map[string]any {
			resp := get(t, url+"/v1/check/"+string(c))
			defer resp.Body.Close()
			var m map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		if diff := cmp.Diff(decode(def), decode(ours), emptyIsAbsent()); diff != "" {
			t.Errorf("%s: body differs from grpc-gateway's (-default +ours):\n%s", c, diff)
		}
	}
}

func TestShapesAndTarget(t *testing.T) {
	base := gatewayURL(t, origin(t), runtime.WithErrorHandler(gateway.NewErrorHandler(
		httpmap.WithShape(httpmap.GoogleShape), httpmap.WithTarget(httpmap.Target{Version: release.V800}))))
	resp := get(t, base+"/v1/check/"+string(codes.NoPermission))
	var body struct {
		Error struct {
			Code    int    `json:"code"`
			Status  string `json:"status"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 401 || body.Error.Code != 401 || body.Error.Status != "PERMISSION_DENIED" || body.Error.Message == "" {
		t.Errorf("8.0 NoPermission, Google shape: %d %+v", resp.StatusCode, body.Error)
	}
	// A 401 carries a challenge (RFC 9110, 15.5.2), here httpmap's default.
	if got := resp.Header.Get("WWW-Authenticate"); got != "Bearer" {
		t.Errorf("8.0 NoPermission: WWW-Authenticate %q, want Bearer", got)
	}
	// A request that prefers problem details gets them.
	base = gatewayURL(t, origin(t), runtime.WithErrorHandler(gateway.ErrorHandler))
	resp = get(t, base+"/v1/check/"+string(codes.NotFound), "Accept", "application/problem+json")
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q", ct)
	}
	f, _ := httpmap.ParseResponse(resp)
	if f.Code() != codes.NotFound || f.RequestID() != "req-1" {
		t.Errorf("problem details read back as %v", f)
	}
}

func cmpProto() cmp.Option { return protocmp.Transform() }

// emptyIsAbsent treats an empty string, list or object as a missing key:
// grpc-gateway's default marshaler writes unpopulated fields, httpmap
// leaves them out; both decode to the same message.
func emptyIsAbsent() cmp.Option {
	return cmpopts.IgnoreMapEntries(func(_ string, v any) bool {
		switch x := v.(type) {
		case string:
			return x == ""
		case []any:
			return len(x) == 0
		case map[string]any:
			return len(x) == 0
		}
		return false
	})
}
