package vsphere_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere"
)

// Every catalog entry survives: fault -> govmomi method fault -> vcsim's
// fault injector -> real SOAP call -> Classify. vim25 entries come back
// with the same code; other entries travel as SystemError (vSphere has no
// such type) and come back as SystemError.
//
// Each fault is sent with metadata, a request ID, an op and a retry delay:
// the classification, message and every metadata value that comes back
// must equal what was sent, and the request context, which a method fault
// has no place for, must not.
func TestReverseRoundTripThroughSimulator(t *testing.T) {
	reg := registry.Default()
	for _, e := range reg.All() {
		in := faults.FromEntry(e, "round trip "+string(e.Code), nil).
			WithRequestID("req-" + string(e.Code)).WithOp("PowerOffVM_Task").WithRetryDelay(7 * time.Second).
			WithObject("VirtualMachine:vm-42").WithMetadata(faults.Field{Key: "privilege", Value: "VirtualMachine.Interact.PowerOff"}).
			WithMetadata(faults.Field{Key: "file", Value: "[ds1] vm/vm.vmx"}).WithMetadata(faults.Field{Key: "name", Value: "vm-42"})
		got := classify(injectFault(t, in))
		want := e
		if e.Source != registry.SourceVim25 {
			want, _ = reg.Lookup(codes.SystemError)
		}
		if got.Code() != want.Code || got.FaultType() != want.FaultType || got.Retryable() != want.Retryable || got.Impact() != want.Impact {
			t.Errorf("%s %s: round trip gave %s %s retryable=%v impact=%v, want %s %s %v %v", e.Code, e.FaultType,
				got.Code(), got.FaultType(), got.Retryable(), got.Impact(), want.Code, want.FaultType, want.Retryable, want.Impact)
		}
		if got.Message() != in.Message() {
			t.Errorf("%s: message %q, want %q", e.Code, got.Message(), in.Message())
		}
		if o := got.Object(); o != "" && o != in.Object() {
			t.Errorf("%s: object %q, want %q or none", e.Code, o, in.Object())
		}
		for _, kv := range in.Metadata() {
			if v, ok := got.MetadataValue(kv.Key); ok && v != kv.Value {
				t.Errorf("%s: metadata %s = %q, want %q", e.Code, kv.Key, v, kv.Value)
			}
		}
		if got.RequestID() != "" || got.Op() != "" || got.Retryable() && got.RetryDelay() != want.RetryDelay {
			t.Errorf("%s: request context came back (req %q op %q delay %v): the vSphere wire has no place for it",
				e.Code, got.RequestID(), got.Op(), got.RetryDelay())
		}
	}
}

func TestReverseCarriesFields(t *testing.T) {
	in := faults.New(codes.NoPermission, "denied").
		WithObject("VirtualMachine:vm-42").WithMetadata(faults.Field{Key: "privilege", Value: "VirtualMachine.Interact.PowerOn"})
	got := classify(injectFault(t, in))
	if p, _ := got.MetadataValue("privilege"); p != "VirtualMachine.Interact.PowerOn" || got.Object() != "VirtualMachine:vm-42" {
		t.Errorf("round trip lost fields: object %q privilege %q", got.Object(), p)
	}
	in = faults.New(codes.FileNotFound, "gone").WithMetadata(faults.Field{Key: "file", Value: "[ds1] vm/vm.vmx"})
	got = classify(injectFault(t, in))
	if f, _ := got.MetadataValue("file"); f != "[ds1] vm/vm.vmx" {
		t.Errorf("round trip lost the file: %q", f)
	}
	in = faults.New(codes.TaskInProgress, "busy").WithMetadata(faults.Field{Key: "task", Value: "Task:task-9"})
	got = classify(injectFault(t, in))
	if v, _ := got.MetadataValue("task"); v != "Task:task-9" {
		t.Errorf("round trip lost the task: %q", v)
	}
}

func TestToLocalizedFault(t *testing.T) {
	lmf := vsphere.ToLocalizedFault(faults.New(codes.InvalidPowerState, "vm is off").WithRetryDelay(time.Second))
	if lmf == nil || lmf.LocalizedMessage != "vm is off" {
		t.Fatalf("ToLocalizedFault = %+v", lmf)
	}
	if _, ok := lmf.Fault.(*types.InvalidPowerState); !ok {
		t.Errorf("fault type %T, want *types.InvalidPowerState", lmf.Fault)
	}
	if vsphere.ToMethodFault(nil) != nil || vsphere.ToLocalizedFault(nil) != nil {
		t.Error("nil in did not give nil out")
	}
	f := classify(task.Error{LocalizedMethodFault: lmf})
	if f.Code() != codes.InvalidPowerState || f.Message() != "vm is off" {
		t.Errorf("classified task error = %v", f)
	}
	var hf types.HasFault
	if !errors.As(f, &hf) {
		t.Error("the classified fault's cause has no Fault()")
	}
	if _, ok := vsphere.FromError(task.Error{LocalizedMethodFault: &types.LocalizedMethodFault{}}); ok {
		t.Error("a task error without a fault is something from vSphere")
	}
	_ = fmt.Sprint(f)
}

// What the vSphere wire keeps of a fault and what it drops by design: a
// method fault has no place for the request context or the retry delay.
// The dropped list is checked too, so that it stays true.
func TestVSphereWireKeepsAndDrops(t *testing.T) {
	in := faults.New(codes.NoPermission, "denied on vm-42").
		WithObject("VirtualMachine:vm-42").WithMetadata(faults.Field{Key: "privilege", Value: "VirtualMachine.Interact.PowerOn"}).
		WithRequestID("req-1").WithOp("PowerOnVM_Task").WithDuration(time.Second).WithLocalized("de-DE", "verweigert")
	got := classify(injectFault(t, in))
	p, _ := got.MetadataValue("privilege")
	kept := map[string]bool{
		"code":               got.Code() == in.Code(),
		"message":            got.Message() == in.Message(),
		"object":             got.Object() == in.Object(),
		"metadata:privilege": p == "VirtualMachine.Interact.PowerOn",
	}
	for field, ok := range kept {
		if !ok {
			t.Errorf("the vSphere wire lost %s", field)
		}
	}
	_, hasLocalized := got.Localized()
	dropped := map[string]bool{
		"requestId": got.RequestID() == "", "op": got.Op() == "", "duration": got.Duration() == 0, "localized": !hasLocalized,
	}
	for field, gone := range dropped {
		if !gone {
			t.Errorf("%s is documented as dropped by the vSphere wire but came back", field)
		}
	}
}
