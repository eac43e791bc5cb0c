package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/openapi"
)

func openapiCmd() *command {
	return &command{
		name:  "openapi",
		short: "write the Error schema, inject typed error responses into a spec",
		subs:  []*command{schemaCmd(), injectCmd(), previewCmd()},
	}
}

func schemaCmd() *command {
	return &command{
		name:  "schema",
		short: "print the components.schemas gssfault adds (Error and the detail schemas)",
		long:  `schema prints, as YAML, the schemas openapi inject adds under components.schemas.`,
		run: func(_ context.Context, e *env, fs *flag.FlagSet) error {
			if fs.NArg() != 0 {
				return badUsage("schema takes no arguments")
			}
			doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: "components"},
				{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "schemas"}, openapi.Components()}},
			}}
			enc := yaml.NewEncoder(e.stdout)
			enc.SetIndent(2)
			if err := enc.Encode(doc); err != nil {
				return err
			}
			return enc.Close()
		},
	}
}

func injectCmd() *command {
	return &command{
		name:  "inject",
		args:  "SPEC [-o OUT] [--mapping FILE] [--version V]",
		short: "add typed 4xx/5xx responses to every operation of an OpenAPI 3 document",
		long: `inject reads an OpenAPI 3 document (YAML or JSON) and writes it with the
Error schemas added and, for every operation without x-ignore-errors, the
error responses its codes map to (all codes, or the operation's x-gss-codes),
each referencing the Error schema with an example. Existing responses,
comments and key order are kept. Statuses follow the per-version table for
--version; --mapping replaces the catalog's mapping with a mapping file.`,
		flags: func(fs *flag.FlagSet) {
			fs.String("o", "", "write to `OUT` instead of standard output")
			fs.String("mapping", "", "read the code -> status -> schema mapping from `FILE`")
			fs.String("version", "8.0.3", "the vSphere `VERSION` the statuses are for")
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
	in, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	o := openapi.Options{Registry: reg, Target: httpmap.Target{Version: v, CertificateVerification: true, NamespaceQuotas: true}}
	if p := flagString(fs, "mapping"); p != "" {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if o.Mapping, err = openapi.ParseMapping(f); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	out, err := openapi.Inject(in, o)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	if p := flagString(fs, "o"); p != "" {
		return os.WriteFile(p, out, 0o644)
	}
	_, err = e.stdout.Write(out)
	return err
}
