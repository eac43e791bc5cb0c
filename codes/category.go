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
	// CategoryAuthentication: the caller could not be identified (bad credentials,
	// expired session). Not an authorization failure.
	CategoryAuthentication Category = 1
	// CategoryAuthorization: the caller is known but lacks a privilege.
	CategoryAuthorization Category = 2
	// CategoryLifecycle: an object does not exist, already exists, or an operation
	// was cancelled.
	CategoryLifecycle Category = 3
	// CategoryState: the object exists but is in the wrong state for the operation
	// (power state, a task in progress, a lock), or a concurrent change won.
	CategoryState Category = 4
	// CategoryInfrastructure: a host, datastore or other managed component the
	// operation depends on is disconnected, unreachable or misconfigured.
	CategoryInfrastructure Category = 5
	// CategoryCapacity: a resource, space or quota is exhausted.
	CategoryCapacity Category = 6
	// CategoryValidation: the request itself is malformed or names something
	// invalid. Retrying the same request cannot succeed.
	CategoryValidation Category = 7
	// CategoryCertificate: TLS or certificate verification failed.
	CategoryCertificate Category = 8
	// CategoryAvailability: the service is unavailable, busy or timed out.
	CategoryAvailability Category = 9
	// CategoryNetwork: the endpoint could not be reached at all (connection
	// refused, no route, DNS failure).
	CategoryNetwork Category = 10
	// CategoryCompatibility: the server does not support the method or feature.
	CategoryCompatibility Category = 11
	// CategoryInternal: the server failed internally, or the error could not be
	// classified.
	CategoryInternal Category = 12

	maxCategory = CategoryInternal
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
	case CategoryAuthentication:
		return "authentication"
	case CategoryAuthorization:
		return "authorization"
	case CategoryLifecycle:
		return "lifecycle"
	case CategoryState:
		return "state"
	case CategoryInfrastructure:
		return "infrastructure"
	case CategoryCapacity:
		return "capacity"
	case CategoryValidation:
		return "validation"
	case CategoryCertificate:
		return "certificate"
	case CategoryAvailability:
		return "availability"
	case CategoryNetwork:
		return "network"
	case CategoryCompatibility:
		return "compatibility"
	case CategoryInternal:
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
