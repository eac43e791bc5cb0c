// Command custom-codes extends the built-in catalog with a service's own
// codes (registry.Default().Extend), returns them from a gRPC service and a
// plain net/http service under one faults.Policy{Registry: reg}, and reads
// them back on two clients: one that has the service's registry gets the
// whole entry (Known true), one that does not still gets the code, so that
// errors.Is works, with the rest taken from the catch-all (Known false) and
// retryability from the gRPC code it received.
//
//	go run ./examples/custom-codes
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/examples/internal/vmpb"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/registry"
)

// The service's own codes, in a domain of its own (APP).
const (
	ChangeFreeze codes.Code = "GSS-APP-001"
	RateLimited  codes.Code = "GSS-APP-002"
)

// newRegistry is the built-in catalog plus the service's entries. Extend
// checks them as the built-in ones are checked and never changes the default
// registry.
func newRegistry() (*registry.Registry, error) {
	return registry.Default().Extend(
		registry.Entry{
			Code: ChangeFreeze, FaultType: "ChangeFreeze", Category: codes.CategoryState,
			Component: "provisioning service", Trigger: "a change is requested during a change freeze",
			Action: "Wait for the freeze to end (see the window in the error's metadata) or ask the change board for an exception.",
			Impact: codes.Minor, GRPCCode: grpccodes.FailedPrecondition, HTTPStatus: http.StatusLocked,
		},
		registry.Entry{
			Code: RateLimited, FaultType: "RateLimited", Category: codes.CategoryCapacity,
			Component: "provisioning service", Trigger: "a client sends more requests than its quota allows",
			Action:    "Slow down; retry after the delay the answer gives.",
			Retryable: true, RetryDelay: 2 * time.Second,
			Impact: codes.Minor, GRPCCode: grpccodes.ResourceExhausted,
		},
	)
}

// service refuses changes during a freeze and rate-limits reads.
type service struct {
	vmpb.UnimplementedVMServiceServer
	reg    *registry.Registry
	frozen bool         // a change freeze is on
	reads  atomic.Int32 // reads left in this minute
}

func (s *service) fault(c codes.Code, msg string) *faults.Error {
	e, _ := s.reg.Lookup(c)
	return faults.FromEntry(e, msg, nil)
}

func (s *service) GetVM(_ context.Context, req *vmpb.GetVMRequest) (*vmpb.VM, error) {
	if s.reads.Add(-1) < 0 {
		return nil, s.fault(RateLimited, "quota of 10 requests per minute used up").
			WithMetadata(faults.Field{Key: "quota", Value: "10/min"})
	}
	return &vmpb.VM{Name: req.GetName(), PowerState: "poweredOff"}, nil
}

func (s *service) PowerOn(_ context.Context, req *vmpb.PowerOnRequest) (*vmpb.VM, error) {
	if s.frozen {
		return nil, s.fault(ChangeFreeze, "changes are frozen until the release ends").
			WithMetadata(faults.Field{Key: "window", Value: "2026-12-18T18:00Z/2026-12-19T06:00Z"})
	}
	return &vmpb.VM{Name: req.GetName(), PowerState: "poweredOn"}, nil
}

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "custom-codes:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	reg, err := newRegistry()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "registry: %d entries, %d built in\n", reg.Len(), registry.Default().Len())
	policy := faults.Policy{Registry: reg}  // the same on servers and aware clients
	svc := &service{reg: reg, frozen: true} // and no reads left

	// gRPC: server, and two clients.
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(grpcstatus.UnaryServerInterceptor(grpcstatus.WithPolicy(policy))))
	vmpb.RegisterVMServiceServer(srv, svc)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = srv.Serve(lis) }() // ends with GracefulStop
	defer srv.GracefulStop()
	dial := func(p faults.Policy) (vmpb.VMServiceClient, func() error, error) {
		conn, err := grpc.NewClient(lis.Addr().String(),
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithChainUnaryInterceptor(grpcstatus.UnaryClientInterceptor(grpcstatus.WithPolicy(p))))
		if err != nil {
			return nil, nil, err
		}
		return vmpb.NewVMServiceClient(conn), conn.Close, nil
	}
	aware, closeAware, err := dial(policy)
	if err != nil {
		return err
	}
	defer closeAware() // loopback

	// A client with the zero policy knows only the built-in catalog.
	plain, closePlain, err := dial(faults.Policy{})
	if err != nil {
		return err
	}
	defer closePlain() // loopback

	_, err = aware.PowerOn(ctx, &vmpb.PowerOnRequest{Name: "vm-1"})
	show(out, "gRPC PowerOn, client with the registry", err, ChangeFreeze)
	_, err = plain.PowerOn(ctx, &vmpb.PowerOnRequest{Name: "vm-1"})
	show(out, "gRPC PowerOn, client without it", err, ChangeFreeze)
	_, err = aware.GetVM(ctx, &vmpb.GetVMRequest{Name: "vm-1"})
	show(out, "gRPC GetVM, client with the registry", err, RateLimited)
	_, err = plain.GetVM(ctx, &vmpb.GetVMRequest{Name: "vm-1"})
	show(out, "gRPC GetVM, client without it", err, RateLimited)

	// HTTP: the same service behind plain net/http handlers; httpmap.Handler
	// writes the errors they return under the same policy.
	mux := http.NewServeMux()
	mux.Handle("GET /v1/vms/{name}", httpmap.Handler(func(w http.ResponseWriter, r *http.Request) error {
		vm, err := svc.GetVM(r.Context(), &vmpb.GetVMRequest{Name: r.PathValue("name")})
		if err != nil {
			return err
		}
		return json.NewEncoder(w).Encode(vm)
	}, httpmap.WithPolicy(policy)))
	mux.Handle("POST /v1/vms/{name}/power-on", httpmap.Handler(func(w http.ResponseWriter, r *http.Request) error {
		vm, err := svc.PowerOn(r.Context(), &vmpb.PowerOnRequest{Name: r.PathValue("name")})
		if err != nil {
			return err
		}
		return json.NewEncoder(w).Encode(vm)
	}, httpmap.WithPolicy(policy)))
	hlis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(hlis) }() // ends with Shutdown
	defer hs.Shutdown(context.Background())
	base := "http://" + hlis.Addr().String()

	for _, c := range []struct {
		method, path string
		code         codes.Code
	}{
		{"POST", "/v1/vms/vm-1/power-on", ChangeFreeze},
		{"GET", "/v1/vms/vm-1", RateLimited},
	} {
		for _, client := range []struct {
			name string
			opts []httpmap.Option
		}{
			{"with the registry", []httpmap.Option{httpmap.WithPolicy(policy)}},
			{"without it", nil},
		} {
			req, err := http.NewRequestWithContext(ctx, c.method, base+c.path, nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			f, err := httpmap.ParseResponse(resp, client.opts...)
			if err != nil {
				return err
			}
			label := fmt.Sprintf("HTTP %s %s %d", c.method, c.path, resp.StatusCode)
			if ra := resp.Header.Get("Retry-After"); ra != "" {
				label += " Retry-After " + ra
			}
			show(out, label+", client "+client.name, f, c.code)
		}
	}
	return nil
}

// show prints what a client knows about a failed call.
func show(out io.Writer, what string, err error, want codes.Code) {
	f, ok := faults.As(err)
	if !ok {
		fmt.Fprintf(out, "%s: not a fault: %v\n", what, err)
		return
	}
	window, _ := f.MetadataValue("window")
	fmt.Fprintf(out, "%s:\n  %s %s known=%t errors.Is=%t grpc=%s retryable=%t delay=%s window=%q\n  action: %s\n",
		what, f.Code(), f.FaultType(), f.Known(), errors.Is(err, faults.Code(want)),
		f.GRPCCode(), f.Retryable(), f.RetryDelay(), window, f.Action())
}
