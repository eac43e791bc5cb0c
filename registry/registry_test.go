package registry_test

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/registry"
)

func TestDefaultHas47SortedUniqueEntries(t *testing.T) {
	all := registry.Default().All()
	if len(all) != 47 {
		t.Fatalf("Default().All() has %d entries, want 47", len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b registry.Entry) int { return strings.Compare(string(a.Code), string(b.Code)) }) {
		t.Error("All() is not sorted by code")
	}
	for _, e := range all {
		got, ok := registry.Default().Lookup(e.Code)
		if !ok || got.FaultType != e.FaultType {
			t.Errorf("Lookup(%s) = %v, %v; want %s", e.Code, got.FaultType, ok, e.FaultType)
		}
	}
}

// The five entries the product definition fixes, checked for meaning.
func TestFixedEntries(t *testing.T) {
	for _, tc := range []struct {
		code      codes.Code
		component string
		trigger   []string
		action    []string
	}{
		{"GSS-VSP-001", "vSphere core", []string{"core component", "initialise"}, nil},
		{"GSS-VSP-023", "vCenter", []string{"timed out", "heartbeat", "90 seconds"}, []string{"reachability", "firewall", "hostd"}},
		{"GSS-NSX-087", "NSX-T Tier-1 router", []string{"BGP neighbour", "not established"}, []string{"BGP configuration", "AS numbers", "underlay"}},
		{"GSS-TKG-105", "TKG", []string{"certificate", "validation", "failed"}, nil},
		{"GSS-TKG-142", "TKG", []string{"OCI image", "ClusterClass", "cannot be pulled"}, []string{"kubectl get clusterclass -o yaml", "spec.worker.nodeImage"}},
	} {
		e, ok := registry.Default().Lookup(tc.code)
		if !ok {
			t.Errorf("Lookup(%s) found nothing", tc.code)
			continue
		}
		if e.Component != tc.component {
			t.Errorf("%s component = %q, want %q", tc.code, e.Component, tc.component)
		}
		for _, w := range tc.trigger {
			if !strings.Contains(e.Trigger, w) {
				t.Errorf("%s trigger %q does not mention %q", tc.code, e.Trigger, w)
			}
		}
		for _, w := range tc.action {
			if !strings.Contains(e.Action, w) {
				t.Errorf("%s action %q does not mention %q", tc.code, e.Action, w)
			}
		}
	}
	if e, _ := registry.Default().Lookup("GSS-VSP-023"); e.FaultType != "HostNotReachable" {
		t.Errorf("GSS-VSP-023 fault type = %s, want HostNotReachable", e.FaultType)
	}
}

func TestNamedFaultTypesHaveEntries(t *testing.T) {
	for _, ft := range []string{
		// named by the product definition
		"InvalidLogin", "NoPermission", "NotFound", "AlreadyExists", "InvalidArgument", "InvalidRequest",
		"InvalidState", "ResourceInUse", "TaskInProgress", "HostConnectFault", "HostNotConnected",
		"SystemError", "ServiceUnavailable", "Busy", "NetworkUnavailable", "CertificateVerificationFailed", "QuotaExceeded",
		// the most common ones after those that have entries of their own
		"NotAuthenticated", "ManagedObjectNotFound", "InvalidPowerState", "NotSupported", "HostCommunication",
		"ConcurrentAccess", "DuplicateName", "FileNotFound", "InsufficientResourcesFault",
		"FileLocked", "MethodNotFound", "Timedout", "RequestCanceled", "SSLVerifyFault", "NoDiskSpace", "HostNotReachable",
		// the family entries (vsphere's coverage test measures what they cover)
		"VimFault", "RuntimeFault", "FileFault", "VmConfigFault", "MigrationFault", "GuestOperationsFault",
		"SnapshotFault", "DvsFault", "OvfFault", "NotEnoughLicenses",
	} {
		if _, ok := registry.Default().ByFaultType(ft); !ok {
			t.Errorf("ByFaultType(%q) found nothing", ft)
		}
	}
}

// Retry semantics follow AIP-194 and google.rpc codes: UNAVAILABLE is
// retryable; CANCELLED, DEADLINE_EXCEEDED, INVALID_ARGUMENT, DATA_LOSS never
// are; other retryable entries are concurrency conflicts (ABORTED).
func TestRetrySemanticsFollowAIP194(t *testing.T) {
	for _, e := range registry.Default().All() {
		switch e.GRPCCode {
		case grpccodes.Unavailable:
			if !e.Retryable {
				t.Errorf("%s %s is UNAVAILABLE but not retryable", e.Code, e.FaultType)
			}
		case grpccodes.Aborted:
			if !e.Retryable || e.RetryDelay == 0 {
				t.Errorf("%s %s is ABORTED: want retryable with a delay, got %v %v", e.Code, e.FaultType, e.Retryable, e.RetryDelay)
			}
		default:
			if e.Retryable {
				t.Errorf("%s %s is %v and retryable; AIP-194 retries only UNAVAILABLE (and ABORTED at a higher level)", e.Code, e.FaultType, e.GRPCCode)
			}
		}
		if e.Rationale == "" {
			t.Errorf("%s has no rationale for its gRPC code and retry choice", e.Code)
		}
	}
	for ft, want := range map[string]grpccodes.Code{
		"HostCommunication": grpccodes.Unavailable,
		"InvalidPowerState": grpccodes.FailedPrecondition,
		"TaskInProgress":    grpccodes.Aborted,
		"ResourceInUse":     grpccodes.FailedPrecondition,
	} {
		if e, _ := registry.Default().ByFaultType(ft); e.GRPCCode != want {
			t.Errorf("%s gRPC code = %v, want %v", ft, e.GRPCCode, want)
		}
	}
}

func TestHTTPStatusOnlyWhereItDiffers(t *testing.T) {
	explicit := map[string]int{ // HTTP statuses vSphere gives that differ from the gRPC code's
		"InvalidState": 409, "InvalidPowerState": 409, "ResourceInUse": 409, "FileLocked": 409,
		"InvalidHostState": 409, "QuotaExceeded": 422,
	}
	for _, e := range registry.Default().All() {
		want := explicit[e.FaultType] // 0: the status of the gRPC code
		if e.HTTPStatus != want {
			t.Errorf("%s %s HTTP status = %d, want %d", e.Code, e.FaultType, e.HTTPStatus, want)
		}
	}
}

var kbNumber = regexp.MustCompile(`(?i)\bKB[-\s]?\d{4,}`)

func TestNoInventedReferences(t *testing.T) {
	for _, e := range registry.Default().All() {
		text := strings.Join(append([]string{e.Trigger, e.Action, e.Rationale, e.DocRef}, e.DebugCommands...), " ")
		if kbNumber.MatchString(text) {
			t.Errorf("%s mentions a KB number: %q", e.Code, kbNumber.FindString(text))
		}
		if e.DocRef == "" {
			continue
		}
		if e.Source != registry.SourceVim25 {
			t.Errorf("%s (%s) has doc_ref %q; only vim25 types have a checked reference page", e.Code, e.Source, e.DocRef)
		}
		want := "https://developer.broadcom.com/xapis/virtual-infrastructure-json-api/latest/data-structures/" + e.FaultType
		if e.DocRef != want {
			t.Errorf("%s doc_ref = %q, want the API reference page %q", e.Code, e.DocRef, want)
		}
	}
}

func TestFallback(t *testing.T) {
	fb, ok := registry.Default().Fallback()
	if !ok || fb.Code != "GSS-VSP-999" || fb.GRPCCode != grpccodes.Unknown || fb.Retryable {
		t.Errorf("Default().Fallback() = %s %v %v retryable=%v, ok=%v", fb.Code, fb.FaultType, fb.GRPCCode, fb.Retryable, ok)
	}
	r, err := registry.New([]registry.Entry{validEntry("GSS-APP-001", "Thing")})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Fallback(); ok {
		t.Error("a registry built without a fallback has one")
	}
	if _, err := registry.New([]registry.Entry{validEntry("GSS-APP-001", "Thing")}, registry.WithFallback("GSS-APP-002")); err == nil {
		t.Error("New accepted a fallback that is not an entry")
	}
}

func TestLookupAndByFaultType(t *testing.T) {
	r := registry.Default()
	for _, name := range []string{"InvalidLogin", "invalidlogin", "INVALIDLOGIN", "iNvAlIdLoGiN"} {
		if e, ok := r.ByFaultType(name); !ok || e.FaultType != "InvalidLogin" {
			t.Errorf("ByFaultType(%q) = %q, %v; want InvalidLogin", name, e.FaultType, ok)
		}
	}
	for _, name := range []string{"", "Nope", "InvalidLogin ", strings.Repeat("x", 200), "ınvalidlogin"} {
		if e, ok := r.ByFaultType(name); ok {
			t.Errorf("ByFaultType(%q) = %q, want not found", name, e.FaultType)
		}
	}
	if _, ok := r.Lookup("GSS-VSP-998"); ok {
		t.Error("Lookup of an absent code succeeded")
	}
	var nilReg *registry.Registry
	if _, ok := nilReg.Lookup("GSS-VSP-001"); ok || nilReg.Len() != 0 || nilReg.All() != nil || nilReg.Search("x") != nil {
		t.Error("a nil registry is not empty")
	}
}

func TestLookupsDoNotAllocate(t *testing.T) {
	r := registry.Default()
	n := testing.AllocsPerRun(200, func() {
		if _, ok := r.Lookup("GSS-VSP-023"); !ok {
			t.Fatal("lookup failed")
		}
		if _, ok := r.ByFaultType("hostnotreachable"); !ok {
			t.Fatal("by fault type failed")
		}
	})
	if n != 0 {
		t.Errorf("Lookup+ByFaultType allocate %v times, want 0", n)
	}
}

func TestReturnedEntriesAreCopies(t *testing.T) {
	r := registry.Default()
	e, _ := r.Lookup("GSS-VSP-023")
	e.Action = "changed"
	e.DebugCommands = append(e.DebugCommands, "extra")
	all := r.All()
	all[0].FaultType = "Changed"
	again, _ := r.Lookup("GSS-VSP-023")
	if again.Action == "changed" || slices.Contains(again.DebugCommands, "extra") {
		t.Error("changing a looked-up entry changed the registry")
	}
	if first := r.All()[0]; first.FaultType == "Changed" {
		t.Error("changing All()'s result changed the registry")
	}
	// New copies its input too.
	in := []registry.Entry{validEntry("GSS-APP-001", "Thing")}
	in[0].DebugCommands = []string{"cmd"}
	r2, err := registry.New(in)
	if err != nil {
		t.Fatal(err)
	}
	in[0].DebugCommands[0] = "mutated"
	if got, _ := r2.Lookup("GSS-APP-001"); got.DebugCommands[0] != "cmd" {
		t.Error("New kept the caller's DebugCommands slice")
	}
}

func validEntry(c codes.Code, ft string) registry.Entry {
	return registry.Entry{
		Code: c, FaultType: ft, Category: codes.CategoryValidation, Component: "app", Trigger: "when", Action: "do",
		Impact: codes.Minor, GRPCCode: grpccodes.InvalidArgument, Source: "app",
	}
}

func TestNewRejectsBadEntries(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*registry.Entry)
		field string
	}{
		{"bad code", func(e *registry.Entry) { e.Code = "GSS-APP-01" }, "code"},
		{"empty code", func(e *registry.Entry) { e.Code = "" }, "code"},
		{"empty fault type", func(e *registry.Entry) { e.FaultType = "" }, "fault_type"},
		{"fault type with space", func(e *registry.Entry) { e.FaultType = "Bad Type" }, "fault_type"},
		{"long fault type", func(e *registry.Entry) { e.FaultType = strings.Repeat("A", 64) }, "fault_type"},
		{"no category", func(e *registry.Entry) { e.Category = 0 }, "category"},
		{"unknown impact", func(e *registry.Entry) { e.Impact = 7 }, "impact"},
		{"no component", func(e *registry.Entry) { e.Component = " " }, "component"},
		{"no trigger", func(e *registry.Entry) { e.Trigger = "" }, "trigger"},
		{"no action", func(e *registry.Entry) { e.Action = "" }, "action"},
		{"OK code", func(e *registry.Entry) { e.GRPCCode = grpccodes.OK }, "grpc_code"},
		{"out of range code", func(e *registry.Entry) { e.GRPCCode = 42 }, "grpc_code"},
		{"2xx status", func(e *registry.Entry) { e.HTTPStatus = 200 }, "http_status"},
		{"negative delay", func(e *registry.Entry) { e.Retryable, e.RetryDelay = true, -time.Second }, "retry_delay"},
		{"delay without retry", func(e *registry.Entry) { e.RetryDelay = time.Second }, "retry_delay"},
		{"http doc ref", func(e *registry.Entry) { e.DocRef = "http://example.invalid/x" }, "doc_ref"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := validEntry("GSS-APP-002", "Bad")
			tc.edit(&bad)
			_, err := registry.New([]registry.Entry{validEntry("GSS-APP-001", "Good"), bad})
			var ee *registry.EntryError
			if !errors.As(err, &ee) {
				t.Fatalf("New error = %v, want *EntryError", err)
			}
			if ee.Index != 1 || ee.Field != tc.field {
				t.Errorf("New error names entry %d field %q, want entry 1 field %q (%v)", ee.Index, ee.Field, tc.field, err)
			}
			if !strings.Contains(err.Error(), "entry 1") || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q does not name the entry and field", err)
			}
		})
	}
}

func TestNewRejectsDuplicates(t *testing.T) {
	_, err := registry.New([]registry.Entry{validEntry("GSS-APP-001", "One"), validEntry("GSS-APP-001", "Two")})
	var ee *registry.EntryError
	if !errors.As(err, &ee) || ee.Field != "code" || ee.Index != 1 {
		t.Errorf("duplicate code: error = %v, want entry 1 field code", err)
	}
	_, err = registry.New([]registry.Entry{validEntry("GSS-APP-001", "One"), validEntry("GSS-APP-002", "ONE")})
	if !errors.As(err, &ee) || ee.Field != "fault_type" || !strings.Contains(err.Error(), "GSS-APP-001") {
		t.Errorf("fault type claimed twice: error = %v, want field fault_type naming GSS-APP-001", err)
	}
}

func TestExtend(t *testing.T) {
	base := registry.Default()
	ext, err := base.Extend(validEntry("GSS-APP-001", "OrderRejected"))
	if err != nil {
		t.Fatal(err)
	}
	if ext.Len() != 48 || base.Len() != 47 {
		t.Errorf("Extend: new has %d entries, base %d; want 48 and 47", ext.Len(), base.Len())
	}
	if _, ok := ext.ByFaultType("orderrejected"); !ok {
		t.Error("extended registry does not find the new fault type")
	}
	if fb, ok := ext.Fallback(); !ok || fb.Code != "GSS-VSP-999" {
		t.Error("Extend dropped the fallback")
	}
	if _, err := base.Extend(validEntry("GSS-VSP-023", "Mine")); err == nil {
		t.Error("Extend accepted a code the base already has")
	}
	if _, err := base.Extend(validEntry("GSS-APP-001", "InvalidLogin")); err == nil {
		t.Error("Extend accepted a fault type the base already has")
	}
}

func TestSearch(t *testing.T) {
	r := registry.Default()
	for _, tc := range []struct {
		query string
		first string // fault type expected first
		also  []string
	}{
		{"timeout", "Timedout", []string{"HostNotReachable"}},
		{"timout", "Timedout", nil},
		{"host disconnect", "HostNotConnected", []string{"HostCommunication"}},
		{"HostNotReachable", "HostNotReachable", nil},
		{"hostnotreachable", "HostNotReachable", nil},
		{"GSS-VSP-023", "HostNotReachable", nil},
		{"gss-nsx", "BGPNeighborNotEstablished", nil},
		{"bgp neighbour", "BGPNeighborNotEstablished", nil},
		{"certifcate", "CertificateVerificationFailed", []string{"ClusterCertificateValidationFailed", "SSLVerifyFault"}},
		{"permision", "NoPermission", nil},
		{"clusterclass image", "ClusterClassImagePullFailed", nil},
		{"datastore full", "NoDiskSpace", nil},
	} {
		res := r.Search(tc.query)
		if len(res) == 0 {
			t.Errorf("Search(%q) found nothing, want %s first", tc.query, tc.first)
			continue
		}
		if res[0].FaultType != tc.first {
			t.Errorf("Search(%q)[0] = %s, want %s", tc.query, res[0].FaultType, tc.first)
		}
		for _, ft := range tc.also {
			if !slices.ContainsFunc(res, func(e registry.Entry) bool { return e.FaultType == ft }) {
				t.Errorf("Search(%q) does not include %s", tc.query, ft)
			}
		}
	}
	res := r.Search("GSS-VSP-02")
	if len(res) != 10 || res[0].Code != "GSS-VSP-020" || res[9].Code != "GSS-VSP-029" {
		var got []codes.Code
		for _, e := range res {
			got = append(got, e.Code)
		}
		t.Errorf("Search(GSS-VSP-02) = %v, want GSS-VSP-020 to 029 in order", got)
	}
	for _, q := range []string{"", "   ", "the of and", "zzzzqqqq"} {
		if res := r.Search(q); len(res) != 0 {
			t.Errorf("Search(%q) = %d entries, want none", q, len(res))
		}
	}
}

func TestConcurrentReads(t *testing.T) {
	r := registry.Default()
	// What a lone reader sees is what every concurrent reader must see.
	wantSearch := r.Search("host timeout")
	wantAll := len(r.All())
	if len(wantSearch) == 0 || wantAll == 0 {
		t.Fatal("the default catalog answers nothing to Search or All")
	}
	testenv.Hammer(t, 8, func(int) error {
		for range 200 {
			if e, _ := r.Lookup("GSS-VSP-023"); e.FaultType != "HostNotReachable" {
				return errors.New("concurrent lookup returned the wrong entry")
			}
			got := r.Search("host timeout")
			if len(got) != len(wantSearch) || got[0].Code != wantSearch[0].Code {
				return fmt.Errorf("concurrent Search gave %d results, want %d in the same order", len(got), len(wantSearch))
			}
			if e, ok := r.ByFaultType("TaskInProgress"); !ok || e.FaultType != "TaskInProgress" {
				return errors.New("concurrent ByFaultType(TaskInProgress) missed")
			}
			if n := len(r.All()); n != wantAll {
				return fmt.Errorf("concurrent All gave %d entries, want %d", n, wantAll)
			}
		}
		return nil
	})
}

func TestDefaultIsShared(t *testing.T) {
	a, b := registry.Default(), registry.Default()
	if a != b {
		t.Error("Default() returned two registries")
	}
}

func TestNearest(t *testing.T) {
	r := registry.Default()
	for _, tc := range []struct {
		in   string
		want codes.Code
	}{
		{"GSS-VSP-023", "GSS-VSP-023"},  // exact
		{" gss-vsp-23 ", "GSS-VSP-023"}, // case, spaces, short number
		{"GSS-VSP-031", "GSS-VSP-031"},  // a real code stays itself
		{"GSS-VPS-023", "GSS-VSP-023"},  // adjacent swap in the domain
	} {
		got := r.Nearest(tc.in, 3)
		if len(got) != 3 || got[0].Code != tc.want {
			t.Errorf("Nearest(%q) = %v, want %s first", tc.in, codesOf(got), tc.want)
		}
	}
	// No VSP code is within one edit of 098 but those that differ in the
	// middle digit; among them, the numerically nearer come first.
	got := r.Nearest("GSS-VSP-098", 3)
	for i, e := range got {
		if !strings.HasPrefix(string(e.Code), "GSS-VSP-0") || !strings.HasSuffix(string(e.Code), "8") ||
			i > 0 && e.Code.Number() > got[i-1].Code.Number() {
			t.Fatalf("Nearest(GSS-VSP-098) = %v, want GSS-VSP-0?8 codes, nearest to 98 first", codesOf(got))
		}
	}
	if got := r.Nearest("GSS-VSP-023", 0); got != nil {
		t.Errorf("Nearest with n=0 = %v, want nil", codesOf(got))
	}
	if got := r.Nearest("GSS-VSP-023", 1000); len(got) != r.Len() {
		t.Errorf("Nearest with n > Len gave %d entries, want %d", len(got), r.Len())
	}
	var nilReg *registry.Registry
	if got := nilReg.Nearest("GSS-VSP-023", 3); got != nil {
		t.Errorf("nil registry: %v", codesOf(got))
	}
}

func codesOf(es []registry.Entry) []codes.Code {
	out := make([]codes.Code, len(es))
	for i, e := range es {
		out[i] = e.Code
	}
	return out
}
