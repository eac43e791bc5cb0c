package httpmap

import (
	"net/http"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere/release"
)

// Target is the vSphere deployment an HTTP answer is for: its version and
// the features that change statuses.
//
// The zero Target names no version: every fault answers its catalog HTTP
// status (see [EntryStatus]) and is never replaced by another. A Target
// with a Version applies the per-version table ([Rules]), including the
// cells where a fault does not exist on that version and vSphere reports
// another instead.
type Target struct {
	// Version is the vSphere version; the zero Version means none: every
	// fault answers its catalog status.
	Version release.Version
	// RBACv2 is on when vSphere 8.0 GA's RBAC v2 is enabled: NoPermission
	// is then 403 instead of 401.
	RBACv2 bool
	// NamespaceQuotas is on when vSphere with Tanzu namespace quotas apply
	// (8.0.2 and later): QuotaExceeded exists and is 422.
	NamespaceQuotas bool
	// CertificateVerification is on when the endpoint verifies
	// certificates (7.0 U1 and later): CertificateVerificationFailed
	// exists and is 400.
	CertificateVerification bool
}

// Conditions a fault can carry in its metadata under [ConditionKey] that
// change its status on some versions.
const (
	// ConditionKey is the metadata key of a fault's condition.
	ConditionKey = "condition"
	// ParameterConflict: an InvalidArgument where two parameters
	// conflict; 409 on 6.7 U3.
	ParameterConflict = "parameterConflict"
	// VMPathUnparsable: a NotFound for a VM path that fails to parse; 400
	// on 8.0.3.
	VMPathUnparsable = "vmPathUnparsable"
	// BadTemplateID: an InvalidRequest of a deploy whose template ID does
	// not exist; 404 NotFound from 8.0.1.
	BadTemplateID = "badTemplateID"
)

// InvalidPowerStateSubcode is the subcode vSphere 8.0 and later add to
// InvalidState answers.
const InvalidPowerStateSubcode = "vm.power.state.invalid"

// Rule is one row of the per-version table: from version From on (until a
// later rule for the same fault type and condition takes over), a fault of
// FaultType, with Condition when set and when the feature test passes,
// answers Status; when ReportAs is set, vSphere reports it as that fault
// type instead, because the fault does not exist there.
type Rule struct {
	FaultType string
	From      release.Version
	Condition string
	Feature   string // "", "RBACv2", "NamespaceQuotas", "CertificateVerification"
	Status    int
	ReportAs  string
	Subcode   string
}

// Rules returns the per-version table, oldest first for each fault type:
// a copy, so changing it changes nothing. It applies on a [Target] that
// names a release, as a step function: the newest rule whose From is not
// after the release (and whose Feature the target has on) gives the
// status, so 8.0 U1 and U2 behave as 8.0 GA except where a rule says
// otherwise. A rule with a Condition applies to faults whose metadata
// [ConditionKey] says so. Fault types without a rule answer their catalog
// status ([EntryStatus]). gssctl error describe and gssctl catalog print
// the table per release.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// v0 is the start of time for rules: every version.
const v0 release.Version = 0

var rules = []Rule{
	{FaultType: "InvalidLogin", From: v0, Status: 401},

	{FaultType: "NoPermission", From: v0, Status: 403},
	{FaultType: "NoPermission", From: release.V800, Status: 401},
	{FaultType: "NoPermission", From: release.V800, Feature: "RBACv2", Status: 403},
	{FaultType: "NoPermission", From: release.V801, Status: 403},

	{FaultType: "NotFound", From: v0, Status: 404},
	{FaultType: "NotFound", From: v0, Condition: VMPathUnparsable, Status: 404},
	{FaultType: "NotFound", From: release.V803, Condition: VMPathUnparsable, Status: 400},

	{FaultType: "ResourceInUse", From: v0, Status: 409},

	{FaultType: "InvalidState", From: v0, Status: 409},
	{FaultType: "InvalidState", From: release.V800, Status: 409, Subcode: InvalidPowerStateSubcode},
	{FaultType: "InvalidPowerState", From: v0, Status: 409},
	{FaultType: "InvalidPowerState", From: release.V800, Status: 409, Subcode: InvalidPowerStateSubcode},

	{FaultType: "InvalidArgument", From: v0, Status: 400},
	{FaultType: "InvalidArgument", From: v0, Condition: ParameterConflict, Status: 409},
	{FaultType: "InvalidArgument", From: release.V70U1, Condition: ParameterConflict, Status: 400},

	{FaultType: "InvalidRequest", From: v0, Status: 400},
	{FaultType: "InvalidRequest", From: v0, Condition: BadTemplateID, Status: 400},
	{FaultType: "InvalidRequest", From: release.V801, Condition: BadTemplateID, Status: 404, ReportAs: "NotFound"},

	{FaultType: "ServiceUnavailable", From: v0, Status: 503, ReportAs: "SystemError"},
	{FaultType: "ServiceUnavailable", From: release.V67U3, Status: 503},

	{FaultType: "CertificateVerificationFailed", From: v0, Status: 500, ReportAs: "SystemError"},
	{FaultType: "CertificateVerificationFailed", From: release.V70U1, Feature: "CertificateVerification", Status: 400},

	{FaultType: "QuotaExceeded", From: v0, ReportAs: "InsufficientResourcesFault"},
	{FaultType: "QuotaExceeded", From: release.V802, Feature: "NamespaceQuotas", Status: 422},
}

func (t Target) has(feature string) bool {
	switch feature {
	case "":
		return true
	case "RBACv2":
		return t.RBACv2
	case "NamespaceQuotas":
		return t.NamespaceQuotas
	case "CertificateVerification":
		return t.CertificateVerification
	}
	return false
}

// rule returns the rule for a fault type and condition on target t: the
// newest applicable rule for the condition, else for no condition.
func rule(faultType, condition string, t Target) (Rule, bool) {
	v := t.Version
	pick := func(cond string) (Rule, bool) {
		var best Rule
		found := false
		for _, r := range rules {
			if r.FaultType != faultType || r.Condition != cond || r.From > v || !t.has(r.Feature) {
				continue
			}
			if !found || r.From >= best.From {
				best, found = r, true
			}
		}
		return best, found
	}
	if condition != "" {
		if r, ok := pick(condition); ok {
			return r, true
		}
	}
	return pick("")
}

// Mapping is how a fault is answered over HTTP on one target.
type Mapping struct {
	// Status is the HTTP status.
	Status int
	// Fault is the fault as that version reports it: the input fault, or,
	// where its fault type does not exist on the target's version, the
	// fault vSphere gives instead. That fault wraps the input and keeps
	// its message, op, object, request ID, duration, retry delay,
	// localized message and metadata, adding metadata "reportedFor" with
	// the input's fault type.
	Fault *faults.Error
	// Subcode is vSphere's subcode for the answer, or "".
	Subcode string
}

// Map returns the HTTP status, the fault as reported and the subcode of
// err on target t. err becomes a fault as with the zero faults.Policy
// ([faults.Policy.FaultOf]); nil maps to 200 with a nil fault.
//
//   - A fault of the built-in catalog ([faults.Error.FromCatalog]) follows
//     the per-version table on a Target with a Version, else its
//     [EntryStatus].
//   - A fault of a service's own code answers its entry's status, and one
//     of a code no registry knows the status of its gRPC code.
//   - A fault that only stands in for an entry (a status from a service
//     that does not use gssfault, an error of the service itself) answers
//     the status of its gRPC code ([HTTPStatus], grpc-gateway's table).
func Map(err error, t Target) Mapping {
	if err == nil {
		return Mapping{Status: http.StatusOK}
	}
	f, _ := faults.Policy{}.FaultOf(err)
	return mapFault(f, t)
}

// StatusFor returns the HTTP status of err on target t: [Map]'s Status.
func StatusFor(err error, t Target) int { return Map(err, t).Status }

func mapFault(f *faults.Error, t Target) Mapping {
	if !f.FromCatalog() || !f.Known() {
		return Mapping{Status: HTTPStatus(f.GRPCCode()), Fault: f}
	}
	e := f.Entry()
	if !builtin(f) {
		return Mapping{Status: statusOf(e), Fault: f} // a service's own entry
	}
	if f.GRPCCode() != e.GRPCCode {
		// A peer sent the code with another gRPC code: the code decides.
		return Mapping{Status: HTTPStatus(f.GRPCCode()), Fault: f}
	}
	if t.Version.IsZero() {
		return Mapping{Status: statusOf(e), Fault: f}
	}
	cond, _ := f.MetadataValue(ConditionKey)
	r, ok := rule(e.FaultType, cond, t)
	if !ok {
		return Mapping{Status: statusOf(e), Fault: f}
	}
	m := Mapping{Status: r.Status, Fault: f, Subcode: r.Subcode}
	if r.ReportAs != "" {
		if re, ok := registry.Default().ByFaultType(r.ReportAs); ok {
			// The reported fault keeps everything the caller set on f.
			rep := faults.FromEntry(re, f.Message(), f).WithOp(f.Op()).WithObject(f.Object()).
				WithRequestID(f.RequestID()).WithDuration(f.Duration()).WithRetryDelay(f.RetryDelay()).
				WithMetadata(append(f.Metadata(), faults.Field{Key: "reportedFor", Value: f.FaultType()})...).
				WithDetails(f.Details()...)
			if l, ok := f.Localized(); ok {
				rep = rep.WithLocalized(l.Locale, l.Message)
			}
			m.Fault = rep
			if m.Status == 0 {
				m.Status = statusOf(re)
			}
		}
	}
	if m.Status == 0 {
		m.Status = statusOf(e)
	}
	return m
}

// EntryStatus returns the HTTP status of a catalog entry when no
// per-version rule applies: its HTTPStatus, or, when that is 0, the status
// of its gRPC code ([HTTPStatus]).
func EntryStatus(e registry.Entry) int { return statusOf(e) }

func statusOf(e registry.Entry) int {
	if e.HTTPStatus != 0 {
		return e.HTTPStatus
	}
	return HTTPStatus(e.GRPCCode)
}
