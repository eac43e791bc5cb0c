package faults_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/registry"
)

func TestNewTakesEntryFromDefaultRegistry(t *testing.T) {
	f := faults.New(codes.HostNotReachable, "host esx-1 lost heartbeat")
	want, _ := registry.Default().Lookup(codes.HostNotReachable)
	if diff := cmp.Diff(want, f.Entry()); diff != "" {
		t.Errorf("Entry() differs from the registry (-want +got):\n%s", diff)
	}
	type view struct {
		Code               codes.Code
		FaultType, Message string
		Retryable, Known   bool
		Impact             codes.ImpactLevel
		GRPC               grpccodes.Code
		Category           codes.Category
		Action             string
		Delay              time.Duration
		Catalog            bool
	}
	got := view{f.Code(), f.FaultType(), f.Message(), f.Retryable(), f.Known(), f.Impact(), f.GRPCCode(), f.Category(), f.Action(), f.RetryDelay(), f.FromCatalog()}
	exp := view{"GSS-VSP-023", "HostNotReachable", "host esx-1 lost heartbeat", true, true, codes.Critical, grpccodes.Unavailable,
		codes.CategoryInfrastructure, want.Action, 30 * time.Second, true}
	if diff := cmp.Diff(exp, got); diff != "" {
		t.Errorf("accessors (-want +got):\n%s", diff)
	}
}

func TestNewUnknownCodeKeepsCode(t *testing.T) {
	f := faults.New("GSS-APP-404", "mine")
	if f.Code() != "GSS-APP-404" || f.Known() || f.GRPCCode() != grpccodes.Unknown || f.Retryable() {
		t.Errorf("New(unknown) = %v known=%v grpc=%v", f, f.Known(), f.GRPCCode())
	}
	if got := faults.New("garbage", "x"); got.Code() != "garbage" {
		t.Errorf("New(invalid code) = %v, want a fault keeping the code", got)
	}
}

func customRegistry(t testing.TB) *registry.Registry {
	t.Helper()
	reg, err := registry.Default().Extend(registry.Entry{
		Code: "GSS-APP-001", FaultType: "OrderRejected", Category: codes.CategoryValidation, Component: "orders",
		Trigger: "bad order", Action: "fix it", Impact: codes.Minor, GRPCCode: grpccodes.InvalidArgument,
	})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestFromEntryForCustomRegistry(t *testing.T) {
	e, _ := customRegistry(t).Lookup("GSS-APP-001")
	f := faults.FromEntry(e, "order 7 has no items", io.ErrUnexpectedEOF)
	if f.Code() != "GSS-APP-001" || !f.Known() || f.GRPCCode() != grpccodes.InvalidArgument || !errors.Is(f, io.ErrUnexpectedEOF) {
		t.Errorf("FromEntry = %v known=%v", f, f.Known())
	}
	// An entry of the default registry gives New's fault.
	d, _ := registry.Default().Lookup(codes.NotFound)
	if got, want := faults.FromEntry(d, "x", nil), faults.New(codes.NotFound, "x"); got.Error() != want.Error() || !got.Known() {
		t.Errorf("FromEntry(default entry) = %v, New = %v", got, want)
	}
}

// TestNoTypedNil calls every function that returns an error or a fault
// for "nothing" and checks that, returned as an error, it is nil.
func TestNoTypedNil(t *testing.T) {
	for name, err := range map[string]error{
		"Wrap(nil)":          faults.Wrap(nil, codes.NotFound, "x"),
		"Wrapf(nil)":         faults.Wrapf(nil, codes.NotFound, "x %d", 1),
		"Policy.Status(nil)": nilStatusErr(faults.Policy{}.Status(nil)),
		"Retry success":      faults.Retry(context.Background(), faults.RetryPolicy{}, func(context.Context) error { return nil }),
	} {
		if err != nil {
			t.Errorf("%s = %#v, want a nil error", name, err)
		}
	}
	if f, ok := faults.FromStatus(nil); f != nil || ok {
		t.Errorf("FromStatus(nil) = %v, %v", f, ok)
	}
	// The With methods keep a nil *Error nil (a *Error, like every method
	// of the type, not an error: a caller returning it as an error checks
	// it first, as for any pointer).
	if f := (*faults.Error)(nil).WithMessage("x").WithOp("y"); f != nil {
		t.Errorf("With on a nil *Error = %v, want nil", f)
	}
	if f, ok := (faults.Policy{}).FaultOf(nil); f != nil || ok {
		t.Errorf("FaultOf(nil) = %v, %v", f, ok)
	}
	if f, ok := faults.As(nil); f != nil || ok {
		t.Errorf("As(nil) = %v, %v", f, ok)
	}
	if faults.CodeOf(nil) != "" || faults.IsRetryable(nil) {
		t.Error("CodeOf/IsRetryable of nil are not zero")
	}
	var nilFault *faults.Error
	if nilFault.Code() != "" || nilFault.Error() != "<nil>" || nilFault.Unwrap() != nil || nilFault.GRPCStatus() != nil ||
		nilFault.Is(faults.Code(codes.NotFound)) || nilFault.Details() != nil || nilFault.Metadata() != nil {
		t.Error("a nil *Error's accessors are not zero")
	}
}

func nilStatusErr(st interface{ Err() error }) error {
	if st == nil {
		return nil
	}
	return st.Err()
}

func TestErrorText(t *testing.T) {
	cause := errors.New("dial tcp 10.0.0.5:443: connect: connection refused")
	samecode := faults.New(codes.TaskInProgress, "vm-1 is busy")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"code only", faults.New(codes.NotFound, ""), "GSS-VSP-005 NotFound"},
		{"message", faults.New(codes.NotFound, "vm 'x' not found"), "GSS-VSP-005 NotFound: vm 'x' not found"},
		{"op", faults.New(codes.NotFound, "vm 'x' not found").WithOp("find.VirtualMachine"), "GSS-VSP-005 NotFound: find.VirtualMachine: vm 'x' not found"},
		{"cause", faults.Wrap(cause, codes.NetworkUnavailable, "connect to vCenter"), "GSS-VSP-024 NetworkUnavailable: connect to vCenter: " + cause.Error()},
		{"message a word of the cause", faults.Wrap(cause, codes.NetworkUnavailable, "refused"), "GSS-VSP-024 NetworkUnavailable: refused: " + cause.Error()},
		{"message a part of the cause", faults.Wrap(cause, codes.NetworkUnavailable, "connection refused"), "GSS-VSP-024 NetworkUnavailable: " + cause.Error()},
		{"message the cause's head", faults.Wrap(cause, codes.NetworkUnavailable, "dial tcp 10.0.0.5:443"), "GSS-VSP-024 NetworkUnavailable: " + cause.Error()},
		{"cause inside the message", faults.Wrap(errors.New("refused"), codes.NetworkUnavailable, "connect: refused"), "GSS-VSP-024 NetworkUnavailable: connect: refused"},
		{"nested, same code", faults.Wrap(samecode, codes.TaskInProgress, "power on"), "GSS-VSP-014 TaskInProgress: power on: vm-1 is busy"},
		{"nested, other code", faults.Wrap(samecode, codes.SystemError, "reconcile"), "GSS-VSP-001 SystemError: reconcile: GSS-VSP-014 TaskInProgress: vm-1 is busy"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%s: Error() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

type panicText struct{ p *int }

func (e panicText) Error() string { return fmt.Sprint(*e.p) }

type nilPtr struct{}

func (*nilPtr) Error() string { panic("nil receiver") }

// TestErrorNeverPanics: a cause whose Error method panics (a nil pointer
// inside a value, a typed nil) gives a placeholder, never a panic (red
// team m5).
func TestErrorNeverPanics(t *testing.T) {
	var typedNil *nilPtr
	for name, cause := range map[string]error{"nil pointer inside": panicText{}, "typed nil": typedNil} {
		f := faults.Wrap(cause, codes.SystemError, "")
		var text string
		func() {
			defer func() {
				if v := recover(); v != nil {
					t.Errorf("%s: Error panicked: %v", name, v)
				}
			}()
			text = f.Error()
		}()
		if !strings.HasPrefix(text, "GSS-VSP-001 SystemError: ") {
			t.Errorf("%s: Error() = %q", name, text)
		}
	}
}

// TestErrorTextOfDeepChains: the text of 16,000 nested faults is built
// once per level, not once per level per level (red team m5 measured 12.7 s
// for this before).
func TestErrorTextOfDeepChains(t *testing.T) {
	var err error = errors.New("root")
	for i := range 16000 {
		err = faults.Wrap(err, codes.SystemError, fmt.Sprintf("level %d", i))
	}
	text := err.Error()
	if !strings.HasPrefix(text, "GSS-VSP-001 SystemError: level 15999: level 15998: ") {
		t.Errorf("text starts %q", text[:80])
	}
	if n := strings.Count(text, "level"); n != faults.MaxWalk {
		t.Errorf("text names %d levels, want the walk bound %d", n, faults.MaxWalk)
	}
}

func TestIsMatchesCodeNotMessage(t *testing.T) {
	a := faults.New(codes.TaskInProgress, "one")
	b := faults.New(codes.TaskInProgress, "two")
	wrapped := fmt.Errorf("outer: %w", a)
	for _, tc := range []struct {
		err    error
		target error
		want   bool
	}{
		{wrapped, b, true},
		{wrapped, faults.Code(codes.TaskInProgress), true},
		{wrapped, faults.Code(codes.ConcurrentAccess), false},
		{wrapped, faults.New(codes.ConcurrentAccess, "one"), false},
		{faults.New(codes.NotFound, ""), fs.ErrNotExist, true},
		{faults.New(codes.DuplicateName, ""), fs.ErrExist, true},
		{faults.New(codes.NoPermission, ""), fs.ErrPermission, true},
		{faults.New(codes.NotAuthenticated, ""), fs.ErrPermission, true},
		{faults.New(codes.NotSupported, ""), errors.ErrUnsupported, true},
		{faults.New(codes.NotFound, ""), fs.ErrExist, false},
	} {
		if got := errors.Is(tc.err, tc.target); got != tc.want {
			t.Errorf("errors.Is(%v, %v) = %v, want %v", tc.err, tc.target, got, tc.want)
		}
	}
}

// wideJoin puts target at index at of an n-wide errors.Join, three wraps
// deep.
func wideJoin(n, at int, target error) error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = fmt.Errorf("sibling %d", i)
	}
	errs[at] = fmt.Errorf("a: %w", fmt.Errorf("b: %w", target))
	return fmt.Errorf("top: %w", errors.Join(errs...))
}

// TestWalksAgreeWithStandardLibrary: As, CodeOf and IsRetryable find what
// errors.As and errors.Is find, in the second, the 65th and the last child
// of a join and at depth 1,000 (the design's principle 4; the walk used to drop
// siblings past 64).
func TestWalksAgreeWithStandardLibrary(t *testing.T) {
	f := faults.New(codes.TaskInProgress, "busy")
	for name, err := range map[string]error{
		"second of 100": wideJoin(100, 1, f),
		"65th of 100":   wideJoin(100, 64, f),
		"80th of 100":   wideJoin(100, 79, f),
		"last of 100":   wideJoin(100, 99, f),
		"depth 1000":    testenv.Deep(f, 1000),
	} {
		var std *faults.Error
		if !errors.As(err, &std) || !errors.Is(err, faults.Code(codes.TaskInProgress)) {
			t.Fatalf("%s: the standard library does not find the fault", name)
		}
		got, ok := faults.As(err)
		if !ok || got != std || faults.CodeOf(err) != codes.TaskInProgress || !faults.IsRetryable(err) {
			t.Errorf("%s: As = %v, %v; CodeOf = %s; IsRetryable = %v", name, got, ok, faults.CodeOf(err), faults.IsRetryable(err))
		}
	}
}

type asOnly struct{ f *faults.Error }

func (a asOnly) Error() string { return "as only" }
func (a asOnly) As(target any) bool {
	if p, ok := target.(**faults.Error); ok {
		*p = a.f
		return true
	}
	return false
}

func TestAsUsesAsMethods(t *testing.T) {
	f := faults.New(codes.NotFound, "x")
	if got, ok := faults.As(fmt.Errorf("w: %w", asOnly{f})); !ok || got != f {
		t.Errorf("As through an As method = %v, %v", got, ok)
	}
	if _, ok := faults.As(asOnly{nil}); ok {
		t.Error("As reported a nil fault from an As method")
	}
}

// TestWalksTerminate: cycles, a self-referencing join and a panicking
// Unwrap end within the walk bound in every helper.
func TestWalksTerminate(t *testing.T) {
	for name, err := range map[string]error{
		"cycle":         testenv.NewCycle(),
		"join of cycle": errors.Join(testenv.NewCycle()),
		"panicky":       fmt.Errorf("w: %w", testenv.Panicky{}),
		"deep":          testenv.Deep(errors.New("x"), 100000),
	} {
		if _, ok := faults.As(err); ok {
			t.Errorf("%s: As found a fault", name)
		}
		if faults.CodeOf(err) != "GSS-VSP-999" {
			t.Errorf("%s: CodeOf = %s", name, faults.CodeOf(err))
		}
		if f, _ := (faults.Policy{}).FaultOf(err); f.Code() != "GSS-VSP-999" {
			t.Errorf("%s: FaultOf = %v", name, f)
		}
	}
}

func TestHotPathsDoNotAllocate(t *testing.T) {
	err := fmt.Errorf("a: %w", fmt.Errorf("b: %w", faults.New(codes.TaskInProgress, "x")))
	target := faults.Code(codes.TaskInProgress)
	for name, fn := range map[string]func(){
		"CodeOf":    func() { _ = faults.CodeOf(err) },
		"As":        func() { _, _ = faults.As(err) },
		"errors.Is": func() { _ = errors.Is(err, target) },
	} {
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s allocates %v times", name, n)
		}
	}
}

func TestWithReturnsCopies(t *testing.T) {
	orig := faults.New(codes.NotFound, "orig")
	changed := orig.WithMessage("changed").WithOp("op").WithObject("VirtualMachine:vm-1").WithRequestID("req-1").
		WithDuration(time.Second).WithLocalized("de-DE", "nicht gefunden").
		WithMetadata(faults.Field{Key: "k", Value: "1"}, faults.Field{Key: "k", Value: "2"}, faults.Field{Key: "", Value: "dropped"})
	if orig.Message() != "orig" || orig.Op() != "" || orig.Object() != "" || orig.Metadata() != nil {
		t.Errorf("With changed the original: %v", orig)
	}
	loc, _ := changed.Localized()
	if changed.Message() != "changed" || changed.Op() != "op" || changed.Object() != "VirtualMachine:vm-1" ||
		changed.RequestID() != "req-1" || changed.Duration() != time.Second || loc.Message != "nicht gefunden" {
		t.Errorf("With lost a field: %v", changed)
	}
	if diff := cmp.Diff([]faults.Field{{Key: "k", Value: "2"}}, changed.Metadata()); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	md := changed.Metadata()
	md[0].Value = "mutated"
	if v, _ := changed.MetadataValue("k"); v != "2" {
		t.Error("Metadata returned the fault's own slice")
	}
	// RetryDelay applies only to retryable faults.
	if d := faults.New(codes.NotFound, "").WithRetryDelay(time.Minute).RetryDelay(); d != 0 {
		t.Errorf("a non-retryable fault has RetryDelay %v", d)
	}
	if d := faults.New(codes.TaskInProgress, "").WithRetryDelay(time.Minute).RetryDelay(); d != time.Minute {
		t.Errorf("WithRetryDelay = %v", d)
	}
}

func TestLogValue(t *testing.T) {
	f := faults.New(codes.HostNotReachable, "esx-1 lost its heartbeat").WithOp("PowerOnVM_Task").
		WithRequestID("req-9").WithDuration(1500 * time.Millisecond).WithMetadata(faults.Field{Key: "host", Value: "esx-1"})
	var got []string
	for _, a := range f.LogValue().Group() {
		got = append(got, a.String())
	}
	want := []string{"code=GSS-VSP-023", "faultType=HostNotReachable", "retryable=true", "impact=critical",
		"message=esx-1 lost its heartbeat", "op=PowerOnVM_Task", "requestId=req-9", "duration=1.5s", "retryDelay=30s", "metadata=[host=esx-1]"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LogValue (-want +got):\n%s", diff)
	}
	for _, a := range faults.New(codes.NotFound, "").LogValue().Group() {
		if a.Key == "message" {
			t.Error("an empty message is logged")
		}
	}
}

// describeNothing gives no fields, so a derived fault's metadata is its own.
type describeNothing struct{}

func (describeNothing) Describe(error) faults.Fields { return faults.Fields{} }

// TestMetadataIsACopy (red team): the slice Metadata returns is the
// caller's; changing it changes neither the fault nor its copies, derived
// faults included.
func TestMetadataIsACopy(t *testing.T) {
	base := faults.New(codes.TaskInProgress, "busy")
	for name, f := range map[string]*faults.Error{
		"made":    base.WithMetadata(faults.Field{Key: "tenant", Value: "a"}),
		"derived": base.Derive(errors.New("cause"), describeNothing{}).WithMetadata(faults.Field{Key: "tenant", Value: "a"}),
	} {
		g := f.WithOp("op")
		f.Metadata()[0].Value = "MUTATED"
		if v, _ := f.MetadataValue("tenant"); v != "a" {
			t.Errorf("%s: the fault's metadata changed to %q", name, v)
		}
		if v, _ := g.MetadataValue("tenant"); v != "a" {
			t.Errorf("%s: a copy's metadata changed to %q", name, v)
		}
	}
}
