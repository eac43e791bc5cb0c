package connectfault_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/go-cmp/cmp"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/wrapperspb"

	_ "google.golang.org/genproto/googleapis/rpc/errdetails" // the detail types of the statuses

	"github.com/gssfault/gssfault/adapters/connectfault"
	"github.com/gssfault/gssfault/faults"
)

// TestReceivedStatusesPassThrough: statuses built by other projects' tests
// (testdata/statuses at the repository's top, sources in its README), which
// a connect handler received from another service and returns, reach a
// connect client in the Connect and gRPC protocols as they came: code,
// message and every detail in order. Only the redaction of the trust
// boundary applies: the messages of Internal, Unknown and DataLoss, and
// DebugInfo details.
func TestReceivedStatusesPassThrough(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "statuses", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no statuses in ../../testdata/statuses: %v", err)
	}
	received := map[string]*spb.Status{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pb := new(spb.Status)
		if err := protojson.Unmarshal(b, pb); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		received[filepath.Base(f)] = pb
	}

	const proc = "/" + service + "/Relay"
	mux := http.NewServeMux()
	mux.Handle(proc, connect.NewUnaryHandler(proc,
		func(_ context.Context, req *connect.Request[msg]) (*connect.Response[msg], error) {
			// As a grpc-go stub returns what it received.
			return nil, status.FromProto(received[req.Msg.GetValue()]).Err()
		}, connect.WithInterceptors(connectfault.NewInterceptor())))
	base := listen(t, mux)

	for _, p := range protocols[:2] {
		c := client(t, base, proc, append([]connect.ClientOption{connect.WithInterceptors(connectfault.NewInterceptor())}, p.opts...)...)
		for name, pb := range received {
			_, err := c.CallUnary(context.Background(), connect.NewRequest(wrapperspb.String(name)))
			f, ok := faults.As(err)
			if !ok {
				t.Fatalf("%s %s: %v, want a fault", p.name, name, err)
			}
			got := f.GRPCStatus().Proto()
			want := redacted(pb)
			if redactedCode(pb) {
				if pb.Message != "" && got.Message == pb.Message {
					t.Errorf("%s %s: the message of a %s status left the server: %q", p.name, name, grpccodes.Code(pb.Code), got.Message)
				}
				want.Message = got.Message
			}
			if d := cmp.Diff(want, got, protocmp.Transform()); d != "" {
				t.Errorf("%s %s: the client got another status (-want +got):\n%s", p.name, name, d)
			}
		}
	}
}

// redacted is pb as the default policy lets it leave a server: DebugInfo
// dropped (and the message redacted; see redactedCode).
func redacted(pb *spb.Status) *spb.Status {
	out := &spb.Status{Code: pb.Code, Message: pb.Message}
	for _, d := range pb.Details {
		if d.GetTypeUrl() != "type.googleapis.com/google.rpc.DebugInfo" {
			out.Details = append(out.Details, d)
		}
	}
	return out
}

// redactedCode reports whether the default policy replaces the message of
// a status of pb's code: Internal, Unknown and DataLoss.
func redactedCode(pb *spb.Status) bool {
	switch grpccodes.Code(pb.Code) {
	case grpccodes.Internal, grpccodes.Unknown, grpccodes.DataLoss:
		return true
	}
	return false
}
