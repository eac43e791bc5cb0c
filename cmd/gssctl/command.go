package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere/release"
)

// env is what every command gets: where to read and write, and the global
// options.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	catalog        string // --catalog file ("-" for standard input), or "" for the built-in catalog
	reg            *registry.Registry
}

// registry returns the catalog the command works on, loaded once.
func (e *env) registry() (*registry.Registry, error) {
	if e.reg != nil {
		return e.reg, nil
	}
	if e.catalog == "" {
		e.reg = registry.Default()
		return e.reg, nil
	}
	f, name, err := e.open(e.catalog)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := registry.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	e.reg = r
	return r, nil
}

// open opens a file argument; "-" is standard input. name is what error
// messages call it.
func (e *env) open(path string) (rc io.ReadCloser, name string, err error) {
	if path == "-" {
		return io.NopCloser(e.stdin), "standard input", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, path, err
	}
	return f, path, nil
}

// readAll reads a file argument ("-" for standard input) of at most max
// bytes; a larger one is an error naming the limit.
func (e *env) readAll(path string, max int64) ([]byte, error) {
	f, name, err := e.open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, max)
	}
	return b, nil
}

// command is one node of the command tree: a group with subcommands, or a
// leaf with a run function. Each leaf has its own FlagSet.
type command struct {
	name    string
	args    string                 // argument synopsis, e.g. "CODE"
	short   string                 // one line for the parent's list
	long    string                 // help text
	flags   func(fs *flag.FlagSet) // registers the command's flags
	run     func(ctx context.Context, e *env, fs *flag.FlagSet) error
	subs    []*command
	setFlag func(e *env, fs *flag.FlagSet) // root only: copy global flags
	path    string
}

// usageError is a mistake in how gssctl was called: exit status 2, with
// the command's short usage.
type usageError struct {
	err   error
	usage string
}

func (u *usageError) Error() string { return u.err.Error() }

// noResultError is a command that ran and found nothing, or a check that
// failed: exit status 1. err, when not nil, is printed.
type noResultError struct{ err error }

func (n *noResultError) Error() string {
	if n.err == nil {
		return "no result"
	}
	return n.err.Error()
}

// noResult returns the error for "nothing found"; err may be nil when the
// command has already said so.
func noResult(err error) error { return &noResultError{err: err} }

func usagef(c *command, format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...), usage: c.shortUsage()}
}

// badUsage is the usage error a run function returns; [command.Run] adds
// the command's short usage to it.
func badUsage(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// shortUsage is what a usage error shows: the synopsis and where the help
// is.
func (c *command) shortUsage() string {
	var b strings.Builder
	b.WriteString(c.synopsis() + "\n")
	if c.run == nil {
		names := make([]string, len(c.subs))
		for i, s := range c.subs {
			names[i] = s.name
		}
		fmt.Fprintf(&b, "Commands: %s\n", strings.Join(names, ", "))
	}
	fmt.Fprintf(&b, "Run '%s --help' for help.\n", c.path)
	return b.String()
}

// synopsis is the usage line: "Usage: gssctl error describe CODE ...".
func (c *command) synopsis() string {
	switch {
	case c.run == nil:
		return "Usage: " + c.path + " <command> [arguments]"
	case c.args != "":
		return "Usage: " + c.path + " " + c.args
	}
	return "Usage: " + c.path
}

// usage is the full help.
func (c *command) usage() string {
	var b strings.Builder
	b.WriteString(c.synopsis() + "\n\n")
	if c.long != "" {
		b.WriteString(strings.TrimSpace(c.long))
		b.WriteString("\n\n")
	}
	if len(c.subs) > 0 {
		b.WriteString("Commands:\n")
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, s := range c.subs {
			fmt.Fprintf(tw, "  %s\t%s\n", s.name, s.short)
		}
		tw.Flush()
		fmt.Fprintf(&b, "\nRun '%s <command> --help' for a command's help.\n", c.path)
	}
	fs := c.flagSet()
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		if len(c.subs) > 0 {
			b.WriteString("\n")
		}
		b.WriteString("Flags:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
	}
	return b.String()
}

func (c *command) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet(c.path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if c.flags != nil {
		c.flags(fs)
	}
	return fs
}

// Run parses args for c and runs it or the subcommand they name. At the
// top, the global flags (the root's) are taken from anywhere on the line
// before a "--".
func (c *command) Run(ctx context.Context, e *env, args []string) error {
	if c.path == "" {
		c.path = c.name
	}
	for _, s := range c.subs {
		s.path = c.path + " " + s.name
	}
	fs := c.flagSet()
	if c.setFlag != nil {
		args = hoist(fs, args)
	}
	if err := fs.Parse(interleave(fs, args, c.run == nil)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return writeOut(e.stdout, c.usage())
		}
		return usagef(c, "%v", err)
	}
	if c.setFlag != nil {
		c.setFlag(e, fs)
	}
	if c.run != nil {
		err := c.run(ctx, e, fs)
		if ue, ok := err.(*usageError); ok && ue.usage == "" {
			ue.usage = c.shortUsage()
		}
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return usagef(c, "missing command")
	}
	if rest[0] == "help" {
		return writeOut(e.stdout, c.usage())
	}
	for _, s := range c.subs {
		if s.name == rest[0] {
			return s.Run(ctx, e, rest[1:])
		}
	}
	return usagef(c, "unknown command %q", rest[0])
}

// hoist moves the flags fs defines (the global ones) and their values to
// the front, from anywhere before a "--", so that "gssctl error list
// --catalog x" works like "gssctl --catalog x error list".
func hoist(fs *flag.FlagSet, args []string) []string {
	var global, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if len(a) < 2 || a[0] != '-' || f == nil || name == "help" || name == "h" {
			rest = append(rest, a)
			continue
		}
		global = append(global, a)
		if !hasValue && !isBool(f) && i+1 < len(args) {
			i++
			global = append(global, args[i])
		}
	}
	return append(global, rest...)
}

// interleave moves flags that follow positional arguments in front of them,
// so that "describe GSS-VSP-023 --json" works like "describe --json
// GSS-VSP-023". Group commands keep their arguments in order, since the
// first positional argument is a subcommand with flags of its own.
func interleave(fs *flag.FlagSet, args []string, group bool) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" { // what follows is positional, even if it starts with '-'
			return append(append(append(flags, "--"), pos...), args[i+1:]...)
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if j := strings.IndexByte(name, '='); j >= 0 {
				continue
			}
			if f := fs.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
			continue
		}
		if group { // stop at the subcommand name
			return append(append(flags, a), args[i+1:]...)
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// flag accessors for run functions, which get the parsed FlagSet.
func flagString(fs *flag.FlagSet, name string) string { return fs.Lookup(name).Value.String() }

// flagVersion parses the --version flag; a bad one is a usage error.
func flagVersion(fs *flag.FlagSet) (release.Version, error) {
	v, err := release.Parse(flagString(fs, "version"))
	if err != nil {
		return 0, badUsage("--version: %v", err)
	}
	return v, nil
}

func flagBool(fs *flag.FlagSet, name string) bool {
	return fs.Lookup(name).Value.(flag.Getter).Get().(bool)
}

func flagInt(fs *flag.FlagSet, name string) int {
	return fs.Lookup(name).Value.(flag.Getter).Get().(int)
}
