package faults_test

import (
	"errors"
	"testing"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
)

type cycle struct{ next error }

func (c *cycle) Error() string { return "cycle" }
func (c *cycle) Unwrap() error { return c.next }

type panicky struct{}

func (panicky) Error() string { return "panicky" }
func (panicky) Unwrap() error { panic("boom") }

type link struct{ next error }

func (l *link) Error() string { return "link" }
func (l *link) Unwrap() error { return l.next }

// asFault is a foreign error that converts itself to a fault through an As
// method, as errors.As allows.
type asFault struct{ f *faults.Error }

func (a asFault) Error() string { return "as" }
func (a asFault) As(target any) bool {
	if p, ok := target.(**faults.Error); ok {
		*p = a.f
		return true
	}
	return false
}

func TestHelpersTerminateOnAdversarialChains(t *testing.T) {
	c := &cycle{}
	c.next = c
	deep := error(faults.New(codes.Busy, "deep"))
	for i := 0; i < 100000; i++ {
		deep = &link{deep}
	}
	var nilFault *faults.Error
	for name, err := range map[string]error{
		"cycle":          c,
		"panicking":      &link{panicky{}},
		"100k deep":      deep,
		"typed nil":      &link{nilFault},
		"joined cycle":   errors.Join(c, panicky{}),
		"nil in a join":  errors.Join(nil, nilFault),
		"nil interfaces": &link{nil},
	} {
		if f, ok := faults.As(err); ok || f != nil {
			t.Errorf("%s: As found %v", name, f)
		}
		if got := faults.CodeOf(err); got != codes.MethodFault {
			t.Errorf("%s: CodeOf = %q, want the catch-all", name, got)
		}
		if faults.HasCode(err, codes.Busy) || faults.IsRetryable(err) {
			t.Errorf("%s: HasCode/IsRetryable true", name)
		}
	}
	// A fault past the walk bound is not found; one within it is.
	shallow := error(faults.New(codes.Busy, "x"))
	for i := 0; i < 100; i++ {
		shallow = &link{shallow}
	}
	if !faults.HasCode(shallow, codes.Busy) || faults.CodeOf(shallow) != codes.Busy {
		t.Error("a fault 100 wraps deep was not found")
	}
}

func TestAsUsesAsMethods(t *testing.T) {
	f := faults.New(codes.Busy, "via As")
	got, ok := faults.As(&link{asFault{f}})
	if !ok || got != f {
		t.Errorf("As through an As method = %v, %v", got, ok)
	}
}
