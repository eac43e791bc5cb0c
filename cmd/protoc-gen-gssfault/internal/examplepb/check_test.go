package examplepb_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/gssfault/gssfault/cmd/protoc-gen-gssfault/internal/examplepb"
	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
)

// vmService registers the unary methods of VMService by hand (the test
// needs no protoc-gen-go-grpc); every handler fails with failWith.
func vmService(failWith error) *grpc.ServiceDesc {
	method := func(name string, newReq func() any) grpc.MethodDesc {
		return grpc.MethodDesc{
			MethodName: name,
			Handler: func(srv any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
				req := newReq()
				if err := dec(req); err != nil {
					return nil, err
				}
				handler := func(context.Context, any) (any, error) { return nil, failWith }
				info := &grpc.UnaryServerInfo{Server: srv, FullMethod: "/gssfault.example.v1.VMService/" + name}
				return icpt(ctx, req, info, handler)
			},
		}
	}
	return &grpc.ServiceDesc{
		ServiceName: "gssfault.example.v1.VMService",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{
			method("PowerOn", func() any { return &examplepb.PowerOnRequest{} }),
			method("Rename", func() any { return &examplepb.RenameRequest{} }),
			method("Ping", func() any { return &examplepb.PingRequest{} }),
		},
	}
}

// TestCheckDeclaredOverGRPC plugs the generated VMServiceDeclaredCodes
// into grpcstatus.WithDeclaredCodes on a real gRPC server reached by a real
// client over bufconn: a fault the service makes with an undeclared code
// reaches the client as INTERNAL naming method and code; declared codes,
// methods the declaration does not know, statuses received from another
// service and errors without a code go out as they are.
func TestCheckDeclaredOverGRPC(t *testing.T) {
	foreign := status.Error(grpccodes.ResourceExhausted, "quota from the inventory service")
	// what a call to another gssfault service returns: its status with an
	// undeclared GSS code, which this service only passes on
	peer := faults.New("GSS-VSP-023", "host gone").GRPCStatus().Err()
	for _, tt := range []struct {
		name   string
		method string
		req    any
		err    error
		want   grpccodes.Code // what the client receives
		caught bool           // the message names the undeclared code
	}{
		{"declared", "PowerOn", &examplepb.PowerOnRequest{Id: "vm-1"}, faults.New("GSS-VSP-012", "vm-1 is on"), grpccodes.FailedPrecondition, false},
		{"undeclared", "PowerOn", &examplepb.PowerOnRequest{Id: "vm-1"}, faults.New("GSS-VSP-023", "host gone"), grpccodes.Internal, true},
		{"declared empty", "Rename", &examplepb.RenameRequest{Id: "vm-1"}, faults.New("GSS-VSP-012", "vm-1 is on"), grpccodes.Internal, true},
		{"method not declared", "Ping", &examplepb.PingRequest{}, faults.New("GSS-VSP-023", "host gone"), grpccodes.Unavailable, false},
		{"received status", "PowerOn", &examplepb.PowerOnRequest{Id: "vm-1"}, foreign, grpccodes.ResourceExhausted, false},
		{"received GSS status", "PowerOn", &examplepb.PowerOnRequest{Id: "vm-1"}, peer, grpccodes.Unavailable, false},
		{"error without a code", "Rename", &examplepb.RenameRequest{Id: "vm-1"}, errors.New("disk on fire"), grpccodes.Unknown, false},
		{"context error", "Rename", &examplepb.RenameRequest{Id: "vm-1"}, context.DeadlineExceeded, grpccodes.DeadlineExceeded, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var observed []codes.Code
			observe := func(_ context.Context, f *faults.Error) {
				mu.Lock()
				defer mu.Unlock()
				observed = append(observed, f.Code())
			}
			lis := bufconn.Listen(1 << 20)
			srv := grpc.NewServer(grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor(
				grpcstatus.WithDeclaredCodes(examplepb.VMServiceDeclaredCodes), grpcstatus.WithObserver(observe))))
			srv.RegisterService(vmService(tt.err), nil)
			go srv.Serve(lis)
			defer srv.Stop()
			conn, err := grpc.NewClient("passthrough:///bufnet",
				grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
				grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()

			full := "/gssfault.example.v1.VMService/" + tt.method
			err = conn.Invoke(context.Background(), full, tt.req, &examplepb.VM{})
			st := status.Convert(err)
			if st.Code() != tt.want {
				t.Errorf("client got %v %q, want %v", st.Code(), st.Message(), tt.want)
			}
			f, _ := faults.Policy{}.FaultOf(tt.err)
			caught := strings.Contains(st.Message(), full) && strings.Contains(st.Message(), string(f.Code()))
			if caught != tt.caught {
				t.Errorf("message %q: names the undeclared code %v, want %v", st.Message(), caught, tt.caught)
			}
			if tt.name == "received status" && st.Message() != "quota from the inventory service" {
				t.Errorf("received status rewritten: %q", st.Message())
			}
			mu.Lock()
			defer mu.Unlock()
			if len(observed) != 1 || observed[0] != f.Code() {
				t.Errorf("observer saw %v, want the original %s", observed, f.Code())
			}
		})
	}
}
