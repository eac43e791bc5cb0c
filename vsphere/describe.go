package vsphere

import (
	"reflect"
	"strconv"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"

	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/vapierr"
)

// describer gives a classified fault its fields when they are read (see
// faults.Derive): it classifies the cause again, which finds the same
// node, and reads the message, object and metadata there. Classify itself
// only chooses the entry, which is all most callers look at.
type describer struct{ c *Classifier }

// Describe returns the fields of the fault classified from cause.
func (d *describer) Describe(cause error) faults.Fields {
	r := d.c.find(cause)
	if r.kind == nil {
		return faults.Fields{}
	}
	var f faults.Fields
	if r.other != otherNone {
		f.Message = otherMessage(r)
		switch r.other {
		case otherHTTP:
			if code, ok := httpStatusOf(r.node); ok {
				f.Metadata = append(f.Metadata, faults.Field{Key: "httpStatus", Value: strconv.Itoa(code)})
			}
		case otherVAPI400:
			f.Metadata = append(f.Metadata, faults.Field{Key: "httpStatus", Value: "400"})
			_, body, _ := vapi400(r.node)
			if et, _, _ := vapierr.ParseBody([]byte(body)); et != "" {
				f.Metadata = append(f.Metadata, faults.Field{Key: "vapiErrorType", Value: et})
			}
		}
		return f
	}
	if r.soap != nil { // a SOAP fault without a typed detail
		f.Message = truncate(r.soap.String)
		f.Metadata = []faults.Field{{Key: "soapFaultCode", Value: r.soap.Code}}
		return f
	}
	outer := r.vim
	if hf, ok := r.node.(types.HasFault); ok {
		if x := safeFault(hf); x != nil && !isNilFault(x) {
			outer = x
		}
	}
	vim := r.vim
	if vim == nil || r.depth == 0 {
		vim = outer
	}
	f.Message = truncate(faultMessage(r.node, outer))
	if r.depth > 0 && outer != nil {
		if m := causeMessage(outer, r.depth); m != "" {
			f.Message = truncate(m)
		}
		names := []string{typeName(reflect.TypeOf(outer))}
		for cur, i := outer, 0; i < r.depth; i++ {
			if cur = faultCause(cur); cur == nil {
				break
			}
			names = append(names, typeName(reflect.TypeOf(cur)))
		}
		f.Metadata = append(f.Metadata, faults.Field{Key: "faultChain", Value: strings.Join(names, ">")})
	}
	if vim == nil {
		return f
	}
	if name := typeName(reflect.TypeOf(vim)); name != r.kind.entry.FaultType {
		f.Metadata = append(f.Metadata, faults.Field{Key: "vimFaultType", Value: name})
	}
	var object string
	object, f.Metadata = vimFields(vim, f.Metadata)
	f.Object = object
	if ps, ok := vim.(*types.InvalidPowerState); ok && f.Message == "" && ps.ExistingState != "" {
		f.Message = "the virtual machine is " + string(ps.ExistingState)
		if ps.RequestedState != "" {
			f.Message += ", the operation needs it " + string(ps.RequestedState)
		}
	}
	if prop, ok := fieldValue(f.Metadata, "invalidProperty"); ok {
		f.Details = []proto.Message{&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{
			Field: prop, Description: f.Message, Reason: strings.ToUpper(r.kind.entry.FaultType),
		}}}}
	}
	return f
}

// causeMessage is the localized message of the faultCause depth levels
// below f, or "".
func causeMessage(f types.BaseMethodFault, depth int) string {
	for ; depth > 0 && f != nil; depth-- {
		mf := f.GetMethodFault()
		if mf == nil || mf.FaultCause == nil {
			return ""
		}
		if depth == 1 {
			return mf.FaultCause.LocalizedMessage
		}
		f = mf.FaultCause.Fault
	}
	return ""
}

func fieldValue(fs []faults.Field, key string) (string, bool) {
	for _, f := range fs {
		if f.Key == key {
			return f.Value, true
		}
	}
	return "", false
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
	first := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
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
		object = first(object, ref(ds.Datastore))
		add("datastore", ds.Name)
	}
	if x, ok := f.(types.BaseResourceInUse); ok {
		r := x.GetResourceInUse()
		add("resourceType", r.Type)
		add("name", r.Name)
	}
	if x, ok := f.(types.BaseInvalidHostState); ok {
		object = first(object, ref(x.GetInvalidHostState().Host))
	}
	switch x := f.(type) {
	case *types.ManagedObjectNotFound:
		object = first(object, ref(&x.Obj))
	case *types.InvalidPowerState:
		add("requestedState", string(x.RequestedState))
		add("existingState", string(x.ExistingState))
	case *types.DuplicateName:
		object = first(object, ref(&x.Object))
		add("name", x.Name)
	case *types.AlreadyExists:
		add("name", x.Name)
	case *types.InvalidName:
		object = first(object, ref(x.Entity))
		add("name", x.Name)
	case *types.InvalidDatastorePath:
		add("datastorePath", x.DatastorePath)
	case *types.SystemError:
		add("reason", x.Reason)
	case *types.MethodNotFound:
		object = first(object, ref(&x.Receiver))
		add("method", x.Method)
	}
	return object, meta
}
