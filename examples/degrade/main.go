// Command degrade keeps a read path answering while vSphere fails, with
// gssfault's fallback helpers on real, classified faults from govmomi's
// simulator: faults.Degrade chains handlers, faults.OnRetryable serves the
// last value read while a retryable fault (a lost host connection) clears,
// faults.OnCode(codes.NotFound, ...) answers a default for a VM that does not
// exist, and everything else (NoPermission) fails as it should.
//
//	go run ./examples/degrade
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/vsphere"
)

// VM is what the read path answers.
type VM struct {
	Name       string
	PowerState string
	Source     string // "vSphere", "cache" or "default"
}

// inventory reads VMs from vSphere and remembers the last value of each.
type inventory struct {
	finder *find.Finder
	mu     sync.Mutex
	last   map[string]VM
}

// get reads a VM from vSphere. Its errors are classified, so the handlers
// see faults.
func (inv *inventory) get(ctx context.Context, name string) (VM, error) {
	vm, err := inv.finder.VirtualMachine(ctx, name)
	if err != nil {
		return VM{}, vsphere.Classify(err)
	}
	st, err := vm.PowerState(ctx)
	if err != nil {
		return VM{}, vsphere.Classify(err)
	}
	v := VM{Name: name, PowerState: string(st), Source: "vSphere"}
	inv.mu.Lock()
	inv.last[name] = v
	inv.mu.Unlock()
	return v, nil
}

// Get reads a VM, degrading gracefully.
func (inv *inventory) Get(ctx context.Context, name string) (VM, error) {
	h := faults.Degrade(
		// A retryable fault will clear: answer the last value read, if any.
		faults.OnRetryable(func(_ context.Context, f *faults.Error) (VM, error) {
			inv.mu.Lock()
			v, ok := inv.last[name]
			inv.mu.Unlock()
			if !ok {
				return VM{}, f // nothing cached: pass the fault on
			}
			v.Source = "cache"
			return v, nil
		}),
		// A VM that does not exist reads as a placeholder.
		faults.OnCode(codes.NotFound, func(context.Context, *faults.Error) (VM, error) {
			return VM{Name: name, PowerState: "unknown", Source: "default"}, nil
		}),
	)
	return faults.Call(ctx, func(ctx context.Context) (VM, error) { return inv.get(ctx, name) }, h)
}

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "degrade:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	env, err := vcsim.Start(vcsim.Options{Version: "8.0.3"})
	if err != nil {
		return err
	}
	defer env.Close()
	defer vcsim.Quiet(env)()
	session, err := env.NewSession(ctx) // a govmomi client and finder
	if err != nil {
		return err
	}
	inv := &inventory{finder: session.Finder, last: map[string]VM{}}

	// failNext makes the simulator's next property read fail with fault.
	failNext := func(fault types.BaseMethodFault, msg string) {
		env.Model.Service.AddFaultRule(&simulator.FaultInjectionRule{
			MethodName: "RetrievePropertiesEx", ObjectType: "PropertyCollector", ObjectName: "*",
			Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: fault, Message: msg,
			MaxCount: 1, Enabled: true,
		})
	}
	get := func(what, name string) {
		v, err := inv.Get(ctx, name)
		if err != nil {
			fmt.Fprintf(out, "%-34s error: %s (code %s)\n", what, err, faults.CodeOf(err))
			return
		}
		fmt.Fprintf(out, "%-34s %s is %s (from %s)\n", what, v.Name, v.PowerState, v.Source)
	}

	get("healthy read", "DC0_H0_VM0")
	failNext(&types.HostCommunication{}, "lost the connection to host DC0_H0")
	get("host connection lost", "DC0_H0_VM0")
	get("a VM that does not exist", "no-such-vm")
	failNext(&types.HostCommunication{}, "lost the connection to host DC0_H0")
	get("host connection lost, no cache", "DC0_H0_VM1")
	failNext(&types.NoPermission{PrivilegeId: "System.Read"}, "permission to read DC0_H0_VM0 denied")
	get("permission denied", "DC0_H0_VM0")
	get("healthy again", "DC0_H0_VM0")
	return nil
}
