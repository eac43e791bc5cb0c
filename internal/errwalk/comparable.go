package errwalk

import "reflect"

// comparable reports whether err's dynamic type can be compared with ==
// without a panic, as errors.Is checks with reflectlite.
func comparable(err error) bool { return reflect.TypeOf(err).Comparable() }
