// Package errwalk walks error trees in the order errors.Is and errors.As
// do (pre-order, depth first, the children of a multi-error in order), but
// bounded: it visits at most [MaxNodes] errors, so an Unwrap cycle or an
// adversarially deep or wide tree ends, and a panicking foreign method
// ends the walk instead of the program. The bound is on nodes visited,
// never on siblings: the 80th child of a 100-child errors.Join is visited
// like the second. It is the standard library's loop with a counter.
package errwalk

// MaxNodes is the most errors one walk visits. An error tree larger than
// that (or an Unwrap cycle, which is infinite) is walked up to the bound.
const MaxNodes = 4096

// Walk visits err's tree until visit returns true, and reports whether it
// did. A nil err visits nothing; nil children are skipped. A panic in a
// foreign Unwrap method, or in visit (which calls foreign methods), ends
// the walk as if nothing more was found: what visit recorded before the
// panic stands. Walk does not allocate.
func Walk(err error, visit func(error) bool) (found bool) {
	if err == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			found = false
		}
	}()
	n := 0
	return walk(err, visit, &n)
}

func walk(err error, visit func(error) bool, n *int) bool {
	for err != nil {
		if *n >= MaxNodes {
			return false
		}
		*n++
		if visit(err) {
			return true
		}
		switch x := err.(type) {
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		case interface{ Unwrap() []error }:
			for _, kid := range x.Unwrap() {
				if *n >= MaxNodes {
					return false
				}
				if kid == nil {
					*n++ // a nil child counts, so that a wide slice of nils is bounded too
					continue
				}
				if walk(kid, visit, n) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// Is reports whether an error in err's tree is target or says it is (an
// Is method), as errors.Is does, within the bound of [Walk]. Errors are
// compared with == only when both dynamic types are comparable, so it
// never panics on that.
func Is(err, target error) bool {
	if err == nil || target == nil {
		return err == target
	}
	tc := comparable(target)
	return Walk(err, func(e error) bool {
		if tc && comparable(e) && e == target {
			return true
		}
		x, ok := e.(interface{ Is(error) bool })
		return ok && x.Is(target)
	})
}
