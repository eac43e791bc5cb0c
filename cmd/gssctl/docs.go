package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

func docsCmd() *command {
	return &command{
		name:  "docs",
		short: "print the command reference as Markdown (make generate writes docs/gssctl.md)",
		run: func(_ context.Context, e *env, fs *flag.FlagSet) error {
			if fs.NArg() != 0 {
				return badUsage("docs takes no arguments")
			}
			fmt.Fprint(e.stdout, "# gssctl command reference\n\nGenerated from the commands' help text by `make generate`; do not edit.\n")
			writeDocs(e.stdout, root(), "gssctl")
			return nil
		},
	}
}

// writeDocs writes the help of c and of every command below it.
func writeDocs(w io.Writer, c *command, path string) {
	c.path = path
	fmt.Fprintf(w, "\n## %s\n\n```text\n%s```\n", path, strings.TrimRight(c.usage(), "\n")+"\n")
	for _, s := range c.subs {
		writeDocs(w, s, path+" "+s.name)
	}
}
