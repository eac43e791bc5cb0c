package vsphere

import (
	"reflect"
	"strings"

	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
)

// MaxCauseDepth bounds how far a faultCause chain is followed.
const MaxCauseDepth = 32

// vimEntry returns the entry for a method fault: the entry of its own type,
// else of its nearest ancestor type (the struct it embeds first, which is
// what govmomi's Base<Fault> interfaces encode), with ok false when only
// the fallback fits.
func (c *Classifier) vimEntry(f types.BaseMethodFault) (registry.Entry, bool) {
	t := reflect.TypeOf(f)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for depth := 0; t != nil && t.Kind() == reflect.Struct && depth < 16; depth++ {
		if e, ok := c.reg.ByFaultType(t.Name()); ok && e.Code != c.fallback.Code {
			return e, true
		}
		if t.NumField() == 0 || !t.Field(0).Anonymous {
			break
		}
		t = t.Field(0).Type
	}
	return c.fallback, false
}

// generic reports whether an entry says too little to stop at: the
// catch-all, and SystemError, which vSphere uses to wrap the real fault.
func (c *Classifier) generic(e registry.Entry) bool {
	return e.Code == c.fallback.Code || e.FaultType == "SystemError"
}

// typeName is the name of a fault's type without pointers: "InvalidLogin".
func typeName(f types.BaseMethodFault) string {
	t := reflect.TypeOf(f)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return ""
	}
	return t.Name()
}

// vimResult is a method fault resolved to an entry.
type vimResult struct {
	entry  registry.Entry
	fault  types.BaseMethodFault // the fault the entry was chosen for
	msg    string                // its localized message, if any
	chain  []string              // type names from the outer fault to fault, when a cause won
	direct bool                  // the entry is of the fault's own type, or an ancestor's
}

// resolve picks the entry for an outer fault with message msg, descending
// into faultCause while the entry is generic.
func (c *Classifier) resolve(outer types.BaseMethodFault, msg string) vimResult {
	e, ok := c.vimEntry(outer)
	res := vimResult{entry: e, fault: outer, msg: msg, direct: ok}
	if !c.generic(e) {
		return res
	}
	var chain []string
	cur := outer
	for depth := 0; depth < MaxCauseDepth; depth++ {
		mf := cur.GetMethodFault()
		if mf == nil || mf.FaultCause == nil || mf.FaultCause.Fault == nil || isNilFault(mf.FaultCause.Fault) {
			break
		}
		chain = append(chain, typeName(cur))
		cause := mf.FaultCause
		cur = cause.Fault
		ce, ok := c.vimEntry(cur)
		if ok && !c.generic(ce) {
			m := cause.LocalizedMessage
			if m == "" {
				m = msg
			}
			return vimResult{entry: ce, fault: cur, msg: m, chain: append(chain, typeName(cur)), direct: true}
		}
	}
	return res
}

func isNilFault(f types.BaseMethodFault) bool {
	v := reflect.ValueOf(f)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// vimFields returns the object and metadata a fault carries.
func vimFields(f types.BaseMethodFault) (object string, meta []faults.Field) {
	add := func(k, v string) {
		if v != "" {
			if meta == nil {
				meta = make([]faults.Field, 0, 4)
			}
			meta = append(meta, faults.Field{Key: k, Value: v})
		}
	}
	ref := func(r *types.ManagedObjectReference) string {
		if r == nil || r.Value == "" {
			return ""
		}
		return r.Type + ":" + r.Value
	}
	if x, ok := f.(types.BaseNoPermission); ok {
		np := x.GetNoPermission()
		object = ref(np.Object)
		add("privilege", np.PrivilegeId)
		var missing []string
		for _, m := range np.MissingPrivileges {
			missing = append(missing, m.PrivilegeIds...)
		}
		add("missingPrivileges", strings.Join(missing, ","))
	}
	if x, ok := f.(types.BaseFileFault); ok {
		add("file", x.GetFileFault().File)
	}
	if x, ok := f.(types.BaseInvalidArgument); ok {
		add("invalidProperty", x.GetInvalidArgument().InvalidProperty)
	}
	if x, ok := f.(types.BaseTaskInProgress); ok {
		t := x.GetTaskInProgress().Task
		add("task", ref(&t))
	}
	if x, ok := f.(types.BaseInvalidDatastore); ok {
		ds := x.GetInvalidDatastore()
		object = firstNonEmpty(object, ref(ds.Datastore))
		add("datastore", ds.Name)
	}
	if x, ok := f.(types.BaseResourceInUse); ok {
		r := x.GetResourceInUse()
		add("resourceType", r.Type)
		add("name", r.Name)
	}
	if x, ok := f.(types.BaseInvalidHostState); ok {
		object = firstNonEmpty(object, ref(x.GetInvalidHostState().Host))
	}
	switch x := f.(type) {
	case *types.ManagedObjectNotFound:
		object = firstNonEmpty(object, ref(&x.Obj))
	case *types.InvalidPowerState:
		add("requestedState", string(x.RequestedState))
		add("existingState", string(x.ExistingState))
	case *types.DuplicateName:
		object = firstNonEmpty(object, ref(&x.Object))
		add("name", x.Name)
	case *types.AlreadyExists:
		add("name", x.Name)
	case *types.InvalidName:
		object = firstNonEmpty(object, ref(x.Entity))
		add("name", x.Name)
	case *types.InvalidDatastorePath:
		add("datastorePath", x.DatastorePath)
	case *types.SystemError:
		add("reason", x.Reason)
	case *types.MethodNotFound:
		object = firstNonEmpty(object, ref(&x.Receiver))
		add("method", x.Method)
	}
	return object, meta
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
