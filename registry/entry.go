package registry

import (
	"time"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
)

// Source says where a fault comes from.
type Source string

// The sources of the built-in catalog. A custom registry may use others.
const (
	// SourceVim25 is a vim25 SOAP method fault; FaultType is the govmomi type
	// name (types.InvalidLogin and so on).
	SourceVim25 Source = "vim25"
	// SourceVAPI is a vAPI (vSphere Automation REST) error.
	SourceVAPI Source = "vapi"
	// SourceTransport is a failure below the API: TCP, DNS or TLS.
	SourceTransport Source = "transport"
	// SourceNSX is VMware NSX.
	SourceNSX Source = "nsx"
	// SourceTKG is Tanzu Kubernetes Grid.
	SourceTKG Source = "tkg"
)

// Entry describes one GSS fault code. It is plain data: a registry hands
// out copies, so changing a returned Entry never changes the registry.
// DebugCommands is shared with the registry and must be treated as
// read-only; it is returned clipped, so appending to it copies.
type Entry struct {
	// Code is the GSS code, unique in a registry.
	Code codes.Code
	// FaultType is the vim25 fault type name for SourceVim25 (for example
	// "HostNotReachable"), otherwise the name the catalog gives the
	// condition. Unique in a registry, ignoring case.
	FaultType string
	// Category groups the fault by what went wrong.
	Category codes.Category
	// Component is where the fault comes from ("vCenter", "datastore").
	Component string
	// Trigger says when the fault happens.
	Trigger string
	// Action is what an operator or caller should do about it.
	Action string
	// Retryable reports whether repeating the same call can succeed
	// without other changes (AIP-194 semantics).
	Retryable bool
	// RetryDelay is how long to wait before such a retry; zero when the
	// entry gives no delay. Only retryable entries have one.
	RetryDelay time.Duration
	// Impact is how bad the fault is.
	Impact codes.ImpactLevel
	// GRPCCode is the gRPC status code a server returns for the fault.
	GRPCCode grpccodes.Code
	// HTTPStatus is the HTTP status of the fault when it differs from the
	// status of GRPCCode (ResourceInUse: FailedPrecondition over gRPC, 409
	// over HTTP); 0 means the status of GRPCCode in grpc-gateway's table.
	// httpmap applies it, and may choose another per vSphere version.
	HTTPStatus int
	// Source says where the fault comes from.
	Source Source
	// DocRef is a documentation reference (an https URL) or "".
	DocRef string
	// DebugCommands are commands that help diagnose the fault. Read-only;
	// nil when there are none (an empty list in a catalog loads as nil).
	DebugCommands []string
	// Rationale says why GRPCCode and Retryable were chosen.
	Rationale string
}
