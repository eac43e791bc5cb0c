package openapi

import (
	"strings"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

// DefaultScope returns the codes [Inject] gives an operation that says
// nothing about its faults (no x-gss-codes, no entry in
// Options.OperationCodes, Options.AllCodes off): the faults a caller can
// plausibly meet on that kind of call, rather than all 47 on every
// operation, where a GET would document a TKG image-pull failure.
//
//   - Every operation: the categories Authentication, Authorization,
//     Availability, Network and Internal. Any call can meet an expired
//     session or a missing privilege, a busy, unreachable or timed-out
//     vCenter, or a failure inside it, whatever it does.
//   - An operation whose path has a parameter ("/vms/{id}"): the codes whose
//     gRPC code is NotFound. The object the path names may not exist.
//   - Write methods (POST, PUT, PATCH, DELETE): the categories Validation
//     and State. A change can be refused for its arguments (InvalidArgument,
//     InvalidVmConfig, ...) or for the object's state (InvalidPowerState,
//     TaskInProgress, ResourceInUse, ...); a read of an existing object,
//     by contrast, does not depend on its state.
//   - Creating methods (POST, PUT): the codes whose gRPC code is
//     AlreadyExists (a name already taken).
//
// Capacity, Certificate, Compatibility, Infrastructure and Lifecycle codes
// other than those are left to x-gss-codes and codes files: whether a call
// can meet them depends on what it does, which only its author knows.
// method is the lower-case HTTP method; reg nil means registry.Default.
func DefaultScope(reg *registry.Registry, method, path string) []codes.Code {
	if reg == nil {
		reg = registry.Default()
	}
	write := method == "post" || method == "put" || method == "patch" || method == "delete"
	create := method == "post" || method == "put"
	params := strings.Contains(path, "{")
	var out []codes.Code
	for _, e := range reg.All() {
		switch {
		case e.Category == codes.CategoryAuthentication, e.Category == codes.CategoryAuthorization,
			e.Category == codes.CategoryAvailability, e.Category == codes.CategoryNetwork, e.Category == codes.CategoryInternal,
			params && e.GRPCCode == grpccodes.NotFound,
			write && (e.Category == codes.CategoryValidation || e.Category == codes.CategoryState),
			create && e.GRPCCode == grpccodes.AlreadyExists:
			out = append(out, e.Code)
		}
	}
	return out
}

// inDomains keeps the codes of the given domains (all when none given).
func inDomains(cs []codes.Code, domains []codes.Domain) []codes.Code {
	if len(domains) == 0 {
		return cs
	}
	out := make([]codes.Code, 0, len(cs))
	for _, c := range cs {
		for _, d := range domains {
			if c.Domain() == d {
				out = append(out, c)
				break
			}
		}
	}
	return out
}
