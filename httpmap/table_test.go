package httpmap_test

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gssfault/gssfault/vsphere/release"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/registry"
)

func TestHTTPStatusMatchesGateway(t *testing.T) {
	for c := grpccodes.Code(0); c <= 20; c++ {
		if got, want := httpmap.HTTPStatus(c), runtime.HTTPStatusFromCode(c); got != want {
			t.Errorf("HTTPStatus(%v) = %d, grpc-gateway says %d", c, got, want)
		}
	}
}

func withCond(c codes.Code, cond string) *faults.Error {
	return faults.New(c, "x").WithMetadata(faults.Field{Key: httpmap.ConditionKey, Value: cond})
}

// Each row of the design's per-version table, column by column.
func TestStatusForTableRows(t *testing.T) {
	v67, v70, v800, v803 := release.V67U3, release.V70U3, release.V800, release.V803
	type col struct {
		v    release.Version
		want int
	}
	rows := []struct {
		name string
		err  error
		tgt  httpmap.Target // features; Version set per column
		cols []col
	}{
		{"InvalidLogin", faults.New(codes.InvalidLogin, ""), httpmap.Target{}, []col{{v67, 401}, {v70, 401}, {v800, 401}, {v803, 401}}},
		{"NoPermission", faults.New(codes.NoPermission, ""), httpmap.Target{}, []col{{v67, 403}, {v70, 403}, {v800, 401}, {v803, 403}}},
		{"NoPermission RBACv2", faults.New(codes.NoPermission, ""), httpmap.Target{RBACv2: true}, []col{{v67, 403}, {v70, 403}, {v800, 403}, {v803, 403}}},
		{"NotFound", faults.New(codes.NotFound, ""), httpmap.Target{}, []col{{v67, 404}, {v70, 404}, {v800, 404}, {v803, 404}}},
		{"NotFound unparsable VM path", withCond(codes.NotFound, httpmap.VMPathUnparsable), httpmap.Target{}, []col{{v67, 404}, {v70, 404}, {v800, 404}, {v803, 400}}},
		{"ResourceInUse", faults.New(codes.ResourceInUse, ""), httpmap.Target{}, []col{{v67, 409}, {v70, 409}, {v800, 409}, {v803, 409}}},
		{"InvalidState", faults.New(codes.InvalidState, ""), httpmap.Target{}, []col{{v67, 409}, {v70, 409}, {v800, 409}, {v803, 409}}},
		{"InvalidArgument", faults.New(codes.InvalidArgument, ""), httpmap.Target{}, []col{{v67, 400}, {v70, 400}, {v800, 400}, {v803, 400}}},
		{"InvalidArgument conflict", withCond(codes.InvalidArgument, httpmap.ParameterConflict), httpmap.Target{}, []col{{v67, 409}, {v70, 400}, {v800, 400}, {v803, 400}}},
		{"InvalidRequest", faults.New(codes.InvalidRequest, ""), httpmap.Target{}, []col{{v67, 400}, {v70, 400}, {v800, 400}, {v803, 400}}},
		{"ServiceUnavailable", faults.New(codes.ServiceUnavailable, ""), httpmap.Target{}, []col{{v67, 503}, {v70, 503}, {v800, 503}, {v803, 503}}},
		{"CertificateVerificationFailed", faults.New(codes.CertificateVerificationFailed, ""), httpmap.Target{CertificateVerification: true}, []col{{v70, 400}, {v800, 400}, {v803, 400}}},
		{"QuotaExceeded", faults.New(codes.QuotaExceeded, ""), httpmap.Target{NamespaceQuotas: true}, []col{{v803, 422}}},
	}
	for _, r := range rows {
		for _, c := range r.cols {
			tgt := r.tgt
			tgt.Version = c.v
			if got := httpmap.StatusFor(r.err, tgt); got != c.want {
				t.Errorf("%s on %v: StatusFor = %d, want %d", r.name, c.v, got, c.want)
			}
		}
	}
}

func TestConditionalCases(t *testing.T) {
	// 6.7 U2 and older have no ServiceUnavailable: 503 with SystemError.
	m := httpmap.Map(faults.New(codes.ServiceUnavailable, "starting"), httpmap.Target{Version: release.V67U2})
	if m.Status != 503 || m.Fault.Code() != codes.SystemError || !errors.Is(m.Fault, faults.Code(codes.ServiceUnavailable)) {
		t.Errorf("6.7 U2 ServiceUnavailable = %d %v", m.Status, m.Fault)
	}
	// CertificateVerificationFailed exists only from 7.0 U1, with verification on.
	for _, tgt := range []httpmap.Target{{Version: release.V67U3, CertificateVerification: true}, {Version: release.V70U3}} {
		m := httpmap.Map(faults.New(codes.CertificateVerificationFailed, ""), tgt)
		if m.Fault.Code() != codes.SystemError || m.Status != 500 {
			t.Errorf("CertificateVerificationFailed on %+v = %d %s", tgt, m.Status, m.Fault.Code())
		}
	}
	if got := httpmap.StatusFor(faults.New(codes.CertificateVerificationFailed, ""), httpmap.Target{Version: release.V70U1, CertificateVerification: true}); got != 400 {
		t.Errorf("7.0 U1 with verification: %d, want 400", got)
	}
	// QuotaExceeded is 422 from 8.0.2 with namespace quotas, else insufficient resources.
	for _, tc := range []struct {
		tgt  httpmap.Target
		code codes.Code
		st   int
	}{
		{httpmap.Target{Version: release.V802, NamespaceQuotas: true}, codes.QuotaExceeded, 422},
		{httpmap.Target{Version: release.V801, NamespaceQuotas: true}, codes.InsufficientResourcesFault, 429},
		{httpmap.Target{Version: release.V803}, codes.InsufficientResourcesFault, 429},
	} {
		m := httpmap.Map(faults.New(codes.QuotaExceeded, ""), tc.tgt)
		if m.Fault.Code() != tc.code || m.Status != tc.st {
			t.Errorf("QuotaExceeded on %+v = %d %s, want %d %s", tc.tgt, m.Status, m.Fault.Code(), tc.st, tc.code)
		}
	}
	// The 8.0+ subcode for InvalidState.
	if m := httpmap.Map(faults.New(codes.InvalidState, ""), httpmap.Target{Version: release.V800}); m.Subcode != httpmap.InvalidPowerStateSubcode {
		t.Errorf("8.0 InvalidState subcode = %q", m.Subcode)
	}
	if m := httpmap.Map(faults.New(codes.InvalidPowerState, ""), httpmap.Target{Version: release.V803}); m.Subcode != httpmap.InvalidPowerStateSubcode || m.Status != 409 {
		t.Errorf("8.0.3 InvalidPowerState = %d %q", m.Status, m.Subcode)
	}
	if m := httpmap.Map(faults.New(codes.InvalidState, ""), httpmap.Target{Version: release.V70U3}); m.Subcode != "" {
		t.Errorf("7.0 InvalidState subcode = %q, want none", m.Subcode)
	}
	// 8.0.1 deploy with a bad template ID: 404 NotFound.
	m = httpmap.Map(withCond(codes.InvalidRequest, httpmap.BadTemplateID), httpmap.Target{Version: release.V801})
	if m.Status != 404 || m.Fault.Code() != codes.NotFound {
		t.Errorf("8.0.1 bad template id = %d %s", m.Status, m.Fault.Code())
	}
	// Between documented versions: 8.0.1 and 8.0.2 NoPermission follow the newest rule not after them.
	if got := httpmap.StatusFor(faults.New(codes.NoPermission, ""), httpmap.Target{Version: release.V802}); got != 403 {
		t.Errorf("8.0.2 NoPermission = %d, want 403", got)
	}
	// Older than the table: 6.5 behaves as 6.7 U2 (no ServiceUnavailable).
	if m := httpmap.Map(faults.New(codes.ServiceUnavailable, ""), httpmap.Target{Version: release.Version(6<<16 | 5<<8)}); m.Fault.Code() != codes.SystemError {
		t.Errorf("6.5 ServiceUnavailable reported as %s", m.Fault.Code())
	}
}

func TestStatusForOtherEntriesUsesCatalog(t *testing.T) {
	for _, e := range registry.Default().All() {
		if _, named := map[string]bool{"InvalidLogin": true, "NoPermission": true, "NotFound": true, "ResourceInUse": true,
			"InvalidState": true, "InvalidPowerState": true, "InvalidArgument": true, "InvalidRequest": true, "ServiceUnavailable": true,
			"CertificateVerificationFailed": true, "QuotaExceeded": true}[e.FaultType]; named {
			continue
		}
		if got := httpmap.StatusFor(faults.FromEntry(e, "", nil), httpmap.Target{Version: release.V803}); got != httpmap.EntryStatus(e) || e.HTTPStatus == 0 && got != httpmap.HTTPStatus(e.GRPCCode) {
			t.Errorf("%s %s: StatusFor = %d, want catalog %d (gRPC %v)", e.Code, e.FaultType, got, e.HTTPStatus, e.GRPCCode)
		}
	}
	if httpmap.StatusFor(nil, httpmap.Target{}) != 200 {
		t.Error("StatusFor(nil) != 200")
	}
	m := httpmap.Map(io.EOF, httpmap.Target{})
	if m.Status != 500 || m.Fault.Code() != codes.MethodFault || !errors.Is(m.Fault, io.EOF) {
		t.Errorf("Map(io.EOF) = %d %v", m.Status, m.Fault)
	}
}

// When a version reports a fault as another fault type, the reported fault
// keeps what the caller set on the original: context, localized message,
// retry delay and metadata, and wraps the original.
func TestReportedFaultKeepsContext(t *testing.T) {
	quota := &errdetails.QuotaFailure{Violations: []*errdetails.QuotaFailure_Violation{{Subject: "namespace:ns-1", Description: "CPU limit reached"}}}
	orig := faults.New(codes.QuotaExceeded, "namespace quota").
		WithOp("CreateVM_Task").WithObject("ResourcePool:resgroup-9").WithRequestID("req-9").
		WithDuration(2*time.Second).WithRetryDelay(7*time.Second).
		WithLocalized("fr-FR", "quota dépassé").WithMetadata(faults.Field{Key: "namespace", Value: "ns-1"}).
		WithDetails(quota)
	m := httpmap.Map(orig, httpmap.Target{Version: release.V803})
	got := m.Fault
	if got.Code() != codes.InsufficientResourcesFault || !errors.Is(got, orig) {
		t.Fatalf("reported %s, want InsufficientResourcesFault wrapping the original", got.Code())
	}
	if got.Op() != orig.Op() || got.Object() != orig.Object() || got.RequestID() != orig.RequestID() || got.Duration() != orig.Duration() {
		t.Errorf("context lost: %q %q %q %v", got.Op(), got.Object(), got.RequestID(), got.Duration())
	}
	if got.Retryable() && got.RetryDelay() != 7*time.Second {
		t.Errorf("retry delay %v, want the caller's 7s", got.RetryDelay())
	}
	if l, _ := got.Localized(); l.Locale != "fr-FR" || l.Message != "quota dépassé" {
		t.Errorf("localized message lost: %+v", l)
	}
	if v, _ := got.MetadataValue("namespace"); v != "ns-1" {
		t.Errorf("metadata lost: namespace = %q", v)
	}
	if v, _ := got.MetadataValue("reportedFor"); v != orig.FaultType() {
		t.Errorf("reportedFor = %q, want %q", v, orig.FaultType())
	}
	if ds := got.Details(); len(ds) != 1 || !proto.Equal(ds[0], quota) {
		t.Errorf("details = %v, want the caller's QuotaFailure", ds)
	}
}
