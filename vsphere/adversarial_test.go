package vsphere_test

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/vsphere"
)

func TestAdversarialChainsTerminate(t *testing.T) {
	c := testenv.NewCycle()
	deep := testenv.Deep(io.EOF, 100000)
	wide := make([]error, 10000)
	for i := range wide {
		wide[i] = fmt.Errorf("leaf %d", i)
	}
	var typedNilURL *url.Error
	self := &types.SystemError{}
	self.FaultCause = &types.LocalizedMethodFault{Fault: self}
	for name, err := range map[string]error{
		"unwrap cycle":     c,
		"100k deep":        deep,
		"wide join":        errors.Join(wide...),
		"typed nil cause":  fmt.Errorf("x: %w", typedNilURL),
		"panicking unwrap": fmt.Errorf("x: %w", testenv.Panicky{}),
		"self cause":       classifyFault(self),
	} {
		f := classify(err)
		if f == nil || f.Code() == "" {
			t.Errorf("%s: Classify = %v, want a code", name, f)
		}
	}
	// A fault deep in a wide join past the walk's bound is not found, but
	// one early in it is.
	early := append([]error{inject(t, &types.NoPermission{})}, wide...)
	if f := classify(errors.Join(early...)); f.Code() != codes.NoPermission {
		t.Errorf("fault first in a wide join: %s", f.Code())
	}
	if _, ok := vsphere.Fault(c); ok {
		t.Error("Fault found a fault in a cycle")
	}
	if len(vsphere.CauseChain(self)) != vsphere.MaxCauseDepth {
		t.Error("a self-referencing faultCause chain is not cut at MaxCauseDepth")
	}
}

func TestFaultChainAndInnermost(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", errors.Join(io.EOF, provokedErr(t, "task failed: SystemError caused by HostNotReachable")))
	chain := vsphere.Chain(err)
	if len(chain) != 2 {
		t.Fatalf("Chain = %d faults, want 2", len(chain))
	}
	if _, ok := chain[0].(*types.SystemError); !ok {
		t.Errorf("chain[0] = %T, want SystemError", chain[0])
	}
	in, ok := vsphere.Innermost(err)
	if _, isHNR := in.(*types.HostNotReachable); !ok || !isHNR {
		t.Errorf("Innermost = %T, %v; want HostNotReachable", in, ok)
	}
	if _, ok := vsphere.Innermost(io.EOF); ok || vsphere.Chain(io.EOF) != nil || vsphere.CauseChain(nil) != nil {
		t.Error("errors without faults gave a chain")
	}
}

func provokedErr(t *testing.T, name string) error {
	t.Helper()
	err, ok := provoked[name]
	if !ok || err == nil {
		t.Fatalf("scenario %q has no error", name)
	}
	return err
}

// Fault, Chain and Innermost end their walk at a panicking Unwrap instead
// of panicking.
func TestFaultWalkSurvivesPanickingUnwrap(t *testing.T) {
	err := fmt.Errorf("x: %w", testenv.Panicky{})
	if _, ok := vsphere.Fault(err); ok {
		t.Error("Fault found a fault behind a panicking Unwrap")
	}
	if vsphere.Chain(err) != nil {
		t.Error("Chain found a chain behind a panicking Unwrap")
	}
}

// A specific fault at the very end of the longest followed faultCause
// chain is found, with the whole chain in its metadata.
func TestLongestCauseChain(t *testing.T) {
	var f types.BaseMethodFault = &types.HostNotReachable{}
	for range vsphere.MaxCauseDepth {
		f = &types.SystemError{RuntimeFault: types.RuntimeFault{MethodFault: types.MethodFault{
			FaultCause: &types.LocalizedMethodFault{Fault: f}}}}
	}
	got := classifyFault(f)
	if got.Code() != codes.HostNotReachable {
		t.Fatalf("ClassifyFault = %s, want HostNotReachable at depth %d", got.Code(), vsphere.MaxCauseDepth)
	}
	chain, _ := got.MetadataValue("faultChain")
	if n := strings.Count(chain, ">") + 1; n != vsphere.MaxCauseDepth+1 || !strings.HasSuffix(chain, ">HostNotReachable") {
		t.Errorf("faultChain has %d names: %q", n, chain)
	}
}

type selfJoin struct{}

func (s selfJoin) Error() string   { return "self" }
func (s selfJoin) Unwrap() []error { return []error{s, s} }

// TestCyclesUnderMultiErrorsEnd: an Unwrap cycle under an errors.Join and
// a multi-error that contains itself used to hang Classify or kill the
// process with a stack overflow (red team C1: govmomi's
// soap.IsCertificateUntrusted walks with an unbounded errors.As). Run in a
// child process with a time and memory bound.
func TestCyclesUnderMultiErrorsEnd(t *testing.T) {
	if !testenv.InChild(t, 60*time.Second) {
		return
	}
	chain := testenv.Deep(io.EOF, 100000)
	many := make([]error, 1000)
	for i := range many {
		many[i] = chain
	}
	for name, err := range map[string]error{
		"join of a cycle":   errors.Join(testenv.NewCycle()),
		"self join":         selfJoin{},
		"join in a cycle":   fmt.Errorf("x: %w", errors.Join(io.EOF, testenv.NewCycle())),
		"1000 x 100k chain": errors.Join(many...),
	} {
		f := classify(err)
		if f.Code() != "GSS-VSP-999" || !errors.Is(f, err) && name != "self join" {
			t.Errorf("%s: %v", name, f)
		}
		_ = f.Error()
		_ = faults.Policy{DebugInfo: true}.Status(f)
	}
}

// TestClassifyCountsNilChildren (red team): as in errwalk, a nil child of a
// multi-error counts toward the bound, so each of Classify's walks (its
// own, then the transport checks when it found nothing from vSphere)
// unwraps the multi-error once instead of once per node of the bound.
func TestClassifyCountsNilChildren(t *testing.T) {
	m := testenv.NewNilsThenSelf(200000)
	if f := classify(m); f.Code() != codes.MethodFault || m.Calls > 8 {
		t.Errorf("Classify = %v after %d unwraps of the multi-error; want the catch-all after a few", f, m.Calls)
	}
}

// vimMulti is a vim error (Fault() says nothing useful) that is also a
// multi-error holding the real fault.
type vimMulti struct {
	fault types.BaseMethodFault
	kids  []error
}

func (v vimMulti) Error() string                   { return "vim multi" }
func (v vimMulti) Fault() types.BaseMethodFault    { return v.fault }
func (v vimMulti) Unwrap() []error                 { return v.kids }
func (v vimMulti) GetFault() types.BaseMethodFault { return v.fault }

// asOnly finds its inner error only through its As method, as some
// wrappers do.
type asOnly struct{ inner error }

func (a asOnly) Error() string      { return "as only" }
func (a asOnly) As(target any) bool { return errors.As(a.inner, target) }

// TestClassifyFindsWhatErrorsAsFinds (red team): a vim error that is also
// a multi-error is looked into, and an error that yields a vim fault only
// through its As method is asked, as errors.As does.
func TestClassifyFindsWhatErrorsAsFinds(t *testing.T) {
	tip := provoked["injected TaskInProgress on power off"]
	for name, err := range map[string]error{
		"vim multi-error, no fault":      vimMulti{kids: []error{tip}},
		"vim multi-error, generic fault": vimMulti{fault: &types.SystemError{}, kids: []error{tip}},
		"As only":                        asOnly{tip},
		"As only, in a join":             errors.Join(errors.New("x"), asOnly{tip}),
	} {
		var hf types.HasFault
		if !errors.As(err, &hf) {
			t.Fatalf("%s: errors.As finds no vim fault", name)
		}
		if f := classify(err); f.Code() != codes.TaskInProgress {
			t.Errorf("%s: Classify = %v, want TaskInProgress", name, f)
		}
		// Fault, Chain and Innermost walk the same way.
		if strings.HasPrefix(name, "As only") {
			f, ok := vsphere.Fault(err)
			if _, tip := f.(*types.TaskInProgress); !ok || !tip || len(vsphere.Chain(err)) != 1 {
				t.Errorf("%s: Fault = %T, %v; Chain = %v", name, f, ok, vsphere.Chain(err))
			}
			if in, ok := vsphere.Innermost(err); !ok || reflect.TypeOf(in) != reflect.TypeOf(f) {
				t.Errorf("%s: Innermost = %T, %v", name, in, ok)
			}
		}
	}
}
