package vsphere

import "reflect"

// MaxWalk bounds the number of errors visited in one error tree; the rest
// of a larger tree is ignored. Cycles through Unwrap end there too.
const MaxWalk = 4096

// maxPending bounds the errors.Join siblings waiting to be visited; further
// siblings of very wide trees are skipped, the earliest children kept.
const maxPending = 64

// walk visits err's tree in the order errors.Is does (pre-order, depth
// first, children in order) until visit returns true, and reports whether
// it did. It never calls a method on a nil pointer inside an interface.
func walk(err error, visit func(error) bool) bool {
	var stack [maxPending]error
	sp, n := 0, 0
	for err != nil || sp > 0 {
		if err == nil {
			sp--
			err, stack[sp] = stack[sp], nil
			continue
		}
		if n++; n > MaxWalk {
			return false
		}
		if isNilPointer(err) {
			err = nil
			continue
		}
		if visit(err) {
			return true
		}
		switch x := err.(type) {
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		case interface{ Unwrap() []error }:
			kids := x.Unwrap()
			err = nil
			if len(kids) == 0 {
				continue
			}
			m := min(len(kids)-1, maxPending-sp)
			for i := m; i >= 1; i-- {
				stack[sp] = kids[i]
				sp++
			}
			err = kids[0]
		default:
			err = nil
		}
	}
	return false
}

// isNilPointer reports whether err is a typed nil pointer, map, slice, func
// or channel: calling its methods may panic, so walks treat it as absent.
func isNilPointer(err error) bool {
	v := reflect.ValueOf(err)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}
