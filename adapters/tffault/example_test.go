package tffault_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/adapters/tffault"
	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/vsphere"
)

// The steps of a VM resource against govmomi's simulator: real faults,
// classified by vsphere.FromError, decide what each step does.
func Example_vcsim() {
	ctx := context.Background()
	env, err := vcsim.Start(vcsim.Options{Version: "8.0.3"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer env.Close()
	defer vcsim.Quiet(env)()
	c, err := env.Connect(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	finder := find.NewFinder(c.Client)
	dc, _ := finder.DefaultDatacenter(ctx)
	finder.SetDatacenter(dc)

	policy := tffault.Policy{Retry: faults.RetryPolicy{
		Policy: faults.Policy{Classifier: vsphere.FromError}, // govmomi errors become faults
		// TaskInProgress asks for 5 s between attempts; capped for the example.
		MaxDelay: 10 * time.Millisecond,
	}}
	show := func(step tffault.Step, d tffault.Disposition, diags diag.Diagnostics) {
		fmt.Printf("%s: %s\n", step, d)
		for _, dg := range diags {
			fmt.Printf("  %s: %s\n", dg.Severity(), dg.Summary())
			for _, line := range strings.Split(dg.Detail(), "\n") {
				if strings.HasPrefix(line, "GSS code:") || strings.HasPrefix(line, "Action:") {
					fmt.Printf("    %s\n", line)
				}
			}
		}
	}
	wait := func(t *object.Task, err error) error {
		if err != nil {
			return err
		}
		return t.Wait(ctx)
	}

	// The resource's VM is deleted outside Terraform.
	vm, _ := finder.VirtualMachine(ctx, "DC0_H0_VM1")
	_ = wait(vm.PowerOff(ctx))
	_ = wait(vm.Destroy(ctx))
	var diags diag.Diagnostics
	d := policy.Run(ctx, tffault.Read, &diags, func(ctx context.Context) error {
		_, err := vm.PowerState(ctx)
		return err
	})
	show(tffault.Read, d, diags) // remove: the framework's resp.State.RemoveResource(ctx)

	diags = nil
	d = policy.Run(ctx, tffault.Delete, &diags, func(ctx context.Context) error { return wait(vm.Destroy(ctx)) })
	show(tffault.Delete, d, diags)

	// Another task holds VM0 for two attempts: the update is retried.
	vm0, _ := finder.VirtualMachine(ctx, "DC0_H0_VM0")
	env.Model.Service.AddFaultRule(&simulator.FaultInjectionRule{
		MethodName: "PowerOffVM_Task", ObjectType: "VirtualMachine", ObjectName: "DC0_H0_VM0",
		Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: &types.TaskInProgress{},
		MaxCount: 2, Enabled: true,
	})
	attempts := 0
	diags = nil
	d = policy.Run(ctx, tffault.Update, &diags, func(ctx context.Context) error {
		attempts++
		return wait(vm0.PowerOff(ctx))
	})
	show(tffault.Update, d, diags)
	fmt.Println("  attempts:", attempts)

	// Powering it off again fails: no retry helps.
	diags = nil
	d = policy.Run(ctx, tffault.Update, &diags, func(ctx context.Context) error { return wait(vm0.PowerOff(ctx)) })
	show(tffault.Update, d, diags)
	fmt.Println("  is InvalidPowerState:", strings.Contains(diags[0].Summary(), string(codes.InvalidPowerState)))

	// Output:
	// read: remove
	//   Warning: Resource not found: GSS-VSP-006 ManagedObjectNotFound
	//     GSS code: GSS-VSP-006 (ManagedObjectNotFound, impact minor, not retryable)
	//     Action: Look the object up again by name or path; a cached moref may be stale after a delete or re-register.
	// delete: remove
	//   Warning: Resource already deleted: GSS-VSP-006 ManagedObjectNotFound
	//     GSS code: GSS-VSP-006 (ManagedObjectNotFound, impact minor, not retryable)
	//     Action: Look the object up again by name or path; a cached moref may be stale after a delete or re-register.
	// update: done
	//   attempts: 3
	// update: fail
	//   Error: Update failed: GSS-VSP-012 InvalidPowerState
	//     GSS code: GSS-VSP-012 (InvalidPowerState, impact minor, not retryable)
	//     Action: Check the VM's power state and power it on or off first.
	//   is InvalidPowerState: true
}
