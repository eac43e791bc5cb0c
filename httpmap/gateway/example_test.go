package gateway_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/gssfault/gssfault/vsphere/release"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/gateway"
)

// Install it with runtime.WithErrorHandler; here it is called as the mux
// calls it, with the status error a gRPC call returned.
func ExampleErrorHandler() {
	mux := runtime.NewServeMux(runtime.WithErrorHandler(gateway.ErrorHandler))
	err := faults.New(codes.InvalidPowerState, "vm-42 is powered off").GRPCStatus().Err()
	rec := httptest.NewRecorder()
	gateway.ErrorHandler(context.Background(), mux, &runtime.JSONPb{}, rec, httptest.NewRequest("POST", "/v1/vms/vm-42:reset", nil), err)
	f, _ := httpmap.ParseResponse(rec.Result())
	fmt.Println(rec.Code, f.FaultType(), f.Message())
	// Output: 409 InvalidPowerState vm-42 is powered off
}

func ExampleNewErrorHandler() {
	h := gateway.NewErrorHandler(httpmap.WithTarget(httpmap.Target{Version: release.V800}), httpmap.WithShape(httpmap.GoogleShape))
	rec := httptest.NewRecorder()
	h(context.Background(), runtime.NewServeMux(), &runtime.JSONPb{}, rec, httptest.NewRequest("GET", "/v1/vms", nil),
		faults.New(codes.NoPermission, "missing System.View").GRPCStatus().Err())
	fmt.Println(rec.Code, rec.Body.String()[:40])
	// Output: 401 {"error":{"code":401,"message":"missing
}
