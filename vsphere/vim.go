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
// the fallback fits. The answer is cached per type.
func (c *Classifier) vimEntry(f types.BaseMethodFault) (registry.Entry, bool) {
	if info := c.typeInfo(f); info != nil {
		return info.entry, info.direct
	}
	return c.fallback, false
}

// vimType is what a classifier knows of one Go fault type.
type vimType struct {
	entry  registry.Entry
	direct bool   // entry is of the type or an ancestor, not the fallback
	name   string // the type's name, "InvalidLogin"
}

// maxTypeCache bounds the per-classifier type cache; vim25 has about a
// thousand fault types, so it is only reached by synthetic types.
const maxTypeCache = 4096

// typeInfo returns the cached vimType of f's dynamic type, working it out
// on first sight; nil for a nil f.
func (c *Classifier) typeInfo(f types.BaseMethodFault) *vimType {
	t := reflect.TypeOf(f)
	if t == nil {
		return nil
	}
	return c.types.Get(t, c.newTypeInfo)
}

func (c *Classifier) newTypeInfo(t reflect.Type) *vimType {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	info := &vimType{entry: c.fallback, name: t.Name()}
	for depth := 0; t.Kind() == reflect.Struct && depth < 16; depth++ {
		if e, ok := c.reg.ByFaultType(t.Name()); ok && e.Code != c.fallback.Code {
			info.entry, info.direct = e, true
			break
		}
		if t.NumField() == 0 || !t.Field(0).Anonymous {
			break
		}
		t = t.Field(0).Type
	}
	return info
}

// generic reports whether an entry says too little to stop at: the
// catch-all, and SystemError, which vSphere uses to wrap the real fault.
func (c *Classifier) generic(e registry.Entry) bool {
	return e.Code == c.fallback.Code || e.FaultType == "SystemError"
}

// typeName is the name of a fault's type without pointers: "InvalidLogin".
func (c *Classifier) typeName(f types.BaseMethodFault) string {
	if info := c.typeInfo(f); info != nil {
		return info.name
	}
	return ""
}

// typeName is the name of a fault's type without pointers, uncached.
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
	chain  string                // "Outer>...>Fault" when a cause won, else ""
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
	var buf [MaxCauseDepth + 1]types.BaseMethodFault
	chain := append(buf[:0], outer)
	for cur := outer; len(chain) <= MaxCauseDepth; {
		mf := cur.GetMethodFault()
		if mf == nil || mf.FaultCause == nil || mf.FaultCause.Fault == nil || isNilFault(mf.FaultCause.Fault) {
			break
		}
		cause := mf.FaultCause
		cur = cause.Fault
		chain = append(chain, cur)
		if ce, ok := c.vimEntry(cur); ok && !c.generic(ce) {
			m := cause.LocalizedMessage
			if m == "" {
				m = msg
			}
			return vimResult{entry: ce, fault: cur, msg: m, chain: c.chainText(chain), direct: true}
		}
	}
	return res
}

func isNilFault(f types.BaseMethodFault) bool {
	v := reflect.ValueOf(f)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// chainKey holds the type names of a fault chain, up to its first four.
type chainKey [4]string

// chainText returns the type names of chain, a fault and its causes, as
// "Outer>Cause>..."; chains of up to four faults are interned, being made
// of type names only.
func (c *Classifier) chainText(chain []types.BaseMethodFault) string {
	if len(chain) > len(chainKey{}) {
		names := make([]string, len(chain))
		for i, f := range chain {
			names[i] = c.typeName(f)
		}
		return strings.Join(names, ">")
	}
	var k chainKey
	for i, f := range chain {
		k[i] = c.typeName(f)
	}
	return c.chains.Get(k, func(k chainKey) string { return strings.Join(k[:len(chain)], ">") })
}

// vimFields returns the object and metadata a fault carries, the metadata
// appended to meta.
func vimFields(f types.BaseMethodFault, meta []faults.Field) (object string, _ []faults.Field) {
	add := func(k, v string) {
		if v != "" {
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
