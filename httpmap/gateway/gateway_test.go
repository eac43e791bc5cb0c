package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/gssfault/gssfault/vsphere/release"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/test/bufconn"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/gateway"
	"github.com/gssfault/gssfault/registry"
)

type server struct {
	healthpb.UnimplementedHealthServer
}

// sent is the fault the server returns for a code.
func sent(e registry.Entry) *faults.Error {
	f := faults.FromEntry(e, "server says "+string(e.Code)+" \"quoted\" ünïcode", errors.New("server-side secret")).
		WithRequestID("req-1").WithObject("VirtualMachine:vm-7").WithOp("PowerOnVM_Task").
		WithDuration(1500*time.Millisecond).WithLocalized("de-DE", "Fehler "+string(e.Code)).
		WithMetadata("hostName", "esx-01").WithMetadata("privilege", "VirtualMachine.Interact.PowerOn")
	if e.Retryable {
		f = f.WithRetryDelay(2500 * 1e6)
	}
	return f
}

func (server) Check(_ context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	if e, ok := registry.Default().Lookup(codes.Code(req.GetService())); ok {
		return nil, sent(e)
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

// gatewayURL runs a gRPC server on bufconn and a grpc-gateway mux in front
// of it on a loopback HTTP server; GET /v1/check/{service} calls Check.
func gatewayURL(t *testing.T, handler runtime.ErrorHandlerFunc) string {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	s := grpc.NewServer(grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor()))
	healthpb.RegisterHealthServer(s, server{})
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	cc, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	client := healthpb.NewHealthClient(cc)
	mux := runtime.NewServeMux(runtime.WithErrorHandler(handler))
	marshaler := &runtime.JSONPb{}
	err = mux.HandlePath(http.MethodGet, "/v1/check/{service}", func(w http.ResponseWriter, r *http.Request, p map[string]string) {
		resp, err := client.Check(r.Context(), &healthpb.HealthCheckRequest{Service: p["service"]})
		if err != nil {
			runtime.HTTPError(r.Context(), mux, marshaler, w, r, err)
			return
		}
		b, _ := marshaler.Marshal(resp)
		_, _ = w.Write(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return hs.URL
}

func get(t *testing.T, url string) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// Every catalog fault crosses gRPC and the gateway, and ParseResponse reads
// back an equal fault.
func TestEveryEntryThroughGateway(t *testing.T) {
	base := gatewayURL(t, gateway.ErrorHandler)
	for _, e := range registry.Default().All() {
		resp := get(t, base+"/v1/check/"+string(e.Code))
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", e.Code, ct)
		}
		want := sent(e)
		wantStatus := httpmap.StatusFor(want, httpmap.Target{})
		if resp.StatusCode != wantStatus {
			t.Errorf("%s %s: HTTP %d, want %d", e.Code, e.FaultType, resp.StatusCode, wantStatus)
		}
		if e.Retryable != (resp.Header.Get("Retry-After") != "") {
			t.Errorf("%s: Retry-After %q for retryable=%v", e.Code, resp.Header.Get("Retry-After"), e.Retryable)
		}
		if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: 401 without WWW-Authenticate", e.Code)
		}
		got, err := httpmap.ParseResponse(resp)
		if err != nil {
			t.Fatal(err)
		}
		m := httpmap.Map(want, httpmap.Target{})
		reported := m.Fault
		if got.Code() != reported.Code() || got.FaultType() != reported.FaultType() || got.Retryable() != reported.Retryable() ||
			got.Impact() != reported.Impact() || got.RetryDelay() != reported.RetryDelay() {
			t.Errorf("%s: parsed %s %s retryable=%v impact=%v delay=%v, want %s %s %v %v %v", e.Code,
				got.Code(), got.FaultType(), got.Retryable(), got.Impact(), got.RetryDelay(),
				reported.Code(), reported.FaultType(), reported.Retryable(), reported.Impact(), reported.RetryDelay())
		}
		if reported.Retryable() && want.Retryable() && got.RetryDelay() != want.RetryDelay() {
			t.Errorf("%s: retry delay %v, want the server's %v", e.Code, got.RetryDelay(), want.RetryDelay())
		}
		if got.RequestID() != want.RequestID() || got.Object() != want.Object() || got.Op() != want.Op() || got.Duration() != want.Duration() {
			t.Errorf("%s: context req=%q obj=%q op=%q dur=%v, want %q %q %q %v", e.Code, got.RequestID(), got.Object(),
				got.Op(), got.Duration(), want.RequestID(), want.Object(), want.Op(), want.Duration())
		}
		if gl, _ := got.Localized(); gl != func() faults.LocalizedMessage { l, _ := want.Localized(); return l }() {
			t.Errorf("%s: localized %v", e.Code, gl)
		}
		// The wire adds the subcode and httpStatus to what the server set;
		// nothing else is added or lost.
		wantMeta := append(reported.Metadata(), faults.Field{Key: "httpStatus", Value: strconv.Itoa(resp.StatusCode)})
		if m.Subcode != "" {
			wantMeta = append(wantMeta, faults.Field{Key: "subcode", Value: m.Subcode})
		}
		sortFields := cmpopts.SortSlices(func(a, b faults.Field) bool { return a.Key < b.Key })
		if diff := cmp.Diff(wantMeta, got.Metadata(), sortFields); diff != "" {
			t.Errorf("%s: metadata (-want +got):\n%s", e.Code, diff)
		}
		internal := reported.GRPCCode() == grpccodes.Internal || reported.GRPCCode() == grpccodes.Unknown
		if !internal && got.Message() != want.Message() {
			t.Errorf("%s: message %q, want %q", e.Code, got.Message(), want.Message())
		}
		if internal && got.Message() == want.Message() {
			t.Errorf("%s: an internal message reached the HTTP client", e.Code)
		}
		if !errors.Is(got, faults.Code(reported.Code())) {
			t.Errorf("%s: errors.Is by code fails on the parsed fault", e.Code)
		}
	}
}

// The default grpc-gateway handler and ours write the same JSON (decoded and
// compared) for the same fault; only the HTTP status may differ, by the
// per-version table.
func TestSameJSONAsDefaultHandler(t *testing.T) {
	ours := gatewayURL(t, gateway.ErrorHandler)
	def := gatewayURL(t, runtime.DefaultHTTPErrorHandler)
	for _, c := range []codes.Code{codes.TaskInProgress, codes.NotFound, codes.HostNotReachable, codes.NoPermission} {
		decode := func(url string) (map[string]any, int) {
			resp := get(t, url+"/v1/check/"+string(c))
			defer resp.Body.Close()
			var m map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
				t.Fatal(err)
			}
			return m, resp.StatusCode
		}
		a, _ := decode(ours)
		b, _ := decode(def)
		if diff := cmp.Diff(b, a); diff != "" {
			t.Errorf("%s: body differs from grpc-gateway's (-default +ours):\n%s", c, diff)
		}
	}
}

func TestGoogleShapeAndTarget(t *testing.T) {
	base := gatewayURL(t, gateway.NewErrorHandler(httpmap.WithGoogleShape(), httpmap.WithTarget(httpmap.Target{Version: release.V800})))
	resp := get(t, base+"/v1/check/"+string(codes.NoPermission))
	if resp.StatusCode != 401 {
		t.Errorf("8.0 NoPermission through the gateway = %d, want 401", resp.StatusCode)
	}
	var body struct {
		Error struct {
			Code    int    `json:"code"`
			Status  string `json:"status"`
			Message string `json:"message"`
		} `json:"error"`
	}
	dec := json.NewDecoder(resp.Body)
	if err := dec.Decode(&body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if body.Error.Code != 401 || body.Error.Status != "PERMISSION_DENIED" || body.Error.Message == "" {
		t.Errorf("Google body = %+v", body.Error)
	}
	// Routing errors go through the handler too.
	resp = get(t, base+"/v1/nowhere")
	f, _ := httpmap.ParseResponse(resp)
	if resp.StatusCode != 404 || f.FaultType() != "NotFound" {
		t.Errorf("routing error: %d %v", resp.StatusCode, f)
	}
}
