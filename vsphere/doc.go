// Package vsphere turns the errors govmomi gives into faults.
//
//	_, err := vm.PowerOn(ctx)
//	if err != nil {
//		return vsphere.Classify(err) // a *faults.Error that wraps err
//	}
//
// [Classify] looks through %w wrapping and every child of errors.Join for
// what vSphere said: vim25 method faults (SOAP faults, PropertyCollector
// faults, task errors with nested faultCause), vAPI REST errors, govmomi's
// find and datastore errors, and what failed under a request to vSphere
// (TLS verification, unreachable endpoints, timeouts). A fault type without
// an entry of its own takes its nearest ancestor's (PasswordExpired takes
// InvalidLogin's; any checked fault at least VimFault's, any runtime fault
// RuntimeFault's), so every fault vSphere can send gets a meaningful code.
// Errors that are not vSphere's get the catch-all, or what a
// [faults.Policy] gives them (a received gRPC status, a context error).
//
// [FromError] is the typed view and the hook for [faults.Policy]:
//
//	policy := faults.Policy{Classifier: vsphere.FromError}
//
// It reports false for an error that holds nothing from vSphere, so a
// service's own errors keep their own codes. A [Classifier] made with
// [NewClassifier] does the same against a service's extended registry.
//
// Classification only chooses the entry; the fault's message, object and
// metadata (the fault type vSphere sent, the privilege, the file, a
// BadRequest field violation for an invalid property, ...) are read from
// the error when asked for. A message never carries a URL's credentials or
// query.
//
// [Retry] retries a govmomi call on retryable faults with the entry's
// delay; [Fault], [Chain] and [Innermost] reach the method fault itself
// through wrapping, where govmomi's own helpers stop; [Transport] and
// [Track] record request IDs and durations; [ToMethodFault] goes the other
// way, for fakes and simulators; [VersionOf] reads a connected client's
// vSphere release (package vsphere/release).
//
// Every walk of an error tree visits at most faults.MaxWalk errors, and a
// faultCause chain is followed at most [MaxCauseDepth] deep, so cyclic or
// adversarial errors end; no govmomi or standard-library walk is ever run
// on a caller's error tree.
package vsphere
