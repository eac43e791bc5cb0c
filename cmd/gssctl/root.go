package main

import "flag"

// root is the top of the command tree.
func root() *command {
	return &command{
		name: "gssctl",
		long: `gssctl describes and searches the GSS fault codes of gssfault's catalog,
finds the faults in logs and error bodies, renders the catalog as a
reference page, writes, injects and previews OpenAPI error schemas,
validates a vSphere endpoint's faults against the per-version HTTP table,
and demonstrates classification on govmomi's in-process vSphere simulator.

Global flags (--catalog) may be given anywhere on the line. "-" is standard
input for --catalog, error match and openapi preview.

Exit status: 0 on success; 1 when a command finds nothing (describe,
search, list, match) or a check fails (validate); 2 for a usage error or
when a command cannot run (unreadable input, a bad catalog, a network
failure).`,
		flags: func(fs *flag.FlagSet) {
			fs.String("catalog", "", "use the catalog `FILE` (YAML or JSON, the registry format; - for standard input) instead of the built-in one")
		},
		setFlag: func(e *env, fs *flag.FlagSet) { e.catalog = flagString(fs, "catalog") },
		subs:    []*command{errorCmd(), catalogCmd(), openapiCmd(), validateCmd(), demoCmd(), versionCmd(), docsCmd()},
	}
}

// errorCmd groups the catalog commands.
func errorCmd() *command {
	return &command{
		name:  "error",
		short: "describe, search, list and match fault codes",
		long:  "The error commands read the catalog offline; they need no network.",
		subs:  []*command{describeCmd(), searchCmd(), listCmd(), matchCmd()},
	}
}
