package grpcstatus_test

import (
	"fmt"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
)

// benchFault is a retryable fault whose status carries ErrorInfo (gssCode,
// impact, retryable, requestId and extra own keys), RetryInfo and Help.
func benchFault(extra int) *faults.Error {
	f := faults.New(codes.TaskInProgress, "vm-42 has a task in progress").WithRequestID("req-1")
	for i := range extra {
		f = f.WithMetadata(faults.Field{Key: fmt.Sprintf("key%02d", i), Value: "value"})
	}
	return f
}

var sinkErr error

// BenchmarkToStatus compares GRPCStatus().Err() with what a user writes by
// hand for the same three details: status.New and WithDetails of the
// ErrorInfo, RetryInfo and Help; with 4 metadata keys and with 32 more.
func BenchmarkToStatus(b *testing.B) {
	for _, extra := range []int{0, 32} {
		f := benchFault(extra)
		md := map[string]string{"gssCode": "GSS-VSP-014", "impact": "minor", "retryable": "true", "requestId": "req-1"}
		for i := range extra {
			md[fmt.Sprintf("key%02d", i)] = "value"
		}
		name := fmt.Sprintf("keys=%d", len(md))
		b.Run(name+"/gssfault", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkErr = f.GRPCStatus().Err()
			}
		})
		b.Run(name+"/grpc-status", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, _ := status.New(grpccodes.Aborted, "vm-42 has a task in progress").WithDetails(
					&errdetails.ErrorInfo{Reason: "TASK_IN_PROGRESS", Domain: "gssfault.vsp", Metadata: md},
					&errdetails.RetryInfo{RetryDelay: durationpb.New(5 * time.Second)},
					&errdetails.Help{Links: []*errdetails.Help_Link{{Description: "TaskInProgress reference", Url: f.Entry().DocRef}}},
				)
				sinkErr = st.Err()
			}
		})
	}
}

// BenchmarkFromStatus compares the client-side conversion of that status
// error, wrapped 3 times, with status.FromError followed by Details().
func BenchmarkFromStatus(b *testing.B) {
	wire := benchFault(0).GRPCStatus().Err()
	err := fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", wire)))
	b.Run("gssfault", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, _ := grpcstatus.FromError(err)
			sinkErr = f
		}
	})
	b.Run("grpc-status", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st, _ := status.FromError(err)
			for _, d := range st.Details() {
				if info, ok := d.(*errdetails.ErrorInfo); ok {
					sinkErr = fmt.Errorf("%s", info.Reason)
				}
			}
		}
	})
}
