package vsphere_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere"
)

// A fresh classifier fills its type caches while many goroutines classify
// every provoked error at once; under -race nothing races and every result
// is the one a single goroutine gets.
func TestConcurrentClassify(t *testing.T) {
	want := map[string]string{}
	for name, err := range provoked {
		want[name] = string(vsphere.Classify(err).Code())
	}
	c := vsphere.NewClassifier(registry.Default())
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 20 {
				for name, err := range provoked {
					wrapped := fmt.Errorf("w: %w", err)
					if got := string(c.Classify(wrapped).Code()); got != want[name] {
						errc <- fmt.Errorf("%s: %s, want %s", name, got, want[name])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

// The classifier's allocations are bounded: the fault itself, plus what
// govmomi and the fault's strings need. A SOAP fault costs govmomi's copy
// of the fault (soapFaultError.Fault) and a moref string for the task;
// a task error with a nested cause costs only the fault and interning
// leaves the chain text shared.
func TestClassifyAllocations(t *testing.T) {
	for name, limit := range map[string]float64{
		"injected TaskInProgress on power off":                4,
		"task failed: SystemError caused by HostNotReachable": 2,
	} {
		err := fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", provoked[name])))
		vsphere.Classify(err) // fill the caches
		if n := testing.AllocsPerRun(100, func() { _ = vsphere.Classify(err) }); n > limit {
			t.Errorf("%s: Classify allocates %v times, want at most %v", name, n, limit)
		}
	}
}
