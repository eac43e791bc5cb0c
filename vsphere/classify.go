package vsphere

import (
	"reflect"
	"strings"
	"sync"

	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/registry"
)

// Classifier classifies govmomi errors against one registry. Make one with
// [NewClassifier]; the package-level functions use one built on
// registry.Default(). It is safe for concurrent use.
type Classifier struct {
	reg   *registry.Registry
	kinds sync.Map // reflect.Type of a method fault -> *kind
	named sync.Map // fault type name -> *kind, for the other errors
	fb    *kind    // the catch-all
	desc  describer
}

// NewClassifier returns a classifier for reg, whose fault types must be
// those of the built-in catalog for the errors it is to recognise (a
// service's extended registry works). If reg has no catch-all entry, the
// built-in catalog's is used. A nil reg means [registry.Default].
func NewClassifier(reg *registry.Registry) *Classifier {
	if reg == nil {
		reg = registry.Default()
	}
	fb, ok := reg.Fallback()
	if !ok {
		fb, _ = registry.Default().Fallback()
	}
	c := &Classifier{reg: reg, fb: newKind(fb, true)}
	c.desc.c = c
	return c
}

var defaultClassifier = sync.OnceValue(func() *Classifier { return NewClassifier(nil) })

// Classify turns err into a fault with the built-in catalog: nil for a nil
// err, else an error that holds a [*faults.Error] ([faults.As] gives it)
// and wraps err. See [Classifier.Classify].
func Classify(err error) error { return defaultClassifier().Classify(err) }

// FromError is the typed view of [Classify] and the classifier hook of
// [faults.Policy]: the fault for what err holds from vSphere, and false
// (with nil) when it holds nothing from vSphere. See
// [Classifier.FromError].
func FromError(err error) (*faults.Error, bool) { return defaultClassifier().FromError(err) }

// Classify turns err into a fault: the one [Classifier.FromError] gives
// when err holds something from vSphere, else the one [faults.Policy.FaultOf]
// gives (a gRPC status in err, a context error as RequestCanceled or
// Timedout of the service itself, else the catch-all). It returns nil only
// for a nil err; the fault wraps err, so govmomi's own helpers (errors.As to
// types.HasFault, the fault package) still work on it.
func (c *Classifier) Classify(err error) error {
	if err == nil {
		return nil
	}
	if f, ok := c.FromError(err); ok {
		return f
	}
	f, _ := faults.Policy{Registry: c.reg}.FaultOf(err)
	return f
}

// FromError looks through err's tree (%w wrapping and every child of
// errors.Join, at most faults.MaxWalk errors) for what vSphere said, and
// returns its fault and true; nil and false when err holds nothing from
// vSphere. In order of preference:
//   - a [*faults.Error] already in the tree, as it is: an error is
//     classified once (a vim fault earlier in the walk wins only when it
//     is specific, see below);
//   - a vim25 method fault: a SOAP fault, a PropertyCollector fault, a
//     task error (as value or pointer) or anything with govmomi's Fault()
//     method. A fault type with no entry of its own takes the entry of its
//     nearest ancestor type (PasswordExpired takes InvalidLogin's, a
//     checked fault at least VimFault's, a runtime fault RuntimeFault's);
//     a generic fault (SystemError, a family entry, the catch-all) gives way
//     to the first more specific fault in its faultCause chain (at most
//     [MaxCauseDepth] deep). govmomi's generated twins (SystemErrorFault)
//     classify as their base types. A SOAP fault without a typed detail is
//     InvalidRequest for ClientFaultCode and the catch-all for
//     ServerFaultCode, its faultstring the message;
//   - vSphere REST errors of govmomi's vapi/rest client (the status error,
//     and the 400 error whose text carries the JSON body), by vAPI error
//     type and HTTP status, and the SOAP client's HTTP status errors;
//   - govmomi's find and datastore-file errors;
//   - what failed under a request to vSphere (a *url.Error): a TLS
//     verification failure, an unreachable endpoint (refused, no route,
//     DNS), a timeout or a canceled request.
//
// A context error or network error that did not come with a request to
// vSphere is not vSphere's: FromError reports false for it.
//
// The fault's message, object, metadata and details (a BadRequest field
// violation for an InvalidArgument's invalidProperty) are read from err
// when they are asked for (see [faults.Derive]); the fault type vSphere
// sent is in metadata "vimFaultType" when it differs from the entry's. A
// message never carries a URL's credentials or query.
func (c *Classifier) FromError(err error) (*faults.Error, bool) {
	if err == nil {
		return nil, false
	}
	r := c.find(err)
	switch {
	case r.fault != nil:
		return r.fault, true
	case r.kind == nil:
		return nil, false
	}
	return r.kind.seed.Derive(err, &c.desc), true
}

// Ranks of what a classification found, best first.
const (
	rankVim = iota
	rankHTTP
	rankSpecific
	rankNetwork
	rankTimeout
	rankGeneric
	rankNone
)

// result is what a walk of an error tree found.
type result struct {
	fault *faults.Error // a fault met before any specific vSphere fault
	kind  *kind         // the entry chosen, nil for nothing
	rank  int
	node  error                 // the node it was found in
	vim   types.BaseMethodFault // the method fault the entry is for, or nil
	depth int                   // how many faultCause levels below the outer fault vim is
	soap  *soap.Fault           // a SOAP fault without a typed detail
	other otherKind             // what a non-vim node is
}

// find walks err for what vSphere said. The method faults' fields are
// only looked at when fields is set (by the describer).
func (c *Classifier) find(err error) result {
	best := result{rank: rankNone}
	n := 0
	c.scan(err, &best, &n)
	if best.fault != nil || best.rank <= rankHTTP {
		return best
	}
	if r := c.otherTree(err); r.rank < best.rank {
		best = r
	}
	return best
}

// scan is the walk of find: errwalk.Walk's order and bound (at most
// faults.MaxWalk nodes, a panicking Unwrap ends it), with the visit inlined
// into one type switch per node. It reports whether to stop.
func (c *Classifier) scan(err error, best *result, n *int) (stop bool) {
	defer func() {
		if recover() != nil {
			stop = true
		}
	}()
	return c.scanNode(err, best, n) == scanStop
}

// What scanNode reports.
const (
	scanOn    = iota // go on with the next sibling
	scanStop         // found what ends the walk, or the bound is reached
	scanPlain        // the node is a plain leaf: no fault, no Unwrap
)

func (c *Classifier) scanNode(err error, best *result, n *int) int {
	for first := true; err != nil; first = false {
		if *n >= errwalk.MaxNodes {
			return scanStop
		}
		*n++
		// What the node is: a fault, a vim error, or an error whose own
		// As method gives one (as errors.As would ask it).
		leaf := false
		switch x := err.(type) {
		case *faults.Error:
			// A fault already made wins over a generic vim fault met
			// before it; a specific one has ended the walk.
			if x != nil {
				best.fault = x
				return scanStop
			}
		case types.HasFault, interface{ As(any) bool }:
			if hf, node, ok := vimAt(err); ok && c.vimFound(node, hf, best) {
				return scanStop
			}
		default:
			leaf = true
		}
		// Where the walk goes on.
		switch x := err.(type) {
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		case interface{ Unwrap() []error }:
			// Siblings are mostly of one type (errors.New, fmt.Errorf).
			// Whether a node is a plain leaf depends on its type only, so
			// a sibling of the type of a plain leaf already met is
			// counted and skipped: a wide join costs about a nanosecond
			// per plain sibling. A nil sibling counts too.
			var plain reflect.Type
			for _, kid := range x.Unwrap() {
				if kid == nil {
					if *n++; *n > errwalk.MaxNodes {
						return scanStop
					}
					continue
				}
				if t := reflect.TypeOf(kid); t == plain {
					if *n++; *n > errwalk.MaxNodes {
						return scanStop
					}
					continue
				}
				switch c.scanNode(kid, best, n) {
				case scanStop:
					return scanStop
				case scanPlain:
					plain = reflect.TypeOf(kid)
				}
			}
			return scanOn
		default:
			if first && leaf {
				return scanPlain
			}
			return scanOn
		}
	}
	return scanOn
}

// vimFound classifies a vim error node into best and reports whether the
// walk can stop (a specific vim fault was found).
func (c *Classifier) vimFound(node error, hf types.HasFault, best *result) bool {
	if r, ok := c.vimNode(node, hf); ok && r.rank < best.rank {
		*best = r
	}
	return best.rank == rankVim
}

// vimNode classifies a node with govmomi's Fault() method.
func (c *Classifier) vimNode(node error, hf types.HasFault) (result, bool) {
	// A SOAP fault's detail is looked at without govmomi's copy of it.
	var typ reflect.Type
	if soap.IsSoapFault(node) {
		sf := soap.ToSoapFault(node)
		if sf == nil {
			return result{}, false
		}
		if sf.Detail.Fault == nil {
			return c.soapWithoutDetail(node, sf), true
		}
		typ = reflect.TypeOf(sf.Detail.Fault)
	}
	var f types.BaseMethodFault
	if typ == nil {
		if f = safeFault(hf); f == nil || isNilFault(f) {
			return result{}, false
		}
		typ = reflect.TypeOf(f)
	}
	k := c.kindOf(typ)
	if k == nil {
		return result{}, false
	}
	r := result{kind: k, rank: rankVim, node: node}
	if !k.generic {
		return r, true
	}
	// A generic fault: the first more specific cause wins.
	if f == nil {
		if f = safeFault(hf); f == nil || isNilFault(f) {
			r.rank = rankGeneric
			return r, true
		}
	}
	r.vim = f
	for cur, depth := f, 1; depth <= MaxCauseDepth; depth++ {
		cause := faultCause(cur)
		if cause == nil {
			break
		}
		ck := c.kindOf(reflect.TypeOf(cause))
		if ck == nil {
			break
		}
		if !ck.generic {
			return result{kind: ck, rank: rankVim, node: node, vim: cause, depth: depth}, true
		}
		cur = cause
	}
	r.rank = rankGeneric
	return r, true
}

// soapWithoutDetail classifies a SOAP fault that names no fault type.
func (c *Classifier) soapWithoutDetail(node error, sf *soap.Fault) result {
	r := result{rank: rankGeneric, node: node, soap: sf}
	if strings.Contains(sf.Code, "Client") {
		if k := c.kindByName("InvalidRequest"); k != nil {
			r.kind, r.rank = k, rankVim
			return r
		}
	}
	r.kind = c.fb
	return r
}

// faultCause is f's faultCause fault, or nil.
func faultCause(f types.BaseMethodFault) types.BaseMethodFault {
	mf := f.GetMethodFault()
	if mf == nil || mf.FaultCause == nil || mf.FaultCause.Fault == nil || isNilFault(mf.FaultCause.Fault) {
		return nil
	}
	return mf.FaultCause.Fault
}

// safeFault calls Fault(), which panics for a task.Error without a fault.
func safeFault(hf types.HasFault) (f types.BaseMethodFault) {
	defer func() {
		if recover() != nil {
			f = nil
		}
	}()
	return hf.Fault()
}

func isNilFault(f types.BaseMethodFault) bool {
	v := reflect.ValueOf(f)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// faultMessage is the message of the node holding method fault f: the
// task's localized message, or the SOAP fault's faultstring (without
// govmomi's "ServerFaultCode: "), or the fault's first FaultMessage.
func faultMessage(node error, f types.BaseMethodFault) string {
	var lmf *types.LocalizedMethodFault
	switch x := node.(type) {
	case task.Error:
		lmf = x.LocalizedMethodFault
	case *task.Error:
		if x != nil {
			lmf = x.LocalizedMethodFault
		}
	}
	if lmf != nil && lmf.LocalizedMessage != "" && !isTypeName(lmf.LocalizedMessage, f) {
		return lmf.LocalizedMessage
	}
	if soap.IsSoapFault(node) {
		if sf := soap.ToSoapFault(node); sf != nil && sf.String != "" {
			return sf.String
		}
	}
	if f != nil {
		if mf := f.GetMethodFault(); mf != nil {
			for _, m := range mf.FaultMessage {
				if m.Message != "" {
					return m.Message
				}
			}
		}
	}
	return ""
}

// isTypeName reports whether msg is only the fault's Go type, as in
// "*types.InvalidPowerState", which is what some servers (vcsim among them)
// put where a localized message belongs.
func isTypeName(msg string, f types.BaseMethodFault) bool {
	if f == nil {
		return false
	}
	name := typeName(reflect.TypeOf(f))
	return msg == name || msg == "*types."+name || msg == "types."+name
}
