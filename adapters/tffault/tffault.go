// Package tffault tells a Terraform provider built on
// terraform-plugin-framework what to do with a fault at each step of a
// resource's life, and reports it as diagnostics that carry the GSS code,
// the catalog's action and the request ID.
//
// The disposition of a fault depends on the step (Decide):
//   - Read: a fault of the NotFound class (gRPC NOT_FOUND: NotFound,
//     ManagedObjectNotFound, FileNotFound, ...) means the object was deleted
//     outside Terraform: warn and remove the resource from the state, so the
//     next plan creates it again.
//   - Delete: the same faults mean there is nothing left to delete: warn and
//     succeed.
//   - Any step: a retryable fault is retried with faults.Retry, waiting the
//     entry's delay (or the server's), as far as the step is safe to repeat
//     (Policy.Idempotent: by default Read and Delete; Create and Update only
//     when vSphere refused the call before acting, as with TaskInProgress).
//   - Anything else fails the step with an error diagnostic.
//
// In a resource:
//
//	func (r *vmResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
//		...
//		switch r.faults.Run(ctx, tffault.Read, &resp.Diagnostics, func(ctx context.Context) error {
//			return r.readVM(ctx, &state)
//		}) {
//		case tffault.Remove:
//			resp.State.RemoveResource(ctx)
//		case tffault.Done:
//			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
//		}
//	}
//
// with r.faults a tffault.Policy whose Retry.Policy.Classifier is
// vsphere.FromError, so govmomi's errors become faults.
package tffault

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/faults"
)

// Step is one step of a Terraform resource's life.
type Step uint8

// The steps.
const (
	Create Step = iota + 1
	Read
	Update
	Delete
)

// String returns the step's name in lower case ("create"), or "step(N)" for
// a value that is not a step.
func (s Step) String() string {
	switch s {
	case Create:
		return "create"
	case Read:
		return "read"
	case Update:
		return "update"
	case Delete:
		return "delete"
	}
	return fmt.Sprintf("step(%d)", uint8(s))
}

// Disposition is what a resource does with the outcome of a step.
type Disposition uint8

// The dispositions.
const (
	// Done: no error; the step succeeded.
	Done Disposition = iota
	// Fail: the step failed; an error diagnostic says why.
	Fail
	// Retry: repeat the step's calls (Decide only; Run and Do retry
	// themselves and never return it).
	Retry
	// Remove: the object is gone. On Read, remove the resource from the
	// state; on Delete, there is nothing left to do. A warning says so.
	Remove
)

// String returns the disposition's name in lower case ("remove").
func (d Disposition) String() string {
	switch d {
	case Done:
		return "done"
	case Fail:
		return "fail"
	case Retry:
		return "retry"
	case Remove:
		return "remove"
	}
	return fmt.Sprintf("disposition(%d)", uint8(d))
}

// Decide returns the disposition of fault f at step s (see the package
// documentation): Done for a nil f; Remove for a fault whose gRPC code is
// NOT_FOUND at Read or Delete; Retry for a retryable fault; else Fail. Whether
// a retry is safe for the step is the caller's question (Policy.Idempotent);
// Do and Run ask it.
func Decide(s Step, f *faults.Error) Disposition {
	switch {
	case f == nil:
		return Done
	case (s == Read || s == Delete) && f.GRPCCode() == grpccodes.NotFound:
		return Remove
	case f.Retryable():
		return Retry
	}
	return Fail
}

// Policy is how a resource handles faults. The zero Policy retries up to 3
// attempts with faults.Retry's defaults, reads errors that are not faults
// yet as the catch-all, and treats Read and Delete as safe to repeat.
type Policy struct {
	// Retry is how Do retries: attempts, backoff, the cap on a fault's
	// delay. Its Policy.Classifier turns the errors of the calls into
	// faults: set it to vsphere.FromError for govmomi calls. Its Idempotent
	// and Retryable fields are set by Do for each step.
	Retry faults.RetryPolicy

	// Idempotent reports whether the calls of a step may be repeated
	// whatever a failed attempt did (then every retryable fault is
	// retried); nil means Read and Delete. For other steps only faults
	// that mean vSphere refused the call before acting (gRPC ABORTED, as
	// TaskInProgress) are retried: a Create that timed out may have created
	// the object.
	Idempotent func(Step) bool
}

func (p Policy) idempotent(s Step) bool {
	if p.Idempotent != nil {
		return p.Idempotent(s)
	}
	return s == Read || s == Delete
}

// Do runs fn, the calls of step s, and retries it with faults.Retry while
// Decide says Retry and the step is safe to repeat (see Policy.Idempotent).
// It returns nil on success, else the last attempt's fault (a
// *faults.RetryError holding it when more than one attempt was made).
func (p Policy) Do(ctx context.Context, s Step, fn func(context.Context) error) error {
	rp := p.Retry
	retryable := rp.Retryable
	rp.Retryable = func(f *faults.Error) bool {
		return Decide(s, f) == Retry && (retryable == nil || retryable(f))
	}
	rp.Idempotent = p.idempotent(s)
	return faults.Retry(ctx, rp, fn)
}

// Report adds to diags what err means at step s and returns the
// disposition: Done for nil (nothing added); Remove with a warning for a
// NotFound-class fault at Read or Delete; Fail with an error for anything
// else, a retryable fault included (its retries are spent). The error is
// read into a fault with p.Retry.Policy (faults.Policy.FaultOf). The summary
// names the step, the GSS code and the fault type; the detail holds the
// error's text, the code's impact and retryability, the catalog's action,
// and the request ID.
func (p Policy) Report(diags *diag.Diagnostics, s Step, err error) Disposition {
	if err == nil {
		return Done
	}
	f, _ := p.Retry.Policy.FaultOf(err) // held or made, a fault for every error
	d := Decide(s, f)
	if d == Retry {
		d = Fail
	}
	id := f.Code().String() + " " + f.FaultType()
	switch {
	case diags == nil:
	case d == Remove && s == Read:
		diags.AddWarning("Resource not found: "+id,
			"The object no longer exists; it is removed from the Terraform state, and the next plan creates it again.\n\n"+
				detail(err, f))
	case d == Remove:
		diags.AddWarning("Resource already deleted: "+id,
			"There was nothing left to delete.\n\n"+detail(err, f))
	default:
		title := s.String()
		diags.AddError(strings.ToUpper(title[:1])+title[1:]+" failed: "+id, detail(err, f))
	}
	return d
}

// Run runs fn with Do and reports its outcome with Report.
func (p Policy) Run(ctx context.Context, s Step, diags *diag.Diagnostics, fn func(context.Context) error) Disposition {
	return p.Report(diags, s, p.Do(ctx, s, fn))
}

// detail is the body of a diagnostic: the error's text (with the number of
// attempts, for a *faults.RetryError), then one fact per line.
func detail(err error, f *faults.Error) string {
	var b strings.Builder
	b.WriteString(err.Error())
	b.WriteString("\n\n")
	retry := "not retryable"
	if f.Retryable() {
		retry = "retryable"
	}
	fmt.Fprintf(&b, "GSS code: %s (%s, impact %s, %s)\n", f.Code(), f.FaultType(), f.Impact(), retry)
	if a := f.Action(); a != "" {
		fmt.Fprintf(&b, "Action: %s\n", a)
	}
	if id := f.RequestID(); id != "" {
		fmt.Fprintf(&b, "Request ID: %s\n", id)
	}
	if o := f.Object(); o != "" {
		fmt.Fprintf(&b, "Object: %s\n", o)
	}
	fmt.Fprintf(&b, "More: gssctl error describe %s", f.Code())
	return b.String()
}
