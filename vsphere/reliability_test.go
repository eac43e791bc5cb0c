package vsphere_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere"
)

// A fresh classifier fills its type caches while many goroutines classify
// every provoked error at once; under -race nothing races and every result
// is the one a single goroutine gets.
func TestConcurrentClassify(t *testing.T) {
	want := map[string]string{}
	for name, err := range provoked {
		f := classify(err)
		want[name] = fmt.Sprint(f.Code(), f.Object(), f.Metadata())
	}
	c := vsphere.NewClassifier(registry.Default())
	testenv.Hammer(t, 8, func(int) error {
		for range 20 {
			for name, err := range provoked {
				f, _ := faults.As(c.Classify(fmt.Errorf("w: %w", err)))
				if got := fmt.Sprint(f.Code(), f.Object(), f.Metadata()); got != want[name] {
					return fmt.Errorf("%s: %s, want %s", name, got, want[name])
				}
			}
		}
		return nil
	})
}

// The classifier allocates only the fault: the message, object and
// metadata are read when asked for. A generic fault with a nested cause
// also costs the chain of names it followed (issue 16: at most 3).
func TestClassifyAllocations(t *testing.T) {
	for name, limit := range map[string]float64{
		"injected TaskInProgress on power off":                1,
		"power on a running VM":                               1,
		"injected PasswordExpired on power off":               1,
		"task failed: SystemError caused by HostNotReachable": 3,
	} {
		err := fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", provoked[name])))
		classify(err) // fill the caches
		if n := testing.AllocsPerRun(100, func() { _ = classify(err) }); n > limit {
			t.Errorf("%s: Classify allocates %v times, want at most %v", name, n, limit)
		}
	}
}

// A fault keeps its metadata after later classifications: faults of one
// entry are all derived from the kind's one seed fault (faults.Derive), and
// what one of them reads from its error must not show up in another.
func TestClassifyResultsDoNotAlias(t *testing.T) {
	first := classify(provoked["injected NoPermission on power off"])
	want := slices.Clone(first.Metadata())
	if len(want) == 0 {
		t.Fatal("the NoPermission fault carries no metadata; the test cannot see aliasing")
	}
	for range 100 {
		_ = classify(provoked["injected TaskInProgress on power off"])
		_ = classify(provoked["task failed: SystemError caused by HostNotReachable"])
	}
	if diff := cmp.Diff(want, first.Metadata()); diff != "" {
		t.Errorf("metadata changed after later classifications (-before +after):\n%s", diff)
	}
}

// Among equally good method faults the first in the walk wins, and a
// later, discarded candidate does not overwrite its metadata.
func TestClassifyDiscardedCandidateKeepsBest(t *testing.T) {
	err := errors.Join(soap.WrapVimFault(&types.CustomizationFault{}), soap.WrapVimFault(&types.HostConfigFault{}))
	f := classify(err)
	if v, _ := f.MetadataValue("vimFaultType"); v != "CustomizationFault" || f.FaultType() != "VimFault" {
		t.Errorf("%s, vimFaultType = %q, want VimFault for CustomizationFault (the first of two family faults); metadata %v", f.FaultType(), v, f.Metadata())
	}
}
