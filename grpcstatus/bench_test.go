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

// benchFault is a retryable fault with four metadata keys in its ErrorInfo
// (gssCode, impact, retryable, requestId) and a RetryInfo.
func benchFault() *faults.Error {
	return faults.New(codes.TaskInProgress, "vm-42 has a task in progress").WithRequestID("req-1")
}

var sinkErr error

// BenchmarkToStatus compares GRPCStatus().Err() with the status a user
// builds by hand with the same two details.
func BenchmarkToStatus(b *testing.B) {
	f := benchFault()
	b.Run("gssfault", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkErr = f.GRPCStatus().Err()
		}
	})
	b.Run("grpc-status", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st, _ := status.New(grpccodes.Aborted, "vm-42 has a task in progress").WithDetails(
				&errdetails.ErrorInfo{Reason: "TASK_IN_PROGRESS", Domain: "gssfault.vsp", Metadata: map[string]string{
					"gssCode": "GSS-VSP-014", "impact": "minor", "retryable": "true", "requestId": "req-1"}},
				&errdetails.RetryInfo{RetryDelay: durationpb.New(5 * time.Second)},
			)
			sinkErr = st.Err()
		}
	})
}

// BenchmarkFromStatus compares the client-side conversion of that status
// error, wrapped 3 times, with status.FromError followed by Details().
func BenchmarkFromStatus(b *testing.B) {
	wire := benchFault().GRPCStatus().Err()
	err := fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", wire)))
	b.Run("gssfault", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkErr = grpcstatus.FromError(err)
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
