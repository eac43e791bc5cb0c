package vsphere_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/vsphere"
)

var sinkCode string

func wrap3(err error) error {
	return fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", err)))
}

// joined puts err, wrapped three times, as child at of an n-wide join.
func joined(n, at int, err error) error {
	kids := make([]error, n)
	for i := range kids {
		kids[i] = fmt.Errorf("sibling %d", i)
	}
	kids[at] = wrap3(err)
	return errors.Join(kids...)
}

// benchInputs are errors provoked on the simulator: a SOAP fault, a task
// error whose SystemError is caused by HostNotReachable, and a fault type
// mapped through an ancestor (PasswordExpired: InvalidLogin's entry),
// wrapped three times; and the SOAP fault as the 2nd and the 100th child
// of a 100-wide join.
func benchInputs(b *testing.B) map[string]error {
	soapErr, ok1 := provoked["injected TaskInProgress on power off"]
	taskErr, ok2 := provoked["task failed: SystemError caused by HostNotReachable"]
	ancestor, ok3 := provoked["injected PasswordExpired on power off"]
	if !ok1 || !ok2 || !ok3 {
		b.Fatal("scenarios did not run")
	}
	return map[string]error{
		"soap-3wrap": wrap3(soapErr), "task-nested-3wrap": wrap3(taskErr), "ancestor-3wrap": wrap3(ancestor),
		"join100-2nd": joined(100, 1, soapErr), "join100-100th": joined(100, 99, soapErr),
	}
}

// BenchmarkClassify compares vsphere.Classify with what a user writes by
// hand on the same input: govmomi's fault.As to the concrete types, and
// errors.As to types.HasFault followed by a type switch. Both anchors only
// answer "is it one of these types"; Classify also picks the entry through
// the type hierarchy and the nested cause, and makes the fault.
func BenchmarkClassify(b *testing.B) {
	for name, err := range benchInputs(b) {
		b.Run(name+"/gssfault", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkCode = string(vsphere.Classify(err).(*faults.Error).Code())
			}
		})
		b.Run(name+"/fault.As", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var tip *types.TaskInProgress
				var hnr *types.HostNotReachable
				var il *types.InvalidLogin
				if _, ok := fault.As(err, &tip); ok {
					sinkCode = "TaskInProgress"
				} else if _, ok := fault.As(err, &il); ok {
					sinkCode = "InvalidLogin"
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
					f := hf.Fault()
					if _, ok := f.(*types.TaskInProgress); ok {
						sinkCode = "TaskInProgress"
					} else if _, ok := f.(types.BaseInvalidLogin); ok {
						sinkCode = "InvalidLogin"
					} else if se, ok := f.(*types.SystemError); ok && se.FaultCause != nil {
						if _, ok := se.FaultCause.Fault.(*types.HostNotReachable); ok {
							sinkCode = "HostNotReachable"
						}
					}
				}
			}
		})
	}
}
