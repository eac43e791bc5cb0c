package vsphere_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/vsphere"
)

// flaky makes the simulator fail PowerOffVM_Task on DC0_H0_VM1 with fault
// the first n times, then let it through.
func flaky(t *testing.T, fault types.BaseMethodFault, n int) {
	t.Helper()
	svc := testEnv.Model.Service
	svc.AddFaultRule(&simulator.FaultInjectionRule{
		MethodName: "PowerOffVM_Task", ObjectType: "VirtualMachine", ObjectName: "DC0_H0_VM1",
		Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: fault, MaxCount: n, Enabled: true,
	})
	t.Cleanup(svc.ClearFaultRules)
}

// TestRetryOnTheSimulator: a govmomi call that fails with a retryable
// fault is repeated with the entry's delay until the fault clears; one the
// caller did not declare safe to repeat is not.
func TestRetryOnTheSimulator(t *testing.T) {
	ctx := context.Background()
	vm, err := testSession.Finder.VirtualMachine(ctx, "DC0_H0_VM1")
	if err != nil {
		t.Fatal(err)
	}
	powerOff := func(ctx context.Context) error {
		task, err := vm.PowerOff(ctx)
		if err != nil {
			return err
		}
		return task.Wait(ctx)
	}
	for _, tc := range []struct {
		name       string
		fault      types.BaseMethodFault
		idempotent bool
		calls      int
		wait       time.Duration // the first wait asked for
	}{
		{"TaskInProgress clears after 2", &types.TaskInProgress{}, false, 3, 5 * time.Second},
		{"HostCommunication, idempotent", &types.HostCommunication{}, true, 3, 5 * time.Second},
		{"HostCommunication, not idempotent", &types.HostCommunication{}, false, 1, 0},
		{"InvalidPowerState", &types.InvalidPowerState{}, true, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flaky(t, tc.fault, 2)
			var waits []time.Duration
			calls := 0
			p := faults.RetryPolicy{Idempotent: tc.idempotent, Sleep: func(_ context.Context, d time.Duration) error {
				waits = append(waits, d)
				return nil
			}}
			err := vsphere.Retry(ctx, p, func(ctx context.Context) error {
				calls++
				err := powerOff(ctx)
				if err != nil && errors.Is(vsphere.Classify(err), faults.Code(codes.InvalidPowerState)) && calls > 1 {
					return nil // powered off by an earlier attempt
				}
				return err
			})
			if calls != tc.calls {
				t.Errorf("%d calls, want %d (err %v)", calls, tc.calls, err)
			}
			if tc.calls == 3 && err != nil {
				t.Errorf("Retry = %v, want success once the fault cleared", err)
			}
			if tc.calls == 1 {
				if f, ok := faults.As(err); !ok || f.Code() == "" {
					t.Errorf("Retry = %v, want the classified fault", err)
				}
			}
			if tc.wait > 0 && (len(waits) == 0 || waits[0] < tc.wait) {
				t.Errorf("waits %v, want the entry's %v as the first", waits, tc.wait)
			}
			// Leave the VM powered on for the next case.
			if task, err := vm.PowerOn(ctx); err == nil {
				_ = task.Wait(ctx)
			}
		})
	}
}
