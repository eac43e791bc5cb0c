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
	"github.com/gssfault/gssfault/internal/testenv"
)

// TestWriteAllocations guards the allocation counts make bench measured
// for writing a received status over HTTP (issue 15); grpc-gateway's
// default handler allocates 122 times for the same answer.
func TestWriteAllocations(t *testing.T) {
	if testing.CoverMode() != "" || testenv.Race {
		t.Skip("coverage and the race detector change allocation counts; make test runs this again without the race detector")
	}
	err := faults.New(codes.TaskInProgress, "vm-42 has a task in progress").WithRequestID("req-1").GRPCStatus().Err()
	req := httptest.NewRequest(http.MethodGet, "/v1/vms/vm-42", nil)
	mux, m := runtime.NewServeMux(), &runtime.JSONPb{}
	for name, tc := range map[string]struct {
		limit float64
		fn    func()
	}{
		"WriteError":   {49, func() { httpmap.WriteError(&discard{h: http.Header{}}, req, err) }},
		"ErrorHandler": {66, func() { gateway.ErrorHandler(context.Background(), mux, m, &discard{h: http.Header{}}, req, err) }},
	} {
		if n := testing.AllocsPerRun(200, tc.fn); n > tc.limit {
			t.Errorf("%s allocates %v times, want at most %v", name, n, tc.limit)
		}
	}
}
