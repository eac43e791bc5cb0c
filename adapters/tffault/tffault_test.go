package tffault_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/adapters/tffault"
	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
)

func TestDecide(t *testing.T) {
	notFound := faults.New(codes.NotFound, "vm 'web-1' not found")
	moNotFound := faults.New(codes.ManagedObjectNotFound, "vm-42 was deleted")
	fileNotFound := faults.New(codes.FileNotFound, "[ds1] web-1/web-1.vmx")
	busy := faults.New(codes.TaskInProgress, "")
	hostLost := faults.New(codes.HostCommunication, "")
	powerState := faults.New(codes.InvalidPowerState, "")
	// A NOT_FOUND status from a service that does not use gssfault.
	foreign, _ := faults.FromStatus(status.New(grpccodes.NotFound, "no such bucket"))

	for _, tc := range []struct {
		f    *faults.Error
		want map[tffault.Step]tffault.Disposition
	}{
		{nil, all(tffault.Done)},
		{notFound, steps(tffault.Fail, tffault.Remove, tffault.Fail, tffault.Remove)},
		{moNotFound, steps(tffault.Fail, tffault.Remove, tffault.Fail, tffault.Remove)},
		{fileNotFound, steps(tffault.Fail, tffault.Remove, tffault.Fail, tffault.Remove)},
		{foreign, steps(tffault.Fail, tffault.Remove, tffault.Fail, tffault.Remove)},
		{busy, all(tffault.Retry)},
		{hostLost, all(tffault.Retry)},
		{powerState, all(tffault.Fail)},
	} {
		for s, want := range tc.want {
			if got := tffault.Decide(s, tc.f); got != want {
				t.Errorf("Decide(%s, %v) = %s, want %s", s, tc.f, got, want)
			}
		}
	}
}

func all(d tffault.Disposition) map[tffault.Step]tffault.Disposition {
	return steps(d, d, d, d)
}

func steps(c, r, u, d tffault.Disposition) map[tffault.Step]tffault.Disposition {
	return map[tffault.Step]tffault.Disposition{tffault.Create: c, tffault.Read: r, tffault.Update: u, tffault.Delete: d}
}

// flaky returns a call that fails with fault the first n times, counting
// its calls.
func flaky(fault *faults.Error, n int, calls *int) func(context.Context) error {
	return func(context.Context) error {
		*calls++
		if *calls <= n {
			return fault
		}
		return nil
	}
}

// TestRun: each step retries what is safe for it, with the fault's delay,
// and reports the rest as diagnostics.
func TestRun(t *testing.T) {
	busy := faults.New(codes.TaskInProgress, "another task is running on vm-42").WithRequestID("req-7")
	hostLost := faults.New(codes.HostCommunication, "lost host esx-01")
	gone := faults.New(codes.ManagedObjectNotFound, "vm-42 was deleted").WithObject("VirtualMachine:vm-42")
	powerState := faults.New(codes.InvalidPowerState, "vm-42 is powered off")

	for _, tc := range []struct {
		name     string
		step     tffault.Step
		fault    *faults.Error
		failures int // how often the call fails before it succeeds
		want     tffault.Disposition
		calls    int
		severity diag.Severity // of the one diagnostic; 0: none
		summary  string
	}{
		{"create: TaskInProgress clears", tffault.Create, busy, 2, tffault.Done, 3, 0, ""},
		{"create: TaskInProgress persists", tffault.Create, busy, 9, tffault.Fail, 3, diag.SeverityError, "Create failed: GSS-VSP-014 TaskInProgress"},
		{"create: host lost, outcome unknown", tffault.Create, hostLost, 9, tffault.Fail, 1, diag.SeverityError, "Create failed: GSS-VSP-020 HostCommunication"},
		{"update: host lost, outcome unknown", tffault.Update, hostLost, 1, tffault.Fail, 1, diag.SeverityError, "Update failed: GSS-VSP-020 HostCommunication"},
		{"read: host lost clears", tffault.Read, hostLost, 2, tffault.Done, 3, 0, ""},
		{"delete: host lost clears", tffault.Delete, hostLost, 1, tffault.Done, 2, 0, ""},
		{"read: gone", tffault.Read, gone, 9, tffault.Remove, 1, diag.SeverityWarning, "Resource not found: GSS-VSP-006 ManagedObjectNotFound"},
		{"delete: gone", tffault.Delete, gone, 9, tffault.Remove, 1, diag.SeverityWarning, "Resource already deleted: GSS-VSP-006 ManagedObjectNotFound"},
		{"create: gone", tffault.Create, gone, 9, tffault.Fail, 1, diag.SeverityError, "Create failed: GSS-VSP-006 ManagedObjectNotFound"},
		{"update: power state", tffault.Update, powerState, 9, tffault.Fail, 1, diag.SeverityError, "Update failed: GSS-VSP-012 InvalidPowerState"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var waits []time.Duration
			p := tffault.Policy{Retry: faults.RetryPolicy{Sleep: func(_ context.Context, d time.Duration) error {
				waits = append(waits, d)
				return nil
			}}}
			var diags diag.Diagnostics
			calls := 0
			got := p.Run(context.Background(), tc.step, &diags, flaky(tc.fault, tc.failures, &calls))
			if got != tc.want || calls != tc.calls {
				t.Errorf("Run = %s after %d calls, want %s after %d", got, calls, tc.want, tc.calls)
			}
			for _, w := range waits {
				if w < tc.fault.RetryDelay() {
					t.Errorf("waited %v, less than the entry's delay %v", w, tc.fault.RetryDelay())
				}
			}
			if tc.severity == 0 {
				if len(diags) != 0 {
					t.Errorf("diagnostics %v, want none", diags)
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want 1: %v", len(diags), diags)
			}
			d := diags[0]
			if d.Severity() != tc.severity || d.Summary() != tc.summary {
				t.Errorf("diagnostic %s %q, want %s %q", d.Severity(), d.Summary(), tc.severity, tc.summary)
			}
			e := tc.fault.Entry()
			for _, want := range []string{tc.fault.Message(), "GSS code: " + string(e.Code) + " (" + e.FaultType, "Action: " + e.Action, "gssctl error describe " + string(e.Code)} {
				if !strings.Contains(d.Detail(), want) {
					t.Errorf("detail lacks %q:\n%s", want, d.Detail())
				}
			}
			if id := tc.fault.RequestID(); id != "" && !strings.Contains(d.Detail(), "Request ID: "+id) {
				t.Errorf("detail lacks the request ID:\n%s", d.Detail())
			}
			if calls > 1 && !strings.Contains(d.Detail(), fmt.Sprintf("after %d attempts", calls)) {
				t.Errorf("detail does not say how many attempts:\n%s", d.Detail())
			}
		})
	}
}

func TestIdempotentCreate(t *testing.T) {
	p := tffault.Policy{
		Retry:      faults.RetryPolicy{Sleep: func(context.Context, time.Duration) error { return nil }},
		Idempotent: func(tffault.Step) bool { return true },
	}
	calls := 0
	if err := p.Do(context.Background(), tffault.Create, flaky(faults.New(codes.HostCommunication, ""), 1, &calls)); err != nil || calls != 2 {
		t.Errorf("Do(idempotent create) = %v after %d calls, want success after 2", err, calls)
	}
}

func TestReportForeignError(t *testing.T) {
	var diags diag.Diagnostics
	p := tffault.Policy{Retry: faults.RetryPolicy{Policy: faults.Policy{Classifier: func(err error) (*faults.Error, bool) {
		if strings.Contains(err.Error(), "gone") {
			return faults.Wrap(err, codes.NotFound, "").(*faults.Error), true
		}
		return nil, false
	}}}}
	if d := p.Report(&diags, tffault.Read, errors.New("vm gone")); d != tffault.Remove || diags.WarningsCount() != 1 {
		t.Errorf("Report(classified NotFound) = %s, %v", d, diags)
	}
	diags = nil
	if d := p.Report(&diags, tffault.Read, errors.New("disk on fire")); d != tffault.Fail || diags.ErrorsCount() != 1 ||
		!strings.Contains(diags[0].Summary(), string(codes.MethodFault)) {
		t.Errorf("Report(unknown error) = %s, %v", d, diags)
	}
	if d := p.Report(nil, tffault.Read, nil); d != tffault.Done {
		t.Errorf("Report(nil) = %s", d)
	}
}

// vmResource is a real terraform-plugin-framework resource whose Read uses
// tffault on a lookup that the test controls.
type vmResource struct {
	faults tffault.Policy
	lookup func(ctx context.Context, id string) (string, error) // the power state
}

type vmModel struct {
	ID         types.String `tfsdk:"id"`
	PowerState types.String `tfsdk:"power_state"`
}

var _ resource.Resource = (*vmResource)(nil)

func (r *vmResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "vsphere_vm"
}

func (r *vmResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":          schema.StringAttribute{Required: true},
		"power_state": schema.StringAttribute{Computed: true},
	}}
}

func (r *vmResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (r *vmResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (r *vmResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (r *vmResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m vmModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	switch r.faults.Run(ctx, tffault.Read, &resp.Diagnostics, func(ctx context.Context) error {
		ps, err := r.lookup(ctx, m.ID.ValueString())
		m.PowerState = types.StringValue(ps)
		return err
	}) {
	case tffault.Remove:
		resp.State.RemoveResource(ctx)
	case tffault.Done:
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// read runs r's Read on a state holding VM id, as the framework does.
func read(t *testing.T, r *vmResource, id string) *resource.ReadResponse {
	t.Helper()
	ctx := context.Background()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	raw := tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":          tftypes.NewValue(tftypes.String, id),
		"power_state": tftypes.NewValue(tftypes.String, "poweredOn"),
	})
	st := tfsdk.State{Schema: sr.Schema, Raw: raw}
	resp := &resource.ReadResponse{State: st}
	r.Read(ctx, resource.ReadRequest{State: st}, resp)
	return resp
}

// TestReadRemovesFromState: with the framework's own types, a VM deleted
// outside Terraform leaves the state with a warning, a passing fault is
// retried, and a permission fault keeps the state with an error.
func TestReadRemovesFromState(t *testing.T) {
	noSleep := faults.RetryPolicy{Sleep: func(context.Context, time.Duration) error { return nil }}
	fails := 0
	r := &vmResource{faults: tffault.Policy{Retry: noSleep}, lookup: func(_ context.Context, id string) (string, error) {
		switch id {
		case "vm-gone":
			return "", faults.New(codes.ManagedObjectNotFound, "vm-gone was deleted").WithRequestID("req-9")
		case "vm-flaky":
			if fails++; fails < 2 {
				return "", faults.New(codes.HostCommunication, "lost host esx-01")
			}
		case "vm-denied":
			return "", faults.New(codes.NoPermission, "System.Read on vm-denied")
		}
		return "poweredOff", nil
	}}

	resp := read(t, r, "vm-gone")
	if !resp.State.Raw.IsNull() {
		t.Errorf("state after Read of a deleted VM = %v, want removed (null)", resp.State.Raw)
	}
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(resp.Diagnostics[0].Summary(), "GSS-VSP-006") || !strings.Contains(resp.Diagnostics[0].Detail(), "Request ID: req-9") {
		t.Errorf("diagnostics = %v, want one warning naming GSS-VSP-006 and req-9", resp.Diagnostics)
	}

	resp = read(t, r, "vm-flaky")
	var m vmModel
	resp.State.Get(context.Background(), &m)
	if resp.Diagnostics.HasError() || m.PowerState.ValueString() != "poweredOff" || fails != 2 {
		t.Errorf("Read(vm-flaky) = %v, %v after %d lookups; want poweredOff after 2", m.PowerState, resp.Diagnostics, fails)
	}

	resp = read(t, r, "vm-denied")
	if resp.State.Raw.IsNull() || resp.Diagnostics.ErrorsCount() != 1 ||
		resp.Diagnostics[0].Summary() != "Read failed: GSS-VSP-004 NoPermission" {
		t.Errorf("Read(vm-denied): state null %t, diagnostics %v; want the state kept and one error", resp.State.Raw.IsNull(), resp.Diagnostics)
	}
}

func TestStrings(t *testing.T) {
	if got := tffault.Step(9).String(); got != "step(9)" {
		t.Errorf("Step(9) = %q", got)
	}
	if got := tffault.Disposition(9).String(); got != "disposition(9)" {
		t.Errorf("Disposition(9) = %q", got)
	}
}
