package main

import (
	"context"
	"flag"
	"fmt"
	"runtime/debug"
	"strings"
)

func versionCmd() *command {
	return &command{
		name:  "version",
		short: "print gssctl's module version",
		long: `version prints the module version gssctl was built from ("(devel)" for
a build from a source tree), the Go version and, when the build recorded
it, the source revision.`,
		run: func(_ context.Context, e *env, fs *flag.FlagSet) error {
			if fs.NArg() != 0 {
				return badUsage("version takes no arguments")
			}
			return writeOut(e.stdout, versionText(debug.ReadBuildInfo()))
		},
	}
}

func versionText(bi *debug.BuildInfo, ok bool) string {
	v := "(devel)"
	if ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	var b strings.Builder
	fmt.Fprintf(&b, "gssctl %s\n", v)
	if !ok {
		return b.String()
	}
	fmt.Fprintf(&b, "go: %s\n", bi.GoVersion)
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		if modified == "true" {
			rev += " (modified)"
		}
		fmt.Fprintf(&b, "revision: %s\n", rev)
	}
	return b.String()
}
