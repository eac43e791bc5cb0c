package main

import (
	"context"
	"errors"
	"flag"
	"strings"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

func listCmd() *command {
	return &command{
		name:  "list",
		args:  "[--domain D] [--category C] [--retryable] [--json]",
		short: "list codes, filtered",
		long: `list prints the catalog's entries in code order, optionally filtered.
No entry left after the filters exits 1 (with --json, after printing []).`,
		flags: func(fs *flag.FlagSet) {
			fs.String("domain", "", "only codes of domain `D` (VSP, NSX, TKG, ...; any case)")
			fs.String("category", "", "only entries of category `C` (authentication, state, ...; any case)")
			fs.Bool("retryable", false, "only retryable entries")
			fs.Bool("json", false, "print the entries as a JSON array")
		},
		run: runList,
	}
}

func runList(_ context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() != 0 {
		return badUsage("list takes no arguments, got %q", fs.Args())
	}
	domain := codes.Domain(strings.ToUpper(flagString(fs, "domain")))
	var cat codes.Category
	if s := flagString(fs, "category"); s != "" {
		c, err := codes.ParseCategory(s)
		if err != nil {
			return badUsage("--category: %v", err)
		}
		cat = c
	}
	reg, err := e.registry()
	if err != nil {
		return err
	}
	var out []registry.Entry
	for _, x := range reg.All() {
		if domain != "" && x.Code.Domain() != domain ||
			cat != 0 && x.Category != cat ||
			flagBool(fs, "retryable") && !x.Retryable {
			continue
		}
		out = append(out, x)
	}
	return writeEntries(e, out, flagBool(fs, "json"), false, errors.New("no entry matches the filters"))
}
