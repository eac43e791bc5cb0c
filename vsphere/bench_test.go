package vsphere_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/vsphere"
)

var sinkCode string

// benchInputs are errors provoked on the simulator, wrapped three times.
func benchInputs(b *testing.B) map[string]error {
	wrap3 := func(err error) error {
		return fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", err)))
	}
	soapErr, ok := provoked["injected TaskInProgress on power off"]
	taskErr, ok2 := provoked["task failed: SystemError caused by HostNotReachable"]
	if !ok || !ok2 {
		b.Fatal("scenarios did not run")
	}
	return map[string]error{"soap-3wrap": wrap3(soapErr), "task-nested-3wrap": wrap3(taskErr)}
}

// BenchmarkClassify compares vsphere.Classify with what a user writes by
// hand on the same input: govmomi's fault.As to the concrete type, and
// errors.As to types.HasFault followed by a type switch. Both anchors only
// answer "is it this one type"; Classify also picks the entry, follows the
// nested cause, and builds the fault with its metadata.
func BenchmarkClassify(b *testing.B) {
	in := benchInputs(b)
	for name, err := range in {
		b.Run(name+"/gssfault", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkCode = string(vsphere.Classify(err).Code())
			}
		})
		b.Run(name+"/fault.As", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var tip *types.TaskInProgress
				var hnr *types.HostNotReachable
				if _, ok := fault.As(err, &tip); ok {
					sinkCode = "TaskInProgress"
				} else if _, ok := fault.As(err, &hnr); ok {
					sinkCode = "HostNotReachable"
				}
			}
		})
		b.Run(name+"/errors.As", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var hf types.HasFault
				if errors.As(err, &hf) {
					switch f := hf.Fault().(type) {
					case *types.TaskInProgress:
						sinkCode = "TaskInProgress"
					case *types.SystemError:
						if f.FaultCause != nil {
							if _, ok := f.FaultCause.Fault.(*types.HostNotReachable); ok {
								sinkCode = "HostNotReachable"
							}
						}
					}
				}
			}
		})
	}
}
