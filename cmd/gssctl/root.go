package main

import "flag"

// root is the top of the command tree.
func root() *command {
	return &command{
		name: "gssctl",
		long: `gssctl describes and searches the GSS fault codes of gssfault's catalog,
writes and injects OpenAPI error schemas, validates a vSphere endpoint's
faults against the per-version HTTP table, and demonstrates classification
on govmomi's in-process vSphere simulator.`,
		flags: func(fs *flag.FlagSet) {
			fs.String("catalog", "", "use the catalog `FILE` (YAML or JSON, the registry format) instead of the built-in one")
		},
		setFlag: func(e *env, fs *flag.FlagSet) { e.catalog = flagString(fs, "catalog") },
		subs:    []*command{errorCmd(), openapiCmd(), validateCmd(), demoCmd(), docsCmd()},
	}
}

// errorCmd groups the catalog commands.
func errorCmd() *command {
	return &command{
		name:  "error",
		short: "describe, search and list fault codes",
		long:  "The error commands read the catalog offline; they need no network.",
		subs:  []*command{describeCmd(), searchCmd(), listCmd()},
	}
}
