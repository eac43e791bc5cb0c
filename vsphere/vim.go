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

// kind is what a classifier knows of one method fault type.
type kind struct {
	entry   registry.Entry
	seed    *faults.Error // the entry's fault, which classified faults derive from
	generic bool          // says too little to stop at: look at the faultCause
}

func newKind(e registry.Entry, generic bool) *kind {
	return &kind{entry: e, seed: faults.FromEntry(e, "", nil), generic: generic}
}

// aliases names fault types whose nearest catalog ancestor says the wrong
// thing, with the entry that says what they mean.
//
//   - Two that govmomi's fault.IsTransientError retries but whose ancestor
//     is not retryable: a network change rolled back for a disruption is a
//     host communication problem that clears; failing to lock
//     fault-tolerance VMs is a concurrent operation holding them.
//   - Two direct subtypes of MethodFault (neither VimFault nor
//     RuntimeFault), which would fall to the catch-all (500, message
//     redacted) although both are the caller's mistake: InvalidProperty
//     (a property path the PropertyCollector does not know) and
//     InvalidCollectorVersion (a version the collector never returned).
var aliases = map[string]string{
	"NetworkDisruptedAndConfigRolledBack": "HostCommunication",
	"FailToLockFaultToleranceVMs":         "ConcurrentAccess",
	"InvalidProperty":                     "InvalidArgument",
	"InvalidCollectorVersion":             "InvalidArgument",
}

// genericFaultTypes are entries that say too little to stop at when a
// fault has a cause: SystemError, which vSphere uses to wrap the real
// fault, and the VimFault and RuntimeFault families.
var genericFaultTypes = map[string]bool{"SystemError": true, "VimFault": true, "RuntimeFault": true}

// kindOf returns the kind of a method fault type (a pointer or a value),
// working it out on first sight; nil for nil.
func (c *Classifier) kindOf(t reflect.Type) *kind {
	if t == nil {
		return nil
	}
	if k, ok := c.kinds.Load(t); ok {
		return k.(*kind)
	}
	k, _ := c.kinds.LoadOrStore(t, c.newKind(t))
	return k.(*kind)
}

// newKind resolves t: its own entry, else its nearest ancestor's (the
// struct it embeds first, which is what govmomi's Base<Fault> interfaces
// encode), else the catch-all.
func (c *Classifier) newKind(t reflect.Type) *kind {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	t = baseOfTwin(t)
	if alias, ok := aliases[t.Name()]; ok {
		if e, ok := c.reg.ByFaultType(alias); ok {
			return newKind(e, false)
		}
	}
	fb := c.fb.entry
	e := fb
	for depth := 0; t.Kind() == reflect.Struct && depth < 16; depth++ {
		if x, ok := c.reg.ByFaultType(t.Name()); ok && x.Code != fb.Code {
			e = x
			break
		}
		if t.NumField() == 0 || !t.Field(0).Anonymous {
			break
		}
		t = t.Field(0).Type
	}
	return newKind(e, e.Code == fb.Code || genericFaultTypes[e.FaultType])
}

// baseOfTwin returns the type a generated "<Name>Fault" twin stands for
// (types.SystemErrorFault is types.SystemError with another name), or t.
func baseOfTwin(t reflect.Type) reflect.Type {
	name := t.Name()
	if t.Kind() != reflect.Struct || !strings.HasSuffix(name, "Fault") || t.PkgPath() != typesPkg {
		return t
	}
	base, ok := types.TypeFunc()(strings.TrimSuffix(name, "Fault"))
	if !ok || base == t || base.Kind() != reflect.Struct || base.NumField() != t.NumField() || !t.ConvertibleTo(base) {
		return t
	}
	return base
}

var typesPkg = reflect.TypeOf(types.MethodFault{}).PkgPath()

// kindByName returns the kind of the entry with fault type ft, nil when
// the registry has none.
func (c *Classifier) kindByName(ft string) *kind {
	if k, ok := c.named.Load(ft); ok {
		return k.(*kind)
	}
	e, ok := c.reg.ByFaultType(ft)
	if !ok {
		return nil
	}
	k, _ := c.named.LoadOrStore(ft, newKind(e, genericFaultTypes[ft]))
	return k.(*kind)
}

// typeName is the name of a type without pointers: "InvalidLogin".
func typeName(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return ""
	}
	return baseOfTwin(t).Name()
}
