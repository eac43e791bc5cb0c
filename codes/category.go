package codes

import (
	"fmt"
	"strings"
)

// Category groups faults by what went wrong, independent of where. It is a
// closed, numbered set; the zero value is not a category.
type Category uint8

// The categories. The numbers are part of the wire contract and never
// change; new categories are added at the end.
const (
	// Authentication: the caller could not be identified (bad credentials,
	// expired session). Not an authorization failure.
	Authentication Category = 1
	// Authorization: the caller is known but lacks a privilege.
	Authorization Category = 2
	// Lifecycle: an object does not exist, already exists, or an operation
	// was cancelled.
	Lifecycle Category = 3
	// State: the object exists but is in the wrong state for the operation
	// (power state, a task in progress, a lock), or a concurrent change won.
	State Category = 4
	// Infrastructure: a host, datastore or other managed component the
	// operation depends on is disconnected, unreachable or misconfigured.
	Infrastructure Category = 5
	// Capacity: a resource, space or quota is exhausted.
	Capacity Category = 6
	// Validation: the request itself is malformed or names something
	// invalid. Retrying the same request cannot succeed.
	Validation Category = 7
	// Certificate: TLS or certificate verification failed.
	Certificate Category = 8
	// Availability: the service is unavailable, busy or timed out.
	Availability Category = 9
	// Network: the endpoint could not be reached at all (connection
	// refused, no route, DNS failure).
	Network Category = 10
	// Compatibility: the server does not support the method or feature.
	Compatibility Category = 11
	// Internal: the server failed internally, or the error could not be
	// classified.
	Internal Category = 12

	maxCategory = Internal
)

// Categories returns every category in numeric order.
func Categories() []Category {
	out := make([]Category, 0, maxCategory)
	for c := Category(1); c <= maxCategory; c++ {
		out = append(out, c)
	}
	return out
}

// String returns the lower-case name ("authentication", ...), and
// "Category(n)" for a value that is not a category.
func (c Category) String() string {
	switch c {
	case Authentication:
		return "authentication"
	case Authorization:
		return "authorization"
	case Lifecycle:
		return "lifecycle"
	case State:
		return "state"
	case Infrastructure:
		return "infrastructure"
	case Capacity:
		return "capacity"
	case Validation:
		return "validation"
	case Certificate:
		return "certificate"
	case Availability:
		return "availability"
	case Network:
		return "network"
	case Compatibility:
		return "compatibility"
	case Internal:
		return "internal"
	}
	return fmt.Sprintf("Category(%d)", uint8(c))
}

// Valid reports whether c is one of the defined categories.
func (c Category) Valid() bool { return c >= 1 && c <= maxCategory }

// MarshalText returns the lower-case name; it fails for a value that is not
// a category.
func (c Category) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, fmt.Errorf("codes: invalid category %d", uint8(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText parses a category name, ignoring case.
func (c *Category) UnmarshalText(text []byte) error {
	v, err := ParseCategory(string(text))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseCategory parses a category name, ignoring case. An unknown name gives
// an error that lists the valid ones.
func ParseCategory(s string) (Category, error) {
	for c := Category(1); c <= maxCategory; c++ {
		if equalFoldASCII(s, c.String()) {
			return c, nil
		}
	}
	names := make([]string, 0, maxCategory)
	for _, c := range Categories() {
		names = append(names, c.String())
	}
	return 0, fmt.Errorf("codes: unknown category %q (want one of %s)", s, strings.Join(names, ", "))
}
