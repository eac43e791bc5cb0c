package vsphere_test

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/vsphere"
)

// Powering on a VM that is already on fails with a task error; Classify
// turns it into a fault with the entry's code and advice.
func ExampleClassify() {
	simulator.Test(func(ctx context.Context, c *vim25.Client) {
		vm, _ := find.NewFinder(c).VirtualMachine(ctx, "DC0_H0_VM0")
		task, _ := vm.PowerOn(ctx)
		err := fmt.Errorf("reconcile vm: %w", task.Wait(ctx))

		f, _ := faults.As(vsphere.Classify(err))
		fmt.Println(f.Code(), f.FaultType(), f.Retryable())
		state, _ := f.MetadataValue("existingState")
		fmt.Println(state)
		fmt.Println(errors.Is(err, faults.Code(codes.InvalidPowerState)), errors.Is(f, faults.Code(codes.InvalidPowerState)))
	})
	// Output:
	// GSS-VSP-012 InvalidPowerState false
	// poweredOn
	// false true
}

func ExampleFault() {
	simulator.Test(func(ctx context.Context, c *vim25.Client) {
		vm := object.NewVirtualMachine(c, types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-9999"})
		_, err := vm.PowerOn(ctx)
		err = errors.Join(io.EOF, fmt.Errorf("power on: %w", err)) // govmomi's fault.As misses the second child
		f, ok := vsphere.Fault(err)
		fmt.Printf("%v %T\n", ok, f)
	})
	// Output: true *types.ManagedObjectNotFound
}

func ExampleInnermost() {
	// A task that failed with a SystemError caused by HostNotReachable.
	err := task.Error{LocalizedMethodFault: &types.LocalizedMethodFault{
		Fault: &types.SystemError{RuntimeFault: types.RuntimeFault{MethodFault: types.MethodFault{
			FaultCause: &types.LocalizedMethodFault{Fault: &types.HostNotReachable{}},
		}}},
	}}
	in, _ := vsphere.Innermost(err)
	f, _ := vsphere.FromError(err)
	fmt.Printf("%T %s\n", in, f.FaultType())
	// Output: *types.HostNotReachable HostNotReachable
}

func ExampleFromError() {
	// A fault type with no entry of its own takes its nearest ancestor's.
	f, ok := vsphere.FromError(soap.WrapVimFault(&types.PasswordExpired{}))
	v, _ := f.MetadataValue("vimFaultType")
	fmt.Println(ok, f.Code(), f.FaultType(), v)
	// Errors that do not come from vSphere are not its to classify.
	_, ok = vsphere.FromError(context.Canceled)
	fmt.Println(ok)
	// Output:
	// true GSS-VSP-002 InvalidLogin PasswordExpired
	// false
}

func ExampleToMethodFault() {
	f := faults.New(codes.NoPermission, "denied").WithMetadata(faults.Field{Key: "privilege", Value: "VirtualMachine.Interact.PowerOn"})
	mf := vsphere.ToMethodFault(f).(*types.NoPermission)
	fmt.Println(mf.PrivilegeId)
	// Output: VirtualMachine.Interact.PowerOn
}

func ExampleVersionOf() {
	simulator.Test(func(ctx context.Context, c *vim25.Client) {
		v, err := vsphere.VersionOf(c)
		fmt.Println(v, err)
	})
	// Output: 6.5 <nil>
}

func ExampleTrack() {
	simulator.Test(func(ctx context.Context, c *vim25.Client) {
		vsphere.Instrument(&c.Client.Client) // once, when the client is made
		ctx, call := vsphere.Track(context.WithValue(ctx, types.ID{}, "op-42"))
		vm := object.NewVirtualMachine(c, types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-9999"})
		_, err := vm.PowerOn(ctx)
		f, _ := faults.As(call.Classify(err))
		fmt.Println(f.FaultType(), f.RequestID(), f.Duration() > 0)
	})
	// Output: ManagedObjectNotFound op-42 true
}
