package vsphere_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/httpmap"
)

// govmomiFaultTypes returns every method fault type of govmomi's type
// registry (the t["Name"] = ... lines of vim25/types/types.go, read from
// the module's source), split into base types and their generated
// "<Name>Fault" twins (keyed by the twin's name, valued by the base's).
func govmomiFaultTypes(t *testing.T) (base []string, twins map[string]string) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-json", "github.com/vmware/govmomi").Output()
	if err != nil {
		t.Fatalf("go list -m govmomi: %v", err)
	}
	var mod struct{ Dir, Version string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("govmomi module: %v (%s)", err, out)
	}
	src, err := os.ReadFile(filepath.Join(mod.Dir, "vim25", "types", "types.go"))
	if err != nil {
		t.Fatal(err)
	}
	bmf := reflect.TypeOf((*types.BaseMethodFault)(nil)).Elem()
	twins = map[string]string{}
	for _, m := range regexp.MustCompile(`t\["([A-Za-z0-9_]+)"\] = `).FindAllSubmatch(src, -1) {
		name := string(m[1])
		typ, ok := types.TypeFunc()(name)
		if !ok || typ.Kind() != reflect.Struct || !reflect.PointerTo(typ).Implements(bmf) {
			continue
		}
		if b, ok := types.TypeFunc()(strings.TrimSuffix(name, "Fault")); ok && strings.HasSuffix(name, "Fault") &&
			b != typ && b.Kind() == reflect.Struct && b.NumField() == typ.NumField() && typ.ConvertibleTo(b) {
			twins[name] = b.Name()
			continue
		}
		base = append(base, name)
	}
	sort.Strings(base)
	t.Logf("govmomi %s: %d method fault types and %d generated twins", mod.Version, len(base), len(twins))
	return base, twins
}

func newFault(name string) types.BaseMethodFault {
	typ, _ := types.TypeFunc()(name)
	return reflect.New(typ).Interface().(types.BaseMethodFault)
}

// TestEveryGovmomiFaultTypeGetsAMeaningfulCode walks govmomi's whole type
// registry (issue 16): at most 5 % of the fault types fall to the root
// catch-all; checked faults (VimFault subtypes) get a 4xx-class code and
// runtime faults (RuntimeFault subtypes) a 5xx-class one unless a closer
// entry says otherwise; the fault type vSphere sent is kept; each twin
// classifies exactly as its base type; and every type govmomi's own
// fault.IsTransientError retries is retryable.
func TestEveryGovmomiFaultTypeGetsAMeaningfulCode(t *testing.T) {
	base, twins := govmomiFaultTypes(t)
	if len(base) < 600 {
		t.Fatalf("only %d fault types found; the registry was not read", len(base))
	}
	var root []string
	for _, name := range base {
		vf := newFault(name)
		f := classifyFault(vf)
		if f.Code() == "GSS-VSP-999" {
			root = append(root, name)
		}
		if name != f.FaultType() {
			if v, _ := f.MetadataValue("vimFaultType"); v != name {
				t.Errorf("%s classifies as %s without vimFaultType (got %q)", name, f.FaultType(), v)
			}
		}
		status := httpmap.EntryStatus(f.Entry())
		switch f.FaultType() {
		case "VimFault":
			if _, ok := vf.(types.BaseVimFault); !ok || status < 400 || status > 499 {
				t.Errorf("%s takes VimFault's entry but is not a checked fault with a 4xx status (%d)", name, status)
			}
		case "RuntimeFault":
			if _, ok := vf.(types.BaseRuntimeFault); !ok || status < 500 {
				t.Errorf("%s takes RuntimeFault's entry but is not a runtime fault with a 5xx status (%d)", name, status)
			}
		}
		if fault.IsTransientError(soap.WrapVimFault(vf)) && !f.Retryable() {
			t.Errorf("%s: govmomi's fault.IsTransientError retries it; it classifies as %s, not retryable", name, f.FaultType())
		}
	}
	share := float64(len(root)) / float64(len(base))
	t.Logf("coverage: %d of %d govmomi fault types (%.1f%%) fall to the root catch-all: %v", len(root), len(base), 100*share, root)
	if share > 0.05 {
		t.Errorf("%.1f%% of the fault types fall to the catch-all, more than 5%%", 100*share)
	}
	for twin, b := range twins {
		got, want := classifyFault(newFault(twin)), classifyFault(newFault(b))
		if got.Code() != want.Code() {
			t.Errorf("twin %s classifies as %s, its base %s as %s", twin, got.Code(), b, want.Code())
		}
		if v, _ := got.MetadataValue("vimFaultType"); b != want.FaultType() && v != b {
			t.Errorf("twin %s: vimFaultType %q, want its base's name %s", twin, v, b)
		}
	}
}
