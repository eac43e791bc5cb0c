// Package errwalk walks error trees the way errors.Is and errors.As do,
// but bounded: it visits at most MaxNodes errors, so an Unwrap cycle or an
// adversarially deep or wide tree terminates, and it never calls a method
// on a typed nil pointer. It does not allocate.
package errwalk

import "reflect"

// MaxNodes bounds the number of errors visited in one error tree; the rest
// of a larger tree is ignored. Cycles through Unwrap end there too.
const MaxNodes = 4096

// maxPending bounds the errors.Join siblings waiting to be visited; further
// siblings of very wide trees are skipped, the earliest children kept.
const maxPending = 64

// Walk visits err's tree in the order errors.Is does (pre-order, depth
// first, children in order) until visit returns true, and reports whether
// it did. It skips typed nil pointers inside interfaces. A panic in a
// foreign Unwrap method, or in visit (which calls foreign methods), ends
// the walk as if nothing was found: a caller keeps only what visit
// recorded before it.
func Walk(err error, visit func(error) bool) (found bool) {
	defer func() {
		if recover() != nil {
			found = false
		}
	}()
	return walk(err, visit)
}

func walk(err error, visit func(error) bool) bool {
	var stack [maxPending]error
	sp, n := 0, 0
	for err != nil || sp > 0 {
		if err == nil {
			sp--
			err, stack[sp] = stack[sp], nil
			continue
		}
		if n++; n > MaxNodes {
			return false
		}
		if IsNil(err) {
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

// IsNil reports whether err is nil or a typed nil pointer, map, slice,
// func or channel: calling its methods may panic, so walks treat it as
// absent.
func IsNil(err error) bool {
	if err == nil {
		return true
	}
	v := reflect.ValueOf(err)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// Is reports whether an error in err's tree equals target or says it is
// (an Is method), like errors.Is, but bounded and nil-safe as [Walk] is,
// and a panicking Unwrap or Is method counts as "no".
func Is(err, target error) bool {
	if err == nil || target == nil {
		return err == target
	}
	comparable := reflect.TypeOf(target).Comparable()
	return Walk(err, func(e error) bool {
		if comparable && reflect.TypeOf(e).Comparable() && e == target {
			return true
		}
		if x, ok := e.(interface{ Is(error) bool }); ok && x.Is(target) {
			return true
		}
		return false
	})
}
