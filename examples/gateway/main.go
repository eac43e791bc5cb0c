// Command gateway puts a REST front, grpc-gateway v2 with code generated from
// examples/internal/vmpb/vm.proto, before a gRPC service that drives
// vSphere (the simulator), with gssfault's gateway.ErrorHandler: each fault
// answers the HTTP status of the vSphere release the gateway fronts
// (NoPermission is 401 on 8.0 GA), with a body that keeps its AIP-193 details
// in grpc-gateway's shape or, when asked for, RFC 9457 problem details; and a
// client reads any answer back into a *faults.Error with httpmap.ParseResponse.
//
//	go run ./examples/gateway
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/examples/internal/vmpb"
	"github.com/gssfault/gssfault/examples/internal/vmserver"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/gateway"
	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/vsphere"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	env, err := vcsim.Start(vcsim.Options{Version: "8.0.0"})
	if err != nil {
		return err
	}
	defer env.Close()
	defer vcsim.Quiet(env)()
	backend, err := vmserver.New(ctx, env)
	if err != nil {
		return err
	}

	// The gRPC service, as in examples/grpc-interceptors, holding handlers
	// to the codes vm.proto declares.
	policy := faults.Policy{Classifier: vsphere.FromError}
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(grpcstatus.UnaryServerInterceptor(
		grpcstatus.WithPolicy(policy), grpcstatus.WithDeclaredCodes(vmpb.VMServiceDeclaredCodes))))
	vmpb.RegisterVMServiceServer(srv, backend)
	grpcLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = srv.Serve(grpcLis) }() // ends with GracefulStop
	defer srv.GracefulStop()

	// The REST front: the generated routes, and gssfault's error handler
	// with the same policy and the release vCenter reports.
	version, err := vsphere.VersionOf(backend.Client)
	if err != nil {
		return err
	}
	mux := runtime.NewServeMux(runtime.WithErrorHandler(gateway.NewErrorHandler(
		httpmap.WithPolicy(policy),
		httpmap.WithTarget(httpmap.Target{Version: version}),
	)))
	err = vmpb.RegisterVMServiceHandlerFromEndpoint(ctx, mux, grpcLis.Addr().String(),
		[]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())})
	if err != nil {
		return err
	}
	httpLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(httpLis) }() // ends with Shutdown
	defer hs.Shutdown(context.Background())
	base := "http://" + httpLis.Addr().String()
	fmt.Fprintf(out, "gateway for vSphere %s on %s\n", version, base)

	// A REST client.
	call := func(method, path, accept string) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, method, base+path, nil)
		if err != nil {
			return nil, err
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		return http.DefaultClient.Do(req)
	}

	// 1. Success goes through untouched.
	resp, err := call("GET", "/v1/vms/DC0_H0_VM0", "")
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var compact bytes.Buffer // protojson varies its spacing from build to build
	if err := json.Compact(&compact, body); err != nil {
		return err
	}
	fmt.Fprintf(out, "GET /v1/vms/DC0_H0_VM0: %d %s\n", resp.StatusCode, compact.Bytes())

	// 2. NotFound: 404 with grpc-gateway's body, whose details keep the
	// GSS code; ParseResponse reads it back into a fault.
	resp, err = call("GET", "/v1/vms/no-such-vm", "")
	if err != nil {
		return err
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	fmt.Fprintf(out, "GET /v1/vms/no-such-vm: %d %s\n", resp.StatusCode, resp.Header.Get("Content-Type"))
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "  ", "  "); err != nil {
		return err
	}
	fmt.Fprintf(out, "  %s\n", pretty.Bytes())
	f, err := httpmap.ParseResponse(resp)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  client: %s %s; errors.Is NotFound: %t\n", f.Code(), f.FaultType(),
		errors.Is(f, faults.Code(codes.NotFound)))

	// 3. Faults whose HTTP status depends on the release or carries a
	// header: a running VM, TaskInProgress (Retry-After), and NoPermission,
	// 401 on 8.0 GA unless RBAC v2 is on (403 on other releases).
	for _, c := range []struct {
		name  string
		fault types.BaseMethodFault
		vm    string
	}{
		{"already on", nil, "DC0_H0_VM0"},
		{"TaskInProgress", &types.TaskInProgress{}, "DC0_H0_VM1"},
		{"NoPermission", &types.NoPermission{PrivilegeId: "VirtualMachine.Interact.PowerOn"}, "DC0_H0_VM1"},
	} {
		if c.fault != nil {
			env.Model.Service.AddFaultRule(&simulator.FaultInjectionRule{
				MethodName: "PowerOnVM_Task", ObjectType: "VirtualMachine", ObjectName: "*",
				Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: c.fault, MaxCount: 1, Enabled: true,
			})
		}
		resp, err := call("POST", "/v1/vms/"+c.vm+":powerOn", "")
		if err != nil {
			return err
		}
		f, err := httpmap.ParseResponse(resp)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "POST /v1/vms/%s:powerOn (%s): %d", c.vm, c.name, resp.StatusCode)
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			fmt.Fprintf(out, " Retry-After: %s", ra)
		}
		fmt.Fprintf(out, "; client: %s %s retryable=%t\n", f.Code(), f.FaultType(), f.Retryable())
	}

	// 4. A client that prefers RFC 9457 problem details gets them.
	resp, err = call("GET", "/v1/vms/no-such-vm", "application/problem+json")
	if err != nil {
		return err
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	var problem struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal(body, &problem); err != nil {
		return err
	}
	fmt.Fprintf(out, "GET /v1/vms/no-such-vm (Accept: application/problem+json): %d %s\n",
		resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Fprintf(out, "  type %s\n  title %q, status %d, detail %q\n",
		problem.Type[strings.LastIndex(problem.Type, "#")+1:], problem.Title, problem.Status, problem.Detail)
	return nil
}
