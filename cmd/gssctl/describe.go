package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

func describeCmd() *command {
	return &command{
		name:  "describe",
		args:  "CODE|FAULT_TYPE [--json]",
		short: "show everything the catalog says about a code",
		long: `describe prints one entry: code, retryable, impact and action first,
then category, component, trigger, gRPC code, HTTP status, the vSphere
releases the fault exists on and its HTTP status on each (with the feature
switches and conditions that change it, from the per-version table),
source, reference, debug commands and the rationale for its gRPC code. The
argument is a GSS code (GSS-VSP-023) or a fault type (HostNotReachable);
both are matched in any case. An unknown code exits 1 and suggests the
closest codes.`,
		flags: func(fs *flag.FlagSet) {
			fs.Bool("json", false, "print the entry as JSON (stable field names)")
		},
		run: runDescribe,
	}
}

func runDescribe(_ context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() != 1 {
		return badUsage("describe takes one code, got %d arguments", fs.NArg())
	}
	reg, err := e.registry()
	if err != nil {
		return err
	}
	arg := fs.Arg(0)
	entry, ok := lookupArg(reg, arg)
	if !ok {
		return noResult(notFound(reg, arg))
	}
	rows := releaseRows(entry)
	if flagBool(fs, "json") {
		return writeJSON(e.stdout, describeJSON{entryJSON: toJSON(entry), AppliesTo: appliesText(rows), Releases: rows})
	}
	return writeEntry(e, entry, rows)
}

// lookupArg finds the entry a command-line argument names: a GSS code or a
// fault type, in any case.
func lookupArg(reg *registry.Registry, arg string) (registry.Entry, bool) {
	arg = strings.TrimSpace(arg)
	if up := strings.ToUpper(arg); strings.HasPrefix(up, "GSS-") {
		return reg.Lookup(codes.Code(up))
	}
	return reg.ByFaultType(arg)
}

// notFound reports an unknown code with the closest ones.
func notFound(reg *registry.Registry, arg string) error {
	var b strings.Builder
	if _, err := codes.Parse(strings.ToUpper(arg)); err != nil && !looksLikeFaultType(arg) {
		fmt.Fprintf(&b, "%v", err)
	} else {
		fmt.Fprintf(&b, "no entry for %q", arg)
	}
	if near := closest(reg, arg, 5); len(near) > 0 {
		b.WriteString("; closest:")
		for _, e := range near {
			fmt.Fprintf(&b, "\n  %s  %s", e.Code, e.FaultType)
		}
	}
	return fmt.Errorf("%s", b.String())
}

func looksLikeFaultType(s string) bool {
	return s != "" && !strings.ContainsAny(s, "- ")
}

// closest returns up to n entries nearest to arg: the nearest codes when
// arg reads as a code, else the best search results.
func closest(reg *registry.Registry, arg string, n int) []registry.Entry {
	if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(arg)), "GSS-") {
		res := reg.Search(arg)
		return res[:min(n, len(res))]
	}
	return reg.Nearest(arg, n)
}

func writeEntry(e *env, x registry.Entry, rows []releaseRow) error {
	w := newTable(e.stdout)
	retry := yesNo(x.Retryable)
	if x.RetryDelay > 0 {
		retry += fmt.Sprintf(" (after %v)", x.RetryDelay)
	}
	fmt.Fprintf(w, "%s\t%s\n", x.Code, x.FaultType)
	fmt.Fprintf(w, "  Retryable:\t%s\n", retry)
	fmt.Fprintf(w, "  Impact:\t%s\n", x.Impact)
	fmt.Fprintf(w, "  Action:\t%s\n", x.Action)
	fmt.Fprintf(w, "\t\n")
	fmt.Fprintf(w, "  Category:\t%s\n", x.Category)
	fmt.Fprintf(w, "  Component:\t%s\n", x.Component)
	fmt.Fprintf(w, "  Trigger:\t%s\n", x.Trigger)
	fmt.Fprintf(w, "  gRPC code:\t%s\n", x.GRPCCode)
	fmt.Fprintf(w, "  HTTP status:\t%d\n", httpStatusOf(x))
	fmt.Fprintf(w, "  Releases:\t%s\n", appliesText(rows))
	for i, g := range groupRows(rows) {
		label := ""
		if i == 0 {
			label = "HTTP by release:"
		}
		fmt.Fprintf(w, "  %s\t%s: %s\n", label, g.Range(), g.Cell)
	}
	if x.Source != "" {
		fmt.Fprintf(w, "  Source:\t%s\n", x.Source)
	}
	if x.DocRef != "" {
		fmt.Fprintf(w, "  Reference:\t%s\n", x.DocRef)
	}
	for i, c := range x.DebugCommands {
		label := ""
		if i == 0 {
			label = "Debug:"
		}
		fmt.Fprintf(w, "  %s\t$ %s\n", label, c)
	}
	if x.Rationale != "" {
		fmt.Fprintf(w, "  Why:\t%s\n", x.Rationale)
	}
	return w.Flush()
}
