package faults_test

import (
	"regexp"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
)

var (
	reasonRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]+[A-Z0-9]$`)
	metaKey  = regexp.MustCompile(`^[a-z][a-zA-Z0-9-_]+$`)
)

func TestReason(t *testing.T) {
	for in, want := range map[string]string{
		"HostNotReachable": "HOST_NOT_REACHABLE", "SSLVerifyFault": "SSL_VERIFY_FAULT",
		"BGPNeighborNotEstablished": "BGP_NEIGHBOR_NOT_ESTABLISHED", "InvalidVmConfig": "INVALID_VM_CONFIG",
		"Timedout": "TIMEDOUT", "Busy": "BUSY", "": "UNKNOWN", "9lives": "LIVES", "a b": "A_B",
	} {
		if got := faults.Reason(in); got != want {
			t.Errorf("Reason(%q) = %q, want %q", in, got, want)
		}
	}
	for _, e := range registry.Default().All() {
		if r := faults.Reason(e.FaultType); !reasonRE.MatchString(r) || len(r) > 63 {
			t.Errorf("%s: reason %q breaks AIP-193", e.Code, r)
		}
	}
	if r := faults.Reason(strings.Repeat("Ab", 100)); len(r) > 63 || !reasonRE.MatchString(r) {
		t.Errorf("long reason %q", r)
	}
}

func TestMetadataKey(t *testing.T) {
	for in, want := range map[string]string{"hostName": "hostName", "Host Name": "xHost_Name", "9x": "x9x", "": "xx", "a": "ax", "ünï": "x__n__"} {
		if got := faults.MetadataKey(in); got != want {
			t.Errorf("MetadataKey(%q) = %q, want %q", in, got, want)
		}
	}
	if k := faults.MetadataKey(strings.Repeat("k", 200)); len(k) != 64 || !metaKey.MatchString(k) {
		t.Errorf("long key %q", k)
	}
}

func details(t *testing.T, f *faults.Error, o faults.StatusOptions) (*errdetails.ErrorInfo, map[string]bool, int) {
	t.Helper()
	st := f.Status(o)
	kinds := map[string]bool{}
	var info *errdetails.ErrorInfo
	for _, d := range st.Details() {
		kinds[string(proto.MessageName(d.(proto.Message)).Name())] = true
		if x, ok := d.(*errdetails.ErrorInfo); ok {
			info = x
		}
	}
	return info, kinds, proto.Size(st.Proto())
}

func TestStatusMetadataKeysAreAIP193(t *testing.T) {
	f := faults.New(codes.NoPermission, "x").WithMetadata("Bad Key!", "v").WithMetadata("gssCode", "spoof").WithRequestID("r")
	info, _, _ := details(t, f, faults.StatusOptions{})
	for k := range info.Metadata {
		if !metaKey.MatchString(k) || len(k) > 64 {
			t.Errorf("metadata key %q breaks AIP-193", k)
		}
	}
	if info.Metadata["gssCode"] != string(codes.NoPermission) || info.Metadata["x-gssCode"] != "spoof" {
		t.Errorf("a fault's own key overrode a reserved key: %v", info.Metadata)
	}
}

func TestStatusBudgetDropsOptionalFirst(t *testing.T) {
	e, _ := registry.Default().Lookup(codes.HostNotReachable)
	fields := make([]faults.Field, 10000)
	for i := range fields {
		fields[i] = faults.Field{Key: "k" + strings.Repeat("x", i%60) + string(rune('a'+i%26)) + strings.Repeat("y", i/26%10), Value: strings.Repeat("v", 200)}
	}
	f := faults.Build(e, strings.Repeat("m", 1<<20), nil, faults.Details{
		Object: "VirtualMachine:vm-1", RequestID: "req", Localized: faults.LocalizedMessage{Locale: "en", Message: strings.Repeat("l", 5000)},
		Metadata: fields,
	})
	for _, budget := range []int{0, 4096, 1024, 300} {
		info, kinds, size := details(t, f, faults.StatusOptions{MaxBytes: budget})
		limit := budget
		if limit == 0 {
			limit = faults.DefaultMaxStatusBytes
		}
		if size > limit && budget >= 1024 {
			t.Errorf("budget %d: status is %d bytes", budget, size)
		}
		if info == nil || info.Metadata["gssCode"] != string(codes.HostNotReachable) || info.Reason != "HOST_NOT_REACHABLE" {
			t.Errorf("budget %d: ErrorInfo lost: %v", budget, info)
		}
		if f.Status(faults.StatusOptions{MaxBytes: budget}).Code() != grpccodes.Unavailable {
			t.Errorf("budget %d: code lost", budget)
		}
		if budget == 0 && !kinds["RetryInfo"] {
			t.Errorf("default budget dropped RetryInfo, which is small")
		}
	}
	// A small fault keeps every detail.
	_, kinds, _ := details(t, faults.New(codes.HostNotReachable, "x").WithObject("HostSystem:host-1").WithLocalized("en", "x"), faults.StatusOptions{})
	for _, k := range []string{"ErrorInfo", "RetryInfo", "Help", "ResourceInfo", "LocalizedMessage"} {
		if !kinds[k] {
			t.Errorf("small fault lacks %s", k)
		}
	}
}

func TestStatusDomainOption(t *testing.T) {
	info, _, _ := details(t, faults.New(codes.BGPNeighborNotEstablished, ""), faults.StatusOptions{})
	if info.Domain != "gssfault.nsx" {
		t.Errorf("default NSX domain = %q", info.Domain)
	}
	info, _, _ = details(t, faults.New(codes.BGPNeighborNotEstablished, ""), faults.StatusOptions{
		Domain: func(d codes.Domain) string { return "network.example.test" },
	})
	if info.Domain != "network.example.test" {
		t.Errorf("custom domain = %q", info.Domain)
	}
}
