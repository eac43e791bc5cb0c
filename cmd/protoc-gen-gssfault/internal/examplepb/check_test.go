package examplepb_test

import (
	"context"
	"net"
	"slices"
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
)

// checkDeclared is a test double of the check grpcstatus.WithDeclaredCodes
// is to make: after the handler, a fault whose code the method did not
// declare is reported; the error goes to the client unchanged. Methods the
// declared function does not know (ok false) are not checked. The calls
// into the core (faults.CodeOf, faults.New) are kept in this file.
func checkDeclared(declared func(string) ([]codes.Code, bool), report func(fullMethod string, c codes.Code)) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		if err == nil {
			return resp, nil
		}
		if list, ok := declared(info.FullMethod); ok {
			if c := faults.CodeOf(err); !slices.Contains(list, c) {
				report(info.FullMethod, c)
			}
		}
		return resp, err
	}
}

// vmService registers the unary methods of VMService by hand (the test
// needs no protoc-gen-go-grpc); every handler fails with the fault in
// failWith.
func vmService(failWith *faults.Error) *grpc.ServiceDesc {
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

// TestCheckDeclaredOverGRPC plugs VMServiceDeclaredCodes into the double,
// installed on a real gRPC server reached by a real client over bufconn.
func TestCheckDeclaredOverGRPC(t *testing.T) {
	for _, tt := range []struct {
		name    string
		method  string
		req     any
		fault   codes.Code
		want    grpccodes.Code // what the client receives: the entry's gRPC code
		reports bool
	}{
		{"declared", "PowerOn", &examplepb.PowerOnRequest{Id: "vm-1"}, "GSS-VSP-012", grpccodes.FailedPrecondition, false},
		{"undeclared", "PowerOn", &examplepb.PowerOnRequest{Id: "vm-1"}, "GSS-VSP-023", grpccodes.Unavailable, true},
		{"declared empty", "Rename", &examplepb.RenameRequest{Id: "vm-1"}, "GSS-VSP-012", grpccodes.FailedPrecondition, true},
		{"method declares nothing", "Ping", &examplepb.PingRequest{}, "GSS-VSP-023", grpccodes.Unavailable, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			report := func(fullMethod string, c codes.Code) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, fullMethod+" "+string(c))
			}
			lis := bufconn.Listen(1 << 20)
			srv := grpc.NewServer(grpc.UnaryInterceptor(checkDeclared(examplepb.VMServiceDeclaredCodes, report)))
			srv.RegisterService(vmService(faults.New(tt.fault, "test fault")), nil)
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
			if c := status.Code(err); c != tt.want {
				t.Errorf("client got %v (%v), want %v", c, err, tt.want)
			}
			mu.Lock()
			defer mu.Unlock()
			var want []string
			if tt.reports {
				want = []string{full + " " + string(tt.fault)}
			}
			if !slices.Equal(got, want) {
				t.Errorf("reports = %q, want %q", got, want)
			}
		})
	}
}
