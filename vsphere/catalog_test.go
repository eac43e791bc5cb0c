package vsphere_test

import (
	"reflect"
	"testing"

	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/internal/vapierr"
	"github.com/gssfault/gssfault/registry"
)

// Every vim25 fault type in the catalog is a real govmomi type, resolved
// through govmomi's type registry, and is a method fault.
func TestCatalogVimTypesAreReal(t *testing.T) {
	n := 0
	for _, e := range registry.Default().All() {
		if e.Source != registry.SourceVim25 {
			if _, ok := types.TypeFunc()(e.FaultType); ok {
				t.Errorf("%s %s (source %s) is named like a vim25 type; say source vim25 or rename it", e.Code, e.FaultType, e.Source)
			}
			continue
		}
		n++
		typ, ok := types.TypeFunc()(e.FaultType)
		if !ok {
			t.Errorf("%s: %s is not a govmomi vim25 type", e.Code, e.FaultType)
			continue
		}
		if _, ok := reflect.New(typ).Interface().(types.BaseMethodFault); !ok {
			t.Errorf("%s: %s is not a method fault", e.Code, e.FaultType)
		}
	}
	if n < 35 {
		t.Errorf("only %d vim25 entries; the catalog is mostly vim25 faults", n)
	}
}

// The ancestor walk the classifier does (first embedded struct) agrees
// with govmomi's Base<Fault> interfaces for the hierarchy examples.
func TestHierarchyMatchesBaseInterfaces(t *testing.T) {
	var (
		_ types.BaseInvalidLogin               = &types.PasswordExpired{}
		_ types.BaseTaskInProgress             = &types.VAppTaskInProgress{}
		_ types.BaseInsufficientResourcesFault = &types.InsufficientMemoryResourcesFault{}
		_ types.BaseInvalidState               = &types.InvalidPowerState{}
		_ types.BaseHostCommunication          = &types.HostNotReachable{}
		_ types.BaseNoPermission               = &types.NotAuthenticated{}
	)
	for _, tc := range []struct {
		fault types.BaseMethodFault
		want  string
	}{
		{&types.PasswordExpired{}, "InvalidLogin"},
		{&types.VAppTaskInProgress{}, "TaskInProgress"},
		{&types.InsufficientMemoryResourcesFault{}, "InsufficientResourcesFault"},
		{&types.InsufficientCpuResourcesFault{}, "InsufficientResourcesFault"},
		{&types.InvalidDatastoreState{}, "InvalidState"},
		{&types.NoHost{}, "HostConnectFault"},
		{&types.InvalidController{}, "VmConfigFault"}, // InvalidDeviceSpec > InvalidVmConfig > VmConfigFault
		{&types.RestrictedVersion{}, "RuntimeFault"},  // SecurityError has no entry: its family's
		{&types.NotImplemented{}, "RuntimeFault"},
		{&types.CustomizationFault{}, "VimFault"},
		{&types.InvalidProperty{}, "InvalidArgument"},         // a direct MethodFault subtype, aliased: the caller's mistake
		{&types.InvalidCollectorVersion{}, "InvalidArgument"}, // likewise
		{&types.MethodFault{}, "MethodFault"},                 // the root itself: the catch-all
	} {
		f := classify(inject(t, tc.fault))
		if f.FaultType() != tc.want {
			t.Errorf("%T classifies as %s, want %s", tc.fault, f.FaultType(), tc.want)
		}
	}
}

// Every fault type the vAPI tables name has an entry.
func TestVAPITableNamesEntries(t *testing.T) {
	reg := registry.Default()
	for _, et := range []string{"ERROR", "ALREADY_EXISTS", "ALREADY_IN_DESIRED_STATE", "CANCELED", "CONCURRENT_CHANGE",
		"FEATURE_IN_USE", "INTERNAL_SERVER_ERROR", "INVALID_ARGUMENT", "INVALID_ELEMENT_CONFIGURATION",
		"INVALID_ELEMENT_TYPE", "INVALID_REQUEST", "NOT_ALLOWED_IN_CURRENT_STATE", "NOT_FOUND", "OPERATION_NOT_FOUND",
		"RESOURCE_BUSY", "RESOURCE_IN_USE", "RESOURCE_INACCESSIBLE", "SERVICE_UNAVAILABLE", "TIMED_OUT",
		"UNABLE_TO_ALLOCATE_RESOURCE", "UNAUTHENTICATED", "UNAUTHORIZED", "UNEXPECTED_INPUT", "UNSUPPORTED", "UNVERIFIED_PEER"} {
		for _, st := range []int{400, 422} {
			ft := vapierr.FaultType(et, st)
			if _, ok := reg.ByFaultType(ft); !ok {
				t.Errorf("vAPI %s (HTTP %d) maps to %q, which has no entry", et, st, ft)
			}
		}
	}
	for st := 400; st <= 599; st++ {
		if _, ok := reg.ByFaultType(vapierr.StatusFaultType(st)); !ok {
			t.Errorf("HTTP %d maps to %q, which has no entry", st, vapierr.StatusFaultType(st))
		}
	}
}
