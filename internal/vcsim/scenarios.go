package vcsim

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vapi/rest"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// Session is a logged-in connection to a running simulator, with the
// objects the scenarios use.
type Session struct {
	Env    *Env
	Client *govmomi.Client
	REST   *rest.Client
	Finder *find.Finder
	DC     *object.Datacenter
}

// NewSession logs in over SOAP and REST and finds the default datacenter.
func (e *Env) NewSession(ctx context.Context) (*Session, error) {
	c, err := e.Connect(ctx)
	if err != nil {
		return nil, err
	}
	rc, err := e.REST(ctx, c)
	if err != nil {
		return nil, err
	}
	f := find.NewFinder(c.Client)
	dc, err := f.DefaultDatacenter(ctx)
	if err != nil {
		return nil, err
	}
	f.SetDatacenter(dc)
	return &Session{Env: e, Client: c, REST: rc, Finder: f, DC: dc}, nil
}

// Scenario is one real call against the simulator that fails in a known
// way. Provoke returns the error govmomi gave, untouched; a scenario that
// changes the inventory restores it.
type Scenario struct {
	Name    string // what is done, e.g. "power on a running VM"
	Op      string // the vSphere method or REST call
	Provoke func(ctx context.Context, s *Session) error
}

// Scenarios returns the faults the demo and the tests provoke, in the
// order they run.
func Scenarios() []Scenario {
	return []Scenario{
		{"log in with a wrong password", "SessionManager.Login", func(ctx context.Context, s *Session) error {
			_, err := s.Env.ConnectAs(ctx, User, "wrong")
			return expectErr(err)
		}},
		{"call without a session", "PropertyCollector.RetrieveProperties", func(ctx context.Context, s *Session) error {
			c, err := vim25.NewClient(ctx, s.Env.SOAPClient())
			if err != nil {
				return err
			}
			var folder mo.Folder
			return expectErr(property.DefaultCollector(c).RetrieveOne(ctx, c.ServiceContent.RootFolder, []string{"name"}, &folder))
		}},
		{"find a VM that does not exist", "find.Finder.VirtualMachine", func(ctx context.Context, s *Session) error {
			_, err := s.Finder.VirtualMachine(ctx, "no-such-vm")
			return expectErr(err)
		}},
		{"power on a deleted VM reference", "PowerOnVM_Task", func(ctx context.Context, s *Session) error {
			vm := object.NewVirtualMachine(s.Client.Client, types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-9999"})
			_, err := vm.PowerOn(ctx)
			return expectErr(err)
		}},
		{"power on a running VM", "PowerOnVM_Task", func(ctx context.Context, s *Session) error {
			vm, err := s.Finder.VirtualMachine(ctx, "DC0_H0_VM0")
			if err != nil {
				return err
			}
			return expectErr(waitTask(ctx, vm.PowerOn))
		}},
		{"create a folder that exists", "CreateFolder", func(ctx context.Context, s *Session) error {
			folders, err := s.DC.Folders(ctx)
			if err != nil {
				return err
			}
			_, err = folders.VmFolder.CreateFolder(ctx, "vm")
			if err != nil {
				return err
			}
			_, err = folders.VmFolder.CreateFolder(ctx, "vm")
			return expectErr(err)
		}},
		{"stat a missing datastore file", "HostDatastoreBrowser.SearchDatastore_Task", func(ctx context.Context, s *Session) error {
			ds, err := s.Finder.DefaultDatastore(ctx)
			if err != nil {
				return err
			}
			_, err = ds.Stat(ctx, "no-such-dir/no-such.vmdk")
			return expectErr(err)
		}},
		{"delete a missing datastore file", "DeleteDatastoreFile_Task", func(ctx context.Context, s *Session) error {
			ds, err := s.Finder.DefaultDatastore(ctx)
			if err != nil {
				return err
			}
			return expectErr(ds.NewFileManager(s.DC, false).Delete(ctx, "no-such-dir/no-such.vmdk"))
		}},
		{"destroy a datastore with VMs on it", "Destroy_Task", func(ctx context.Context, s *Session) error {
			ds, err := s.Finder.DefaultDatastore(ctx)
			if err != nil {
				return err
			}
			return expectErr(waitTask(ctx, ds.Destroy))
		}},
		{"query a disconnected host", "QueryNetworkHint", func(ctx context.Context, s *Session) error {
			host, err := s.Finder.HostSystem(ctx, "DC0_H0")
			if err != nil {
				return err
			}
			ns, err := host.ConfigManager().NetworkSystem(ctx)
			if err != nil {
				return err
			}
			if err := waitTask(ctx, host.Disconnect); err != nil {
				return err
			}
			defer func() {
				_ = waitTask(ctx, func(ctx context.Context) (*object.Task, error) { return host.Reconnect(ctx, nil, nil) })
			}()
			_, err = ns.QueryNetworkHint(ctx, nil)
			return expectErr(err)
		}},
		{"task failed: SystemError caused by HostNotReachable", "CreateTask+SetTaskState", func(ctx context.Context, s *Session) error {
			return failedTask(ctx, s, &types.LocalizedMethodFault{
				Fault: &types.SystemError{
					RuntimeFault: types.RuntimeFault{MethodFault: types.MethodFault{FaultCause: &types.LocalizedMethodFault{
						Fault:            &types.HostNotReachable{},
						LocalizedMessage: "Host esx-01.example.test is not reachable: heartbeat lost for 92 seconds",
					}}},
					Reason: "host communication failed",
				},
				LocalizedMessage: "A general system error occurred: host communication failed",
			})
		}},
		{"injected NoPermission on power off", "PowerOffVM_Task", injected(&types.NoPermission{
			PrivilegeId: "VirtualMachine.Interact.PowerOff",
		}, "Permission to perform this operation was denied.")},
		{"injected TaskInProgress on power off", "PowerOffVM_Task", injected(&types.TaskInProgress{
			Task: types.ManagedObjectReference{Type: "Task", Value: "task-77"},
		}, "The operation is not allowed in the current state because the virtual machine has a task in progress.")},
		{"injected PasswordExpired on power off", "PowerOffVM_Task", injected(&types.PasswordExpired{}, "The password has expired.")},
		{"injected InvalidGuestLogin on power off", "PowerOffVM_Task", injected(&types.InvalidGuestLogin{}, "Failed to authenticate with the guest operating system using the supplied credentials.")},
		{"injected CustomizationFault on power off", "PowerOffVM_Task", injected(&types.CustomizationFault{}, "Customization of the guest operating system is not supported.")},
		{"vAPI: get a VM that does not exist", "GET /api/vcenter/vm/{vm}", func(ctx context.Context, s *Session) error {
			return expectErr(restCall(ctx, s, http.MethodGet, "/api/vcenter/vm/vm-9999", ""))
		}},
		{"vAPI: create a tag category twice", "POST /rest/com/vmware/cis/tagging/category", func(ctx context.Context, s *Session) error {
			spec := `{"create_spec":{"name":"gssfault-demo","description":"","cardinality":"SINGLE","associable_types":[]}}`
			if err := restCall(ctx, s, http.MethodPost, "/rest/com/vmware/cis/tagging/category", spec); err != nil {
				return err
			}
			return expectErr(restCall(ctx, s, http.MethodPost, "/rest/com/vmware/cis/tagging/category", spec))
		}},
		{"connect with certificate verification", "TLS handshake", func(ctx context.Context, s *Session) error {
			_, err := s.Env.ConnectVerifying(ctx)
			return expectErr(err)
		}},
		{"connect to a closed port", "TCP connect", func(ctx context.Context, s *Session) error {
			u, err := closedPortURL()
			if err != nil {
				return err
			}
			_, err = govmomi.NewClient(ctx, u, true)
			return expectErr(err)
		}},
		{"endpoint answers 503", "HTTP POST /sdk", func(ctx context.Context, s *Session) error {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "service starting", http.StatusServiceUnavailable)
			}))
			defer srv.Close()
			u, err := soap.ParseURL(srv.URL)
			if err != nil {
				return err
			}
			_, err = vim25.NewClient(ctx, soap.NewClient(u, true))
			return expectErr(err)
		}},
		{"call past its deadline", "PropertyCollector.RetrieveProperties", func(ctx context.Context, s *Session) error {
			ctx, cancel := context.WithTimeout(ctx, time.Nanosecond)
			defer cancel()
			<-ctx.Done()
			_, err := s.Finder.VirtualMachineList(ctx, "*")
			return expectErr(err)
		}},
	}
}

var errNoFault = errors.New("vcsim: the call succeeded, but the scenario expects it to fail")

func expectErr(err error) error {
	if err == nil {
		return errNoFault
	}
	return err
}

// IsNoFault reports whether a scenario failed to provoke its fault.
func IsNoFault(err error) bool { return errors.Is(err, errNoFault) }

func waitTask(ctx context.Context, start func(context.Context) (*object.Task, error)) error {
	t, err := start(ctx)
	if err != nil {
		return err
	}
	return t.Wait(ctx)
}

// injected makes PowerOffVM_Task fail with fault, through vcsim's fault
// injector: the fault is serialized and travels as a real SOAP fault.
func injected(fault types.BaseMethodFault, msg string) func(context.Context, *Session) error {
	return func(ctx context.Context, s *Session) error {
		svc := s.Env.Model.Service
		svc.AddFaultRule(&simulator.FaultInjectionRule{
			MethodName: "PowerOffVM_Task", ObjectType: "VirtualMachine", ObjectName: "*",
			Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: fault, Message: msg, Enabled: true,
		})
		defer svc.ClearFaultRules()
		vm, err := s.Finder.VirtualMachine(ctx, "DC0_H0_VM1")
		if err != nil {
			return err
		}
		_, err = vm.PowerOff(ctx)
		return expectErr(err)
	}
}

// failedTask creates a task on the root folder and sets it to error with
// fault, then waits for it as a client would.
func failedTask(ctx context.Context, s *Session, fault *types.LocalizedMethodFault) error {
	c := s.Client.Client
	res, err := methods.CreateTask(ctx, c, &types.CreateTask{
		This:       *c.ServiceContent.TaskManager,
		Obj:        c.ServiceContent.RootFolder,
		TaskTypeId: "com.vmware.govmomi.simulator.test",
	})
	if err != nil {
		return err
	}
	t := object.NewTask(c, res.Returnval.Task)
	if err := t.SetState(ctx, types.TaskInfoStateError, nil, fault); err != nil {
		return err
	}
	return expectErr(t.Wait(ctx))
}

func restCall(ctx context.Context, s *Session, method, path, body string) error {
	u := *s.REST.URL()
	u.Path = path
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u.String(), r)
	if err != nil {
		return err
	}
	var out any
	return s.REST.Do(ctx, req, &out)
}

// closedPortURL returns an SDK URL on loopback port 0, which nothing can
// listen on: the connection is always refused. (Freeing a port and dialing
// it races with other tests that open listeners meanwhile.)
func closedPortURL() (*url.URL, error) {
	return soap.ParseURL("https://127.0.0.1:0/sdk")
}

// Quiet silences the simulator's own logging (it logs to the standard
// logger and its HTTP server logs TLS handshake failures), for the demo's
// output. It returns a function that restores the standard logger.
func Quiet(e *Env) func() {
	e.Server.Server.Config.ErrorLog = log.New(io.Discard, "", 0)
	prev := log.Writer()
	log.SetOutput(io.Discard)
	return func() { log.SetOutput(prev) }
}
