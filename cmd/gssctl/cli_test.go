package main

import (
	"regexp"
	"strings"
	"testing"
)

// Rough edges a new user met (newcomer review, findings 16, 20 and 21).

// No line gssctl prints ends in white space: help, tables, describe.
func TestNoTrailingWhitespace(t *testing.T) {
	trailing := regexp.MustCompile(`(?m)[ \t]+$`)
	for _, args := range [][]string{
		{"--help"}, {"error", "--help"}, {"error", "describe", "--help"}, {"error", "match", "--help"},
		{"error", "describe", "GSS-VSP-023"}, {"error", "describe", "NoPermission"}, {"error", "list"},
		{"error", "search", "host"}, {"catalog", "--help"}, {"openapi", "preview", "--help"}, {"version"},
		{"validate", "--help"}, {"docs"}, {"catalog"},
	} {
		out, errOut, _ := gssctl(t, args...)
		if loc := trailing.FindStringIndex(out + errOut); loc != nil {
			line := (out + errOut)[strings.LastIndexByte((out + errOut)[:loc[0]], '\n')+1 : loc[1]]
			t.Errorf("gssctl %q prints a line with trailing white space: %q", args, line)
		}
	}
}

// Impact is lower case everywhere.
func TestImpactLowerCase(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"error", "describe", "GSS-VSP-023"}, `(?m)^  Impact:\s+critical$`},
		{[]string{"error", "list"}, `(?m)^GSS-VSP-023\s+HostNotReachable\s+yes\s+critical\s`},
		{[]string{"error", "describe", "GSS-VSP-023", "--json"}, `"impact": "critical"`},
		{[]string{"error", "match", "--json"}, `"impact":"critical"`},
	} {
		out, _, _ := gssctlIn(t, "GSS-VSP-023", tc.args...)
		if !regexp.MustCompile(tc.want).MatchString(out) || strings.Contains(out, "CRITICAL") {
			t.Errorf("gssctl %q: impact not in lower case:\n%.300s", tc.args, out)
		}
	}
}

// JSON output keeps '<' and '>' as they are: debug commands hold <vcenter-ip>.
func TestJSONDoesNotEscapeHTML(t *testing.T) {
	out, _, _ := gssctl(t, "error", "describe", "GSS-VSP-023", "--json")
	if strings.Contains(out, `\u003c`) || !strings.Contains(out, "<vcenter-ip>") {
		t.Errorf("describe --json escapes HTML:\n%s", out)
	}
}

// Nothing found exits 1 in describe, search, list and match; usage errors 2.
func TestNothingFoundExits1(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		stdin string
	}{
		{[]string{"error", "describe", "GSS-VSP-998"}, ""},
		{[]string{"error", "search", "zzqqxx"}, ""},
		{[]string{"error", "list", "--domain", "XYZ"}, ""},
		{[]string{"error", "list", "--domain", "XYZ", "--json"}, ""},
		{[]string{"error", "match"}, "nothing to see here\n"},
	} {
		out, _, code := gssctlIn(t, tc.stdin, tc.args...)
		if code != 1 {
			t.Errorf("gssctl %q: exit %d, want 1", tc.args, code)
		}
		if strings.Contains(strings.Join(tc.args, " "), "--json") && strings.TrimSpace(out) != "[]" {
			t.Errorf("gssctl %q: printed %q, want []", tc.args, out)
		}
	}
}

// A usage error shows the short usage, --help the full help.
func TestShortUsageOnError(t *testing.T) {
	_, errOut, code := gssctl(t, "error", "describe")
	if code != 2 || !strings.Contains(errOut, "Usage: gssctl error describe CODE") || !strings.Contains(errOut, "Run 'gssctl error describe --help'") {
		t.Errorf("usage error: exit %d %q", code, errOut)
	}
	if n := strings.Count(errOut, "\n"); n > 4 {
		t.Errorf("usage error prints %d lines, want a short usage:\n%s", n, errOut)
	}
	out, _, code := gssctl(t, "error", "describe", "--help")
	if code != 0 || !strings.Contains(out, "Flags:") || !strings.Contains(out, "describe prints one entry") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	_, errOut, _ = gssctl(t, "error", "nope")
	if !strings.Contains(errOut, "Commands: describe, search, list, match") {
		t.Errorf("unknown subcommand: %q", errOut)
	}
}

// --catalog works anywhere on the line, and "-" reads it from stdin.
func TestGlobalFlagAnywhere(t *testing.T) {
	path := writeAppCatalog(t)
	for _, args := range [][]string{
		{"--catalog", path, "error", "describe", "gss-app-001"},
		{"error", "--catalog", path, "describe", "gss-app-001"},
		{"error", "describe", "gss-app-001", "--catalog", path},
		{"error", "describe", "--catalog=" + path, "gss-app-001"},
	} {
		out, errOut, code := gssctl(t, args...)
		if code != 0 || !strings.Contains(out, "OrderRejected") {
			t.Errorf("gssctl %q: exit %d %s%s", args, code, out, errOut)
		}
	}
	out, errOut, code := gssctlIn(t, appCatalog, "error", "list", "--catalog", "-")
	if code != 0 || !strings.Contains(out, "GSS-APP-001") {
		t.Errorf("--catalog -: exit %d %s%s", code, out, errOut)
	}
	out, _, code = gssctlIn(t, "order GSS-APP-001 rejected\n", "error", "match", "--catalog", path)
	if code != 0 || !strings.Contains(out, "OrderRejected") {
		t.Errorf("match with --catalog: exit %d %s", code, out)
	}
}

func TestVersion(t *testing.T) {
	out, _, code := gssctl(t, "version")
	if code != 0 || !regexp.MustCompile(`^gssctl (\(devel\)|v\S+)\ngo: go1\.`).MatchString(out) {
		t.Errorf("version: exit %d %q", code, out)
	}
	if _, _, code := gssctl(t, "version", "x"); code != 2 {
		t.Errorf("version x: exit %d", code)
	}
}

// sanitize leaves ordinary text alone and escapes what moves a terminal.
func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, quotes \"x\" and ünïcode": "plain text, quotes \"x\" and ünïcode",
		"\x1b]0;title\x07\x1b[2K\rok":          `\x1b]0;title\x07\x1b[2K\rok`,
		"a\u202eb\u2066c":                      `a\u202eb\u2066c`,
		"bad \xff byte":                        `bad \xff byte`,
		"real \ufffd stays escaped":            `real \ufffd stays escaped`,
		"tab\tand\nline":                       `tab\tand\nline`,
		"\u0085 next line":                     `\x85 next line`,
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}
