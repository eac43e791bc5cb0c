package grpcstatus

import (
	"context"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
)

// Option configures the interceptors of this package.
type Option func(*config)

type config struct {
	policy   faults.Policy
	observe  func(context.Context, *faults.Error)
	declared []func(fullMethod string) ([]codes.Code, bool)
}

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// WithPolicy sets the status policy: the registry, the classifier,
// redaction, DebugInfo, the size budget and the panic handler (see
// [faults.Policy]). httpmap.WithPolicy takes the same value, so a service
// configures its trust boundary once for gRPC and HTTP. Options after it
// may change single fields (WithClassifier).
func WithPolicy(p faults.Policy) Option {
	return func(c *config) { c.policy = p }
}

// WithClassifier sets the policy's classifier: how a server interceptor
// turns an error that holds no fault and no gRPC status into a fault,
// before context errors and the catch-all. It returns false for errors it
// does not recognise. Pass vsphere.FromError to classify govmomi errors;
// this package does not import govmomi.
func WithClassifier(classify func(error) (*faults.Error, bool)) Option {
	return func(c *config) { c.policy.Classifier = classify }
}

// WithObserver calls observe with every fault an interceptor sends or
// receives, for metrics and traces (see the otelfault package).
func WithObserver(observe func(context.Context, *faults.Error)) Option {
	return func(c *config) { c.observe = observe }
}

// WithDeclaredCodes makes the server interceptors check the faults
// handlers make against the GSS codes their methods declare: declared gives
// the codes of a full method name ("/pkg.Service/Method") and false for a
// method it does not know, which is not checked; an empty list with true
// declares that the method returns no fault. protoc-gen-gssfault writes
// such a function per service (<Service>DeclaredCodes) from the
// gssfault.v1 method option. Give the option once per service a server
// hosts: the first function that knows a method decides.
//
// A fault of a code its method does not declare is sent as INTERNAL with a
// message naming the method, the code and the fault type, so that tests
// (or a service that opts in) catch the undeclared code; the observer still
// sees the original fault. Checked are the faults the service makes (from
// a catalog entry, directly or through a Classifier such as vsphere's).
// Not checked, and sent as they are: a status or body received from
// another service ([faults.Error.Received]), which this boundary carries
// rather than rewrites, and the service's own errors without a code (the
// catch-all, context errors, panics; [faults.Error.FromCatalog] false).
// The INTERNAL message names only what the client would otherwise have
// seen (the method it called and the fault's code and type), so it is not
// redacted as other internal messages are.
func WithDeclaredCodes(declared func(fullMethod string) ([]codes.Code, bool)) Option {
	return func(c *config) {
		if declared != nil {
			c.declared = append(c.declared, declared)
		}
	}
}
