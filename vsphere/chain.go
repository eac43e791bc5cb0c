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
		if hf, _, is := vimAt(node); is {
			if x := safeFault(hf); x != nil && !isNilFault(x) {
				f, ok = x, true
				return true
			}
		}
		return false
	})
	return f, ok
}

// vimAt returns the vim error a node of an error tree holds, as errors.As
// finds it: the node itself when it has govmomi's Fault method, else what
// the node's own As method gives for a types.HasFault. node is the error
// to read the fault from (the node when the value is not an error). Fault
// and Classify's walk both ask it, so that they agree.
func vimAt(e error) (types.HasFault, error, bool) {
	switch x := e.(type) {
	case types.HasFault:
		return x, e, true
	case interface{ As(any) bool }:
		var hf types.HasFault // on the heap only for such nodes
		if x.As(&hf) && hf != nil {
			node, ok := hf.(error)
			if !ok {
				node = e
			}
			return hf, node, true
		}
	}
	return nil, nil, false
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
		if f = faultCause(f); f == nil {
			break
		}
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
