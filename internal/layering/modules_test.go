package layering

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const mod = "github.com/gssfault/gssfault"

// heavy are the dependencies only the nested adapter modules may have: the
// core module's users must never download or compile them.
var heavy = []string{"connectrpc.com/", "github.com/hashicorp/"}

// root is the core module's directory.
func root(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// goList runs go list in dir and returns its output lines.
func goList(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s in %s: %v\n%s", strings.Join(args, " "), dir, err, stderr.String())
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// TestCoreHasNoAdapterDependencies: the core module's go.mod requires
// neither connect-go nor Terraform's framework, and no package of the core
// module, tests included, depends on them.
func TestCoreHasNoAdapterDependencies(t *testing.T) {
	dir := root(t)
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "require"))
		for _, h := range heavy {
			if strings.HasPrefix(line, h) {
				t.Errorf("go.mod requires %q; only the nested modules under adapters/ may", line)
			}
		}
	}
	for _, d := range goList(t, dir, "-deps", "-test", "./...") {
		for _, h := range heavy {
			if strings.HasPrefix(d, h) {
				t.Errorf("the core module depends on %s; only the nested modules under adapters/ may", d)
			}
		}
	}
}

// TestOnlyGatewayImportsGRPCGateway: of the library's packages, only
// httpmap/gateway imports grpc-gateway (the examples may).
func TestOnlyGatewayImportsGRPCGateway(t *testing.T) {
	for _, line := range goList(t, root(t), "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...") {
		pkg, imports, _ := strings.Cut(line, " ")
		if pkg == mod+"/httpmap/gateway" || strings.HasPrefix(pkg, mod+"/examples/") {
			continue
		}
		for _, imp := range strings.Fields(imports) {
			if strings.HasPrefix(imp, "github.com/grpc-ecosystem/grpc-gateway") {
				t.Errorf("%s imports %s; only httpmap/gateway may", pkg, imp)
			}
		}
	}
}

// TestAdapterModules: each nested module under adapters/ builds against
// this tree (replace ../..), uses only the core's public packages, and
// pulls in no other adapter's heavy dependency.
func TestAdapterModules(t *testing.T) {
	dir := root(t)
	gomods, err := filepath.Glob(filepath.Join(dir, "adapters", "*", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if len(gomods) < 2 {
		t.Fatalf("found %d adapter modules (%v), want connectfault and tffault", len(gomods), gomods)
	}
	own := map[string]string{"connectfault": "connectrpc.com/", "tffault": "github.com/hashicorp/"}
	for _, gm := range gomods {
		mdir := filepath.Dir(gm)
		name := filepath.Base(mdir)
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(gm)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), "module "+mod+"/adapters/"+name+"\n") {
				t.Errorf("%s: module path is not %s/adapters/%s", gm, mod, name)
			}
			if !strings.Contains(string(b), "replace "+mod+" => ../..") {
				t.Errorf("%s: no replace %s => ../.., so it would test a published core instead of this tree", gm, mod)
			}
			for _, line := range goList(t, mdir, "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...") {
				pkg, imports, _ := strings.Cut(line, " ")
				for _, imp := range strings.Fields(imports) {
					if strings.HasPrefix(imp, mod+"/internal/") {
						t.Errorf("%s imports %s; adapters use only the core's public packages", pkg, imp)
					}
				}
			}
			for _, d := range goList(t, mdir, "-deps", "./...") {
				for _, h := range heavy {
					if strings.HasPrefix(d, h) && h != own[name] {
						t.Errorf("%s depends on %s, another adapter's dependency", name, d)
					}
				}
			}
		})
	}
}
