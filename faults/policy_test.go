package faults_test

import (
	"errors"
	"testing"

	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
)

// nilDeref has a GRPCStatus method that dereferences its receiver.
type nilDeref struct{ st *status.Status }

func (p *nilDeref) Error() string              { return "nil deref" }
func (p *nilDeref) GRPCStatus() *status.Status { return p.st }

// panics has a GRPCStatus method that panics.
type panics struct{}

func (panics) Error() string              { return "panics" }
func (panics) GRPCStatus() *status.Status { panic("GRPCStatus") }

// TestFaultOfSurvivesPanickingGRPCStatus (red team): a GRPCStatus method
// that panics (on a nil receiver, or at all) no longer ends the walk
// before a later fault, which errors.As and faults.As find.
func TestFaultOfSurvivesPanickingGRPCStatus(t *testing.T) {
	want := faults.New(codes.TaskInProgress, "busy")
	for name, err := range map[string]error{
		"nil receiver": errors.Join((*nilDeref)(nil), want),
		"panic":        errors.Join(panics{}, want),
	} {
		if f, held := (faults.Policy{}).FaultOf(err); f != want || !held {
			t.Errorf("%s: FaultOf = %v, %v; want the joined fault", name, f, held)
		}
	}
}
