// Package registry is the catalog of GSS fault codes: one [Entry] per code,
// with its vSphere fault type, category, component, trigger, suggested
// action, retry semantics, impact, gRPC code and HTTP status.
//
// [Default] returns the built-in catalog of 47 entries, parsed once from the
// embedded catalog.yaml, the single human-edited source of the data. A
// [Registry] is an immutable value: it is built by [New] or [Load], which
// validate every entry and return an [*EntryError] naming the bad entry and
// field, and it is safe for concurrent use without locks. A service adds its
// own codes with [Registry.Extend], which returns a new registry and leaves
// the receiver unchanged.
//
//	reg, err := registry.Default().Extend(registry.Entry{
//		Code: "GSS-APP-001", FaultType: "OrderRejected", ...
//	})
//
// Lookups ([Registry.Lookup], [Registry.ByFaultType]) do not allocate.
// [Registry.Search] ranks entries for a free-text query and tolerates typos.
//
// This package imports no govmomi and no grpc-gateway; it uses grpc-go's
// codes package for [Entry.GRPCCode].
package registry
