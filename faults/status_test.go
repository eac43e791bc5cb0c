package faults_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/internal/wirepb"
	"github.com/gssfault/gssfault/registry"
)

// details decodes a status's details, failing on one that does not.
func details(t testing.TB, st *status.Status) map[string]proto.Message {
	t.Helper()
	out := map[string]proto.Message{}
	for _, d := range st.Details() {
		m, ok := d.(proto.Message)
		if !ok {
			t.Fatalf("detail does not decode: %v", d)
		}
		out[string(m.ProtoReflect().Descriptor().Name())] = m
	}
	return out
}

func TestStatusOfAFaultMadeHere(t *testing.T) {
	f := faults.New(codes.TaskInProgress, "vm-42 is busy").WithOp("PowerOnVM_Task").WithObject("VirtualMachine:vm-42").
		WithRequestID("req-7").WithDuration(1500*time.Millisecond).WithLocalized("de-DE", "vm-42 ist beschäftigt").
		WithMetadata(faults.Field{Key: "task", Value: "Task:task-9"}, faults.Field{Key: "gssCode", Value: "spoof"}).
		WithDetails(&errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{Type: "TASK", Subject: "vm-42"}}})
	st := f.GRPCStatus()
	if st.Code() != grpccodes.Aborted || st.Message() != "vm-42 is busy" {
		t.Errorf("status = %v %q", st.Code(), st.Message())
	}
	d := details(t, st)
	want := map[string]proto.Message{
		"ErrorInfo": &errdetails.ErrorInfo{Reason: "TASK_IN_PROGRESS", Domain: "gssfault.vsp", Metadata: map[string]string{
			"gssCode": "GSS-VSP-014", "impact": "minor", "retryable": "true", "requestId": "req-7", "op": "PowerOnVM_Task",
			"object": "VirtualMachine:vm-42", "duration": "1.5s", "task": "Task:task-9", "x-gssCode": "spoof"}},
		"RetryInfo":           &errdetails.RetryInfo{RetryDelay: durationpb.New(5 * time.Second)},
		"ResourceInfo":        &errdetails.ResourceInfo{ResourceType: "VirtualMachine", ResourceName: "vm-42"},
		"Help":                &errdetails.Help{Links: []*errdetails.Help_Link{{Description: "TaskInProgress reference", Url: f.Entry().DocRef}}},
		"LocalizedMessage":    &errdetails.LocalizedMessage{Locale: "de-DE", Message: "vm-42 ist beschäftigt"},
		"PreconditionFailure": &errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{Type: "TASK", Subject: "vm-42"}}},
	}
	if diff := cmp.Diff(want, d, protocmp.Transform()); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
	// Read back, it is the same fault.
	back, ok := faults.FromStatus(st)
	if !ok || back.Code() != f.Code() || back.Message() != f.Message() || back.Op() != f.Op() || back.Object() != f.Object() ||
		back.RequestID() != "req-7" || back.Duration() != f.Duration() || back.RetryDelay() != 5*time.Second || !back.Known() {
		t.Errorf("read back = %v", back)
	}
	if v, _ := back.MetadataValue("task"); v != "Task:task-9" {
		t.Errorf("metadata task = %q", v)
	}
	if ds := back.Details(); len(ds) != 1 || !proto.Equal(ds[0], want["PreconditionFailure"]) {
		t.Errorf("Details() = %v", ds)
	}
}

// TestEveryEntryRoundTripsThroughAStatus: every catalog entry, made here
// and read back, keeps its code, retry semantics and message.
func TestEveryEntryRoundTripsThroughAStatus(t *testing.T) {
	for _, e := range registry.Default().All() {
		f := faults.FromEntry(e, "message of "+e.FaultType, nil)
		back, ok := faults.FromStatus(f.GRPCStatus())
		if !ok || back.Code() != e.Code || back.Retryable() != e.Retryable || back.GRPCCode() != e.GRPCCode || !back.FromCatalog() {
			t.Errorf("%s: read back as %v (retryable %v, %v)", e.Code, back, back.Retryable(), back.GRPCCode())
		}
		wantMsg := f.Message()
		switch e.GRPCCode {
		case grpccodes.Internal, grpccodes.Unknown, grpccodes.DataLoss:
			wantMsg = "internal error (" + string(e.Code) + " " + e.FaultType + ")"
		}
		if back.Message() != wantMsg {
			t.Errorf("%s: message %q, want %q", e.Code, back.Message(), wantMsg)
		}
	}
}

// TestThirdPartyStatusesGoBackOutUnchanged: a status from another
// project's tests, read into a fault and sent on, is the same status:
// code, message, every detail in order (the design's principle 1). Only the
// trust boundary's redaction changes it: Internal/Unknown/DataLoss
// messages and received DebugInfo.
func TestThirdPartyStatusesGoBackOutUnchanged(t *testing.T) {
	for name, pb := range testenv.Statuses(t) {
		st := status.FromProto(pb)
		f, ok := faults.FromStatus(st)
		if !ok {
			t.Fatalf("%s: not read", name)
		}
		if f.FromCatalog() || f.GRPCCode() != st.Code() {
			t.Errorf("%s: read as %v, code %v, from catalog %v", name, f, f.GRPCCode(), f.FromCatalog())
		}
		if want := st.Code() == grpccodes.Unavailable; f.Retryable() != want {
			t.Errorf("%s: retryable %v, want %v (AIP-194)", name, f.Retryable(), want)
		}
		trusted := faults.Policy{ExposeInternal: true, DebugInfo: true}
		if got := trusted.Status(f).Proto(); !proto.Equal(got, pb) {
			t.Errorf("%s: sent on as %v, want %v", name, got, pb)
		}
		got := faults.Policy{}.Status(f).Proto()
		want := proto.Clone(pb).(*spb.Status)
		switch st.Code() {
		case grpccodes.Internal, grpccodes.Unknown, grpccodes.DataLoss:
			want.Message = "internal error"
		}
		kept := want.Details[:0]
		for _, a := range want.Details {
			if a.GetTypeUrl() != "type.googleapis.com/google.rpc.DebugInfo" {
				kept = append(kept, a)
			}
		}
		want.Details = kept
		if !proto.Equal(got, want) {
			t.Errorf("%s: redacted to %v, want %v", name, got, want)
		}
		// Changed on the Go side, it keeps every detail it does not own.
		changed := trusted.Status(f.WithMessage("changed")).Proto()
		if changed.Message != "changed" || len(changed.Details) != len(pb.Details) {
			t.Errorf("%s: changed copy sends %v", name, changed)
		}
		for i := range changed.Details {
			if !proto.Equal(changed.Details[i], pb.Details[i]) {
				t.Errorf("%s: changed copy's detail %d = %v, want %v", name, i, changed.Details[i], pb.Details[i])
			}
		}
	}
}

func TestReceivedStatusIsTheSameValue(t *testing.T) {
	st, _ := status.New(grpccodes.NotFound, "vm-42 not found").WithDetails(
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "vm", Description: "unknown"}}},
		wrapperspb.String("a type gssfault does not model"))
	f, _ := faults.FromStatus(st)
	if f.GRPCStatus() != st {
		t.Error("GRPCStatus of a received fault is not the status received")
	}
	if f.WithCause(errors.New("x")).GRPCStatus() != st {
		t.Error("WithCause changed the status sent")
	}
	ds := f.Details()
	if len(ds) != 2 {
		t.Fatalf("Details() = %v", ds)
	}
	if _, ok := ds[0].(*errdetails.BadRequest); !ok {
		t.Errorf("Details()[0] = %T", ds[0])
	}
	if s, ok := ds[1].(*wrapperspb.StringValue); !ok || s.Value != "a type gssfault does not model" {
		t.Errorf("Details()[1] = %#v", ds[1])
	}
	if text := f.Error(); text != "GSS-VSP-005 NotFound: vm-42 not found" {
		t.Errorf("Error() = %q: it repeats the transport", text)
	}
}

// TestPeerCodeDecidesOverMetadata: a status whose gRPC code disagrees with
// the GSS code in its ErrorInfo is retried by its own code (red team m7).
func TestPeerCodeDecidesOverMetadata(t *testing.T) {
	for _, tc := range []struct {
		code      grpccodes.Code
		gss       codes.Code
		retryable bool
	}{
		{grpccodes.InvalidArgument, codes.HostNotReachable, false},
		{grpccodes.Unavailable, "GSS-VSP-999", true},
		{grpccodes.Unavailable, codes.HostNotReachable, true},
		{grpccodes.Code(99), codes.HostNotReachable, false},
	} {
		st, _ := status.New(tc.code, "x").WithDetails(&errdetails.ErrorInfo{Reason: "R", Domain: "gssfault.vsp", Metadata: map[string]string{"gssCode": string(tc.gss)}})
		f, _ := faults.FromStatus(st)
		if f.Code() != tc.gss || f.GRPCCode() != tc.code || f.Retryable() != tc.retryable {
			t.Errorf("%v + %s: fault %s, code %v, retryable %v; want code kept and retryable %v", tc.code, tc.gss, f.Code(), f.GRPCCode(), f.Retryable(), tc.retryable)
		}
	}
}

func TestUnknownReceivedCodeIsKept(t *testing.T) {
	reg := customRegistry(t)
	e, _ := reg.Lookup("GSS-APP-001")
	st := faults.FromEntry(e, "order 7 has no items", nil).GRPCStatus()
	f, _ := faults.FromStatus(st) // a client without the service's registry
	if f.Code() != "GSS-APP-001" || f.Known() || f.GRPCCode() != grpccodes.InvalidArgument || f.GRPCStatus() != st {
		t.Errorf("unknown code read as %v known=%v", f, f.Known())
	}
	g, _ := faults.Policy{Registry: reg}.FromStatus(st)
	if g.Code() != "GSS-APP-001" || !g.Known() || g.FaultType() != "OrderRejected" {
		t.Errorf("with the registry: %v known=%v", g, g.Known())
	}
	// A changed copy (a relay adding its request ID) is not remade from the
	// catch-all entry that stands in for the unknown code: the details go
	// out as they came, not with the catch-all's reason, domain or Help.
	out := f.WithRequestID("relay-1").WithOp("Relay").GRPCStatus()
	if diff := cmp.Diff(st.Proto(), out.Proto(), protocmp.Transform()); diff != "" {
		t.Errorf("changed copy of an unknown code (-received +sent):\n%s", diff)
	}
}

// TestServiceErrorsCarryNothingVSphere: the service's own errors (a plain
// error, a panic, a context error) go out with a code and a message only.
func TestServiceErrorsCarryNothingVSphere(t *testing.T) {
	p := faults.Policy{}
	plain, _ := p.FaultOf(errors.New("database is down at /opt/app/db.go:12"))
	ctxErr, _ := p.FaultOf(fmt.Errorf("wait: %w", context.DeadlineExceeded))
	for name, tc := range map[string]struct {
		f    *faults.Error
		code grpccodes.Code
		msg  string
	}{
		"plain":   {plain, grpccodes.Unknown, "internal error"},
		"panic":   {p.Panic("boom"), grpccodes.Internal, "internal error"},
		"context": {ctxErr, grpccodes.DeadlineExceeded, "context deadline exceeded"},
	} {
		st := p.Status(tc.f)
		if st.Code() != tc.code || st.Message() != tc.msg || len(st.Proto().Details) != 0 || tc.f.FromCatalog() {
			t.Errorf("%s: status %v %q with %d details", name, st.Code(), st.Message(), len(st.Proto().Details))
		}
	}
	if plain.Code() != "GSS-VSP-999" || ctxErr.Code() != codes.Timedout {
		t.Errorf("Go-side codes: %s, %s", plain.Code(), ctxErr.Code())
	}
}

func TestFaultOfPrecedence(t *testing.T) {
	fault := faults.New(codes.NotFound, "x")
	st := status.New(grpccodes.PermissionDenied, "no").Err()
	classified := faults.New(codes.InvalidPowerState, "")
	declines := func(error) (*faults.Error, bool) { return nil, false }
	accepts := func(error) (*faults.Error, bool) { return classified, true }
	for name, tc := range map[string]struct {
		p    faults.Policy
		err  error
		want codes.Code
		held bool
	}{
		"fault beats status":             {faults.Policy{Classifier: accepts}, errors.Join(st, fault), codes.NotFound, true},
		"status beats classifier":        {faults.Policy{Classifier: accepts}, fmt.Errorf("call: %w", st), codes.NoPermission, true},
		"classifier beats context":       {faults.Policy{Classifier: accepts}, context.Canceled, codes.InvalidPowerState, false},
		"a declining classifier":         {faults.Policy{Classifier: declines}, context.Canceled, codes.RequestCanceled, false},
		"catch-all":                      {faults.Policy{Classifier: declines}, errors.New("x"), "GSS-VSP-999", false},
		"status, message of the peer":    {faults.Policy{}, fmt.Errorf("wrapped: %w", st), codes.NoPermission, true},
		"context under a wrapped status": {faults.Policy{}, errors.Join(context.Canceled, st), codes.NoPermission, true},
	} {
		f, held := tc.p.FaultOf(tc.err)
		if f == nil || held != tc.held || f.Code() != tc.want {
			t.Errorf("%s: FaultOf = %v, %v; want %s, %v", name, f, held, tc.want, tc.held)
		}
	}
	f, _ := (faults.Policy{}).FaultOf(fmt.Errorf("calling inventory: %w", st))
	if f.Message() != "no" || !errors.Is(f, st) {
		t.Errorf("a wrapped status keeps the peer's message and stays the cause: %q", f.Message())
	}
}

// TestStatusBudget: whatever the fault carries, its status stays within
// the budget, shedding the least important first; the code, reason,
// domain, GSS code, request ID and object outlive a long message (red team
// m6).
func TestStatusBudget(t *testing.T) {
	many := make([]faults.Field, 10000)
	for i := range many {
		many[i] = faults.Field{Key: fmt.Sprintf("key%d", i), Value: strings.Repeat("v", 20)}
	}
	long := strings.Repeat("a long message ", 70000) // about 1 MiB
	for name, f := range map[string]*faults.Error{
		"1 MiB message":   faults.New(codes.TaskInProgress, long).WithRequestID("req-1").WithObject("VirtualMachine:vm-1"),
		"8,000 B message": faults.New(codes.TaskInProgress, strings.Repeat("m", 8000)).WithRequestID("req-1").WithObject("VirtualMachine:vm-1"),
		"10,000 keys":     faults.New(codes.TaskInProgress, "x").WithMetadata(many...).WithRequestID("req-1").WithObject("VirtualMachine:vm-1"),
		"both, DebugInfo": faults.Wrap(errors.New(long), codes.TaskInProgress, long).(*faults.Error).WithMetadata(many...).
			WithRequestID("req-1").WithObject("VirtualMachine:vm-1"),
	} {
		for _, p := range []faults.Policy{{}, {DebugInfo: true}, {MaxStatusBytes: 2048}} {
			pb := p.Status(f).Proto()
			limit := p.MaxStatusBytes
			if limit == 0 {
				limit = faults.DefaultMaxStatusBytes
			}
			if n := proto.Size(pb); n > limit {
				t.Errorf("%s %+v: status is %d bytes, over %d", name, p, n, limit)
			}
			back, _ := faults.FromStatus(status.FromProto(pb))
			if back.Code() != codes.TaskInProgress || back.RequestID() != "req-1" || back.Object() != "VirtualMachine:vm-1" || pb.Code != int32(grpccodes.Aborted) {
				t.Errorf("%s %+v: lost what always stays: %v req=%q obj=%q", name, p, back, back.RequestID(), back.Object())
			}
		}
	}
	// A received status over budget is cut too (red team M4).
	var ds []protoadapt.MessageV1
	for range 200 {
		ds = append(ds, wrapperspb.String(strings.Repeat("d", 1000)))
	}
	big, _ := status.New(grpccodes.NotFound, "gone").WithDetails(ds...)
	f, _ := faults.FromStatus(big)
	if n := proto.Size((faults.Policy{}).Status(f).Proto()); n > faults.DefaultMaxStatusBytes {
		t.Errorf("a received 200 KB status goes out at %d bytes", n)
	}
}

func TestStatusRepairsUTF8AndKeys(t *testing.T) {
	f := faults.New(codes.NotFound, "bad \xff byte").WithMetadata(
		faults.Field{Key: "Upper Case", Value: "\xfe"}, faults.Field{Key: "9lives", Value: "x"}, faults.Field{Key: strings.Repeat("k", 100), Value: "y"})
	st := f.GRPCStatus()
	if _, err := proto.Marshal(st.Proto()); err != nil {
		t.Fatalf("status does not marshal: %v", err)
	}
	info := details(t, st)["ErrorInfo"].(*errdetails.ErrorInfo)
	for k := range info.Metadata {
		if len(k) > 64 || k[0] < 'a' || k[0] > 'z' || strings.ContainsAny(k, " .") {
			t.Errorf("metadata key %q does not fit AIP-193", k)
		}
	}
	if st.Message() != "bad \uFFFD byte" {
		t.Errorf("message = %q", st.Message())
	}
}

func TestRedactionAndDebugInfo(t *testing.T) {
	secret := "postgres://app:s3cr3t-pass@db/inv"
	f := faults.Wrap(errors.New(secret), codes.SystemError, "dial "+secret).(*faults.Error)
	for _, p := range []faults.Policy{{}, {MaxStatusBytes: 512}} {
		b, _ := proto.Marshal(p.Status(f).Proto())
		if strings.Contains(string(b), "s3cr3t") {
			t.Errorf("%+v: the secret is in the status", p)
		}
	}
	st := faults.Policy{ExposeInternal: true, DebugInfo: true}.Status(f)
	if !strings.Contains(st.Message(), secret) {
		t.Errorf("ExposeInternal message = %q", st.Message())
	}
	dbg, ok := details(t, st)["DebugInfo"].(*errdetails.DebugInfo)
	if !ok || len(dbg.StackEntries) == 0 || !strings.Contains(dbg.StackEntries[0], secret) {
		t.Errorf("DebugInfo = %v", dbg)
	}
	// A downstream's Internal status is redacted too (red team M4).
	down := status.Error(grpccodes.Internal, "dial "+secret+": at /opt/app/db.go:12")
	g, _ := (faults.Policy{}).FaultOf(fmt.Errorf("calling inventory: %w", down))
	if m := (faults.Policy{}).Status(g).Message(); strings.Contains(m, "s3cr3t") {
		t.Errorf("a received Internal goes out as %q", m)
	}
}

func TestReason(t *testing.T) {
	for in, want := range map[string]string{
		"HostNotReachable": "HOST_NOT_REACHABLE", "SSLVerifyFault": "SSL_VERIFY_FAULT", "BGPNeighborNotEstablished": "BGP_NEIGHBOR_NOT_ESTABLISHED",
		"": "UNKNOWN", "x": "UNKNOWN", "9lives": "LIVES", strings.Repeat("Ab", 50): strings.TrimRight(strings.Repeat("AB_", 21), "_"),
	} {
		if got := faults.Reason(in); got != want {
			t.Errorf("Reason(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzFromStatus(f *testing.F) {
	for _, pb := range testenv.Statuses(f) {
		b, _ := proto.Marshal(pb)
		f.Add(b)
	}
	b, _ := proto.Marshal(faults.New(codes.TaskInProgress, "x").WithRequestID("r").GRPCStatus().Proto())
	f.Add(b)
	f.Fuzz(func(t *testing.T, raw []byte) {
		var pb spb.Status
		if proto.Unmarshal(raw, &pb) != nil || pb.Code == 0 {
			return
		}
		st := status.FromProto(&pb)
		fault, ok := faults.FromStatus(st)
		if !ok || fault == nil {
			t.Fatal("no fault")
		}
		if !errors.Is(fault, st.Err()) {
			t.Error("the status error is not reachable")
		}
		_ = fault.Error()
		_ = fault.Details()
		for _, p := range []faults.Policy{{}, {ExposeInternal: true, DebugInfo: true}} {
			out := p.Status(fault.WithOp("op")).Proto()
			if n := proto.Size(out); n > faults.DefaultMaxStatusBytes {
				t.Errorf("re-encoded status is %d bytes", n)
			}
			if _, err := proto.Marshal(out); err != nil {
				t.Errorf("re-encoded status does not marshal: %v", err)
			}
		}
	})
}

// TestReceivedDebugInfoUnderAnyURLIsDropped (red team): receivers resolve
// a detail's type by the name after the last '/', so a DebugInfo under
// "/google.rpc.DebugInfo" or "example.com/google.rpc.DebugInfo" is a
// DebugInfo to them; it stops at this boundary like the canonical one,
// also in a changed copy of the fault.
func TestReceivedDebugInfoUnderAnyURLIsDropped(t *testing.T) {
	secret := "dial postgres://app:s3cr3t@db/inv"
	raw, err := proto.Marshal(&errdetails.DebugInfo{Detail: secret})
	if err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{"type.googleapis.com/google.rpc.DebugInfo", "/google.rpc.DebugInfo", "example.com/google.rpc.DebugInfo", "google.rpc.DebugInfo"} {
		st := status.FromProto(&spb.Status{Code: int32(grpccodes.NotFound), Message: "gone", Details: []*anypb.Any{{TypeUrl: url, Value: raw}}})
		f, _ := faults.FromStatus(st)
		for name, sent := range map[string]*status.Status{
			"resent":       faults.Policy{}.Status(f),
			"changed copy": faults.Policy{}.Status(f.WithMessage("gone, really")),
		} {
			b, err := proto.Marshal(sent.Proto())
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "s3cr3t") {
				t.Errorf("%s, %s: the DebugInfo went out: %v", url, name, sent.Proto())
			}
		}
		if sent := (faults.Policy{DebugInfo: true}).Status(f); !strings.Contains(sent.Proto().String(), "s3cr3t") {
			t.Errorf("%s: with DebugInfo on, the received DebugInfo was dropped", url)
		}
	}
}

// TestCodesOutsideGRPCsAreRedacted (red team): a received status with a
// code outside 0-16, which clients read as UNKNOWN, has its message
// redacted like UNKNOWN's.
func TestCodesOutsideGRPCsAreRedacted(t *testing.T) {
	for _, code := range []grpccodes.Code{17, 99} {
		f, _ := faults.FromStatus(status.New(code, "dial postgres://app:s3cr3t@db"))
		if m := (faults.Policy{}).Status(f).Message(); strings.Contains(m, "s3cr3t") {
			t.Errorf("code %d: message %q went out", code, m)
		}
	}
}

// TestErrorInfoMetadataOnTheWire: the ErrorInfo metadata a fault sends is
// in key order with each key once, as gssfault's readers and a byte-wise
// comparison of two statuses expect; keys made valid (AIP-193) and own keys
// that would pass for a core key fall into place, the first of a key stays.
func TestErrorInfoMetadataOnTheWire(t *testing.T) {
	for name, tc := range map[string]struct {
		f    *faults.Error
		want []string
	}{
		"own keys in order": {
			faults.New(codes.TaskInProgress, "busy").WithOp("Power").
				WithMetadata(faults.Field{Key: "zz", Value: "3"}, faults.Field{Key: "apple", Value: "1"}, faults.Field{Key: "op2", Value: "2"}),
			[]string{"apple=1", "gssCode=GSS-VSP-014", "impact=minor", "op=Power", "op2=2", "retryable=true", "zz=3"},
		},
		"keys made valid fall out of order": {
			faults.New(codes.TaskInProgress, "busy").WithMetadata(
				faults.Field{Key: "zeta", Value: "1"}, faults.Field{Key: "gssCode", Value: "spoof"}, faults.Field{Key: "a b", Value: "2"},
				faults.Field{Key: "x-gssCode", Value: "own"}, faults.Field{Key: "Alpha", Value: "3"}, faults.Field{Key: "a_b", Value: "4"}),
			[]string{"a_b=2", "gssCode=GSS-VSP-014", "impact=minor", "retryable=true", "x-gssCode=spoof", "xAlpha=3", "zeta=1"},
		},
	} {
		var got []string
		for _, a := range tc.f.GRPCStatus().Proto().GetDetails() {
			if strings.HasSuffix(a.GetTypeUrl(), "/google.rpc.ErrorInfo") {
				var info wirepb.ErrorInfo
				if err := proto.Unmarshal(a.GetValue(), &info); err != nil {
					t.Fatal(err)
				}
				for _, e := range info.GetMetadata() {
					got = append(got, e.GetKey()+"="+e.GetValue())
				}
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: metadata on the wire (-want +got):\n%s", name, diff)
		}
	}
}

// TestPolicyWithItsOwnRegistry: a Policy naming a registry with its own
// catch-all and context entries takes every stand-in from it: a code it
// lacks, a foreign status, a service error, a context error and a panic.
func TestPolicyWithItsOwnRegistry(t *testing.T) {
	entry := func(c codes.Code, ft string, g grpccodes.Code) registry.Entry {
		return registry.Entry{Code: c, FaultType: ft, Category: codes.CategoryState, Component: "orders",
			Trigger: ft, Action: "see the orders runbook", Impact: codes.Major, GRPCCode: g}
	}
	reg, err := registry.New([]registry.Entry{
		entry("GSS-APP-001", "OrderFault", grpccodes.Unknown),
		entry("GSS-APP-002", "Timedout", grpccodes.DeadlineExceeded),
		entry("GSS-APP-003", "NotFound", grpccodes.NotFound),
	}, registry.WithFallback("GSS-APP-001"))
	if err != nil {
		t.Fatal(err)
	}
	p := faults.Policy{Registry: reg}
	lacked, _ := p.FromStatus(faults.New(codes.TaskInProgress, "busy").GRPCStatus())
	foreign, _ := p.FromStatus(status.New(grpccodes.NotFound, "no such order"))
	plain, _ := p.FaultOf(errors.New("db down"))
	timeout, _ := p.FaultOf(fmt.Errorf("wait: %w", context.DeadlineExceeded))
	for name, tc := range map[string]struct {
		f     *faults.Error
		code  codes.Code
		ft    string
		known bool
	}{
		"a code the registry lacks": {lacked, codes.TaskInProgress, "OrderFault", false},
		"a foreign NOT_FOUND":       {foreign, "GSS-APP-003", "NotFound", true},
		"a service error":           {plain, "GSS-APP-001", "OrderFault", true},
		"a context deadline":        {timeout, "GSS-APP-002", "Timedout", true},
		"a panic":                   {p.Panic("boom"), "GSS-APP-001", "OrderFault", true},
	} {
		if tc.f.Code() != tc.code || tc.f.FaultType() != tc.ft || tc.f.Known() != tc.known {
			t.Errorf("%s: %s %s known=%v, want %s %s known=%v", name, tc.f.Code(), tc.f.FaultType(), tc.f.Known(), tc.code, tc.ft, tc.known)
		}
	}
}
