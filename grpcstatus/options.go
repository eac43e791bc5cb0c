package grpcstatus

import (
	"context"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/registry"
)

// Option configures the interceptors and conversions of this package.
type Option func(*config)

type config struct {
	reg      *registry.Registry
	status   faults.StatusOptions
	classify func(error) *faults.Error
	observe  func(context.Context, *faults.Error)
	onPanic  func(ctx context.Context, value any, stack []byte)
}

func newConfig(opts []Option) *config {
	c := &config{reg: registry.Default()}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// WithRegistry sets the registry codes are looked up in (default
// registry.Default()); a service with its own codes passes its extended
// registry on both sides.
func WithRegistry(r *registry.Registry) Option {
	return func(c *config) {
		if r != nil {
			c.reg = r
		}
	}
}

// WithDomain sets the ErrorInfo domain per GSS domain (default
// faults.DefaultDomain: "gssfault.vsp" and so on). The client side accepts
// any domain: the GSS code in the metadata identifies the fault.
func WithDomain(domain func(codes.Domain) string) Option {
	return func(c *config) { c.status.Domain = domain }
}

// WithExposeInternal sends the fault's own message for Internal, Unknown
// and DataLoss faults, which by default get a generic message.
func WithExposeInternal(on bool) Option {
	return func(c *config) { c.status.ExposeInternal = on }
}

// WithDebugInfo adds a DebugInfo detail with the cause chain to every
// status a server interceptor sends. Off by default.
func WithDebugInfo(on bool) Option {
	return func(c *config) { c.status.DebugInfo = on }
}

// WithMaxStatusBytes sets the budget of an encoded status (default
// faults.DefaultMaxStatusBytes, 7 KiB).
func WithMaxStatusBytes(n int) Option {
	return func(c *config) { c.status.MaxBytes = n }
}

// WithClassifier sets how a server interceptor turns an error that holds
// no fault into one, before the defaults (context errors, then the
// catch-all). Pass vsphere.Classify to classify govmomi errors; this
// package does not import govmomi. A nil result falls through to the
// defaults.
func WithClassifier(classify func(error) *faults.Error) Option {
	return func(c *config) { c.classify = classify }
}

// WithObserver calls observe with every fault an interceptor sends or
// receives, for metrics and traces (see the otelfault package).
func WithObserver(observe func(context.Context, *faults.Error)) Option {
	return func(c *config) { c.observe = observe }
}

// WithPanicHandler calls h with the value and stack of a panic that a
// server interceptor recovered, so the server can log it; the client only
// gets an Internal status with a generic message.
func WithPanicHandler(h func(ctx context.Context, value any, stack []byte)) Option {
	return func(c *config) { c.onPanic = h }
}
