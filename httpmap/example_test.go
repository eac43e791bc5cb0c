package httpmap_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gssfault/gssfault/vsphere/release"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
)

func ExampleStatusFor() {
	f := faults.New(codes.NoPermission, "cannot power on")
	fmt.Println(httpmap.StatusFor(f, httpmap.Target{Version: release.V800}))
	fmt.Println(httpmap.StatusFor(f, httpmap.Target{Version: release.V800, RBACv2: true}))
	fmt.Println(httpmap.StatusFor(f, httpmap.Target{Version: release.V803}))
	// Output:
	// 401
	// 403
	// 403
}

func ExampleMap() {
	m := httpmap.Map(faults.New(codes.ServiceUnavailable, "vpxd starting"), httpmap.Target{Version: release.V67U2})
	fmt.Println(m.Status, m.Fault.FaultType())
	// Output: 503 SystemError
}

func ExampleHTTPStatus() {
	fmt.Println(httpmap.HTTPStatus(grpccodes.FailedPrecondition), httpmap.HTTPStatus(grpccodes.Canceled))
	// Output: 400 499
}

func ExampleCodeFromHTTP() {
	fmt.Println(httpmap.CodeFromHTTP(409), httpmap.CodeFromHTTP(503))
	// Output: Aborted Unavailable
}

func ExampleWriteError() {
	rec := httptest.NewRecorder()
	httpmap.WriteError(rec, httptest.NewRequest("POST", "/vms/vm-42/power", nil),
		faults.New(codes.TaskInProgress, "vm-42 has a task in progress"),
		httpmap.WithTarget(httpmap.Target{Version: release.V803}))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Retry-After"))
	// Output: 409 application/json 5
}

func ExampleParseResponse() {
	resp := &http.Response{StatusCode: 404, Body: io.NopCloser(strings.NewReader(
		`{"error_type":"NOT_FOUND","messages":[{"default_message":"VM vm-9 not found"}]}`))}
	f, _ := httpmap.ParseResponse(resp)
	fmt.Println(f.Code(), f.FaultType(), f.Message())
	// Output: GSS-VSP-005 NotFound VM vm-9 not found
}

func ExampleHandler() {
	h := httpmap.Handler(func(w http.ResponseWriter, r *http.Request) error {
		return faults.New(codes.ManagedObjectNotFound, "vm-42 was deleted")
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/vms/vm-42", nil))
	fmt.Println(rec.Code)
	// Output: 404
}

func ExampleMiddleware() {
	h := httpmap.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("bug") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	fmt.Println(rec.Code)
	// Output: 500
}
