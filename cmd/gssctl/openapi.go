package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/openapi"
	"github.com/gssfault/gssfault/registry"
)

func openapiCmd() *command {
	return &command{
		name:  "openapi",
		short: "write the error schemas, inject typed error responses into a spec, check or preview a spec",
		subs:  []*command{schemaCmd(), injectCmd(), checkCmd(), previewCmd()},
	}
}

func schemaCmd() *command {
	return &command{
		name:  "schema",
		args:  "[--swagger]",
		short: "print the schemas gssfault adds (GssfaultError, the detail schemas, GssfaultProblem)",
		long: `schema prints, as YAML, the schemas openapi inject adds: under
components.schemas for OpenAPI 3, or under definitions with --swagger
(Swagger 2.0, what protoc-gen-openapiv2 writes).`,
		flags: func(fs *flag.FlagSet) {
			fs.Bool("swagger", false, "print Swagger 2.0 definitions instead of OpenAPI 3 components")
		},
		run: func(_ context.Context, e *env, fs *flag.FlagSet) error {
			if fs.NArg() != 0 {
				return badUsage("schema takes no arguments")
			}
			key := &yaml.Node{Kind: yaml.ScalarNode, Value: "components"}
			var body *yaml.Node
			if flagBool(fs, "swagger") {
				key.Value = "definitions"
				body = openapi.Components(openapi.Swagger2)
			} else {
				body = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
					{Kind: yaml.ScalarNode, Value: "schemas"}, openapi.Components(openapi.OpenAPI3)}}
			}
			enc := yaml.NewEncoder(e.stdout)
			enc.SetIndent(2)
			if err := enc.Encode(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{key, body}}); err != nil {
				return err
			}
			return enc.Close()
		},
	}
}

func injectCmd() *command {
	return &command{
		name:  "inject",
		args:  "SPEC [-o OUT] [--codes FILE] [--domain D] [--all] [--mapping FILE] [--version V] [--rbacv2] [--namespace-quotas] [--cert-verification] [--problem]",
		short: "add typed 4xx/5xx responses to the operations of an OpenAPI 3 or Swagger 2.0 document",
		long: `inject reads an OpenAPI 3.x or Swagger 2.0 document (YAML or JSON; SPEC "-"
is standard input) and writes it in the same form with gssfault's error
schemas added (GssfaultError and its details; a schema the document already
has, its own Error included, is never replaced) and, for every operation
without x-ignore-errors, a typed response for each status its GSS codes map
to. Each response lists its codes in x-gss-codes and its description, and
has one example per code: the body gssfault writes for that fault.

An operation's codes are its x-gss-codes if it has them; else those a
--codes file (written by gssfault's protoc plugin) gives its operationId;
else, with --all, every code; else the default scope: authentication,
authorization, availability, network and internal faults on every
operation, NotFound faults when the path has a parameter, validation and
state faults on POST, PUT, PATCH and DELETE, AlreadyExists on POST and PUT.
--domain keeps only codes of the given domains (VSP, NSX, TKG; comma
separated).

Statuses follow the per-version table for --version and the feature
switches, which are off unless given. --mapping replaces the catalog's
code -> status -> schema mapping with a mapping file. --problem adds
application/problem+json bodies (RFC 9457, OpenAPI 3 only).

Existing responses, comments, key order, anchors and JSON numbers are
kept; responses an alias or merge key brings in are extended, never
overridden. Running inject on its own output changes nothing. A YAML
stream of several documents is refused (only one could be written back).
Existing block sequences are re-indented the way the YAML encoder writes
them; nothing in them changes.

-o writes atomically (a temporary file in the same directory, then a
rename) and keeps the permissions of the file it replaces; a new file gets
the input's. SPEC may be at most 64 MiB.`,
		flags: func(fs *flag.FlagSet) {
			fs.String("o", "", "write to `OUT` instead of standard output (OUT may be SPEC)")
			fs.String("mapping", "", "read the code -> status -> schema mapping from `FILE`")
			fs.String("codes", "", "read the codes of each operationId from the codes `FILE` of gssfault's protoc plugin")
			fs.String("domain", "", "keep only codes of the `DOMAINS`, comma separated (VSP, NSX, TKG)")
			fs.Bool("all", false, "give operations that name no codes every code of the catalog, not the default scope")
			fs.String("version", "8.0.3", "the vSphere `VERSION` the statuses are for")
			fs.Bool("rbacv2", false, "vSphere 8.0 RBAC v2 is enabled (NoPermission is 403, not 401, on 8.0 GA)")
			fs.Bool("namespace-quotas", false, "vSphere with Tanzu namespace quotas apply (QuotaExceeded is 422 from 8.0.2)")
			fs.Bool("cert-verification", false, "the endpoint verifies certificates (CertificateVerificationFailed from 7.0 U1)")
			fs.Bool("problem", false, "also describe RFC 9457 application/problem+json bodies (OpenAPI 3 only)")
		},
		run: runInject,
	}
}

func runInject(_ context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() != 1 {
		return badUsage("inject takes one SPEC file")
	}
	v, err := flagVersion(fs)
	if err != nil {
		return err
	}
	reg, err := e.registry()
	if err != nil {
		return err
	}
	domains, err := flagDomains(fs, reg)
	if err != nil {
		return err
	}
	spec := fs.Arg(0)
	in, perm, err := e.readSpec(spec)
	if err != nil {
		return err
	}
	o := openapi.Options{
		Registry: reg,
		Target: httpmap.Target{Version: v, RBACv2: flagBool(fs, "rbacv2"),
			NamespaceQuotas: flagBool(fs, "namespace-quotas"), CertificateVerification: flagBool(fs, "cert-verification")},
		Domains:  domains,
		AllCodes: flagBool(fs, "all"),
		Problem:  flagBool(fs, "problem"),
		Progress: progress(e.stderr),
	}
	if p := flagString(fs, "mapping"); p != "" {
		if o.Mapping, err = readWith(p, openapi.ParseMapping); err != nil {
			return err
		}
	}
	if p := flagString(fs, "codes"); p != "" {
		f, err := readWith(p, openapi.ReadCodesFile)
		if err != nil {
			return err
		}
		o.OperationCodes = f.ByOperationID()
	}
	out, err := openapi.Inject(in, o)
	if err != nil {
		return fmt.Errorf("%s: %w", spec, err)
	}
	if p := flagString(fs, "o"); p != "" {
		return writeAtomic(p, out, perm)
	}
	_, err = e.stdout.Write(out)
	return err
}

// flagDomains parses --domain: comma-separated domains, each of which
// some code of the catalog has.
func flagDomains(fs *flag.FlagSet, reg *registry.Registry) ([]codes.Domain, error) {
	s := flagString(fs, "domain")
	if s == "" {
		return nil, nil
	}
	var known []string
	for _, e := range reg.All() {
		if d := string(e.Code.Domain()); !slices.Contains(known, d) {
			known = append(known, d)
		}
	}
	slices.Sort(known)
	var out []codes.Domain
	for _, d := range strings.Split(s, ",") {
		d = strings.ToUpper(strings.TrimSpace(d))
		if !slices.Contains(known, d) {
			return nil, badUsage("--domain: no code of the catalog is in domain %q (domains: %s)", d, strings.Join(known, ", "))
		}
		out = append(out, codes.Domain(d))
	}
	return out, nil
}

// readWith opens a file and parses it with parse, naming the file in an
// error.
func readWith[T any](path string, parse func(io.Reader) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	v, err := parse(f)
	if err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

func checkCmd() *command {
	return &command{
		name:  "check",
		args:  "SPEC [--json]",
		short: "validate a spec and list operations without typed error responses (for CI)",
		long: `check validates an OpenAPI 3.x document with kin-openapi, or a Swagger 2.0
document against the official Swagger 2.0 JSON Schema (plus its local $refs),
and lists the operations that have no typed error response: no 4xx or 5xx
response with a body schema (a default response alone does not count;
operations with x-ignore-errors are listed apart). SPEC "-" is standard
input.

Exit status: 0 when the document is valid and every operation is typed,
1 when it is invalid or some operation is untyped, 2 for a usage error or
a SPEC that cannot be read or parsed. --json prints the report as JSON (format, valid,
errors, operations, typed, ignored, untyped).`,
		flags: func(fs *flag.FlagSet) {
			fs.Bool("json", false, "print the report as JSON")
		},
		run: runCheck,
	}
}

func runCheck(_ context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() != 1 {
		return badUsage("check takes one SPEC file")
	}
	spec := fs.Arg(0)
	in, _, err := e.readSpec(spec)
	if err != nil {
		return err
	}
	r, err := openapi.Check(in)
	if err != nil {
		return fmt.Errorf("%s: %w", spec, err)
	}
	if flagBool(fs, "json") {
		if err := writeJSON(e.stdout, r); err != nil {
			return err
		}
	} else {
		writeReport(e.stdout, spec, r)
	}
	if !r.OK() {
		return noResult(nil)
	}
	return nil
}

func writeReport(w io.Writer, spec string, r openapi.Report) {
	valid := "valid"
	if !r.Valid {
		valid = "INVALID"
	}
	// What the document says (paths, validator messages quoting it) is
	// escaped, as everything gssctl prints from outside.
	fmt.Fprintf(w, "%s: %s, %s; %d operations, %d typed, %d untyped, %d ignored (x-ignore-errors)\n",
		sanitize(spec), r.Format, valid, r.Operations, r.Typed, len(r.Untyped), len(r.Ignored))
	for _, msg := range r.Errors {
		lines := strings.Split(strings.TrimSpace(msg), "\n")
		for i := range lines {
			lines[i] = sanitize(lines[i])
		}
		fmt.Fprintf(w, "invalid: %s\n", strings.Join(lines, "\n  "))
	}
	for _, op := range r.Untyped {
		fmt.Fprintf(w, "untyped: %s\n", sanitize(op.String()))
	}
}
