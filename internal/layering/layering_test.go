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
	for _, pkg := range []string{"/codes", "/vsphere/release"} {
		for _, d := range deps(t, mod+pkg) {
			if d != mod+pkg {
				t.Errorf("%s depends on %s; it must use the standard library only", pkg, d)
			}
		}
	}
	// The method option's package is protobuf's and nothing else, so that
	// any .proto user can import it.
	for _, d := range deps(t, mod+"/proto/gssfault/v1") {
		if d != mod+"/proto/gssfault/v1" && !strings.HasPrefix(d, "google.golang.org/protobuf/") {
			t.Errorf("proto/gssfault/v1 depends on %s; it may use only google.golang.org/protobuf", d)
		}
	}
	forbidden := map[string][]string{
		"/codes":      {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
		"/registry":   {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io", mod + "/httpmap"},
		"/faults":     {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
		"/grpcstatus": {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
		"/httpmap":    {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io"},
		"/vsphere":    {"github.com/grpc-ecosystem", "go.opentelemetry.io"},
		// The protoc plugin reads grpc-gateway's options through dynamicpb
		// and checks codes against the catalog; it links neither grpc-gateway
		// nor govmomi.
		"/cmd/protoc-gen-gssfault": {"github.com/vmware/govmomi", "github.com/grpc-ecosystem", "go.opentelemetry.io", mod + "/vsphere", mod + "/httpmap"},
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
