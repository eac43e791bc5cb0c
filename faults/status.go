package faults

import (
	"google.golang.org/grpc/status"
)

// GRPCStatus returns the fault as a gRPC status: the entry's gRPC code and
// the fault's message (the entry's trigger when the fault has none). grpc-go
// calls it through [status.FromError] and when a handler returns the fault,
// so a server needs no adapter. It returns nil for a nil *Error.
func (e *Error) GRPCStatus() *status.Status {
	if e == nil {
		return nil
	}
	msg := e.msg
	if msg == "" {
		msg = e.entry.Trigger
	}
	return status.New(e.entry.GRPCCode, msg)
}
