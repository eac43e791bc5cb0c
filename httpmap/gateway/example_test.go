package gateway_test

import (
	"fmt"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/gateway"
)

func ExampleErrorHandler() {
	mux := runtime.NewServeMux(runtime.WithErrorHandler(gateway.ErrorHandler))
	fmt.Println(mux != nil)
	// Output: true
}

func ExampleNewErrorHandler() {
	h := gateway.NewErrorHandler(httpmap.WithTarget(httpmap.Target{Version: httpmap.V70U3}), httpmap.WithGoogleShape())
	mux := runtime.NewServeMux(runtime.WithErrorHandler(h))
	fmt.Println(mux != nil)
	// Output: true
}
