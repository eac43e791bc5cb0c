package vsphere

import (
	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/vmware/govmomi/vim25/types"
)

// Fault returns the first vim25 method fault in err's tree: from a SOAP
// fault, a PropertyCollector fault, a task error or anything with
// govmomi's Fault() method, through %w wrapping and every child of
// errors.Join. ok is false when err holds none. Unlike soap.ToVimFault it
// never panics, and unlike fault.As it looks past the first child of a
// join.
func Fault(err error) (f types.BaseMethodFault, ok bool) {
	errwalk.Walk(err, func(node error) bool {
		if hf, is := node.(types.HasFault); is {
			if x := safeFault(hf); x != nil && !isNilFault(x) {
				f, ok = x, true
				return true
			}
		}
		return false
	})
	return f, ok
}

// Chain returns the first method fault in err's tree (see [Fault]) followed
// by its faultCause chain, outermost first, at most [MaxCauseDepth] long.
// It returns nil when err holds no method fault.
func Chain(err error) []types.BaseMethodFault {
	f, ok := Fault(err)
	if !ok {
		return nil
	}
	return causeChain(f)
}

// CauseChain returns f followed by its faultCause chain, outermost first,
// at most [MaxCauseDepth] long; nil for a nil f.
func CauseChain(f types.BaseMethodFault) []types.BaseMethodFault {
	if f == nil || isNilFault(f) {
		return nil
	}
	return causeChain(f)
}

func causeChain(f types.BaseMethodFault) []types.BaseMethodFault {
	out := []types.BaseMethodFault{f}
	for len(out) < MaxCauseDepth {
		mf := f.GetMethodFault()
		if mf == nil || mf.FaultCause == nil || mf.FaultCause.Fault == nil || isNilFault(mf.FaultCause.Fault) {
			break
		}
		f = mf.FaultCause.Fault
		out = append(out, f)
	}
	return out
}

// Innermost returns the last fault of [Chain]: the deepest faultCause of
// the first method fault in err's tree. ok is false when err holds none.
func Innermost(err error) (types.BaseMethodFault, bool) {
	c := Chain(err)
	if len(c) == 0 {
		return nil, false
	}
	return c[len(c)-1], true
}
