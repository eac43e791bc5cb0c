// Package vmserver is the backend the examples' gRPC and REST services share:
// the VMService of package vmpb implemented on govmomi, against the vCenter
// simulator the examples start.
//
// Its handlers return govmomi's errors as they are, unclassified, the way a
// real service's do: turning them into faults is the job of the interceptors
// and the faults.Policy each example installs, which is what the examples
// show.
package vmserver

import (
	"context"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/vim25"

	"github.com/gssfault/gssfault/examples/internal/vmpb"
	"github.com/gssfault/gssfault/internal/vcsim"
)

// Server implements vmpb.VMServiceServer on a govmomi finder.
type Server struct {
	vmpb.UnimplementedVMServiceServer
	Client *vim25.Client
	Finder *find.Finder
}

// New logs in to the simulator env and returns a Server on its default
// datacenter.
func New(ctx context.Context, env *vcsim.Env) (*Server, error) {
	s, err := env.NewSession(ctx)
	if err != nil {
		return nil, err
	}
	return &Server{Client: s.Client.Client, Finder: s.Finder}, nil
}

// GetVM returns the VM and its power state.
func (s *Server) GetVM(ctx context.Context, req *vmpb.GetVMRequest) (*vmpb.VM, error) {
	vm, err := s.Finder.VirtualMachine(ctx, req.GetName())
	if err != nil {
		return nil, err // a *find.NotFoundError for a name that does not exist
	}
	st, err := vm.PowerState(ctx)
	if err != nil {
		return nil, err
	}
	return &vmpb.VM{Name: req.GetName(), PowerState: string(st)}, nil
}

// PowerOn powers the VM on and waits for the task.
func (s *Server) PowerOn(ctx context.Context, req *vmpb.PowerOnRequest) (*vmpb.VM, error) {
	vm, err := s.Finder.VirtualMachine(ctx, req.GetName())
	if err != nil {
		return nil, err
	}
	task, err := vm.PowerOn(ctx)
	if err != nil {
		return nil, err // a SOAP fault: TaskInProgress, NoPermission, ...
	}
	if err := task.Wait(ctx); err != nil {
		return nil, err // a task error: InvalidPowerState for a running VM
	}
	return s.GetVM(ctx, &vmpb.GetVMRequest{Name: req.GetName()})
}

// PowerOff powers the VM off, for the examples' setup.
func (s *Server) PowerOff(ctx context.Context, name string) error {
	vm, err := s.Finder.VirtualMachine(ctx, name)
	if err != nil {
		return err
	}
	task, err := vm.PowerOff(ctx)
	if err != nil {
		return err
	}
	return task.Wait(ctx)
}
