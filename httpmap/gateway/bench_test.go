package gateway_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/gateway"
)

// discard is a ResponseWriter that keeps nothing, so the benchmark measures
// the handlers, not the recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkWriteHTTP writes the same fault (ErrorInfo + RetryInfo, its
// status error as the gateway receives it) with WriteError, with our
// gateway handler and with grpc-gateway's DefaultHTTPErrorHandler.
func BenchmarkWriteHTTP(b *testing.B) {
	err := faults.New(codes.TaskInProgress, "vm-42 has a task in progress").WithRequestID("req-1").GRPCStatus().Err()
	req := httptest.NewRequest(http.MethodGet, "/v1/vms/vm-42", nil)
	mux := runtime.NewServeMux()
	m := &runtime.JSONPb{}
	ctx := context.Background()
	b.Run("gssfault", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			httpmap.WriteError(&discard{h: http.Header{}}, req, err)
		}
	})
	b.Run("gssfault-gateway", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			gateway.ErrorHandler(ctx, mux, m, &discard{h: http.Header{}}, req, err)
		}
	})
	b.Run("grpc-gateway", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			runtime.DefaultHTTPErrorHandler(ctx, mux, m, &discard{h: http.Header{}}, req, err)
		}
	})
}
