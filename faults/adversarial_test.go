package faults_test

import (
	"errors"
	"testing"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/errtest"
)

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
	c := errtest.NewCycle()
	deep := errtest.Deep(faults.New(codes.Busy, "deep"), 100000)
	var nilFault *faults.Error
	for name, err := range map[string]error{
		"cycle":          c,
		"panicking":      &errtest.Link{Next: errtest.Panicky{}},
		"100k deep":      deep,
		"typed nil":      &errtest.Link{Next: nilFault},
		"joined cycle":   errors.Join(c, errtest.Panicky{}),
		"nil in a join":  errors.Join(nil, nilFault),
		"nil interfaces": &errtest.Link{},
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
	shallow := errtest.Deep(faults.New(codes.Busy, "x"), 100)
	if !faults.HasCode(shallow, codes.Busy) || faults.CodeOf(shallow) != codes.Busy {
		t.Error("a fault 100 wraps deep was not found")
	}
}

func TestAsUsesAsMethods(t *testing.T) {
	f := faults.New(codes.Busy, "via As")
	got, ok := faults.As(&errtest.Link{Next: asFault{f}})
	if !ok || got != f {
		t.Errorf("As through an As method = %v, %v", got, ok)
	}
}
