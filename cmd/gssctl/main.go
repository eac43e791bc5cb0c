// Command gssctl describes and searches GSS fault codes, works with OpenAPI
// error schemas, validates vSphere endpoints and demonstrates gssfault on
// govmomi's in-process vSphere simulator.
//
// Usage:
//
//	gssctl [--catalog FILE] <command> [arguments]
//
// Run gssctl help for the commands. Errors go to stderr; the exit status is
// 0 on success, 1 on failure and 2 for a usage error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one gssctl invocation and returns its exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := root().Run(ctx, &env{stdout: stdout, stderr: stderr}, args)
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "gssctl: %v\n", ue.err)
		if ue.usage != "" {
			fmt.Fprintf(stderr, "\n%s", ue.usage)
		}
		return 2
	case errors.Is(err, errSilent):
		return 1
	default:
		fmt.Fprintf(stderr, "gssctl: %v\n", err)
		return 1
	}
}
