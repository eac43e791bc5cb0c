package vsphere

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
)

// ToMethodFault returns a govmomi method fault for f, for fakes and
// simulators (vcsim's fault injector takes one). The fault's type is f's
// fault type when that is a vim25 type; for faults from other sources
// (ServiceUnavailable, NSX and TKG faults, ...) it is a SystemError whose
// reason names the GSS code and fault type. The fields [Classify] reads
// back are set from f: the object, and the metadata keys privilege, file,
// invalidProperty, task, name, datastorePath, requestedState,
// existingState and reason. The message goes into FaultMessage. The
// request ID, op, duration, retry delay and localized message have no place
// in a method fault and are dropped. It returns nil for a nil f.
func ToMethodFault(f *faults.Error) types.BaseMethodFault {
	if f == nil {
		return nil
	}
	var mf types.BaseMethodFault
	if t, ok := types.TypeFunc()(f.FaultType()); ok && t.Kind() == reflect.Struct {
		if x, ok := reflect.New(t).Interface().(types.BaseMethodFault); ok {
			mf = x
		}
	}
	if mf == nil {
		mf = &types.SystemError{Reason: fmt.Sprintf("%s %s", f.Code(), f.FaultType())}
	}
	meta := func(k string) string { v, _ := f.MetadataValue(k); return v }
	obj := parseRef(f.Object())
	if x, ok := mf.(types.BaseNoPermission); ok {
		np := x.GetNoPermission()
		np.Object = obj
		np.PrivilegeId = meta("privilege")
	}
	if x, ok := mf.(types.BaseFileFault); ok {
		x.GetFileFault().File = meta("file")
	}
	if x, ok := mf.(types.BaseInvalidArgument); ok {
		x.GetInvalidArgument().InvalidProperty = meta("invalidProperty")
	}
	if x, ok := mf.(types.BaseTaskInProgress); ok {
		if r := parseRef(meta("task")); r != nil {
			x.GetTaskInProgress().Task = *r
		}
	}
	switch x := mf.(type) {
	case *types.ManagedObjectNotFound:
		if obj != nil {
			x.Obj = *obj
		}
	case *types.DuplicateName:
		x.Name = meta("name")
		if obj != nil {
			x.Object = *obj
		}
	case *types.AlreadyExists:
		x.Name = meta("name")
	case *types.InvalidName:
		x.Name, x.Entity = meta("name"), obj
	case *types.InvalidDatastorePath:
		x.DatastorePath = meta("datastorePath")
	case *types.InvalidPowerState:
		x.RequestedState = types.VirtualMachinePowerState(meta("requestedState"))
		x.ExistingState = types.VirtualMachinePowerState(meta("existingState"))
	case *types.SystemError:
		if r := meta("reason"); r != "" && x.Reason == "" {
			x.Reason = r
		}
	}
	if msg := f.Message(); msg != "" {
		m := mf.GetMethodFault()
		m.FaultMessage = append(m.FaultMessage, types.LocalizableMessage{Key: string(f.Code()), Message: msg})
	}
	return mf
}

// ToLocalizedFault wraps [ToMethodFault] in a LocalizedMethodFault with
// the fault's message, as a task's error or a faultCause carries it; nil
// for a nil f.
func ToLocalizedFault(f *faults.Error) *types.LocalizedMethodFault {
	mf := ToMethodFault(f)
	if mf == nil {
		return nil
	}
	return &types.LocalizedMethodFault{Fault: mf, LocalizedMessage: f.Message()}
}

// parseRef parses "Type:value" into a reference; nil for anything else.
func parseRef(s string) *types.ManagedObjectReference {
	t, v, ok := strings.Cut(s, ":")
	if !ok || t == "" || v == "" {
		return nil
	}
	return &types.ManagedObjectReference{Type: t, Value: v}
}
