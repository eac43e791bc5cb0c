package doccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// root is the module root, two directories above this package.
const root = "../.."

// testFuncs maps package directory (relative to root, "./x/y") to the names
// of the Test and Fuzz functions its _test.go files declare.
func testFuncs(t *testing.T) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		dir := "./" + filepath.ToSlash(rel)
		if rel == "." {
			dir = "."
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil {
				continue
			}
			if name := fn.Name.Name; strings.HasPrefix(name, "Test") || strings.HasPrefix(name, "Fuzz") {
				if out[dir] == nil {
					out[dir] = map[string]bool{}
				}
				out[dir][name] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the module's tests: %v", err)
	}
	return out
}

var testName = regexp.MustCompile("`((?:Test|Fuzz)[A-Za-z0-9_]+)`")

// TestNamedTestsExist fails when a document cites a test that no package
// declares, so a renamed or deleted test cannot leave a guarantee unbacked.
func TestNamedTestsExist(t *testing.T) {
	declared := map[string]bool{}
	for _, names := range testFuncs(t) {
		for n := range names {
			declared[n] = true
		}
	}
	for _, doc := range []string{"RELIABILITY.md", "README.md"} {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		cited := testName.FindAllStringSubmatch(string(text), -1)
		if doc == "RELIABILITY.md" && len(cited) < 10 {
			t.Fatalf("%s cites %d tests; the pattern no longer matches how it names them", doc, len(cited))
		}
		for _, m := range cited {
			if !declared[m[1]] {
				t.Errorf("%s cites %s, which no _test.go file declares", doc, m[1])
			}
		}
	}
}

// TestEveryFuzzTargetIsRun fails when a Fuzz function is missing from the
// Makefile's FUZZ_TARGETS (make test and make fuzz-long would skip it) or
// when FUZZ_TARGETS names a target its package does not declare.
func TestEveryFuzzTargetIsRun(t *testing.T) {
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(\./[A-Za-z0-9_/.-]*):(Fuzz[A-Za-z0-9_]+)`).FindAllStringSubmatch(string(mk), -1) {
		listed[m[1]+":"+m[2]] = true
	}
	if len(listed) == 0 {
		t.Fatal("found no package:FuzzTarget entries in the Makefile")
	}
	declared := map[string]bool{}
	for dir, names := range testFuncs(t) {
		for n := range names {
			if strings.HasPrefix(n, "Fuzz") {
				declared[dir+":"+n] = true
			}
		}
	}
	var missing, stale []string
	for target := range declared {
		if !listed[target] {
			missing = append(missing, target)
		}
	}
	for target := range listed {
		if !declared[target] {
			stale = append(stale, target)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	for _, target := range missing {
		t.Errorf("fuzz target %s is not in the Makefile's FUZZ_TARGETS; make test and make fuzz-long skip it", target)
	}
	for _, target := range stale {
		t.Errorf("FUZZ_TARGETS lists %s, which its package does not declare", target)
	}
}
