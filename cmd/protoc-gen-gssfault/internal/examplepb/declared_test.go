package examplepb_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gssfault/gssfault/cmd/protoc-gen-gssfault/internal/examplepb"
	"github.com/gssfault/gssfault/codes"
)

// TestDeclaredCodes holds the generated functions to vm.proto's
// declarations.
func TestDeclaredCodes(t *testing.T) {
	const vm, host = "/gssfault.example.v1.VMService/", "/gssfault.example.v1.HostService/"
	for _, tt := range []struct {
		name       string
		fn         func(string) ([]codes.Code, bool)
		fullMethod string
		want       []codes.Code
		ok         bool
	}{
		{"two codes", examplepb.VMServiceDeclaredCodes, vm + "PowerOn", []codes.Code{"GSS-VSP-012", "GSS-VSP-014"}, true},
		{"declaration order kept", examplepb.VMServiceDeclaredCodes, vm + "Get", []codes.Code{"GSS-VSP-006", "GSS-VSP-004"}, true},
		{"declared empty", examplepb.VMServiceDeclaredCodes, vm + "Rename", []codes.Code{}, true},
		{"no HTTP binding", examplepb.VMServiceDeclaredCodes, vm + "Migrate", []codes.Code{"GSS-VSP-013", "GSS-VSP-027", "GSS-VSP-019"}, true},
		{"declares nothing", examplepb.VMServiceDeclaredCodes, vm + "Ping", nil, false},
		{"other service's method", examplepb.VMServiceDeclaredCodes, host + "Get", nil, false},
		{"same name, other service", examplepb.HostServiceDeclaredCodes, host + "Get", []codes.Code{"GSS-VSP-019", "GSS-VSP-023"}, true},
		{"streaming", examplepb.HostServiceDeclaredCodes, host + "Watch", []codes.Code{"GSS-VSP-020"}, true},
		{"no such method", examplepb.HostServiceDeclaredCodes, host + "Delete", nil, false},
		{"empty", examplepb.VMServiceDeclaredCodes, "", nil, false},
		{"no leading slash", examplepb.VMServiceDeclaredCodes, "gssfault.example.v1.VMService/PowerOn", nil, false},
		{"short name", examplepb.VMServiceDeclaredCodes, "/VMService/PowerOn", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.fn(tt.fullMethod)
			if ok != tt.ok || (got == nil) != (tt.want == nil) || !slices.Equal(got, tt.want) {
				t.Errorf("DeclaredCodes(%q) = %#v, %v; want %#v, %v", tt.fullMethod, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestDeclaredCodesFreshSlice: a caller that changes the returned slice
// changes nothing for the next caller.
func TestDeclaredCodesFreshSlice(t *testing.T) {
	const m = "/gssfault.example.v1.VMService/PowerOn"
	first, _ := examplepb.VMServiceDeclaredCodes(m)
	first[0] = "GSS-XXX-000"
	_ = append(first[:1], "GSS-YYY-000")
	second, _ := examplepb.VMServiceDeclaredCodes(m)
	if diff := cmp.Diff([]codes.Code{"GSS-VSP-012", "GSS-VSP-014"}, second); diff != "" {
		t.Errorf("second call (-want +got):\n%s", diff)
	}
}
