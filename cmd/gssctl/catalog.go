package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere/release"
)

func catalogCmd() *command {
	return &command{
		name:  "catalog",
		args:  "[--format md|html] [-o FILE]",
		short: "render the catalog as a reference page (Markdown or self-contained HTML)",
		long: `catalog renders the catalog (the built-in one, or --catalog) as a page
people read: every code with its fault type, retry and delay, impact, gRPC
code, the HTTP status on each known vSphere release and feature switch
(from the per-version table), action, debug commands and references.

--format md writes Markdown (docs/catalog.md is this, written by make
generate). --format html writes one self-contained HTML file (no external
assets) with a search box that filters the entries by code, fault type or
any word; a ?q=WORDS query in the page's URL fills it in.`,
		flags: func(fs *flag.FlagSet) {
			fs.String("format", "md", "`md` (Markdown) or html")
			fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
		},
		run: runCatalog,
	}
}

func runCatalog(_ context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() != 0 {
		return badUsage("catalog takes no arguments, got %q", fs.Args())
	}
	format := strings.ToLower(flagString(fs, "format"))
	if format != "md" && format != "html" && format != "markdown" {
		return badUsage("--format must be md or html, got %q", format)
	}
	reg, err := e.registry()
	if err != nil {
		return err
	}
	source := "the built-in catalog"
	if e.catalog != "" {
		source = "a custom catalog"
	}
	view := newCatalogView(reg, source)
	var out []byte
	if format == "html" {
		out, err = renderCatalogHTML(view)
	} else {
		out = renderCatalogMarkdown(view)
	}
	if err != nil {
		return err
	}
	if p := flagString(fs, "o"); p != "" {
		return writeAtomic(p, out, 0o644)
	}
	_, err = e.stdout.Write(out)
	return err
}

// catalogView is what both catalog pages show, computed once.
type catalogView struct {
	Source   string
	Releases []string // the known releases, oldest first
	Entries  []entryView
	// Changing lists the fault types whose answer differs between
	// releases or with a feature switch, with their cells per release.
	Changing []changingRow
}

type entryView struct {
	registry.Entry
	Anchor    string
	Applies   string
	ByRelease []releaseGroup
	Search    string // lower-case text the search box looks in
}

type changingRow struct {
	Anchor    string
	FaultType string
	Cells     []string
}

func newCatalogView(reg *registry.Registry, source string) catalogView {
	v := catalogView{Source: source}
	for _, r := range release.Known() {
		v.Releases = append(v.Releases, r.String())
	}
	for _, x := range reg.All() {
		rows := releaseRows(x)
		ev := entryView{
			Entry: x, Anchor: strings.ToLower(string(x.Code)), Applies: appliesText(rows), ByRelease: groupRows(rows),
			Search: strings.ToLower(strings.Join([]string{string(x.Code), x.FaultType, x.Category.String(),
				x.Component, x.Trigger, x.Action, string(x.Source), x.GRPCCode.String()}, " ")),
		}
		v.Entries = append(v.Entries, ev)
		if len(ev.ByRelease) > 1 || hasVariant(rows) {
			cr := changingRow{Anchor: ev.Anchor, FaultType: x.FaultType}
			for _, r := range rows {
				cr.Cells = append(cr.Cells, r.cell())
			}
			v.Changing = append(v.Changing, cr)
		}
	}
	return v
}

func hasVariant(rows []releaseRow) bool {
	for _, r := range rows {
		if r.cell() != answerText(r.HTTPStatus, r.ReportedAs, r.Subcode) {
			return true
		}
	}
	return false
}

// retryText is "yes (after 30s)", "yes" or "no".
func retryText(x registry.Entry) string {
	s := yesNo(x.Retryable)
	if x.RetryDelay > 0 {
		s += fmt.Sprintf(" (after %v)", x.RetryDelay)
	}
	return s
}

// renderCatalogMarkdown writes the catalog as Markdown.
func renderCatalogMarkdown(v catalogView) []byte {
	var b bytes.Buffer
	cell := func(s string) string {
		s = strings.Join(strings.Fields(s), " ")
		return strings.ReplaceAll(s, "|", `\|`)
	}
	fmt.Fprintf(&b, "# gssfault fault catalog\n\n")
	fmt.Fprintf(&b, "Generated from %s by `gssctl catalog --format md` (`make generate`); do not edit.\n", v.Source)
	fmt.Fprintf(&b, "%d entries. `gssctl catalog --format html` writes the same as a searchable page.\n\n", len(v.Entries))
	b.WriteString("## Summary\n\n")
	b.WriteString("| Code | Fault type | Retryable | Impact | gRPC | HTTP | Component |\n|---|---|---|---|---|---|---|\n")
	for _, x := range v.Entries {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s | %d | %s |\n", x.Code, x.Anchor, cell(x.FaultType),
			retryText(x.Entry), x.Impact, x.GRPCCode, httpStatusOf(x.Entry), cell(x.Component))
	}
	if len(v.Changing) > 0 {
		b.WriteString("\n## HTTP status by vSphere release\n\n")
		b.WriteString("The fault types whose HTTP status or name depends on the vSphere release, a feature switch or a\n")
		b.WriteString("condition, from httpmap's per-version table. \"as X\": that release has no such fault and reports X.\n")
		b.WriteString("Every other entry answers its catalog HTTP status on every release.\n\n")
		fmt.Fprintf(&b, "| Fault type | %s |\n|---|%s\n", strings.Join(v.Releases, " | "), strings.Repeat("---|", len(v.Releases)))
		for _, c := range v.Changing {
			cells := make([]string, len(c.Cells))
			for i, s := range c.Cells {
				cells[i] = cell(s)
			}
			fmt.Fprintf(&b, "| [%s](#%s) | %s |\n", c.FaultType, c.Anchor, strings.Join(cells, " | "))
		}
	}
	b.WriteString("\n## Entries\n")
	for _, x := range v.Entries {
		fmt.Fprintf(&b, "\n<a id=\"%s\"></a>\n\n### %s %s\n\n", x.Anchor, x.Code, x.FaultType)
		fmt.Fprintf(&b, "- **Retryable:** %s\n", retryText(x.Entry))
		fmt.Fprintf(&b, "- **Impact:** %s\n", x.Impact)
		fmt.Fprintf(&b, "- **Action:** %s\n", cell(x.Action))
		fmt.Fprintf(&b, "- **Trigger:** %s\n", cell(x.Trigger))
		fmt.Fprintf(&b, "- **Category:** %s; **component:** %s\n", x.Category, cell(x.Component))
		fmt.Fprintf(&b, "- **gRPC code:** %s; **HTTP status:** %d\n", x.GRPCCode, httpStatusOf(x.Entry))
		fmt.Fprintf(&b, "- **Releases:** %s\n", x.Applies)
		b.WriteString("- **HTTP by release:**")
		for i, g := range x.ByRelease {
			sep := ";"
			if i == len(x.ByRelease)-1 {
				sep = ""
			}
			fmt.Fprintf(&b, " %s: %s%s", g.Range(), cell(g.Cell), sep)
		}
		b.WriteString("\n")
		if x.Source != "" {
			fmt.Fprintf(&b, "- **Source:** %s\n", x.Source)
		}
		if x.DocRef != "" {
			fmt.Fprintf(&b, "- **Reference:** <%s>\n", x.DocRef)
		}
		if x.Rationale != "" {
			fmt.Fprintf(&b, "- **Why:** %s\n", cell(x.Rationale))
		}
		if len(x.DebugCommands) > 0 {
			b.WriteString("- **Debug:**\n\n  ```sh\n")
			for _, c := range x.DebugCommands {
				fmt.Fprintf(&b, "  %s\n", strings.Join(strings.Fields(c), " "))
			}
			b.WriteString("  ```\n")
		}
	}
	return b.Bytes()
}
