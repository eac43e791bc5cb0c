package errwalk_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/internal/testenv"
)

type marker struct{ id int }

func (m *marker) Error() string { return fmt.Sprintf("marker %d", m.id) }

// join returns an errors.Join of n plain errors with target at index at.
func join(n, at int, target error) error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = fmt.Errorf("sibling %d", i)
	}
	errs[at] = target
	return errors.Join(errs...)
}

// link wraps next without building its text, so deep chains are cheap.
type link struct{ next error }

func (l *link) Error() string { return "link" }
func (l *link) Unwrap() error { return l.next }

func deep(err error, n int) error {
	for i := 0; i < n; i++ {
		err = &link{err}
	}
	return err
}

// TestAgreesWithErrorsIs puts the match where home-made walkers fail: the
// second child, past 64 siblings, the last child, deep in a chain.
func TestAgreesWithErrorsIs(t *testing.T) {
	target := &marker{1}
	for name, err := range map[string]error{
		"second of 2":        join(2, 1, target),
		"second of 100":      join(100, 1, target),
		"65th of 100":        join(100, 64, target),
		"80th of 100":        join(100, 79, target),
		"last of 100":        join(100, 99, target),
		"last of 1000":       join(1000, 999, target),
		"depth 1000":         deep(target, 1000),
		"join in a chain":    deep(join(100, 99, deep(target, 10)), 10),
		"nested joins":       errors.Join(join(50, 0, errors.New("x")), join(70, 69, target)),
		"absent, wide":       join(100, 5, errors.New("other")),
		"absent, deep":       deep(errors.New("other"), 1000),
		"join with nil kids": errors.Join(nil, errors.New("a"), nil, target),
	} {
		want := errors.Is(err, target)
		if got := errwalk.Is(err, target); got != want {
			t.Errorf("%s: Is = %v, errors.Is = %v", name, got, want)
		}
		var found error
		errwalk.Walk(err, func(e error) bool {
			if m, ok := e.(*marker); ok {
				found = m
				return true
			}
			return false
		})
		var m *marker
		if wantAs := errors.As(err, &m); (found != nil) != wantAs {
			t.Errorf("%s: Walk found %v, errors.As %v", name, found, wantAs)
		}
	}
}

func TestOrderIsErrorsOrder(t *testing.T) {
	a, b, c, d := errors.New("a"), errors.New("b"), errors.New("c"), errors.New("d")
	tree := fmt.Errorf("top: %w", errors.Join(fmt.Errorf("x: %w", a), errors.Join(b, c), d))
	var got []string
	errwalk.Walk(tree, func(e error) bool {
		got = append(got, e.Error())
		return false
	})
	want := []string{tree.Error(), tree.(interface{ Unwrap() error }).Unwrap().Error(), "x: a", "a", "b\nc", "b", "c", "d"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("visit order = %q\nwant          %q", got, want)
	}
}

type cycle struct{ next error }

func (c *cycle) Error() string { return "cycle" }
func (c *cycle) Unwrap() error { return c.next }

type selfJoin struct{}

func (s selfJoin) Error() string   { return "self" }
func (s selfJoin) Unwrap() []error { return []error{s, s} }

type panicky struct{}

func (panicky) Error() string { return "panicky" }
func (panicky) Unwrap() error { panic("boom") }

// TestBounded: cycles, self-referencing multi-errors, huge trees and
// panicking methods end within MaxNodes visits.
func TestBounded(t *testing.T) {
	c := &cycle{}
	c.next = c
	wide := make([]error, 100000)
	for i := range wide {
		wide[i] = c
	}
	for name, err := range map[string]error{
		"cycle":           c,
		"join of a cycle": errors.Join(c),
		"self join":       selfJoin{},
		"wide of cycles":  errors.Join(wide...),
		"deep":            deep(errors.New("x"), 100000),
	} {
		n := 0
		if errwalk.Walk(err, func(error) bool { n++; return false }) {
			t.Errorf("%s: Walk reported a find", name)
		}
		if n > errwalk.MaxNodes {
			t.Errorf("%s: visited %d nodes, more than %d", name, n, errwalk.MaxNodes)
		}
		if name != "deep" && n != errwalk.MaxNodes {
			t.Errorf("%s: visited %d nodes, want the whole budget %d", name, n, errwalk.MaxNodes)
		}
	}
	target := &marker{2}
	if !errwalk.Is(errors.Join(panicky{}, target), panicky{}) {
		t.Error("a panicky node is not found by ==")
	}
	if errwalk.Is(errors.Join(panicky{}, target), target) {
		t.Error("the walk went on past a panicking Unwrap")
	}
}

func TestIsNeverPanicsOnIncomparable(t *testing.T) {
	if errwalk.Is(sliceErr{1}, sliceErr{1}) {
		t.Error("incomparable values compared equal")
	}
}

type sliceErr []int

func (sliceErr) Error() string { return "slice" }

func TestWalkDoesNotAllocate(t *testing.T) {
	err := deep(join(100, 99, &marker{3}), 3)
	visit := func(e error) bool { _, ok := e.(*marker); return ok }
	if n := testing.AllocsPerRun(100, func() { errwalk.Walk(err, visit) }); n != 0 {
		t.Errorf("Walk allocates %v times", n)
	}
}

// tree builds an error tree from b: each byte adds a node that wraps,
// joins or cycles back to earlier nodes, so the fuzzer explores shapes
// (wide joins, deep chains, shared subtrees and cycles).
func tree(b []byte, target error) (root error, cyclic bool) {
	nodes := []error{target, errors.New("leaf")}
	for i, c := range b {
		pick := func(k int) error { return nodes[(int(c)>>2+k*7+i)%len(nodes)] }
		switch c % 4 {
		case 0:
			nodes = append(nodes, &link{pick(0)})
		case 1:
			nodes = append(nodes, errors.Join(pick(0), pick(1), pick(2)))
		case 2:
			kids := make([]error, int(c)%70)
			for k := range kids {
				kids[k] = pick(k)
			}
			nodes = append(nodes, errors.Join(kids...))
		case 3:
			l := &link{}
			l.next = errors.Join(l, pick(0)) // a cycle through a multi-error
			nodes = append(nodes, l)
			cyclic = true
		}
	}
	return nodes[len(nodes)-1], cyclic
}

// FuzzWalk: on every tree the walk ends within its bound, and on acyclic
// trees it agrees with errors.Is.
func FuzzWalk(f *testing.F) {
	for _, s := range []string{"", "\x00", "\x01\x02\x00", "\x03\x01", "\x06\x06\x06\x05"} {
		f.Add([]byte(s))
	}
	target := &marker{9}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 64 {
			b = b[:64]
		}
		root, cyclic := tree(b, target)
		n := 0
		errwalk.Walk(root, func(error) bool { n++; return false })
		if n > errwalk.MaxNodes {
			t.Fatalf("visited %d nodes", n)
		}
		if !cyclic && n < errwalk.MaxNodes && errwalk.Is(root, target) != errors.Is(root, target) {
			t.Fatalf("Is disagrees with errors.Is on %q", b)
		}
	})
}

// TestNilChildrenCount (red team): nil children count toward the bound,
// so a multi-error of 200,000 nils that contains itself is unwrapped once,
// not once per node of the bound (4,096 x 200,000 steps, seconds).
func TestNilChildrenCount(t *testing.T) {
	m := testenv.NewNilsThenSelf(200000)
	errwalk.Walk(m, func(error) bool { return false })
	if m.Calls > 1 {
		t.Errorf("Unwrap called %d times: nil children were not counted", m.Calls)
	}
}
