// Command gssctl describes, searches and finds GSS fault codes, renders the
// catalog as a reference page, works with OpenAPI error schemas, validates
// vSphere endpoints and demonstrates gssfault on govmomi's in-process
// vSphere simulator.
//
// Usage:
//
//	gssctl <command> [arguments] [--catalog FILE]
//
// Run gssctl help for the commands. Errors go to stderr. The exit status is
// 0 on success, 1 when a command finds nothing (describe, search, list,
// match) or a check fails (validate), and 2 for a usage error or a command
// that could not run (unreadable input, a bad catalog, a network failure).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second interrupt or SIGTERM kills at once
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK       = 0
	exitNoResult = 1 // nothing found, or a check failed
	exitError    = 2 // usage error, or the command could not run
)

// run executes one gssctl invocation and returns its exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := root().Run(ctx, &env{stdin: stdin, stdout: stdout, stderr: stderr}, args)
	var ue *usageError
	var nr *noResultError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "gssctl: %s\n", sanitizeLines(ue.err.Error()))
		if ue.usage != "" {
			fmt.Fprintf(stderr, "%s", ue.usage)
		}
		return exitError
	case errors.As(err, &nr):
		if nr.err != nil {
			fmt.Fprintf(stderr, "gssctl: %s\n", sanitizeLines(nr.err.Error()))
		}
		return exitNoResult
	default: // error text may hold what a server or a file said: no control characters
		fmt.Fprintf(stderr, "gssctl: %s\n", sanitizeLines(err.Error()))
		return exitError
	}
}
