package grpcstatus_test

import (
	"errors"
	"fmt"
	"testing"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
)

var fuzzTypes = []string{
	"type.googleapis.com/google.rpc.ErrorInfo", "type.googleapis.com/google.rpc.RetryInfo",
	"type.googleapis.com/google.rpc.Help", "type.googleapis.com/google.rpc.ResourceInfo",
	"type.googleapis.com/google.rpc.LocalizedMessage", "type.googleapis.com/google.rpc.DebugInfo",
	"type.googleapis.com/not.linked.Type", "",
}

// FuzzFromStatus converts statuses with arbitrary codes, messages, detail
// types and detail bytes: the conversion never panics, keeps the status
// error reachable, and what it gives sends again as a valid status within
// the budget.
func FuzzFromStatus(f *testing.F) {
	good := faults.New(codes.TaskInProgress, "busy").WithRequestID("r").WithObject("VirtualMachine:vm-1").GRPCStatus().Proto()
	for _, d := range good.Details {
		f.Add(int32(10), "busy", uint8(0), d.Value, []byte(nil))
	}
	f.Add(int32(14), "down", uint8(0), []byte("\x1a\x0f\x0a\x07gssCode\x12\x04nope"), []byte("\x0a\x02\x08\x05"))
	f.Add(int32(99), "\xff", uint8(6), []byte{1, 2, 3}, []byte{0xff})
	f.Fuzz(func(t *testing.T, code int32, msg string, sel uint8, a, b []byte) {
		p := &spb.Status{Code: code, Message: msg, Details: []*anypb.Any{
			{TypeUrl: fuzzTypes[int(sel)%len(fuzzTypes)], Value: a},
			{TypeUrl: fuzzTypes[int(sel/8)%len(fuzzTypes)], Value: b},
		}}
		wire := status.FromProto(p).Err()
		if wire == nil {
			return // code OK
		}
		err := fmt.Errorf("call: %w", wire)
		got := grpcstatus.FromError(err)
		if got == nil {
			t.Fatal("nil fault for a status error")
		}
		if !errors.Is(got, wire) {
			t.Fatal("the status error is not reachable from the fault")
		}
		st := got.GRPCStatus()
		if st.Code() == grpccodes.OK {
			t.Fatal("the fault sends as OK")
		}
		out, merr := proto.Marshal(st.Proto())
		if merr != nil {
			t.Fatalf("the fault's status does not marshal: %v", merr)
		}
		if len(out) > faults.DefaultMaxStatusBytes {
			t.Fatalf("status of %d bytes, over the budget", len(out))
		}
	})
}
