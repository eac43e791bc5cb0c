package doccheck

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEProgram builds and runs the README's gRPC program exactly as
// written (the Go block that starts with "package main"), through a build
// overlay so that nothing is written into the module, and checks what it
// prints against the comments in it.
func TestREADMEProgram(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var program string
	for _, m := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if strings.HasPrefix(m[1], "package main\n") {
			program = m[1]
		}
	}
	if program == "" {
		t.Fatal("the README has no Go block that is a whole program")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(program), 0o600); err != nil {
		t.Fatal(err)
	}
	virtual := filepath.Join(abs, "internal", "doccheck", "readmeprogram", "main.go")
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{virtual: src}})
	if err := os.WriteFile(filepath.Join(dir, "overlay.json"), overlay, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "-overlay", filepath.Join(dir, "overlay.json"), "./internal/doccheck/readmeprogram")
	cmd.Dir = abs
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README program does not run: %v\n%s", err, out)
	}
	var want []string
	for _, m := range regexp.MustCompile(`fmt\.Println\(.*\)\s+// (.*)`).FindAllStringSubmatch(program, -1) {
		want = append(want, strings.SplitN(m[1], ":", 2)[0])
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(got) != len(want) {
		t.Fatalf("the program printed %q, want %d lines as its comments say (%q)", got, len(want), want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], strings.TrimSpace(want[i])) {
			t.Errorf("line %d: %q, the README says %q", i+1, got[i], want[i])
		}
	}
}
