package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/internal/testenv"
	"github.com/gssfault/gssfault/registry"
)

// docs/catalog.md is generated from the catalog; it must be current.
func TestCatalogMarkdownIsCurrent(t *testing.T) {
	out, _, code := gssctl(t, "catalog", "--format", "md")
	if code != 0 {
		t.Fatalf("catalog: exit %d", code)
	}
	want, err := os.ReadFile("../../docs/catalog.md")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Error("docs/catalog.md is stale: run make generate")
	}
}

func TestCatalogMarkdown(t *testing.T) {
	out, _, _ := gssctl(t, "catalog")
	for _, e := range registry.Default().All() {
		if !strings.Contains(out, "### "+string(e.Code)+" "+e.FaultType+"\n") {
			t.Errorf("no section for %s", e.Code)
		}
		for _, c := range e.DebugCommands {
			if !strings.Contains(out, strings.Join(strings.Fields(c), " ")) {
				t.Errorf("%s: debug command %q missing", e.Code, c)
			}
		}
	}
	// The design's per-version table (httpmap.Rules), cell by cell where it changes.
	for _, want := range []string{
		"| [NoPermission](#gss-vsp-004) | 403 | 403 | 403 | 403 | 401; 403 with RBAC v2 | 403 | 403 | 403 |",
		"| [ServiceUnavailable](#gss-vsp-021) | 503 as SystemError | 503 |",
		"- **Releases:** 8.0 U2 to 8.0 U3 with namespace quotas",
		"- **Retryable:** yes (after 30s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("catalog.md lacks %q", want)
		}
	}
	if _, _, code := gssctl(t, "catalog", "--format", "pdf"); code != 2 {
		t.Errorf("--format pdf: exit %d, want 2", code)
	}
}

// -o writes atomically and keeps an existing file's permissions.
func TestCatalogOutputFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "catalog.html")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := gssctl(t, "catalog", "--format", "html", "-o", p); code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	st, err := os.Stat(p)
	if err != nil || st.Mode().Perm() != 0o600 || st.Size() < 10000 {
		t.Errorf("written file: %v %v", st, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if _, _, code := gssctl(t, "catalog", "-o", filepath.Join(dir, "no", "such", "dir.md")); code != 2 {
		t.Errorf("unwritable -o: exit %d", code)
	}
	if _, _, code := gssctl(t, "catalog", "-o", dir); code != 2 {
		t.Errorf("-o a directory: exit %d", code)
	}
}

// assertSelfContained fails if the page loads anything from elsewhere:
// scripts, styles, images, fonts, frames or CSS imports. Links a reader
// may follow (<a href>) are not loads.
func assertSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, re := range []string{
		`(?i)<script[^>]+src=`, `(?i)<link\b`, `(?i)<img\b`, `(?i)<iframe\b`, `(?i)<object\b`, `(?i)<embed\b`,
		`(?i)<base\b`, `(?i)\bsrcset=`, `(?i)<style[^>]*>[^<]*(@import|url\()`, `(?i)\bstyle="[^"]*url\(`,
	} {
		if loc := regexp.MustCompile(re).FindStringIndex(page); loc != nil {
			t.Errorf("the page loads an external asset: %q", page[loc[0]:min(len(page), loc[1]+60)])
		}
	}
	if n := strings.Count(page, "<style>"); n != 1 {
		t.Errorf("%d inline style blocks, want 1", n)
	}
}

var entryRowRE = regexp.MustCompile(`<tr class="entry" id="([^"]+)"[^>]*>`)

// TestCatalogHTMLInBrowser serves the page on loopback and loads it in
// headless Chromium with ?q=: the page's own script must have filtered
// the rows to exactly those whose entry holds every word of the query, in
// any case.
func TestCatalogHTMLInBrowser(t *testing.T) {
	page, _, code := gssctl(t, "catalog", "--format", "html")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	assertSelfContained(t, page)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	defer srv.Close()
	const query = "Unavailable HOST"
	dom := testenv.DumpDOM(t, srv.URL+"/?q=Unavailable%20HOST")

	var want []string
	for _, e := range registry.Default().All() {
		text := strings.ToLower(strings.Join([]string{string(e.Code), e.FaultType, e.Category.String(), e.Component,
			e.Trigger, e.Action, string(e.Source), e.GRPCCode.String()}, " "))
		if strings.Contains(text, "unavailable") && strings.Contains(text, "host") {
			want = append(want, strings.ToLower(string(e.Code)))
		}
	}
	var shown, hidden []string
	for _, m := range entryRowRE.FindAllStringSubmatch(dom, -1) {
		if strings.Contains(m[0], " hidden") {
			hidden = append(hidden, m[1])
		} else {
			shown = append(shown, m[1])
		}
	}
	if len(shown)+len(hidden) != 47 {
		t.Fatalf("the DOM has %d entry rows, want 47", len(shown)+len(hidden))
	}
	if len(want) < 2 || !slices.Equal(shown, want) {
		t.Errorf("?q=%s shows %v, want %v", query, shown, want)
	}
	if !regexp.MustCompile(`<span id="count"[^>]*>` + strconv.Itoa(len(want)) + ` of 47 shown</span>`).MatchString(dom) {
		t.Errorf("the count does not say %d of 47 shown", len(want))
	}
	if !regexp.MustCompile(`<p id="empty" hidden`).MatchString(dom) {
		t.Error("the no-match message shows although entries match")
	}
}
