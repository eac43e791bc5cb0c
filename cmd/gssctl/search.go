package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

func searchCmd() *command {
	return &command{
		name:  "search",
		args:  "QUERY [--json] [--limit N]",
		short: "find codes by words, typos allowed",
		long: `search ranks the catalog's entries for a free-text query over code,
fault type, component, trigger and action, best first. Words match
exactly, as prefixes, or with a typo ("timout"). A query starting with
GSS- is a code prefix (GSS-VSP-02, any case). No match exits 1 (with
--json, after printing []).`,
		flags: func(fs *flag.FlagSet) {
			fs.Bool("json", false, "print the matching entries as a JSON array")
			fs.Int("limit", 10, "print at most `N` entries (0 for all)")
		},
		run: runSearch,
	}
}

func runSearch(_ context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() == 0 {
		return badUsage("search needs a query")
	}
	limit := flagInt(fs, "limit")
	if limit < 0 {
		return badUsage("--limit must be 0 or more, got %d", limit)
	}
	reg, err := e.registry()
	if err != nil {
		return err
	}
	query := strings.Join(fs.Args(), " ")
	res := reg.Search(query)
	if limit > 0 && len(res) > limit {
		res = res[:limit]
	}
	return writeEntries(e, res, flagBool(fs, "json"), true, fmt.Errorf("no entry matches %q", query))
}
