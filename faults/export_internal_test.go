package faults

import (
	"testing"

	"github.com/gssfault/gssfault/internal/errwalk"
)

// MaxWalk is written as a number so that go doc shows it; it must be the
// bound the walks use.
func TestMaxWalkIsTheWalkBound(t *testing.T) {
	if MaxWalk != errwalk.MaxNodes {
		t.Errorf("MaxWalk = %d, errwalk.MaxNodes = %d", MaxWalk, errwalk.MaxNodes)
	}
}
