package vsphere_test

import (
	"context"
	"testing"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/vsphere"
)

// inject makes the simulator answer PowerOffVM_Task on DC0_H0_VM1 with
// fault, sends that call, and returns the error govmomi gives: the fault
// travels serialized as a real SOAP fault.
func inject(t *testing.T, fault types.BaseMethodFault) error {
	t.Helper()
	return injectWithMessage(t, fault, "")
}

// injectFault sends f as a vSphere server would: the reverse adapter's
// method fault, with f's message as the SOAP fault string.
func injectFault(t *testing.T, f *faults.Error) error {
	t.Helper()
	lmf := vsphere.ToLocalizedFault(f)
	if lmf == nil {
		t.Fatalf("%s: ToLocalizedFault returned nil", f.Code())
	}
	return injectWithMessage(t, lmf.Fault, lmf.LocalizedMessage)
}

// injectWithMessage is inject with the fault string msg ("" for vcsim's
// own).
func injectWithMessage(t *testing.T, fault types.BaseMethodFault, msg string) error {
	t.Helper()
	ctx := context.Background()
	svc := testEnv.Model.Service
	svc.AddFaultRule(&simulator.FaultInjectionRule{
		MethodName: "PowerOffVM_Task", ObjectType: "VirtualMachine", ObjectName: "DC0_H0_VM1",
		Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: fault, Message: msg, Enabled: true,
	})
	defer svc.ClearFaultRules()
	vm, err := testSession.Finder.VirtualMachine(ctx, "DC0_H0_VM1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = vm.PowerOff(ctx)
	if err == nil {
		t.Fatalf("injected %T: the call succeeded", fault)
	}
	return err
}

// classify is vsphere.Classify's fault; nil for a nil err.
func classify(err error) *faults.Error {
	f, _ := faults.As(vsphere.Classify(err))
	return f
}

// classifyFault classifies a method fault as govmomi returns one from a
// PropertyCollector call.
func classifyFault(f types.BaseMethodFault) *faults.Error { return classify(soap.WrapVimFault(f)) }
