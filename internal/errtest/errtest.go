// Package errtest holds hostile errors for tests: a cycle, a panicking
// Unwrap and a cheap link for very deep chains.
package errtest

// Cycle is an error whose Unwrap leads wherever Next points, itself
// included.
type Cycle struct{ Next error }

func (c *Cycle) Error() string { return "cycle" }

// Unwrap returns Next.
func (c *Cycle) Unwrap() error { return c.Next }

// NewCycle returns a Cycle that unwraps to itself.
func NewCycle() *Cycle {
	c := &Cycle{}
	c.Next = c
	return c
}

// Panicky is an error whose Unwrap panics.
type Panicky struct{}

func (Panicky) Error() string { return "panicky" }

// Unwrap panics.
func (Panicky) Unwrap() error { panic("errtest: Unwrap panics") }

// Link wraps Next without building its message eagerly, so a
// 100,000-deep chain costs linear time to make (fmt.Errorf's is quadratic).
type Link struct{ Next error }

func (l *Link) Error() string { return "link" }

// Unwrap returns Next.
func (l *Link) Unwrap() error { return l.Next }

// Deep wraps err in n Links.
func Deep(err error, n int) error {
	for range n {
		err = &Link{err}
	}
	return err
}
