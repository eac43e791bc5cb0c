package registry

import (
	"fmt"

	"github.com/gssfault/gssfault/codes"
)

// EntryError is the error [New], [Load] and [Registry.Extend] return for a
// bad entry: which entry (its position and, when readable, its code), which
// field, and what is wrong.
type EntryError struct {
	Index int        // position of the entry in the input, from 0
	Code  codes.Code // the entry's code as given, possibly invalid or empty
	Field string     // the field that is wrong, as named in the catalog file
	Err   error      // what is wrong
}

// Error returns `registry: entry <index> (<code>): <field>: <reason>`.
func (e *EntryError) Error() string {
	c := string(e.Code)
	if c == "" {
		c = "no code"
	}
	return fmt.Sprintf("registry: entry %d (%s): %s: %v", e.Index, c, e.Field, e.Err)
}

// Unwrap returns the underlying reason.
func (e *EntryError) Unwrap() error { return e.Err }
