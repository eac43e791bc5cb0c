package vsphere_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/internal/errtest"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere"
)

// A fresh classifier fills its type caches while many goroutines classify
// every provoked error at once; under -race nothing races and every result
// is the one a single goroutine gets.
func TestConcurrentClassify(t *testing.T) {
	want := map[string]string{}
	for name, err := range provoked {
		f := vsphere.Classify(err)
		want[name] = fmt.Sprint(f.Code(), f.Object(), f.Metadata())
	}
	c := vsphere.NewClassifier(registry.Default())
	errtest.Hammer(t, 8, func(int) error {
		for range 20 {
			for name, err := range provoked {
				f := c.Classify(fmt.Errorf("w: %w", err))
				if got := fmt.Sprint(f.Code(), f.Object(), f.Metadata()); got != want[name] {
					return fmt.Errorf("%s: %s, want %s", name, got, want[name])
				}
			}
		}
		return nil
	})
}

// The classifier allocates only what it returns: the fault (with its
// metadata inline) and the strings in it that no input holds. A SOAP fault
// also costs govmomi's copy of the fault (soapFaultError.Fault), and its
// TaskInProgress moref becomes a "Task:task-N" string; a task error with a
// nested cause costs only the fault, as the chain text is interned. The
// metadata is gathered in pooled scratch space, not a fresh slice.
func TestClassifyAllocations(t *testing.T) {
	for name, limit := range map[string]float64{
		"injected TaskInProgress on power off":                3,
		"task failed: SystemError caused by HostNotReachable": 1,
	} {
		err := fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", provoked[name])))
		vsphere.Classify(err) // fill the caches
		if n := testing.AllocsPerRun(100, func() { _ = vsphere.Classify(err) }); n > limit {
			t.Errorf("%s: Classify allocates %v times, want at most %v", name, n, limit)
		}
	}
}

// A fault keeps its metadata after later classifications reuse the
// classifier's scratch space: nothing it returns aliases that space.
func TestClassifyResultsDoNotAlias(t *testing.T) {
	first := vsphere.Classify(provoked["injected NoPermission on power off"])
	want := slices.Clone(first.Metadata())
	if len(want) == 0 {
		t.Fatal("the NoPermission fault carries no metadata; the test cannot see aliasing")
	}
	for range 100 {
		_ = vsphere.Classify(provoked["injected TaskInProgress on power off"])
		_ = vsphere.Classify(provoked["task failed: SystemError caused by HostNotReachable"])
	}
	if diff := cmp.Diff(want, first.Metadata()); diff != "" {
		t.Errorf("metadata changed after later classifications (-before +after):\n%s", diff)
	}
}

// Among equally good method faults the first in the walk wins, and a
// later, discarded candidate does not overwrite its metadata.
func TestClassifyDiscardedCandidateKeepsBest(t *testing.T) {
	err := errors.Join(soap.WrapVimFault(&types.DvsFault{}), soap.WrapVimFault(&types.VmConfigFault{}))
	f := vsphere.Classify(err)
	if v, _ := f.MetadataValue("vimFaultType"); v != "DvsFault" {
		t.Errorf("vimFaultType = %q, want DvsFault (the first of two catch-all faults); metadata %v", v, f.Metadata())
	}
}
