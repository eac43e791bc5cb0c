package registry

import (
	_ "embed"
	"sync"
)

//go:embed catalog.yaml
var catalogYAML []byte

// CatalogYAML returns a copy of the built-in catalog file, the source
// [Default] is built from.
func CatalogYAML() []byte { return append([]byte(nil), catalogYAML...) }

var defaultRegistry = sync.OnceValues(func() (*Registry, error) { return parse(catalogYAML) })

// Default returns the built-in catalog of 47 entries, parsed from the
// embedded catalog.yaml on first use and shared afterwards. Its fallback is
// GSS-VSP-999 (MethodFault).
//
// Default panics only if the embedded catalog is invalid, which the
// package's tests rule out for every build of this module.
func Default() *Registry {
	r, err := defaultRegistry()
	if err != nil {
		panic("registry: built-in catalog is invalid: " + err.Error())
	}
	return r
}
