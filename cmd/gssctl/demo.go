package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/vsphere"
)

func demoCmd() *command {
	return &command{
		name:  "demo",
		args:  "[--version V] [--rbacv2] [--json]",
		short: "provoke real vSphere faults on the embedded simulator and classify them",
		long: `demo starts govmomi's vSphere simulator (vcsim) in-process on loopback,
reporting the given vSphere version, makes real calls that fail (a bad
login, a missing object, a power-state conflict, a duplicate name, missing
files, a disconnected host, a failed task with a nested cause, vAPI 404 and
400 answers, injected NoPermission, TaskInProgress, PasswordExpired,
InvalidGuestLogin and CustomizationFault, a TLS verification failure, a
refused connection, a 503 and a deadline), and prints how each error is
classified: GSS code, fault type, retryable, impact, gRPC code and the HTTP
status for that version, with the certificate-verification and
namespace-quota features on (the statuses their faults have where they are
in use) and RBAC v2 as --rbacv2 says. It needs no network beyond loopback.`,
		flags: func(fs *flag.FlagSet) {
			fs.String("version", "8.0.3", "the vSphere `VERSION` the simulator reports (6.7.3, 7.0 U3, 8.0.3, ...)")
			fs.Bool("rbacv2", false, "map statuses as with vSphere 8.0 RBAC v2 enabled")
			fs.Bool("json", false, "print the rows as JSON")
		},
		run: runDemo,
	}
}

// demoRow is one provoked fault; its JSON form is stable.
type demoRow struct {
	Scenario   string `json:"scenario"`
	Operation  string `json:"operation"`
	Error      string `json:"govmomiError"`
	Code       string `json:"code"`
	FaultType  string `json:"faultType"`
	Retryable  bool   `json:"retryable"`
	Impact     string `json:"impact"`
	GRPCCode   string `json:"grpcCode"`
	HTTPStatus int    `json:"httpStatus"`
	Reported   string `json:"reportedAs,omitempty"`
	Subcode    string `json:"subcode,omitempty"`
	RequestID  string `json:"requestID,omitempty"`
}

type demoOutput struct {
	Version string    `json:"vsphereVersion"`
	Target  string    `json:"target"`
	Rows    []demoRow `json:"faults"`
}

func runDemo(ctx context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() != 0 {
		return badUsage("demo takes no arguments, got %q", fs.Args())
	}
	v, err := flagVersion(fs)
	if err != nil {
		return err
	}
	sim, err := vcsim.Start(vcsim.Options{Version: v.Dotted()})
	if err != nil {
		return err
	}
	defer sim.Close()
	defer vcsim.Quiet(sim)()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	s, err := sim.NewSession(ctx)
	if err != nil {
		return fmt.Errorf("connect to the simulator: %w", err)
	}
	vsphere.Instrument(&s.Client.Client.Client.Client)
	version, err := vsphere.VersionOf(s.Client.Client)
	if err != nil {
		return err
	}
	target := httpmap.Target{Version: version, RBACv2: flagBool(fs, "rbacv2"), CertificateVerification: true, NamespaceQuotas: true}
	out := demoOutput{Version: version.String(), Target: describeTarget(target)}
	for _, sc := range vcsim.Scenarios() {
		cctx, call := vsphere.Track(ctx)
		gerr := sc.Provoke(cctx, s)
		if vcsim.IsNoFault(gerr) {
			return fmt.Errorf("scenario %q: %w", sc.Name, gerr)
		}
		f, _ := faults.As(call.Classify(gerr))
		m := httpmap.Map(f, target)
		row := demoRow{
			Scenario: sc.Name, Operation: sc.Op, Error: gerr.Error(),
			Code: string(f.Code()), FaultType: f.FaultType(), Retryable: f.Retryable(), Impact: f.Impact().String(),
			GRPCCode: f.GRPCCode().String(), HTTPStatus: m.Status, Subcode: m.Subcode, RequestID: f.RequestID(),
		}
		if m.Fault != nil && m.Fault.Code() != f.Code() {
			row.Reported = string(m.Fault.Code()) + " " + m.Fault.FaultType()
		}
		out.Rows = append(out.Rows, row)
	}
	if flagBool(fs, "json") {
		return writeJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "vcsim (govmomi's vSphere simulator) reporting vSphere %s; HTTP statuses for %s\n\n", out.Version, out.Target)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tGOVMOMI ERROR\tCODE\tFAULT TYPE\tRETRY\tIMPACT\tGRPC\tHTTP")
	for _, r := range out.Rows {
		http := fmt.Sprint(r.HTTPStatus)
		if r.Reported != "" {
			http += " as " + strings.SplitN(r.Reported, " ", 2)[1]
		}
		if r.Subcode != "" {
			http += " (" + r.Subcode + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Scenario, oneLine(r.Error, 48), r.Code, r.FaultType,
			yesNo(r.Retryable), r.Impact, r.GRPCCode, http)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%d real calls failed; each error was classified by vsphere.Classify. Try: gssctl error describe %s\n", len(out.Rows), out.Rows[0].Code)
	return nil
}

func describeTarget(t httpmap.Target) string {
	var on []string
	if t.RBACv2 {
		on = append(on, "RBAC v2")
	}
	if t.CertificateVerification {
		on = append(on, "certificate verification")
	}
	if t.NamespaceQuotas {
		on = append(on, "namespace quotas")
	}
	s := "vSphere " + t.Version.String()
	switch len(on) {
	case 0:
	case 1:
		s += " with " + on[0]
	default:
		s += " with " + strings.Join(on[:len(on)-1], ", ") + " and " + on[len(on)-1]
	}
	return s
}

// oneLine shortens an error text to n bytes on one line.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	return truncate(s, n)
}
