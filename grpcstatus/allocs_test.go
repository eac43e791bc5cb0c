package grpcstatus_test

import (
	"fmt"
	"testing"

	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/internal/testenv"
)

// TestWireAllocations guards the allocation counts make bench measured
// for the status path (issue 15): a regression that brings back a map,
// reflection or a second copy of a status fails here, not months later in
// a profile. The anchors allocate 38 (ToStatus, 4 keys), 166 (36 keys) and
// 62 (FromStatus) times.
func TestWireAllocations(t *testing.T) {
	if testing.CoverMode() != "" || testenv.Race {
		t.Skip("coverage and the race detector change allocation counts; make test runs this again without the race detector")
	}
	small, large := benchFault(0), benchFault(32)
	wire := benchFault(0).GRPCStatus().Err()
	wrapped := fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", wire)))
	for name, tc := range map[string]struct {
		limit float64
		fn    func()
	}{
		"ToStatus, 4 keys":  {23, func() { sinkErr = small.GRPCStatus().Err() }},
		"ToStatus, 36 keys": {23, func() { sinkErr = large.GRPCStatus().Err() }},
		"FromStatus":        {35, func() { f, _ := grpcstatus.FromError(wrapped); sinkErr = f }},
	} {
		if n := testing.AllocsPerRun(200, tc.fn); n > tc.limit {
			t.Errorf("%s allocates %v times, want at most %v", name, n, tc.limit)
		}
	}
}
