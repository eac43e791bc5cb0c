package connectfault_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gssfault/gssfault/adapters/connectfault"
	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
)

// A connect handler returns a fault as it is; a connect client gets it back
// as a *faults.Error.
func ExampleNewInterceptor() {
	interceptor := connect.WithInterceptors(connectfault.NewInterceptor())

	const proc = "/example.v1.VMService/PowerOn"
	mux := http.NewServeMux()
	mux.Handle(proc, connect.NewUnaryHandler(proc,
		func(context.Context, *connect.Request[wrapperspb.StringValue]) (*connect.Response[wrapperspb.StringValue], error) {
			return nil, faults.New(codes.TaskInProgress, "vm-42 is busy")
		}, interceptor))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	client := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](srv.Client(), srv.URL+proc, interceptor)
	_, err := client.CallUnary(context.Background(), connect.NewRequest(wrapperspb.String("vm-42")))
	f, _ := faults.As(err)
	fmt.Println(errors.Is(err, faults.Code(codes.TaskInProgress)), connect.CodeOf(err))
	fmt.Println(f.Code(), f.FaultType(), f.Retryable(), f.RetryDelay())
	// Output:
	// true aborted
	// GSS-VSP-014 TaskInProgress true 5s
}

func ExampleToConnectError() {
	err := connectfault.ToConnectError(faults.New(codes.NotFound, "vm-42 not found"))
	var ce *connect.Error
	errors.As(err, &ce)
	fmt.Println(ce.Code(), ce.Message())
	for _, d := range ce.Details() {
		fmt.Println(d.Type())
	}
	// Output:
	// not_found vm-42 not found
	// google.rpc.ErrorInfo
	// google.rpc.Help
}

func ExampleFromError() {
	// An error as a connect client receives it from a gssfault server: a
	// code, a message and an ErrorInfo detail naming the GSS code.
	info, _ := connect.NewErrorDetail(&errdetails.ErrorInfo{
		Reason: "HOST_NOT_REACHABLE", Domain: "gssfault.vsp",
		Metadata: map[string]string{"gssCode": "GSS-VSP-023"},
	})
	received := connect.NewError(connect.CodeUnavailable, errors.New("host-7 lost"))
	received.AddDetail(info)

	f, ok := connectfault.FromError(received)
	fmt.Println(ok, f.Code(), f.FaultType(), f.Message(), f.Retryable())
	fmt.Println(errors.Is(f, faults.Code(codes.HostNotReachable)), connect.CodeOf(f))
	// Output:
	// true GSS-VSP-023 HostNotReachable host-7 lost true
	// true unavailable
}

func ExampleStatus() {
	ce := connect.NewError(connect.CodeNotFound, errors.New("order 7 not found"))
	st := connectfault.Status(ce)
	fmt.Println(st.Code(), st.Message())
	// Output: NotFound order 7 not found
}
