package faults_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
)

func TestNewTakesEntryFromDefaultRegistry(t *testing.T) {
	f := faults.New(codes.HostNotReachable, "host esx-1 lost heartbeat")
	want, _ := registry.Default().Lookup(codes.HostNotReachable)
	if diff := cmp.Diff(want, f.Entry()); diff != "" {
		t.Errorf("Entry() differs from the registry (-want +got):\n%s", diff)
	}
	if f.Code() != "GSS-VSP-023" || f.FaultType() != "HostNotReachable" || !f.Retryable() ||
		f.Impact() != codes.Critical || f.GRPCCode() != grpccodes.Unavailable || f.Category() != codes.Infrastructure ||
		f.Message() != "host esx-1 lost heartbeat" || !f.Known() || f.Action() != want.Action {
		t.Errorf("accessors of %v disagree with the entry", f)
	}
	if f.RetryDelay() != 30*time.Second {
		t.Errorf("RetryDelay() = %v, want the entry's 30s", f.RetryDelay())
	}
}

func TestNewUnknownCodeKeepsCode(t *testing.T) {
	f := faults.New("GSS-APP-404", "mine")
	if f == nil || f.Code() != "GSS-APP-404" || f.Known() || f.GRPCCode() != grpccodes.Unknown || f.Retryable() {
		t.Errorf("New(unknown) = %v known=%v grpc=%v", f, f.Known(), f.GRPCCode())
	}
	if got := faults.New("garbage", "x"); got == nil || got.Code() != "garbage" {
		t.Errorf("New(invalid code) = %v, want a fault keeping the code", got)
	}
}

func TestFromEntryForCustomRegistry(t *testing.T) {
	reg, err := registry.Default().Extend(registry.Entry{
		Code: "GSS-APP-001", FaultType: "OrderRejected", Category: codes.Validation, Component: "orders",
		Trigger: "bad order", Action: "fix it", Impact: codes.Minor, GRPCCode: grpccodes.InvalidArgument,
	})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := reg.Lookup("GSS-APP-001")
	cause := io.ErrUnexpectedEOF
	f := faults.FromEntry(e, "order 7", cause)
	if !f.Known() || f.FaultType() != "OrderRejected" || !errors.Is(f, io.ErrUnexpectedEOF) {
		t.Errorf("FromEntry = %v known=%v", f, f.Known())
	}
}

func TestWrapNil(t *testing.T) {
	if f := faults.Wrap(nil, codes.NotFound, "x"); f != nil {
		t.Errorf("Wrap(nil) = %v, want nil", f)
	}
	if f := faults.Wrapf(nil, codes.NotFound, "x %d", 1); f != nil {
		t.Errorf("Wrapf(nil) = %v, want nil", f)
	}
}

func TestErrorText(t *testing.T) {
	base := errors.New("ServerFaultCode: The operation is not allowed in the current state.")
	for _, tc := range []struct {
		name string
		err  *faults.Error
		want string
	}{
		{"message only", faults.New(codes.HostNotReachable, "host esx-1 lost heartbeat"),
			"GSS-VSP-023 HostNotReachable: host esx-1 lost heartbeat"},
		{"no message", faults.New(codes.Busy, ""), "GSS-VSP-022 Busy"},
		{"message and cause", faults.Wrap(io.ErrUnexpectedEOF, codes.NetworkUnavailable, "read reply"),
			"GSS-VSP-024 NetworkUnavailable: read reply: unexpected EOF"},
		{"message repeated in cause", faults.Wrap(base, codes.InvalidState, "The operation is not allowed in the current state."),
			"GSS-VSP-011 InvalidState: ServerFaultCode: The operation is not allowed in the current state."},
		{"cause repeated in message", faults.Wrap(io.EOF, codes.NetworkUnavailable, "read: EOF"),
			"GSS-VSP-024 NetworkUnavailable: read: EOF"},
		{"op", faults.New(codes.InvalidPowerState, "vm is off").WithOp("PowerOffVM_Task"),
			"GSS-VSP-012 InvalidPowerState: PowerOffVM_Task: vm is off"},
		{"same-code cause", faults.Wrap(faults.New(codes.TaskInProgress, "inner"), codes.TaskInProgress, "outer"),
			"GSS-VSP-014 TaskInProgress: outer: inner"},
		{"other-code cause", faults.Wrap(faults.New(codes.HostNotReachable, "inner"), codes.SystemError, "outer"),
			"GSS-VSP-001 SystemError: outer: GSS-VSP-023 HostNotReachable: inner"},
		{"context is not text", faults.New(codes.NotFound, "vm").WithObject("VirtualMachine:vm-1").WithRequestID("r1").WithMetadata("k", "v"),
			"GSS-VSP-005 NotFound: vm"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%s: Error() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestIsMatchesCodeNotMessage(t *testing.T) {
	a := faults.New(codes.TaskInProgress, "one")
	b := faults.New(codes.TaskInProgress, "two")
	c := faults.New(codes.ConcurrentAccess, "one")
	if !errors.Is(a, b) || errors.Is(a, c) {
		t.Error("Is does not compare by code")
	}
	if !errors.Is(a, faults.Code(codes.TaskInProgress)) || errors.Is(a, faults.Code(codes.ConcurrentAccess)) {
		t.Error("Is does not match faults.Code targets by code")
	}
	wrapped := fmt.Errorf("outer: %w", fmt.Errorf("mid: %w", a))
	if !errors.Is(wrapped, faults.Code(codes.TaskInProgress)) || !faults.HasCode(wrapped, codes.TaskInProgress) {
		t.Error("errors.Is does not find the code through %w wrapping")
	}
	joined := errors.Join(io.EOF, wrapped) // the fault is in the second child
	if !errors.Is(joined, faults.Code(codes.TaskInProgress)) {
		t.Error("errors.Is does not find the code in the second child of errors.Join")
	}
	// Is is shallow: a fault does not claim to be its cause's code.
	outer := faults.Wrap(a, codes.SystemError, "outer")
	if outer.Is(faults.Code(codes.TaskInProgress)) {
		t.Error("Is unwrapped its cause")
	}
	if !errors.Is(outer, faults.Code(codes.TaskInProgress)) {
		t.Error("errors.Is did not reach the inner fault")
	}
	var nilFault *faults.Error
	if nilFault.Is(a) || a.Is((*faults.Error)(nil)) {
		t.Error("Is with nil faults reported true")
	}
}

func TestIsPortableSentinels(t *testing.T) {
	for _, tc := range []struct {
		code   codes.Code
		target error
	}{
		{codes.NotFound, fs.ErrNotExist},
		{codes.FileNotFound, fs.ErrNotExist},
		{codes.ManagedObjectNotFound, fs.ErrNotExist},
		{codes.DuplicateName, fs.ErrExist},
		{codes.NoPermission, fs.ErrPermission},
		{codes.InvalidLogin, fs.ErrPermission},
		{codes.MethodNotFound, errors.ErrUnsupported},
	} {
		if !errors.Is(faults.New(tc.code, ""), tc.target) {
			t.Errorf("errors.Is(%s, %v) = false, want true", tc.code, tc.target)
		}
	}
	if errors.Is(faults.New(codes.InvalidState, ""), fs.ErrNotExist) {
		t.Error("InvalidState matched fs.ErrNotExist")
	}
}

func TestCauseStaysReachable(t *testing.T) {
	ctxErr := fmt.Errorf("call: %w", context.DeadlineExceeded)
	f := faults.Wrap(ctxErr, codes.Timedout, "wait for task")
	if !errors.Is(f, context.DeadlineExceeded) || errors.Unwrap(f) != ctxErr {
		t.Error("the cause is not reachable")
	}
	var pe *fs.PathError
	f = faults.Wrap(&fs.PathError{Op: "open", Path: "/x", Err: fs.ErrNotExist}, codes.FileNotFound, "")
	if !errors.As(f, &pe) || pe.Path != "/x" {
		t.Error("errors.As does not reach a typed cause")
	}
}

func TestHelpers(t *testing.T) {
	f := faults.New(codes.TaskInProgress, "busy")
	wrapped := fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", f)))
	if got, ok := faults.As(wrapped); !ok || got != f {
		t.Errorf("As(wrapped) = %v, %v; want the fault", got, ok)
	}
	if _, ok := faults.As(io.EOF); ok {
		t.Error("As(io.EOF) found a fault")
	}
	if _, ok := faults.As(nil); ok {
		t.Error("As(nil) found a fault")
	}
	var typedNil *faults.Error
	if got, ok := faults.As(fmt.Errorf("x: %w", typedNil)); ok || got != nil {
		t.Errorf("As(typed nil) = %v, %v; want nil, false", got, ok)
	}
	for _, tc := range []struct {
		err       error
		code      codes.Code
		retryable bool
	}{
		{nil, "", false},
		{wrapped, codes.TaskInProgress, true},
		{io.EOF, codes.MethodFault, false},
		{faults.New(codes.InvalidLogin, ""), codes.InvalidLogin, false},
	} {
		if got := faults.CodeOf(tc.err); got != tc.code {
			t.Errorf("CodeOf(%v) = %q, want %q", tc.err, got, tc.code)
		}
		if got := faults.IsRetryable(tc.err); got != tc.retryable {
			t.Errorf("IsRetryable(%v) = %v, want %v", tc.err, got, tc.retryable)
		}
	}
}

func TestHotPathsDoNotAllocate(t *testing.T) {
	f := faults.New(codes.TaskInProgress, "busy")
	wrapped := fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", f)))
	target := faults.Code(codes.TaskInProgress)
	other := faults.New(codes.TaskInProgress, "other")
	n := testing.AllocsPerRun(200, func() {
		if faults.CodeOf(wrapped) != codes.TaskInProgress {
			t.Fatal("CodeOf")
		}
		if !f.Is(target) || !f.Is(other) || !errors.Is(wrapped, target) {
			t.Fatal("Is")
		}
		if !faults.IsRetryable(wrapped) {
			t.Fatal("IsRetryable")
		}
		_ = f.Code()
		_ = f.Retryable()
	})
	if n != 0 {
		t.Errorf("CodeOf, Is and IsRetryable allocate %v times, want 0", n)
	}
}

func TestWithReturnsCopies(t *testing.T) {
	orig := faults.New(codes.TaskInProgress, "busy")
	mod := orig.WithMessage("changed").WithOp("op").WithObject("VirtualMachine:vm-1").WithRequestID("req-1").
		WithDuration(time.Second).WithRetryDelay(7*time.Second).WithLocalized("de-DE", "beschäftigt").
		WithMetadata("b", "2").WithMetadata("a", "1").WithMetadata("b", "3").WithCause(io.EOF)
	if orig.Message() != "busy" || orig.Op() != "" || orig.Object() != "" || orig.RequestID() != "" ||
		orig.Duration() != 0 || orig.RetryDelay() != 5*time.Second || orig.Metadata() != nil || orig.Unwrap() != nil {
		t.Errorf("With methods changed the original: %v", orig)
	}
	if _, ok := orig.Localized(); ok {
		t.Error("WithLocalized changed the original")
	}
	want := []faults.Field{{"a", "1"}, {"b", "3"}}
	if diff := cmp.Diff(want, mod.Metadata()); diff != "" {
		t.Errorf("Metadata (-want +got):\n%s", diff)
	}
	if v, ok := mod.MetadataValue("b"); !ok || v != "3" {
		t.Errorf("MetadataValue(b) = %q, %v", v, ok)
	}
	loc, _ := mod.Localized()
	if mod.Message() != "changed" || mod.Op() != "op" || mod.Object() != "VirtualMachine:vm-1" || mod.RequestID() != "req-1" ||
		mod.Duration() != time.Second || mod.RetryDelay() != 7*time.Second || loc.Locale != "de-DE" || mod.Unwrap() != io.EOF {
		t.Errorf("With methods did not set their fields: %+v", mod)
	}
	// Metadata of two copies are independent.
	m1 := mod.WithMetadata("c", "x")
	m2 := mod.WithMetadata("c", "y")
	if v, _ := m1.MetadataValue("c"); v != "x" {
		t.Errorf("sibling copies share metadata: m1 c = %q", v)
	}
	if v, _ := m2.MetadataValue("c"); v != "y" {
		t.Errorf("sibling copies share metadata: m2 c = %q", v)
	}
	got := mod.Metadata()
	got[0].Value = "mutated"
	if v, _ := mod.MetadataValue("a"); v != "1" {
		t.Error("Metadata() returned the internal slice")
	}
	// A fault that is not retryable has no retry delay whatever is set.
	if d := faults.New(codes.InvalidLogin, "").WithRetryDelay(time.Minute).RetryDelay(); d != 0 {
		t.Errorf("RetryDelay of a non-retryable fault = %v, want 0", d)
	}
}

func TestNilFault(t *testing.T) {
	var f *faults.Error
	if f.Code() != "" || f.FaultType() != "" || f.Message() != "" || f.Retryable() || f.Impact() != 0 ||
		f.Unwrap() != nil || f.GRPCStatus() != nil || f.Error() != "<nil>" || f.Known() || f.RetryDelay() != 0 ||
		f.WithMessage("x") != nil || f.WithMetadata("a", "b") != nil || f.Metadata() != nil {
		t.Error("a nil *Error does not behave as the zero fault")
	}
}

func TestGRPCStatus(t *testing.T) {
	f := faults.New(codes.InvalidPowerState, "vm-1 is powered off")
	st, ok := status.FromError(f)
	if !ok || st.Code() != grpccodes.FailedPrecondition || st.Message() != "vm-1 is powered off" {
		t.Errorf("status.FromError = %v %q %v", st.Code(), st.Message(), ok)
	}
	if c := status.Code(fmt.Errorf("handler: %w", f)); c != grpccodes.FailedPrecondition {
		t.Errorf("status.Code(wrapped) = %v, want FailedPrecondition", c)
	}
}

func TestLogValue(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	f := faults.Wrap(errors.New("secret cause"), codes.TaskInProgress, "vm busy").
		WithRequestID("req-9").WithObject("VirtualMachine:vm-7").WithMetadata("task", "task-3")
	log.Error("power on failed", "err", f)
	var rec struct {
		Err map[string]any `json:"err"`
	}
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("%v: %s", err, buf.Bytes())
	}
	want := map[string]any{
		"code": "GSS-VSP-014", "faultType": "TaskInProgress", "message": "vm busy", "retryable": true,
		"impact": "minor", "requestID": "req-9", "object": "VirtualMachine:vm-7",
		"retryDelay": float64(5 * time.Second), "metadata": map[string]any{"task": "task-3"},
	}
	if diff := cmp.Diff(want, rec.Err); diff != "" {
		t.Errorf("logged fault (-want +got):\n%s", diff)
	}
	if strings.Contains(buf.String(), "secret cause") {
		t.Error("LogValue logged the cause text")
	}
}

func TestBuildEqualsWithChain(t *testing.T) {
	e, _ := registry.Default().Lookup(codes.TaskInProgress)
	built := faults.Build(e, "busy", io.EOF, faults.Details{
		Op: "PowerOnVM_Task", Object: "VirtualMachine:vm-1", RequestID: "r", Duration: time.Second,
		RetryDelay: 2 * time.Second, Localized: faults.LocalizedMessage{Locale: "en", Message: "busy"},
		Metadata: []faults.Field{{"b", "1"}, {"", "dropped"}, {"a", "x"}, {"b", "2"}},
	})
	chained := faults.FromEntry(e, "busy", io.EOF).WithOp("PowerOnVM_Task").WithObject("VirtualMachine:vm-1").
		WithRequestID("r").WithDuration(time.Second).WithRetryDelay(2*time.Second).WithLocalized("en", "busy").
		WithMetadata("b", "1").WithMetadata("a", "x").WithMetadata("b", "2")
	if built.Error() != chained.Error() || built.Op() != chained.Op() || built.Object() != chained.Object() ||
		built.RequestID() != chained.RequestID() || built.Duration() != chained.Duration() || built.RetryDelay() != chained.RetryDelay() {
		t.Errorf("Build = %+v, chain = %+v", built, chained)
	}
	if diff := cmp.Diff(chained.Metadata(), built.Metadata()); diff != "" {
		t.Errorf("metadata (-chain +build):\n%s", diff)
	}
	if n := testing.AllocsPerRun(100, func() { _ = faults.Build(e, "m", nil, faults.Details{}) }); n != 1 {
		t.Errorf("Build without metadata allocates %v times, want 1", n)
	}
}
