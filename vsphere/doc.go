// Package vsphere turns every error govmomi gives into a [*faults.Error].
//
//	_, err := vm.PowerOn(ctx)
//	if f := vsphere.Classify(err); f != nil {
//		log.Warn("power on", "err", f) // code, fault type, retryable, impact ...
//	}
//
// [Classify] looks through %w wrapping and every child of errors.Join for,
// in order of preference:
//   - vim25 method faults: SOAP faults, PropertyCollector faults, task errors
//     (as value or pointer) and anything with govmomi's Fault() method. A
//     fault with no entry of its own takes the entry of its nearest ancestor
//     type (PasswordExpired takes InvalidLogin's); a generic fault
//     (SystemError, or one that only the catch-all describes) gives way to
//     the first specific fault in its faultCause chain;
//   - vAPI REST errors from vapi/rest (the status error and the 400 error
//     whose text carries the JSON body), by error_type and HTTP status;
//   - find and datastore-file errors; TLS verification failures;
//     unreachable endpoints (refused, no route, DNS); HTTP 503 answers;
//     timeouts and context errors.
//
// Anything else gets the catch-all entry. The result always wraps the
// original error, so govmomi's own helpers (errors.As to types.HasFault,
// the fault package, soap.IsCertificateUntrusted) still work on it.
//
// [Fault], [Chain] and [Innermost] reach the method fault itself through
// wrapping, where govmomi's own helpers stop. [Transport] records request
// IDs and durations for [Call.Classify]; [ToMethodFault] goes the other way,
// for fakes and simulators; [VersionOf] reads a connected client's vSphere
// version.
//
// Walks over error trees are bounded: at most [MaxWalk] nodes, and
// faultCause chains at most [MaxCauseDepth] deep, so cyclic or adversarial
// errors terminate.
package vsphere
