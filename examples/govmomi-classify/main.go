// Command govmomi-classify provokes real vSphere faults on govmomi's
// in-process simulator (vcsim), classifies each with vsphere.Classify, logs
// it with log/slog as structured fields, and retries a call that fails with a
// fault that clears after two attempts with vsphere.Retry.
//
//	go run ./examples/govmomi-classify
//
// Everything runs in this process on loopback; nothing else is needed.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/vsphere"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "govmomi-classify:", err)
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

	c, err := env.Connect(ctx)
	if err != nil {
		return err
	}
	// Record the request ID and duration of every SOAP call, so that the
	// faults of a call tracked with vsphere.Track carry them.
	vsphere.Instrument(&c.Client.Client.Client)
	finder := find.NewFinder(c.Client)
	dc, err := finder.DefaultDatacenter(ctx)
	if err != nil {
		return err
	}
	finder.SetDatacenter(dc)

	// A structured logger: a fault logs as a group of fields (code,
	// faultType, retryable, impact, message, op, object, requestId, ...).
	// The time is left out so that the output is the same on every run.
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			if a.Key == "requestId" || a.Key == "duration" {
				a.Value = slog.StringValue("<" + a.Key + ">") // differ per run
			}
			return a
		},
	}))

	// 1. Real faults, provoked by real calls.
	scenarios := []struct {
		name string
		call func(context.Context) error
	}{
		{"find a VM that does not exist", func(ctx context.Context) error {
			_, err := finder.VirtualMachine(ctx, "no-such-vm")
			return err
		}},
		// vcsim fills InvalidPowerState's requestedState with the state
		// asked for, where vCenter documents the state the operation
		// needs, so the message reads "is poweredOn, the operation needs
		// it poweredOn" on the simulator only.
		{"power on a running VM", func(ctx context.Context) error {
			vm, err := finder.VirtualMachine(ctx, "DC0_H0_VM0")
			if err != nil {
				return err
			}
			return wait(ctx)(vm.PowerOn(ctx))
		}},
		{"create a folder that exists", func(ctx context.Context) error {
			folders, err := dc.Folders(ctx)
			if err != nil {
				return err
			}
			f, err := folders.VmFolder.CreateFolder(ctx, "web")
			if err != nil {
				return err
			}
			defer f.Destroy(ctx) // leave the inventory as it was
			_, err = folders.VmFolder.CreateFolder(ctx, "web")
			return err
		}},
		{"log in with a wrong password", func(ctx context.Context) error {
			_, err := env.ConnectAs(ctx, vcsim.User, "wrong")
			return err
		}},
	}
	for _, s := range scenarios {
		callCtx, call := vsphere.Track(ctx)
		err := s.call(callCtx)
		if err == nil {
			return fmt.Errorf("%s: the call succeeded", s.name)
		}
		// Classify keeps err as the cause; Call.Classify adds the request
		// ID and duration Transport recorded.
		ferr := call.Classify(err)
		log.Warn("vSphere call failed", "scenario", s.name, "fault", ferr)
	}

	// 2. One way to test for a code, through any wrapping.
	vm, err := finder.VirtualMachine(ctx, "DC0_H0_VM0")
	if err != nil {
		return err
	}
	err = fmt.Errorf("start web tier: %w", vsphere.Classify(wait(ctx)(vm.PowerOn(ctx))))
	fmt.Fprintf(out, "errors.Is(err, faults.Code(codes.InvalidPowerState)) = %t\n",
		errors.Is(err, faults.Code(codes.InvalidPowerState)))
	if f, ok := faults.As(err); ok {
		fmt.Fprintf(out, "code %s, retryable %t, action: %s\n", f.Code(), f.Retryable(), f.Action())
	}

	// 3. A flaky call: vcsim's fault injector fails PowerOffVM_Task on VM1
	// with TaskInProgress twice, then lets it through.
	env.Model.Service.AddFaultRule(&simulator.FaultInjectionRule{
		MethodName: "PowerOffVM_Task", ObjectType: "VirtualMachine", ObjectName: "DC0_H0_VM1",
		Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: &types.TaskInProgress{},
		Message: "another task is running on DC0_H0_VM1", MaxCount: 2, Enabled: true,
	})
	defer env.Model.Service.ClearFaultRules()
	vm1, err := finder.VirtualMachine(ctx, "DC0_H0_VM1")
	if err != nil {
		return err
	}
	attempts := 0
	policy := faults.RetryPolicy{
		MaxAttempts: 4,
		// TaskInProgress asks for 5 s between attempts; a real service keeps
		// that. Capped here so that the example runs in a moment.
		MaxDelay: 20 * time.Millisecond,
	}
	err = vsphere.Retry(ctx, policy, func(ctx context.Context) error {
		attempts++
		err := wait(ctx)(vm1.PowerOff(ctx))
		if err != nil {
			log.Info("attempt failed", "attempt", attempts, "fault", vsphere.Classify(err))
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("power off DC0_H0_VM1: %w", err)
	}
	fmt.Fprintf(out, "power off DC0_H0_VM1 succeeded after %d attempts\n", attempts)

	// A fault that no retry can help is returned at once.
	attempts = 0
	err = vsphere.Retry(ctx, policy, func(ctx context.Context) error {
		attempts++
		return wait(ctx)(vm1.PowerOff(ctx)) // already off: InvalidPowerState
	})
	fmt.Fprintf(out, "power off again: %d attempt, %s\n", attempts, faults.CodeOf(err))
	return nil
}

// wait returns a function that waits for a task a govmomi call started, so
// that wait(ctx)(vm.PowerOn(ctx)) gives the task's error.
func wait(ctx context.Context) func(*object.Task, error) error {
	return func(t *object.Task, err error) error {
		if err != nil {
			return err
		}
		return t.Wait(ctx)
	}
}
