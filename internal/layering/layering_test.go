package layering

import (
	"os/exec"
	"strings"
	"testing"
)

// deps lists the packages pkg depends on (non-test builds).
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	var nonStd []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, std, _ := strings.Cut(line, " ")
		if std != "true" {
			nonStd = append(nonStd, path)
		}
	}
	return nonStd
}

func TestImportDirection(t *testing.T) {
	const mod = "github.com/gssfault/gssfault"
	for _, d := range deps(t, mod+"/codes") {
		if d != mod+"/codes" {
			t.Errorf("codes depends on %s; it must use the standard library only", d)
		}
	}
	forbidden := map[string][]string{
		"/codes":      {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
		"/registry":   {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
		"/faults":     {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
		"/grpcstatus": {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
		"/httpmap":    {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
		"/vsphere":    {"github.com/grpc-ecosystem", "go.opentelemetry.io"},
		// vsphere/release is what httpmap uses instead of govmomi.
		"/vsphere/release": {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
	}
	for pkg, bad := range forbidden {
		for _, d := range deps(t, mod+pkg) {
			for _, b := range bad {
				if strings.HasPrefix(d, b) {
					t.Errorf("%s depends on %s", pkg, d)
				}
			}
		}
	}
}
